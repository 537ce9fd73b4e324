//! gRPC-Web transport for the generated clients, turning browser-level failures into gRPC
//! statuses (UNAVAILABLE, DEADLINE_EXCEEDED) so the rest of the console has one error path.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use http::{Request, Response};
use tonic::body::Body;
use tonic_web_wasm_client::options::FetchOptions;
use tonic_web_wasm_client::{Client, Error, ResponseBody};
use tower_service::Service;

#[derive(Debug, Clone)]
pub struct Transport {
    client: Client,
    endpoint: String,
    /// Set when the token has expired: calls fail at once with UNAUTHENTICATED.
    refuse: Option<String>,
}

impl Transport {
    /// `deadline` also aborts the fetch in the browser, so a hung server cannot hang the page.
    pub fn new(endpoint: &str, deadline: Duration, refuse: Option<String>) -> Self {
        // A little beyond the server-side deadline, so the server's own answer wins when it has one.
        let options = FetchOptions::new().timeout(deadline + Duration::from_secs(1));
        Transport {
            client: Client::new_with_options(endpoint.to_string(), options),
            endpoint: endpoint.to_string(),
            refuse,
        }
    }
}

impl Transport {
    /// For a long-lived stream (the view's watch): no fetch timeout, which would cut it off.
    pub fn streaming(endpoint: &str, refuse: Option<String>) -> Self {
        Transport {
            client: Client::new_with_options(endpoint.to_string(), FetchOptions::new()),
            endpoint: endpoint.to_string(),
            refuse,
        }
    }
}

impl Service<Request<Body>> for Transport {
    type Response = Response<ResponseBody>;
    type Error = tonic::Status;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>>>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        if let Some(reason) = self.refuse.clone() {
            return Box::pin(async move { Err(tonic::Status::unauthenticated(reason)) });
        }
        let call = self.client.call(request);
        let endpoint = self.endpoint.clone();
        Box::pin(async move { call.await.map_err(|err| to_status(&endpoint, err)) })
    }
}

fn to_status(endpoint: &str, err: Error) -> tonic::Status {
    match err {
        Error::TonicStatusError(status) => status,
        Error::JsError(msg) if msg.contains("Abort") || msg.contains("Timeout") => {
            tonic::Status::deadline_exceeded(format!("{endpoint} did not answer in time"))
        }
        Error::JsError(msg) => tonic::Status::unavailable(format!("{endpoint} ({msg})")),
        Error::InvalidContentType(_) | Error::MissingContentTypeHeader => {
            tonic::Status::unavailable(format!(
                "{endpoint} did not answer as an OpenStorage SDK gRPC-Web endpoint"
            ))
        }
        other => tonic::Status::unknown(format!("{endpoint}: {other}")),
    }
}
