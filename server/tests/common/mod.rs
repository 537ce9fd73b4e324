//! Starts the real console-server binary on a free loopback port and connects clients to it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use console_server::proto::open_storage_cluster_client::OpenStorageClusterClient;
use console_server::proto::open_storage_identity_client::OpenStorageIdentityClient;
use console_server::proto::open_storage_node_client::OpenStorageNodeClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client as HttpClient;
use hyper_util::rt::TokioExecutor;
use tonic::transport::Channel;
use tonic_web::{GrpcWebClientLayer, GrpcWebClientService};

pub const BINARY: &str = env!("CARGO_BIN_EXE_console-server");

/// A running console-server, killed when dropped (pass or fail).
pub struct TestServer {
    child: Child,
    pub addr: SocketAddr,
}

impl TestServer {
    pub fn start(args: &[&str]) -> TestServer {
        Self::start_in(args, Path::new(env!("CARGO_MANIFEST_DIR")))
    }

    /// Starts with `dir` as the working directory (it decides the default `dist/`).
    pub fn start_in(args: &[&str], dir: &Path) -> TestServer {
        let mut child = Command::new(BINARY)
            .args(["--listen", "127.0.0.1:0", "--log", "warn"])
            .args(args)
            .current_dir(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("console-server starts");
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let deadline = Instant::now() + Duration::from_secs(20);
        let addr = loop {
            assert!(
                Instant::now() < deadline,
                "console-server did not print its address"
            );
            let line = lines
                .next()
                .expect("console-server exited before listening")
                .unwrap();
            if let Some(url) = line.split("listening on http://").nth(1) {
                break url.trim().parse().expect("an address");
            }
        };
        TestServer { child, addr }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Native gRPC (HTTP/2 over plain TCP) to the server.
    pub async fn channel(&self) -> Channel {
        Channel::from_shared(self.url())
            .unwrap()
            .connect()
            .await
            .expect("native gRPC connects")
    }

    /// gRPC-Web over HTTP/1.1, as browsers speak it.
    pub fn grpc_web(&self) -> GrpcWeb {
        let http = HttpClient::builder(TokioExecutor::new()).build_http();
        let svc = tower::ServiceBuilder::new()
            .layer(GrpcWebClientLayer::new())
            .service(http);
        GrpcWeb {
            svc,
            origin: self.url().parse().unwrap(),
        }
    }

    pub fn wait_exit(&mut self, timeout: Duration) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

type WebService =
    GrpcWebClientService<HttpClient<HttpConnector, tonic_web::GrpcWebCall<tonic::body::Body>>>;

/// Generated clients over gRPC-Web/HTTP1.1.
pub struct GrpcWeb {
    svc: WebService,
    origin: http::Uri,
}

impl GrpcWeb {
    pub fn identity(&self) -> OpenStorageIdentityClient<WebService> {
        OpenStorageIdentityClient::with_origin(self.svc.clone(), self.origin.clone())
    }
    pub fn cluster(&self) -> OpenStorageClusterClient<WebService> {
        OpenStorageClusterClient::with_origin(self.svc.clone(), self.origin.clone())
    }
    pub fn node(&self) -> OpenStorageNodeClient<WebService> {
        OpenStorageNodeClient::with_origin(self.svc.clone(), self.origin.clone())
    }
}

/// Plain HTTP/1.1 GET, for the static console files.
pub async fn http_get(url: &str) -> http::Response<Vec<u8>> {
    http_request(http::Request::get(url).body(String::new()).unwrap()).await
}

pub async fn http_request(req: http::Request<String>) -> http::Response<Vec<u8>> {
    use http_body_util::BodyExt;
    let client = HttpClient::builder(TokioExecutor::new()).build_http::<String>();
    let res = client.request(req).await.expect("HTTP request");
    let (parts, body) = res.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes().to_vec();
    http::Response::from_parts(parts, bytes)
}
