//! One line per SDK call: time, peer, method, the cluster it names, gRPC code, duration, the subject the token
//! claims and a short fingerprint of the token (so two tokens claiming one name are told
//! apart). Never the token itself, a secret or a request body. On by default with --upstream,
//! where the console forwards deletes and backups for people a cluster without auth cannot
//! tell apart. A call the client abandons is logged as `cancelled`.

use std::fs::File;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Instant, SystemTime};

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use http::HeaderMap;
use http_body::Frame;

use super::call_metrics::CallMetrics;
use crate::error::StartupError;

/// Where the lines go.
#[derive(Clone, Debug)]
pub enum AccessLog {
    Off,
    /// As tracing events (target `access`), with the rest of the log on stderr.
    Stderr,
    /// Appended to a file, one line per call.
    File(Arc<Mutex<File>>),
}

impl AccessLog {
    /// `--access-log off|stderr|FILE`; without the flag, on (stderr) for a gateway, off for
    /// the mock.
    pub fn open(setting: Option<&str>, gateway: bool) -> Result<AccessLog, StartupError> {
        match setting {
            None if gateway => Ok(AccessLog::Stderr),
            None | Some("off") => Ok(AccessLog::Off),
            Some("stderr") => Ok(AccessLog::Stderr),
            Some(path) => std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map(|f| AccessLog::File(Arc::new(Mutex::new(f))))
                .map_err(|source| StartupError::AccessLog {
                    path: PathBuf::from(path),
                    source,
                }),
        }
    }

    fn write(&self, call: &Call, code: &str) {
        let duration_ms = call.started.elapsed().as_secs_f64() * 1000.0;
        match self {
            AccessLog::Off => {}
            AccessLog::Stderr => tracing::info!(
                target: "access",
                peer = %call.peer,
                method = %call.method,
                cluster = call.cluster.as_deref().unwrap_or("-"),
                code,
                duration_ms = format!("{duration_ms:.1}"),
                claimed_sub = %call.subject,
                token = %call.token,
            ),
            AccessLog::File(file) => {
                let line = format!(
                    "{} peer={} method={} cluster={} code={code} duration_ms={duration_ms:.1} claimed_sub={} token={}\n",
                    humantime::format_rfc3339_millis(SystemTime::now()),
                    call.peer,
                    call.method,
                    call.cluster.as_deref().unwrap_or("-"),
                    call.subject,
                    call.token
                );
                if let Ok(mut file) = file.lock() {
                    let _ = file.write_all(line.as_bytes());
                }
            }
        }
    }
}

/// Where a finished call goes: the access log's line, and `/metrics`' counters when served.
#[derive(Clone)]
pub struct Recorder {
    pub log: AccessLog,
    pub calls: Option<Arc<CallMetrics>>,
}

impl Recorder {
    fn finish(&self, call: &Call, code: &str) {
        self.log.write(call, code);
        if let Some(calls) = &self.calls {
            calls.record(
                call.cluster.as_deref(),
                &call.method,
                code,
                call.started.elapsed().as_secs_f64(),
            );
        }
    }
}

/// What is known of a call when it starts.
struct Call {
    peer: String,
    method: String,
    /// The cluster the call names (`x-openstorage-cluster`); none: the first cluster.
    cluster: Option<String>,
    subject: String,
    /// The first 8 bytes of the token's SHA-256 in hex, or `-`.
    token: String,
    started: Instant,
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("bearer ")
                .or_else(|| v.strip_prefix("Bearer "))
        })
}

/// Tells tokens apart in the log without showing them: the start of their SHA-256.
pub fn fingerprint(headers: &HeaderMap) -> String {
    use sha2::{Digest, Sha256};
    match bearer(headers) {
        Some(token) => Sha256::digest(token.as_bytes())[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
        None => "-".into(),
    }
}

/// The `sub` the bearer token claims, read without verifying it (the SDK layer or the cluster
/// does that), or `-` without a token. Only the claim is kept, never the token.
pub fn subject_of(headers: &HeaderMap) -> String {
    let claimed = bearer(headers)
        .and_then(|token| token.split('.').nth(1))
        .and_then(|payload| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(payload.trim_end_matches('='))
                .ok()
        })
        .and_then(|json| serde_json::from_slice::<serde_json::Value>(&json).ok())
        .and_then(|claims| {
            claims
                .get("sub")
                .and_then(|s| s.as_str())
                .map(str::to_string)
        });
    match claimed {
        // Printed in a line of key=value pairs: keep it to one token.
        Some(sub) => sub.replace(|c: char| c.is_whitespace() || c.is_control(), "_"),
        None if headers.contains_key(http::header::AUTHORIZATION) => "(unreadable token)".into(),
        None => "-".into(),
    }
}

