//! OpenStorage Console's server: the built app, gRPC-Web and native gRPC on one port, answered
//! by a built-in mock cluster.

pub mod access;
pub mod config;
pub mod error;
pub mod fleet;
pub mod gateway;
pub mod health;
pub mod history;
pub mod mock;
pub mod observe;
pub mod oidc;
pub mod pace;
pub mod proto;
pub mod secret_file;
pub mod serve;
pub mod sso;
pub mod status;
mod tls;
pub mod ui;
pub mod unix_time;
pub mod volume_view;
pub mod web;

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;

use crate::config::Config;
use crate::error::StartupError;

/// Binds, prints the URL and serves until Ctrl-C or SIGTERM.
pub async fn run(config: Config) -> Result<(), StartupError> {
    let ui = ui::UiDir::resolve(config.ui.as_deref())?;
    let latency = std::time::Duration::from_millis(config.latency);
    let provider = oidc_provider(&config).await?;
    let trust = provider.clone().map(|provider| access::OidcTrust {
        provider,
        namespace: config.oidc_custom_claim_namespace.clone(),
        username: config.oidc_username_claim,
    });
    let clusters = fleet::start(&config, trust)?;
    let sso = match provider {
        Some(provider) => Some(Arc::new(single_sign_on(&config, provider, &clusters)?)),
        None => None,
    };
    let gateway = clusters.iter().any(|c| c.health.is_upstream());
    // `/metrics` on its own listener, when asked for: never on the console's port.
    let observer = match config.metrics_listen {
        Some(addr) => {
            let listener = bind(addr).await?;
            let at = listener.local_addr().map_err(StartupError::Serve)?;
            let observer = Arc::new(observe::Observer::new(
                &clusters,
                &config.clusters_exporting,
            ));
            observe::serve(listener, observer.clone());
            // Tests and scripts read this line for the address (port 0 picks a free one).
            println!("console-server metrics on http://{at}/metrics");
            Some(observer)
        }
        None => None,
    };
    let exposure = serve::Exposure {
        latency,
        policy: Arc::new(web::guard::Policy::new(
            config.listen,
            &config.allowed_hosts,
            &config.allow_origins,
        )),
        calls: web::access_log::Recorder {
            log: web::access_log::AccessLog::open(config.access_log.as_deref(), gateway)?,
            calls: observer.as_ref().map(|o| o.calls()),
        },
        max_request_size: config.max_request_size,
    };
    let health = clusters
        .iter()
        .map(|c| (c.name.clone(), c.health.clone()))
        .collect();
    let app = serve::app(fleet::router(&clusters), ui.clone(), health, exposure, sso)
        .into_make_service_with_connect_info::<SocketAddr>();
    let tls = match (&config.tls_cert, &config.tls_key) {
        (Some(cert), Some(key)) => Some(tls::load(cert, key).await?),
        _ => None,
    };

    let listener = bind(config.listen).await?;
    let addr = listener.local_addr().map_err(StartupError::Serve)?;
    match &ui {
        Some(dir) => tracing::info!(ui = %dir.path().display(), "serving the console"),
        None => tracing::warn!(
            "no built console found (run `make build` or pass --ui DIR); serving the SDK only"
        ),
    }
    for cluster in &clusters {
        tracing::info!("{}", cluster.what);
    }
    let scheme = if tls.is_some() { "https" } else { "http" };
    let shutdown = shutdown_signal();
    // Scripts and tests read this line to learn the address (port 0 picks a free one).
    println!("console-server listening on {scheme}://{addr}");

    // On Ctrl-C or SIGTERM, calls in flight may finish; streams that never end by themselves
    // (a browser's or a gateway's watch) are cut after a few seconds, so stopping never hangs.
    let limits = web::connections::Limits {
        header_timeout: config.header_timeout,
        max_connections: descriptors_for(config.max_connections as usize),
    };
    web::connections::serve(listener, tls, app, limits, shutdown).await?;
    tracing::info!("stopped");
    Ok(())
}

/// The OpenID provider of `--oidc-issuer`, asked for its discovery document once before the
/// port opens (so the first sign-in and the first ID token need not wait), then in the
/// background until it answers: a provider that is down does not stop the console.
async fn oidc_provider(config: &Config) -> Result<Option<Arc<oidc::Provider>>, StartupError> {
    let (Some(issuer), Some(client_id)) = (&config.oidc_issuer, &config.oidc_client_id) else {
        return Ok(None);
    };
    let provider =
        oidc::Provider::new(issuer, client_id, config.oidc_ca.as_deref()).map_err(|reason| {
            StartupError::OidcIssuer {
                issuer: issuer.clone(),
                reason,
            }
        })?;
    match provider.discover().await {
        Ok(()) => tracing::info!(issuer = %provider.issuer(), "OpenID provider discovered"),
        Err(why) => {
            tracing::warn!(issuer = %provider.issuer(), "single sign-on is unavailable until the OpenID provider answers: {why}");
            provider.discover_in_background();
        }
    }
    Ok(Some(provider))
}

/// The console's sign-in with `provider`, for the clusters `--oidc-cluster` names (every
/// cluster by default).
fn single_sign_on(
    config: &Config,
    provider: Arc<oidc::Provider>,
    clusters: &[fleet::Cluster],
) -> Result<sso::Sso, StartupError> {
    let names: Vec<String> = clusters.iter().map(|c| c.name.clone()).collect();
    if let Some(unknown) = config.oidc_clusters.iter().find(|c| !names.contains(c)) {
        return Err(StartupError::UnknownSsoCluster(unknown.clone()));
    }
    let covered = if config.oidc_clusters.is_empty() {
        names.clone()
    } else {
        config.oidc_clusters.clone()
    };
    sso::Sso::new(sso::SsoOptions {
        provider,
        client_secret_file: config.oidc_client_secret_file.clone(),
        scopes: config.oidc_scopes.clone(),
        namespace: config.oidc_custom_claim_namespace.clone(),
        name: config.oidc_name.clone(),
        public_url: config.public_url.clone(),
        session_key_file: config.session_key_file.clone(),
        clusters: covered,
        default_cluster: names[0].clone(),
        tls: config.tls_cert.is_some(),
    })
}

/// Raises the process's file-descriptor limit as far as the system allows, and the most
/// connections it can then serve (a few descriptors stay for the upstream, files and logs).
fn descriptors_for(wanted: usize) -> usize {
    const SPARE: u64 = 64;
    let limit = rlimit::increase_nofile_limit(wanted as u64 + SPARE).unwrap_or(1024);
    let most = limit.saturating_sub(SPARE).max(1) as usize;
    if most < wanted {
        tracing::warn!(
            "only {most} connections can be served at once (file descriptors: {limit}); \
             raise `ulimit -n` for --max-connections {wanted}"
        );
    }
    most.min(wanted)
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

/// Resolves on Ctrl-C or SIGTERM (what `docker stop` and process managers send). The handlers
/// are installed when this is called, not when first polled: the server calls it before it
/// says it is listening, so a signal sent right after that line still stops it cleanly.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let (interrupt, term) = {
        use tokio::signal::unix::{signal, SignalKind};
        (
            signal(SignalKind::interrupt()).ok(),
            signal(SignalKind::terminate()).ok(),
        )
    };
    async move {
        #[cfg(unix)]
        {
            let wait = |sig: Option<tokio::signal::unix::Signal>| async move {
                match sig {
                    Some(mut sig) => {
                        sig.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                _ = wait(interrupt) => {},
                _ = wait(term) => {},
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
        tracing::info!("shutting down");
    }
}
