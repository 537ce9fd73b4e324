//! Protective headers on every response: a Content-Security-Policy the console runs under (no
//! inline script but the app's loader, pinned by its hash; wasm allowed to compile), no framing
//! (the delete buttons cannot be clickjacked), no MIME sniffing, no referrer.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use http::header::{
    HeaderName, HeaderValue, CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use sha2::{Digest, Sha256};

/// The policy for the console's pages. `connect-src` allows any http(s) endpoint because the
/// settings page may point the console at another gRPC-Web endpoint.
pub fn content_security_policy(inline_scripts: &[String]) -> String {
    let hashes: String = inline_scripts
        .iter()
        .map(|script| {
            let digest = Sha256::digest(script.as_bytes());
            format!(
                " 'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self'; \
         img-src 'self' data:; connect-src 'self' http: https:; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The text of every inline `<script>` in a page (the app's module loader), for their hashes.
pub fn inline_scripts(html: &str) -> Vec<String> {
    let mut scripts = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let tag = &after[..open_end];
        let body = &after[open_end + 1..];
        let Some(close) = body.find("</script>") else {
            break;
        };
        if !tag.contains("src=") {
            scripts.push(body[..close].to_string());
        }
        rest = &body[close..];
    }
    scripts
}

/// Adds the headers to every response, and to pages (HTML) that carry no policy of their own
/// (the console's page carries one pinned to its loader) the strictest one.
pub async fn secure(State(csp): State<Arc<HeaderValue>>, req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let html = response
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("text/html"));
    let headers = response.headers_mut();
    if html && !headers.contains_key(CONTENT_SECURITY_POLICY) {
        headers.insert(CONTENT_SECURITY_POLICY, (*csp).clone());
    }
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_found_and_hashed() {
        let html =
            r#"<head><script type="module">init();</script><script src="/a.js"></script></head>"#;
        assert_eq!(inline_scripts(html), vec!["init();".to_string()]);
        let csp = content_security_policy(&inline_scripts(html));
        // printf 'init();' | openssl dgst -sha256 -binary | base64
        assert!(
            csp.contains("'sha256-GEnM5q1nYY/iACnyMTdov+tNp9OFcBnnDgNXUXaVNXc='"),
            "{csp}"
        );
        assert!(csp.contains("'wasm-unsafe-eval'"));
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("unsafe-inline"));
    }
}
