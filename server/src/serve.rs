//! One HTTP service for everything on the port: native gRPC (h2c), gRPC-Web over HTTP/1.1 and
//! HTTP/2, and the built console for every other request.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use axum::Router;
use http::header::CONTENT_TYPE;
use tower::ServiceExt;

use crate::health::Health;
use crate::sso::Sso;
use crate::ui::UiDir;
use crate::web::access_log::Recorder;
use crate::web::{access_log, cors, guard, headers, healthz, limits};

/// How the port is exposed: who may call it, what is logged and what is refused.
#[derive(Clone)]
pub struct Exposure {
    pub latency: Duration,
    pub policy: Arc<guard::Policy>,
    /// The access log, and `/metrics`' call counters when served.
    pub calls: Recorder,
    pub max_request_size: usize,
}

/// The whole application. gRPC and gRPC-Web requests (by content type) go to the SDK side,
/// everything else to the console, /healthz and, with single sign-on, /auth/*. tonic-web sits
/// only on the SDK side: it answers 400 to any other HTTP/1.1 request, which would hide the
/// console.
pub fn app(
    sdk: Router,
    ui: Option<UiDir>,
    clusters: Vec<(String, Health)>,
    exposure: Exposure,
    sso: Option<Arc<Sso>>,
) -> Router {
    let clusters = Arc::new(clusters);
    // Deadlines, latency, the size limit and the access log apply inside tonic-web: they see
    // native gRPC (status in trailers), and their errors reach browsers as gRPC-Web.
    let sdk = sdk
        .layer(axum::middleware::from_fn_with_state(
            exposure.latency,
            crate::pace::pace,
        ))
        .layer(axum::middleware::from_fn_with_state(
            exposure.max_request_size,
            limits::limit_request,
        ))
        .layer(axum::middleware::from_fn_with_state(
            exposure.calls.clone(),
            access_log::log_calls,
        ));
    // The session goes on calls before the access log, which names the caller.
    let sdk = match &sso {
        Some(sso) => sdk.layer(axum::middleware::from_fn_with_state(
            sso.clone(),
            crate::sso::attach::attach,
        )),
        None => sdk,
    }
    .layer(tonic_web::GrpcWebLayer::new());
    // For pages without their own policy; the console's page carries one pinned to its loader.
    let csp = http::HeaderValue::from_str(&headers::content_security_policy(&[]))
        .expect("the policy is ASCII");
    let mut site = Router::new().route(
        "/healthz",
        axum::routing::get(move || healthz::healthz(clusters.clone())),
    );
    if let Some(sso) = sso {
        site = site.merge(crate::sso::routes::router(sso));
    }
    let site = site.fallback(move |req: Request| console(req, ui.clone()));
    Router::new()
        .fallback(move |req: Request| {
            let target = if is_grpc(&req) {
                sdk.clone()
            } else {
                site.clone()
            };
            async move {
                match target.oneshot(req).await {
                    Ok(response) => response,
                    Err(never) => match never {},
                }
            }
        })
        .layer(axum::middleware::from_fn_with_state(
            exposure.policy.clone(),
            guard::guard,
        ))
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(csp),
            headers::secure,
        ))
        .layer(cors::cors(exposure.policy.extra_origins()))
}

/// Everything that is not an SDK call: the built console, or a note on how to build it.
async fn console(req: Request, ui: Option<UiDir>) -> Response {
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
