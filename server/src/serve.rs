//! One HTTP service for everything on the port: native gRPC (h2c), gRPC-Web over HTTP/1.1 and
//! HTTP/2, and the built console for every other request.

use std::time::Duration;

use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use axum::Router;
use http::header::{HeaderName, AUTHORIZATION, CONTENT_TYPE};
use http::Method;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::ui::UiDir;

/// The whole application: SDK services first, the console as the fallback.
pub fn app(sdk: Router, ui: Option<UiDir>, latency: Duration) -> Router {
    // gRPC-Web translation only on SDK routes: tonic-web answers 400 to any other HTTP/1.1
    // request, which would hide the console. Deadlines and latency apply inside it, so their
    // errors reach browsers as gRPC-Web too.
    sdk.route_layer(axum::middleware::from_fn_with_state(
        latency,
        crate::pace::pace,
    ))
    .route_layer(tonic_web::GrpcWebLayer::new())
    .fallback(move |req: Request| fallback(req, ui.clone()))
    .layer(cors())
}

/// Requests no SDK route matched: gRPC callers get UNIMPLEMENTED (not an HTML page), browsers
/// get the console.
async fn fallback(req: Request, ui: Option<UiDir>) -> Response {
    if is_grpc(&req) {
        let status = tonic::Status::unimplemented(format!(
            "{} is not a method this server implements",
            req.uri().path()
        ));
        return status.into_http::<tonic::body::Body>().into_response();
    }
    match ui {
        Some(dir) => dir.serve(req).await,
        None => (
            http::StatusCode::NOT_FOUND,
            "OpenStorage Console is not built: run `make build`, or pass --ui DIR. The SDK is served on this port.\n",
        )
            .into_response(),
    }
}

fn is_grpc(req: &Request) -> bool {
    req.headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/grpc"))
}

/// Lets a console served from another origin (`trunk serve` during development, or a console
/// pointed at this server from elsewhere) call the SDK. Tokens travel in a header, not cookies,
/// so any origin is allowed without credentials.
fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::any())
        .allow_methods([Method::POST, Method::GET, Method::OPTIONS])
        .allow_headers([
            CONTENT_TYPE,
            AUTHORIZATION,
            HeaderName::from_static("x-grpc-web"),
            HeaderName::from_static("x-user-agent"),
            HeaderName::from_static("grpc-timeout"),
        ])
        .expose_headers([
            HeaderName::from_static("grpc-status"),
            HeaderName::from_static("grpc-message"),
            HeaderName::from_static("grpc-status-details-bin"),
        ])
        .max_age(Duration::from_secs(600))
}
