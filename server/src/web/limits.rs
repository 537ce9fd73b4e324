//! A limit on the size of an SDK request, so a client cannot make the server (or, through the
//! gateway, the cluster) buffer an arbitrarily large body. Refused as gRPC RESOURCE_EXHAUSTED.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::CONTENT_LENGTH;

/// Refuses bodies announced larger than `limit` bytes at once, and cuts off longer streamed
/// ones (HTTP/2 gRPC carries no length) when they pass it.
pub async fn limit_request(State(limit): State<usize>, req: Request, next: Next) -> Response {
    let announced = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|len| len > limit as u64) {
        return tonic::Status::resource_exhausted(format!(
            "request of {} bytes is larger than this server accepts ({limit} bytes; see \
             --max-request-size)",
            announced.unwrap_or_default()
        ))
        .into_http::<tonic::body::Body>()
        .into_response();
    }
    let req = req.map(|body| Body::new(http_body_util::Limited::new(body, limit)));
    next.run(req).await
}
