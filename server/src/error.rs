//! Start-up failures, each worded as what happened and what to do about it.

use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("cannot open the access log {path}: {source}")]
    AccessLog {
        path: std::path::PathBuf,
        source: std::io::Error,
    },

    #[error(
        "{addr} is already in use; stop the process using it or pass another address with --listen"
    )]
    AddressInUse { addr: SocketAddr },

    #[error("cannot listen on {addr}: {source}; pass another address with --listen")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },

    #[error("--ui {} has no index.html; build the console with `make build` or point --ui at trunk's dist folder", dir.display())]
    UiWithoutIndex { dir: PathBuf },

    #[error("cannot load the TLS certificate or key ({cert}, {key}): {reason}; pass PEM files to --tls-cert and --tls-key")]
    Tls {
        cert: String,
        key: String,
        reason: String,
    },

    #[error("--upstream {url}: {reason}")]
    Upstream { url: String, reason: String },

    #[error("{flag} {path}: {reason}")]
    SecretFile {
        flag: &'static str,
        path: String,
        reason: String,
    },

    #[error("--oidc-issuer {issuer}: {reason}")]
    OidcIssuer { issuer: String, reason: String },

    #[error("--oidc-cluster {0}: no cluster of that name is served")]
    UnknownSsoCluster(String),

    #[error("--upstream-token-file {path}: {reason}")]
    ServiceToken { path: String, reason: String },

    #[error("--jwt-shared-secret is for the built-in mock; with --upstream the upstream SDK server checks tokens (they are passed through), so drop one of the two")]
    AuthWithUpstream,

    #[error("--upstream {0}: with several upstreams, name each one as NAME=URL (e.g. --upstream prod=https://px.example.com:9020)")]
    UnnamedUpstream(String),

    #[error("{flag} {value}: with several upstreams, say which cluster it is for as NAME={value}")]
    UnnamedOption { flag: &'static str, value: String },

    #[error("{flag} {name}=…: no --upstream is named {name}")]
    UnknownCluster { flag: &'static str, name: String },

    #[error("{flag} {name}: no cluster is named {name}")]
    NoSuchCluster { flag: &'static str, name: String },

    #[error("--prometheus {url}: {reason}")]
    Prometheus { url: String, reason: String },

    #[error("{flag} for cluster {name}: give one of --prometheus-token-file and --prometheus-basic-auth-file")]
    TwoPrometheusCredentials { flag: &'static str, name: String },

    #[error("two clusters are named {0}: give each --upstream and --mock its own name")]
    ClusterNamedTwice(String),

    #[error("--fail-node {0}: the mock has nodes 1 to 3 (storage-node-1 to storage-node-3)")]
    UnknownNode(String),

    #[error("server stopped: {0}")]
    Serve(std::io::Error),
}

/// An error in words with its causes: reqwest's own words hide the cause (connection
/// refused) a level or two down.
pub fn with_causes(err: &dyn std::error::Error) -> String {
    let mut words = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        words = format!("{words}: {cause}");
        source = cause.source();
    }
    words
}