/// The cluster a call names, kept to one printable token.
fn cluster_of(headers: &HeaderMap) -> Option<String> {
    let name = headers
        .get(console_model::CLUSTER_HEADER)?
        .to_str()
        .unwrap_or_default();
    Some(
        name.chars()
            .take(63)
            .map(|c| if c.is_ascii_graphic() { c } else { '_' })
            .collect(),
    )
}

/// The gRPC code's name, from a `grpc-status` value.
fn code_name(status: &str) -> String {
    status
        .parse::<i32>()
        .map(|n| format!("{:?}", tonic::Code::from_i32(n)))
        .unwrap_or_else(|_| format!("invalid({status})"))
}

pub async fn log_calls(State(log): State<Recorder>, req: Request, next: Next) -> Response {
    if matches!(log.log, AccessLog::Off) && log.calls.is_none() {
        return next.run(req).await;
    }
    let call = Call {
        token: fingerprint(req.headers()),
        peer: req
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map_or_else(|| "-".to_string(), |c| c.0.to_string()),
        method: req.uri().path().to_string(),
        cluster: cluster_of(req.headers()),
        subject: subject_of(req.headers()),
        started: Instant::now(),
    };
    let response = next.run(req).await;
    // Errors usually come as a trailers-only answer; otherwise the code is in the trailers.
    if let Some(status) = response
        .headers()
        .get("grpc-status")
        .and_then(|v| v.to_str().ok())
    {
        log.finish(&call, &code_name(status));
        return response;
    }
    response.map(|body| {
        Body::new(LoggedBody {
            inner: body,
            pending: Some((log, call)),
        })
    })
}

/// A response body that writes the call's line when its trailers (the gRPC status) pass, or
/// when it ends or is dropped without them.
struct LoggedBody {
    inner: Body,
    pending: Option<(Recorder, Call)>,
}

impl LoggedBody {
    fn finish(&mut self, code: &str) {
        if let Some((log, call)) = self.pending.take() {
            log.finish(&call, code);
        }
    }
}

impl http_body::Body for LoggedBody {
    type Data = axum::body::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        match &polled {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(status) = frame
                    .trailers_ref()
                    .and_then(|t| t.get("grpc-status"))
                    .and_then(|v| v.to_str().ok())
                {
                    let code = code_name(status);
                    self.finish(&code);
                }
            }
            Poll::Ready(Some(Err(_))) => self.finish("stream-error"),
            Poll::Ready(None) => self.finish("no-status"),
            Poll::Pending => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

impl Drop for LoggedBody {
    fn drop(&mut self) {
        self.finish("cancelled");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_auth(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(http::header::AUTHORIZATION, value.parse().unwrap());
        h
    }

    #[test]
    fn the_subject_is_read_from_the_token_and_nothing_else() {
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(br#"{"sub":"ada@example.com","name":"Ada"}"#);
        let token = format!("eyJhbGciOiJIUzI1NiJ9.{payload}.c2lnbmF0dXJl");
        assert_eq!(
            subject_of(&with_auth(&format!("bearer {token}"))),
            "ada@example.com"
        );
        assert_eq!(subject_of(&HeaderMap::new()), "-");
        assert_eq!(
            subject_of(&with_auth("bearer not-a-jwt")),
            "(unreadable token)"
        );
    }

    #[test]
    fn on_by_default_for_a_gateway_only() {
        assert!(matches!(
            AccessLog::open(None, true).unwrap(),
            AccessLog::Stderr
        ));
        assert!(matches!(
            AccessLog::open(None, false).unwrap(),
            AccessLog::Off
        ));
        assert!(matches!(
            AccessLog::open(Some("off"), true).unwrap(),
            AccessLog::Off
        ));
        assert!(matches!(
            AccessLog::open(Some("stderr"), false).unwrap(),
            AccessLog::Stderr
        ));
        let err = AccessLog::open(Some("/no/such/dir/access.log"), false).unwrap_err();
        assert!(err.to_string().contains("/no/such/dir/access.log"), "{err}");
    }

    #[test]
    fn tokens_are_told_apart_by_a_fingerprint_only() {
        let a = fingerprint(&with_auth("bearer token-a"));
        let b = fingerprint(&with_auth("bearer token-b"));
        assert_eq!(a.len(), 16);
        assert_ne!(a, b);
        assert!(!a.contains("token"));
        assert_eq!(fingerprint(&HeaderMap::new()), "-");
    }

    #[test]
    fn codes_are_named() {
        assert_eq!(code_name("0"), "Ok");
        assert_eq!(code_name("5"), "NotFound");
        assert_eq!(code_name("x"), "invalid(x)");
    }
}
