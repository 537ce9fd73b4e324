//! HTTPS for the listener (--tls-cert/--tls-key): the console, gRPC-Web and native gRPC over
//! TLS on the same port, HTTP/2 and HTTP/1.1 negotiated by ALPN.

use std::path::Path;

use axum_server::tls_rustls::RustlsConfig;

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
