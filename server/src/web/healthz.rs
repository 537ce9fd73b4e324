//! `/healthz`, for load balancers and container probes: each cluster asked now, through its
//! one health (`crate::health`).

use std::sync::Arc;

use axum::response::{IntoResponse, Response};

use crate::health::Health;

/// For load balancers and container probes: 200 when the SDK answers, 503 with the reason.
/// With several clusters, one line each, asked at once (a cluster that is down does not hold up
/// the others); 503 only when none answers, since the console still serves the others.
pub async fn healthz(clusters: Arc<Vec<(String, Health)>>) -> Response {
    if let [(_, only)] = clusters.as_slice() {
        return match only.check().await {
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
        .map(|(_, health)| {
            let health = health.clone();
            tokio::spawn(async move { health.check().await })
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
