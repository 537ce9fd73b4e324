//! Per-call timing for the SDK routes: honours each call's `grpc-timeout` (DEADLINE_EXCEEDED
//! when it runs out, as gRPC servers do) and adds `--latency` to every call so slow clusters can
//! be shown and tested.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// `grpc-timeout` header value (`10S`, `500m`, ...) as a duration.
pub fn parse_grpc_timeout(value: &str) -> Option<Duration> {
    let (digits, unit) = value.split_at(value.len().checked_sub(1)?);
    if digits.is_empty() || digits.len() > 8 {
        return None;
    }
    let n: u64 = digits.parse().ok()?;
    Some(match unit {
        "H" => Duration::from_secs(n * 3600),
        "M" => Duration::from_secs(n * 60),
        "S" => Duration::from_secs(n),
        "m" => Duration::from_millis(n),
        "u" => Duration::from_micros(n),
        "n" => Duration::from_nanos(n),
        _ => return None,
    })
}

pub async fn pace(State(latency): State<Duration>, request: Request, next: Next) -> Response {
    let deadline = request
        .headers()
        .get("grpc-timeout")
        .and_then(|v| v.to_str().ok())
        .and_then(parse_grpc_timeout);
    let work = async move {
        if !latency.is_zero() {
            tokio::time::sleep(latency).await;
        }
        next.run(request).await
    };
    match deadline {
        None => work.await,
        Some(deadline) => match tokio::time::timeout(deadline, work).await {
            Ok(response) => response,
            Err(_) => tonic::Status::deadline_exceeded(format!(
                "the call did not finish within its deadline of {} ms",
                deadline.as_millis()
            ))
            .into_http::<tonic::body::Body>()
            .into_response(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grpc_timeouts_parse() {
        assert_eq!(parse_grpc_timeout("10S"), Some(Duration::from_secs(10)));
        assert_eq!(parse_grpc_timeout("500m"), Some(Duration::from_millis(500)));
        assert_eq!(parse_grpc_timeout("2M"), Some(Duration::from_secs(120)));
        assert_eq!(parse_grpc_timeout("1H"), Some(Duration::from_secs(3600)));
        assert_eq!(parse_grpc_timeout("7u"), Some(Duration::from_micros(7)));
        assert_eq!(parse_grpc_timeout("S"), None);
        assert_eq!(parse_grpc_timeout("10x"), None);
        assert_eq!(parse_grpc_timeout("123456789S"), None, "at most 8 digits");
        assert_eq!(parse_grpc_timeout(""), None);
    }
}
