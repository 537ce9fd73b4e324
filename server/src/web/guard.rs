//! Who may talk to the console from a browser.
//!
//! - **Hosts**: a request must name a host the server answers for (an IP literal, the localhost
//!   names when listening on loopback, or a `--allowed-host`). A hostile DNS name that resolves
//!   to the console's address (DNS rebinding) is refused, as Vite and webpack-dev-server do.
//! - **Origins**: a browser request from another origin is refused unless that origin was given
//!   with `--allow-origin`; CORS preflights answer only for those origins.
//!
//! Native gRPC clients (HTTP/2 `application/grpc`, which no browser page can send without TLS,
//! where a rebound name fails the certificate check) are not browsers and are not checked.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::{CONTENT_TYPE, HOST, ORIGIN};
use http::{StatusCode, Version};

/// The hosts and origins the server answers.
#[derive(Debug, Clone)]
pub struct Policy {
    listen: SocketAddr,
    hosts: Vec<String>,
    origins: Vec<String>,
}

impl Policy {
    pub fn new(listen: SocketAddr, hosts: &[String], origins: &[String]) -> Policy {
        Policy {
            listen,
            hosts: hosts
                .iter()
                .map(|h| h.trim().to_ascii_lowercase())
                .collect(),
            origins: origins.iter().map(|o| normalize_origin(o)).collect(),
        }
    }

    /// The origins given with `--allow-origin`, as browsers send them.
    pub fn extra_origins(&self) -> &[String] {
        &self.origins
    }

    /// Whether a `Host` (or HTTP/2 `:authority`) value names this server.
    pub fn allows_host(&self, host: &str) -> bool {
        let name = host_name(host);
        if name.parse::<IpAddr>().is_ok() {
            // An address cannot be rebound to another one.
            return true;
        }
        let local_listen = self.listen.ip().is_loopback() || self.listen.ip().is_unspecified();
        if local_listen && (name == "localhost" || name.ends_with(".localhost")) {
            return true;
        }
        self.hosts.contains(&name)
    }

    /// Whether a request with this `Origin`, sent to `host`, may be answered: the console's
    /// own origin, or one given with `--allow-origin`.
    pub fn allows_origin(&self, origin: &str, host: &str) -> bool {
        let origin = normalize_origin(origin);
        let same = origin
            .split_once("://")
            .is_some_and(|(_, authority)| authority.eq_ignore_ascii_case(host));
        same || self.origins.contains(&origin)
    }
}

/// `Example.COM:9100` → `example.com`; `[::1]:9100` → `::1`.
fn host_name(host: &str) -> String {
    let host = host.trim().to_ascii_lowercase();
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split(']').next().unwrap_or_default().to_string();
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name.to_string(),
        _ => host,
    }
    .trim_end_matches('.')
    .to_string()
}

fn normalize_origin(origin: &str) -> String {
    origin.trim().trim_end_matches('/').to_ascii_lowercase()
}

fn is_native_grpc(req: &Request) -> bool {
    let content_type = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    req.version() == Version::HTTP_2
        && content_type.starts_with("application/grpc")
        && !content_type.starts_with("application/grpc-web")
}

/// Refuses requests for hosts the server does not answer for, and browser requests from
/// origins it does not serve.
pub async fn guard(State(policy): State<Arc<Policy>>, req: Request, next: Next) -> Response {
    let host = req
        .headers()
        .get(HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| req.uri().authority().map(|a| a.to_string()))
        .unwrap_or_default();
    // Native clients skip the Host check only: they send no Origin, so a translated browser
    // call (a gRPC-Web proxy in front) still meets the Origin check below.
    if !is_native_grpc(&req) && !policy.allows_host(&host) {
        tracing::warn!(%host, "refused a request for a host this server does not answer for");
        return refuse(format!(
            "console-server does not answer for the host {host:?}. If that name is yours, start \
             console-server with --allowed-host {}.\n",
            host_name(&host)
        ));
    }
    if let Some(origin) = req.headers().get(ORIGIN) {
        // Not text: not an origin this server serves.
        let origin = origin.to_str().unwrap_or("(not text)");
        if !policy.allows_origin(origin, &host) {
            tracing::warn!(%origin, "refused a request from another origin");
            return refuse(format!(
                "console-server does not accept calls from pages of {origin}. To allow that \
                 origin, start console-server with --allow-origin {origin}.\n"
            ));
        }
    }
    next.run(req).await
}

fn refuse(message: String) -> Response {
    (StatusCode::FORBIDDEN, message).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(listen: &str, hosts: &[&str], origins: &[&str]) -> Policy {
        let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        Policy::new(listen.parse().unwrap(), &strings(hosts), &strings(origins))
    }

    #[test]
    fn addresses_and_local_names_are_answered_on_loopback() {
        let p = policy("127.0.0.1:9100", &[], &[]);
        for host in [
            "127.0.0.1:9100",
            "localhost:9100",
            "LOCALHOST",
            "app.localhost:9100",
            "[::1]:9100",
            "10.0.0.5",
        ] {
            assert!(p.allows_host(host), "{host}");
        }
    }

    #[test]
    fn other_names_need_allowed_host() {
        let p = policy("127.0.0.1:9100", &[], &[]);
        assert!(!p.allows_host("evil.example:9100"));
        assert!(!p.allows_host("localhost.evil.example:9100"));
        let p = policy("0.0.0.0:9100", &["Console.Corp"], &[]);
        assert!(p.allows_host("console.corp:9100"));
        assert!(p.allows_host("console.corp."));
        assert!(!p.allows_host("other.corp"));
    }

    #[test]
    fn localhost_names_are_not_answered_off_loopback() {
        let p = policy("10.0.0.5:9100", &[], &[]);
        assert!(!p.allows_host("localhost:9100"));
        assert!(p.allows_host("10.0.0.5:9100"));
    }

    #[test]
    fn same_origin_and_listed_origins_only() {
        let p = policy("127.0.0.1:9100", &[], &["http://localhost:8080/"]);
        assert!(p.allows_origin("http://127.0.0.1:9100", "127.0.0.1:9100"));
        assert!(p.allows_origin("https://LOCALHOST:9100", "localhost:9100"));
        assert!(p.allows_origin("http://localhost:8080", "127.0.0.1:9100"));
        assert!(!p.allows_origin("https://evil.example", "127.0.0.1:9100"));
        assert!(!p.allows_origin("null", "127.0.0.1:9100"));
        assert!(!p.allows_origin("http://127.0.0.1:9101", "127.0.0.1:9100"));
    }
}
