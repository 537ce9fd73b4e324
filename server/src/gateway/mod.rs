//! `--upstream`: console-server as a gRPC-Web gateway to a real SDK server. Every SDK call
//! (gRPC-Web already turned into gRPC by tonic-web, or native gRPC) is forwarded byte for byte
//! over HTTP/2: request metadata (the token above all) goes up unchanged, and the upstream's
//! status, message and trailers come back unchanged. Unary and streaming alike, and methods this
//! console does not know too.

pub mod changes;
pub mod service_token;
pub mod shared_reads;
mod tls;

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body as AxumBody;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use axum::Router;
use http::uri::{Authority, Scheme};
use http::Uri;
use http_body::Frame;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioTimer};

use crate::error::StartupError;
use crate::proto::open_storage_identity_client::OpenStorageIdentityClient;
use crate::proto::SdkIdentityVersionRequest;

type Https = hyper_rustls::HttpsConnector<HttpConnector>;

/// The pooled HTTP/2 client to the upstream, as a channel for generated gRPC clients.
pub type Channel = Client<Https, tonic::body::Body>;

/// Called with the id of a volume a forwarded call changed, once the upstream said it
/// succeeded; the answer goes back to the caller when the returned future is done.
pub type AfterChange =
    Arc<dyn Fn(String) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

/// The channel console-server's own calls use (the view, the sampler, health): its own
/// connection, and the service token when there is one.
#[derive(Clone)]
pub struct ServiceChannel {
    client: Channel,
    token: Option<service_token::ServiceToken>,
}

impl tower::Service<http::Request<tonic::body::Body>> for ServiceChannel {
    type Response = <Channel as tower::Service<http::Request<tonic::body::Body>>>::Response;
    type Error = <Channel as tower::Service<http::Request<tonic::body::Body>>>::Error;
    type Future = <Channel as tower::Service<http::Request<tonic::body::Body>>>::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        tower::Service::poll_ready(&mut self.client, cx)
    }

    fn call(&mut self, mut request: http::Request<tonic::body::Body>) -> Self::Future {
        if let Some(token) = &self.token {
            request
                .headers_mut()
                .insert(http::header::AUTHORIZATION, token.header());
        }
        tower::Service::call(&mut self.client, request)
    }
}

/// How to reach the upstream, from the command line.
#[derive(Debug, Clone)]
pub struct UpstreamOptions {
    pub url: String,
    pub ca: Option<PathBuf>,
    pub insecure_skip_verify: bool,
    /// The token console-server's own calls carry (`--upstream-token-file`).
    pub service_token: Option<service_token::ServiceToken>,
}

/// The upstream SDK server and a pooled HTTP/2 client to it (reconnects by itself).
#[derive(Clone)]
pub struct Upstream {
    pub url: String,
    scheme: Scheme,
    authority: Authority,
    client: Channel,
    view_client: ServiceChannel,
    after_change: Option<AfterChange>,
    shared_reads: Arc<shared_reads::SharedReads>,
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
        let view_client = ServiceChannel {
            client: client(connector.clone()),
            token: options.service_token.clone(),
        };
        let client = client(connector);
        Ok(Upstream {
            url: format!("{scheme}://{authority}"),
            scheme,
            authority,
            client,
            view_client,
            after_change: None,
            shared_reads: Arc::default(),
        })
    }

    /// Whether console-server reads the cluster with a token of its own.
    pub fn has_service_token(&self) -> bool {
        self.view_client.token.is_some()
    }

    /// Tells `after_change` of every volume a forwarded call changes.
    pub fn with_after_change(mut self, after_change: AfterChange) -> Upstream {
        self.after_change = Some(after_change);
        self
    }

    /// The router that forwards every SDK call.
    pub fn router(&self) -> Router {
        Router::new().fallback(forward).with_state(self.clone())
    }

    fn origin(&self) -> Uri {
        Uri::builder()
            .scheme(self.scheme.clone())
            .authority(self.authority.clone())
            .path_and_query("/")
            .build()
            .expect("scheme and authority are valid")
    }

    /// A channel and origin for console-server's own calls to the upstream (listing, watch,
    /// samples), with the service token when there is one.
    pub fn channel(&self) -> (ServiceChannel, Uri) {
        (self.view_client.clone(), self.origin())
    }

    /// A channel and origin for calls made with a browser's own token (checking who it is).
    pub fn caller_channel(&self) -> (Channel, Uri) {
        (self.client.clone(), self.origin())
    }

    /// Whether the upstream answers Identity.Version, asked on console-server's own connection
    /// (with the service token when there is one). Asked only through the cluster's `Health`.
    pub async fn check(&self) -> Result<String, String> {
        let mut client =
            OpenStorageIdentityClient::with_origin(self.view_client.clone(), self.origin());
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
    let changing = upstream
        .after_change
        .clone()
        .zip(changes::changing(path.path()));
    let shared = shared_reads::shared(path.path());
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
    if let Some((after_change, named)) = changing {
        return forward_change(&upstream, parts, body, after_change, named).await;
    }
    if shared {
        return forward_shared(&upstream, parts, body).await;
    }
    let request = http::Request::from_parts(parts, tonic::body::Body::new(body));
    match upstream.client.request(request).await {
        Ok(response) => response.map(AxumBody::new).into_response(),
        Err(err) => unreachable_upstream(&upstream, &err),
    }
}

