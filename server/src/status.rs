//! gRPC answers every SDK router shares.

use axum::extract::Request;
use axum::response::{IntoResponse, Response};

/// gRPC calls to methods the server does not have: UNIMPLEMENTED, not an HTML page.
pub async fn unimplemented(req: Request) -> Response {
    tonic::Status::unimplemented(format!(
        "{} is not a method this server implements",
        req.uri().path()
    ))
    .into_http::<tonic::body::Body>()
    .into_response()
}
