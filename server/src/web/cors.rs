//! Which other origins' pages may call the SDK from a browser (`--allow-origin`).

use std::time::Duration;

use http::header::{HeaderName, AUTHORIZATION, CONTENT_TYPE};
use http::Method;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// Lets a console served from an origin given with --allow-origin (`trunk serve` during
/// development, or a console elsewhere) call the SDK; preflights from any other origin get no
/// permission. Tokens travel in a header; the single sign-on's cookie is for the console's own
/// origin only, so no credentials are allowed.
pub fn cors(origins: &[String]) -> CorsLayer {
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
            HeaderName::from_static(console_model::CLUSTER_HEADER),
        ])
        .expose_headers([
            HeaderName::from_static("grpc-status"),
            HeaderName::from_static("grpc-message"),
            HeaderName::from_static("grpc-status-details-bin"),
        ])
        .max_age(Duration::from_secs(600))
}
