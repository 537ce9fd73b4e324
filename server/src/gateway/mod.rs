//! `--upstream`: console-server as a gRPC-Web gateway to a real SDK server. Every SDK call
//! (gRPC-Web already turned into gRPC by tonic-web, or native gRPC) is forwarded byte for byte
//! over HTTP/2: request metadata (the token above all) goes up unchanged, and the upstream's
//! status, message and trailers come back unchanged. Unary and streaming alike, and methods this
//! console does not know too.

mod tls;

use std::path::PathBuf;
use std::time::Duration;

use axum::body::Body as AxumBody;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use axum::Router;
use http::uri::{Authority, Scheme};
use http::Uri;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioTimer};

use crate::error::StartupError;
use crate::proto::open_storage_identity_client::OpenStorageIdentityClient;
use crate::proto::SdkIdentityVersionRequest;

type Https = hyper_rustls::HttpsConnector<HttpConnector>;

/// The pooled HTTP/2 client to the upstream, as a channel for generated gRPC clients.
pub type Channel = Client<Https, tonic::body::Body>;

/// How to reach the upstream, from the command line.
#[derive(Debug, Clone)]
pub struct UpstreamOptions {
    pub url: String,
    pub ca: Option<PathBuf>,
    pub insecure_skip_verify: bool,
}

/// The upstream SDK server and a pooled HTTP/2 client to it (reconnects by itself).
#[derive(Clone)]
pub struct Upstream {
    pub url: String,
    scheme: Scheme,
    authority: Authority,
    client: Channel,
    view_client: Channel,
}

impl Upstream {
    pub fn new(options: &UpstreamOptions) -> Result<Upstream, StartupError> {
        let bad = |why: &str| StartupError::Upstream {
            url: options.url.clone(),
            reason: why.to_string(),
        };
        let uri: Uri = options
            .url
            .trim_end_matches('/')
            .parse()
            .map_err(|_| bad("not a URL; use http://host:port or https://host:port"))?;
        let scheme = uri
            .scheme()
            .cloned()
            .ok_or_else(|| bad("the URL needs http:// or https://"))?;
        if scheme != Scheme::HTTP && scheme != Scheme::HTTPS {
            return Err(bad("only http:// and https:// upstreams are supported"));
        }
        if uri.path() != "/" && !uri.path().is_empty() {
            return Err(bad("give the scheme, host and port only, without a path"));
        }
        let authority = uri
            .authority()
            .cloned()
            .ok_or_else(|| bad("the URL has no host"))?;
        if scheme == Scheme::HTTP && (options.ca.is_some() || options.insecure_skip_verify) {
            return Err(bad(
                "--upstream-ca and --upstream-insecure-skip-verify need an https:// upstream",
            ));
        }
        let tls = tls::client_config(options.ca.as_deref(), options.insecure_skip_verify)
            .map_err(|reason| bad(&reason))?;
        // TCP_NODELAY upstream too: a forwarded unary call must not wait for a delayed ACK.
        let mut tcp = HttpConnector::new();
        tcp.enforce_http(false);
        tcp.set_nodelay(true);
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http2()
            .wrap_connector(tcp);
        // gRPC is HTTP/2 only; keep-alive pings notice a dead upstream between calls.
        let client = |connector: Https| {
            Client::builder(TokioExecutor::new())
                .timer(TokioTimer::new())
                .http2_only(true)
                .http2_keep_alive_interval(Duration::from_secs(30))
                .pool_idle_timeout(Duration::from_secs(90))
                .build(connector)
        };
        // The view's calls get their own connection: a large listing does not queue behind
        // (or in front of) the browsers' calls, and its failures do not cancel theirs.
        let view_client = client(connector.clone());
        let client = client(connector);
        Ok(Upstream {
            url: format!("{scheme}://{authority}"),
            scheme,
            authority,
            client,
            view_client,
        })
    }

    /// The router that forwards every SDK call.
    pub fn router(&self) -> Router {
        Router::new().fallback(forward).with_state(self.clone())
    }

    /// A channel and origin for the view's own calls to the upstream (listing, watch).
    pub fn channel(&self) -> (Channel, Uri) {
        let origin = Uri::builder()
            .scheme(self.scheme.clone())
            .authority(self.authority.clone())
            .path_and_query("/")
            .build()
            .expect("scheme and authority are valid");
        (self.view_client.clone(), origin)
    }

    /// Whether the upstream answers Identity.Version, for /healthz.
    pub async fn check(&self) -> Result<String, String> {
        self.check_with(self.client.clone()).await
    }

    /// The same check on the view's own connection, for the view's health.
    pub async fn check_on_view_connection(&self) -> Result<String, String> {
        self.check_with(self.view_client.clone()).await
    }

    async fn check_with(&self, channel: Channel) -> Result<String, String> {
        let origin: Uri = self.url.parse().map_err(|e| format!("{e}"))?;
        let mut client = OpenStorageIdentityClient::with_origin(channel, origin);
        let mut request = tonic::Request::new(SdkIdentityVersionRequest {});
        request
            .metadata_mut()
            .insert("grpc-timeout", "3S".parse().expect("valid"));
        let call = tokio::time::timeout(Duration::from_secs(4), client.version(request));
        match call.await {
            Err(_) => Err(format!("upstream {} did not answer within 4 s", self.url)),
            // It answered: a cluster whose guests may not ask is reachable all the same.
            Ok(Err(status))
                if matches!(
                    status.code(),
                    tonic::Code::Unauthenticated | tonic::Code::PermissionDenied
                ) =>
            {
                Ok(format!("answers, asks for a token: {}", status.message()))
            }
            Ok(Err(status)) => Err(format!("upstream {}: {}", self.url, status.message())),
            Ok(Ok(version)) => Ok(version.into_inner().sdk_version.map_or_else(
                || "unknown SDK version".to_string(),
                |v| format!("SDK {}", v.version),
            )),
        }
    }
}

/// Headers that belong to one hop, not to the call.
const HOP_BY_HOP: [&str; 5] = [
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "upgrade",
];

async fn forward(State(upstream): State<Upstream>, request: Request) -> Response {
    let (mut parts, body) = request.into_parts();
    let path = parts
        .uri
        .path_and_query()
        .cloned()
        .unwrap_or_else(|| "/".parse().expect("valid"));
    parts.uri = Uri::builder()
        .scheme(upstream.scheme.clone())
        .authority(upstream.authority.clone())
        .path_and_query(path)
        .build()
        .expect("scheme, authority and path are valid");
    parts.version = http::Version::HTTP_2;
    parts.headers.remove(http::header::HOST);
    // The browser's origin was checked here (web::guard); upstream, the gateway is the client.
    // Passing it on would make an upstream console-server judge it against its own address.
    parts.headers.remove(http::header::ORIGIN);
    parts.headers.remove(http::header::REFERER);
    for name in HOP_BY_HOP {
        parts.headers.remove(name);
    }
    let request = http::Request::from_parts(parts, tonic::body::Body::new(body));
    match upstream.client.request(request).await {
        Ok(response) => response.map(AxumBody::new).into_response(),
        Err(err) => {
            let reason =
                std::error::Error::source(&err).map_or_else(|| err.to_string(), |s| s.to_string());
            tracing::warn!(upstream = %upstream.url, error = %reason, "upstream call failed");
            tonic::Status::unavailable(format!(
                "the upstream SDK server {} is unreachable: {reason}",
                upstream.url
            ))
            .into_http::<tonic::body::Body>()
            .into_response()
        }
    }
}
