//! Command-line flags. Every flag is documented in the README; keep the two in step.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

#[derive(Debug, Clone, Parser)]
#[command(
    name = "console-server",
    version,
    about = "Serves OpenStorage Console and the OpenStorage SDK (gRPC and gRPC-Web) on one port, \
             answered by a built-in mock cluster"
)]
pub struct Config {
    /// Address to serve the console, native gRPC (h2c) and gRPC-Web on. Port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:9100", value_name = "ADDR")]
    pub listen: SocketAddr,

    /// Folder with the built console (trunk's output). Default: `dist/` when it exists; without
    /// it only the SDK is served.
    #[arg(long, value_name = "DIR")]
    pub ui: Option<PathBuf>,

    /// Name the built-in mock cluster reports.
    #[arg(long, default_value = "openstorage-mock", value_name = "NAME")]
    pub cluster_name: String,

    /// Log filter (tracing's env-filter syntax); the RUST_LOG variable takes precedence.
    #[arg(long, default_value = "info", value_name = "FILTER")]
    pub log: String,
}
