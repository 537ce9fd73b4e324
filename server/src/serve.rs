//! One HTTP service for everything on the port: native gRPC (h2c), gRPC-Web over HTTP/1.1 and
//! HTTP/2, and the built console for every other request.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use axum::Router;
use http::header::{HeaderName, AUTHORIZATION, CONTENT_TYPE};
use http::Method;
use tower::ServiceExt;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::ui::UiDir;
use crate::web::access_log::Recorder;
use crate::web::{access_log, guard, headers, limits};

/// How the port is exposed: who may call it, what is logged and what is refused.
#[derive(Clone)]
pub struct Exposure {
    pub latency: Duration,
    pub policy: Arc<guard::Policy>,
    /// The access log, and `/metrics`' call counters when served.
    pub calls: Recorder,
    pub max_request_size: usize,
}

/// Who answers the SDK, for /healthz.
#[derive(Clone)]
pub enum Backend {
    Mock,
    Upstream(Box<crate::gateway::Upstream>),
}

/// The whole application. gRPC and gRPC-Web requests (by content type) go to the SDK side,
/// everything else to the console and /healthz. tonic-web sits only on the SDK side: it answers
/// 400 to any other HTTP/1.1 request, which would hide the console.
pub fn app(
    sdk: Router,
    ui: Option<UiDir>,
    clusters: Vec<(String, Backend)>,
    exposure: Exposure,
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
        ))
        .layer(tonic_web::GrpcWebLayer::new());
    // For pages without their own policy; the console's page carries one pinned to its loader.
    let csp = http::HeaderValue::from_str(&headers::content_security_policy(&[]))
        .expect("the policy is ASCII");
    let site = Router::new()
        .route(
            "/healthz",
            axum::routing::get(move || healthz(clusters.clone())),
        )
        .fallback(move |req: Request| console(req, ui.clone()));
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
        .layer(cors(exposure.policy.extra_origins()))
}

/// gRPC calls to methods the server does not have: UNIMPLEMENTED, not an HTML page.
pub async fn unimplemented(req: Request) -> Response {
    tonic::Status::unimplemented(format!(
        "{} is not a method this server implements",
        req.uri().path()
    ))
    .into_http::<tonic::body::Body>()
    .into_response()
}

/// For load balancers and container probes: 200 when the SDK answers, 503 with the reason.
/// With several clusters, one line each, asked at once (a cluster that is down does not hold up
/// the others); 503 only when none answers, since the console still serves the others.
async fn healthz(clusters: Arc<Vec<(String, Backend)>>) -> Response {
    if let [(_, only)] = clusters.as_slice() {
        return match check(only).await {
            Ok(said) => (http::StatusCode::OK, format!("ok: {said}\n")).into_response(),
            Err(reason) => (
                http::StatusCode::SERVICE_UNAVAILABLE,
                format!("unavailable: {reason}\n"),
            )
                .into_response(),
        };
    }
    let asked: Vec<_> = clusters
        .iter()
        .map(|(_, backend)| {
            let backend = backend.clone();
            tokio::spawn(async move { check(&backend).await })
        })
        .collect();
    let mut answers = Vec::with_capacity(asked.len());
    for answer in asked {
        answers.push(answer.await.unwrap_or_else(|e| Err(e.to_string())));
    }
    let mut body = String::new();
    for ((name, _), answer) in clusters.iter().zip(&answers) {
        match answer {
            Ok(said) => body.push_str(&format!("{name}: ok: {said}\n")),
            Err(reason) => body.push_str(&format!("{name}: unavailable: {reason}\n")),
        }
    }
    let code = if answers.iter().any(Result::is_ok) {
        http::StatusCode::OK
    } else {
        http::StatusCode::SERVICE_UNAVAILABLE
    };
    (code, body).into_response()
}

pub async fn check(backend: &Backend) -> Result<String, String> {
    match backend {
        Backend::Mock => Ok("built-in mock cluster".into()),
        Backend::Upstream(upstream) => upstream
            .check()
            .await
            .map(|version| format!("upstream {} answers ({version})", upstream.url)),
    }
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

/// Lets a console served from an origin given with --allow-origin (`trunk serve` during
/// development, or a console elsewhere) call the SDK; preflights from any other origin get no
/// permission. Tokens travel in a header, not cookies, so no credentials are allowed.
fn cors(origins: &[String]) -> CorsLayer {
    let origins: Vec<http::HeaderValue> = origins
        .iter()
        .filter_map(|o| http::HeaderValue::from_str(o).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::POST, Method::GET, Method::OPTIONS])
        .allow_headers([
            CONTENT_TYPE,
            AUTHORIZATION,
            HeaderName::from_static("x-grpc-web"),
            HeaderName::from_static("x-user-agent"),
            HeaderName::from_static("grpc-timeout"),
            HeaderName::from_static(crate::fleet::CLUSTER_HEADER),
        ])
        .expose_headers([
            HeaderName::from_static("grpc-status"),
            HeaderName::from_static("grpc-message"),
            HeaderName::from_static("grpc-status-details-bin"),
        ])
        .max_age(Duration::from_secs(600))
}