/// A call that changes a volume is unary and small: read it whole, forward it, read the
/// answer whole, and let the view look at the volume before the caller hears back.
async fn forward_change(
    upstream: &Upstream,
    parts: http::request::Parts,
    body: AxumBody,
    after_change: AfterChange,
    named: changes::Named,
) -> Response {
    let sent = match read_request(body).await {
        Ok(sent) => sent,
        Err(response) => return response,
    };
    let named_in_request = (named == changes::Named::Request)
        .then(|| changes::volume_id(&sent))
        .flatten();
    let answer = match send_whole(upstream, parts, sent).await {
        Ok(answer) => answer,
        Err(response) => return response,
    };
    if answer.succeeded() {
        // What tabs were shared before the change is no longer the cluster.
        upstream.shared_reads.forget();
        let id = match named {
            changes::Named::Request => named_in_request,
            changes::Named::Response => changes::volume_id(&answer.data),
        };
        if let Some(id) = id {
            after_change(id).await;
        }
    }
    answer.into_response()
}

/// A listing: the same call with the same token shares one answer (`shared_reads`).
async fn forward_shared(
    upstream: &Upstream,
    parts: http::request::Parts,
    body: AxumBody,
) -> Response {
    let sent = match read_request(body).await {
        Ok(sent) => sent,
        Err(response) => return response,
    };
    let authorization = parts.headers.get(http::header::AUTHORIZATION).cloned();
    let slot = upstream.shared_reads.slot(authorization, sent.clone());
    // A failure to reach the cluster is this caller's alone: the next one tries again.
    let answer = slot
        .get_or_try_init(|| send_whole(upstream, parts, sent))
        .await;
    match answer {
        Ok(answer) => answer.clone().into_response(),
        Err(response) => response,
    }
}

async fn read_request(body: AxumBody) -> Result<bytes::Bytes, Response> {
    body.collect().await.map(|b| b.to_bytes()).map_err(|err| {
        tonic::Status::cancelled(format!("the request was cut short: {err}"))
            .into_http::<tonic::body::Body>()
            .into_response()
    })
}

/// Sends a whole request and reads the whole answer.
async fn send_whole(
    upstream: &Upstream,
    parts: http::request::Parts,
    sent: bytes::Bytes,
) -> Result<shared_reads::Answer, Response> {
    let request = http::Request::from_parts(parts, tonic::body::Body::new(Full::new(sent)));
    let response = upstream
        .client
        .request(request)
        .await
        .map_err(|err| unreachable_upstream(upstream, &err))?;
    let (parts, body) = response.into_parts();
    let answer = body.collect().await.map_err(|err| {
        tonic::Status::unavailable(format!(
            "the upstream SDK server {} broke off its answer: {err}",
            upstream.url
        ))
        .into_http::<tonic::body::Body>()
        .into_response()
    })?;
    let trailers = answer.trailers().cloned();
    Ok(shared_reads::Answer {
        status: parts.status,
        headers: parts.headers,
        data: answer.to_bytes(),
        trailers,
    })
}

impl shared_reads::Answer {
    /// Whether the cluster answered OK (grpc-status 0, in the trailers or a trailers-only
    /// answer's headers).
    fn succeeded(&self) -> bool {
        [Some(&self.headers), self.trailers.as_ref()]
            .into_iter()
            .flatten()
            .find_map(|headers| headers.get("grpc-status"))
            .is_some_and(|code| code == "0")
    }

    fn into_response(self) -> Response {
        // No empty data frame: an error answered in headers alone (trailers-only) must stay
        // so, or gRPC's C core (the Python SDK) reads the stream as broken.
        let data = (!self.data.is_empty()).then(|| Frame::data(self.data));
        let frames: Vec<Result<_, std::convert::Infallible>> = data
            .into_iter()
            .chain(self.trailers.map(Frame::trailers))
            .map(Ok)
            .collect();
        let body = if frames.is_empty() {
            AxumBody::empty()
        } else {
            AxumBody::new(StreamBody::new(tokio_stream::iter(frames)))
        };
        let mut response = Response::new(body);
        *response.status_mut() = self.status;
        *response.headers_mut() = self.headers;
        response
    }
}

fn unreachable_upstream(upstream: &Upstream, err: &hyper_util::client::legacy::Error) -> Response {
    let reason = std::error::Error::source(err).map_or_else(|| err.to_string(), |s| s.to_string());
    tracing::warn!(upstream = %upstream.url, error = %reason, "upstream call failed");
    tonic::Status::unavailable(format!(
        "the upstream SDK server {} is unreachable: {reason}",
        upstream.url
    ))
    .into_http::<tonic::body::Body>()
    .into_response()
}
