//! HTTPS for the listener (--tls-cert/--tls-key): the console, gRPC-Web and native gRPC over
//! TLS on the same port, HTTP/2 and HTTP/1.1 negotiated by ALPN.

use std::future::Future;
use std::path::Path;
use std::time::Duration;

use std::net::SocketAddr;

use axum::extract::connect_info::IntoMakeServiceWithConnectInfo;
use axum::Router;
use axum_server::accept::NoDelayAcceptor;
use axum_server::tls_rustls::{RustlsAcceptor, RustlsConfig};
use tokio::net::TcpListener;

use crate::error::StartupError;

pub async fn load(cert: &Path, key: &Path) -> Result<RustlsConfig, StartupError> {
    // rustls needs one process-wide crypto provider; ring builds without a C toolchain beyond cc.
    let _ = rustls::crypto::ring::default_provider().install_default();
    RustlsConfig::from_pem_file(cert, key)
        .await
        .map_err(|err| StartupError::Tls {
            cert: cert.display().to_string(),
            key: key.display().to_string(),
            reason: err.to_string(),
        })
}

pub async fn serve(
    listener: TcpListener,
    config: RustlsConfig,
    app: IntoMakeServiceWithConnectInfo<Router, SocketAddr>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartupError> {
    let handle = axum_server::Handle::new();
    let stopper = handle.clone();
    tokio::spawn(async move {
        shutdown.await;
        stopper.graceful_shutdown(Some(Duration::from_secs(5)));
    });
    let listener = listener.into_std().map_err(StartupError::Serve)?;
    // TCP_NODELAY, as on the plain listener.
    let acceptor = RustlsAcceptor::new(config).acceptor(NoDelayAcceptor::new());
    axum_server::from_tcp(listener)
        .map_err(StartupError::Serve)?
        .acceptor(acceptor)
        .handle(handle)
        .serve(app)
        .await
        .map_err(StartupError::Serve)
}
