//! OpenStorage Console's server: the built app, gRPC-Web and native gRPC on one port, answered
//! by a built-in mock cluster.

pub mod config;
pub mod error;
pub mod mock;
pub mod proto;
pub mod serve;
pub mod ui;

use tokio::net::TcpListener;

use crate::config::Config;
use crate::error::StartupError;

/// Binds, prints the URL and serves until Ctrl-C or SIGTERM.
pub async fn run(config: Config) -> Result<(), StartupError> {
    let ui = ui::UiDir::resolve(config.ui.as_deref())?;
    let cluster = mock::MockCluster::new(&config.cluster_name);
    let app = serve::app(cluster.routes(), ui.clone());

    let listener = bind(config.listen).await?;
    let addr = listener.local_addr().map_err(StartupError::Serve)?;
    match &ui {
        Some(dir) => tracing::info!(ui = %dir.path().display(), "serving the console"),
        None => tracing::warn!(
            "no built console found (run `make build` or pass --ui DIR); serving the SDK only"
        ),
    }
    tracing::info!(cluster = %cluster.id(), "built-in mock cluster ready");
    // Scripts and tests read this line to learn the address (port 0 picks a free one).
    println!("console-server listening on http://{addr}");

    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(StartupError::Serve)?;
    tracing::info!("stopped");
    Ok(())
}

async fn bind(addr: std::net::SocketAddr) -> Result<TcpListener, StartupError> {
    TcpListener::bind(addr).await.map_err(|source| {
        if source.kind() == std::io::ErrorKind::AddrInUse {
            StartupError::AddressInUse { addr }
        } else {
            StartupError::Bind { addr, source }
        }
    })
}

/// Resolves on Ctrl-C or SIGTERM (what `docker stop` and process managers send).
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut sig) => {
                sig.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
