//! A limit on the size of an SDK request, so a client cannot make the server (or, through the
//! gateway, the cluster) buffer an arbitrarily large body. Refused as gRPC RESOURCE_EXHAUSTED.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::CONTENT_LENGTH;
use http_body_util::BodyExt;

fn too_large(limit: usize) -> tonic::Status {
    tonic::Status::resource_exhausted(format!(
        "the request is larger than this server accepts ({limit} bytes; see --max-request-size)"
    ))
}

/// Refuses bodies announced larger than `limit` bytes at once, and cuts off longer streamed
/// ones (HTTP/2 gRPC carries no length) when they pass it.
pub async fn limit_request(State(limit): State<usize>, req: Request, next: Next) -> Response {
    let announced = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|len| len > limit as u64) {
        return too_large(limit)
            .into_http::<tonic::body::Body>()
            .into_response();
    }
    // Set when the body passes the limit: whoever was reading it (the mock's tonic, or the
    // gateway's upstream stream, which is then reset) failed because of us, and the caller is
    // told so rather than getting that reader's error.
    let hit = Arc::new(AtomicBool::new(false));
    let req = req.map(|body| {
        let hit = hit.clone();
        Body::new(
            http_body_util::Limited::new(body, limit).map_err(move |err| -> axum::BoxError {
                if err.is::<http_body_util::LengthLimitError>() {
                    hit.store(true, Ordering::Relaxed);
                    Box::new(too_large(limit))
                } else {
                    err
                }
            }),
        )
    });
    let response = next.run(req).await;
    if hit.load(Ordering::Relaxed) {
        return too_large(limit)
            .into_http::<tonic::body::Body>()
            .into_response();
    }
    response
}
