//! Builds each cluster: a gateway to an upstream (with its view, performance history and
//! health), or a built-in mock.

use std::sync::Arc;

use super::Cluster;
use crate::config::{Config, Named};
use crate::error::StartupError;
use crate::health::{Backend, Health};
use crate::{access, gateway, history, mock, volume_view};

/// Each --upstream's name and URL. One upstream may go unnamed (named after its host); with
/// several, each needs NAME=URL.
pub fn upstream_names(config: &Config) -> Result<Vec<(String, String)>, StartupError> {
    let several = config.upstream.len() > 1;
    config
        .upstream
        .iter()
        .map(|Named { name, value }| match name {
            Some(name) => Ok((name.clone(), value.clone())),
            None if several => Err(StartupError::UnnamedUpstream(value.clone())),
            None => Ok((host_of(value), value.clone())),
        })
        .collect()
}

/// `https://px.example.com:9020` is named `px.example.com`.
fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = rest.split(['/', ':']).next().unwrap_or_default();
    if host.is_empty() {
        "upstream".into()
    } else {
        host.into()
    }
}

/// Refuses a per-cluster flag's NAME=VALUE that no upstream has, and a bare VALUE when there
/// are several upstreams: each would otherwise be a silent no-op. Checked once, at start-up.
pub fn check_options(config: &Config, names: &[String]) -> Result<(), StartupError> {
    let flags = [
        ("--upstream-ca", &config.upstream_ca),
        ("--upstream-token-file", &config.upstream_token_file),
    ];
    for (flag, values) in flags {
        for named in values {
            match &named.name {
                Some(name) if !names.contains(name) => {
                    return Err(StartupError::UnknownCluster {
                        flag,
                        name: name.clone(),
                    })
                }
                None if names.len() > 1 => {
                    return Err(StartupError::UnnamedOption {
                        flag,
                        value: named.value.clone(),
                    })
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// The value a per-cluster flag gives `cluster`: NAME=VALUE for it, or a bare VALUE (which
/// `check_options` allows only with one upstream).
fn option_for<'a>(values: &'a [Named], cluster: &str) -> Option<&'a str> {
    values
        .iter()
        .find(|n| n.name.as_deref().is_none_or(|name| name == cluster))
        .map(|n| n.value.as_str())
}

pub fn upstream(config: &Config, name: String, url: String) -> Result<Cluster, StartupError> {
    if config.jwt_shared_secret.is_some() {
        return Err(StartupError::AuthWithUpstream);
    }
    let service_token = option_for(&config.upstream_token_file, &name)
        .map(|path| gateway::service_token::ServiceToken::load(std::path::Path::new(path)))
        .transpose()?;
    if let Some(token) = &service_token {
        token.follow();
    }
    let ca = option_for(&config.upstream_ca, &name);
    let upstream = gateway::Upstream::new(&gateway::UpstreamOptions {
        url,
        ca: ca.map(Into::into),
        insecure_skip_verify: config.upstream_insecure_skip_verify,
        service_token,
    })?;
    let what = format!("cluster {name}: forwarding the SDK to {}", upstream.url);
    let health = Health::new(Backend::Upstream(Box::new(upstream.clone())));
    // The console's view service is answered here, from a view fed by the upstream;
    // everything else goes up.
    if config.no_view {
        return Ok(Cluster {
            name,
            sdk: upstream.router(),
            health,
            what,
            view: None,
            history: None,
        });
    }
    let view = volume_view::VolumeView::new();
    let looks = volume_view::upstream::spawn(
        view.clone(),
        upstream.clone(),
        volume_view::upstream::FeedOptions {
            refresh: config.view_refresh,
            check: config.view_check,
        },
    );
    // The gateway tells the view of every volume a forwarded call changes.
    let upstream = upstream.with_after_change(Arc::new(move |id| {
        let looks = looks.clone();
        Box::pin(async move { looks.look(id).await })
    }));
    let history = history::Sampler::start(
        config.sample_interval,
        view.clone(),
        Arc::new(history::probe::UpstreamProbe::new(upstream.clone())),
    );
    let source = if upstream.has_service_token() {
        volume_view::service::Source::Upstream(Arc::new(volume_view::callers::Callers::new(
            upstream.clone(),
            config.token_recheck,
        )))
    } else {
        volume_view::service::Source::UpstreamAsGuest
    };
    let sdk = tonic::service::Routes::new(
        volume_view::service::ViewService::new(view.clone(), source.clone(), health.clone())
            .server(),
    )
    .add_service(
        history::service::MetricsService::new(history.clone(), view.clone(), source).server(),
    )
    .into_axum_router()
    .fallback_service(upstream.router());
    // The view's heartbeat: every tab reads it, the cluster hears one check per 10 s.
    health.follow();
    Ok(Cluster {
        name,
        sdk,
        health,
        what,
        view: Some(view),
        history: Some(history),
    })
}

pub fn mock(
    config: &Config,
    name: String,
    siblings: &mock::siblings::Siblings,
    trust: Option<access::OidcTrust>,
) -> Result<Cluster, StartupError> {
    let cluster = mock::MockCluster::new(mock::MockOptions {
        cluster_name: name.clone(),
        driver: config.driver,
        backup_rate: config.backup_rate,
        fail_backups_matching: config.fail_backups_matching.clone(),
        seed_volumes: config.seed_volumes,
        view_service: !config.no_view,
        io: config.mock_io,
        fail_node: config.fail_node.clone(),
        not_supported: config.not_supported.clone(),
        sample_interval: config.sample_interval,
        siblings: siblings.clone(),
    });
    // As upstream's SDK server: the token's issuer picks the shared secret or the provider.
    let shared = config
        .jwt_shared_secret
        .as_deref()
        .map(|secret| access::Auth::new(secret, &config.jwt_issuer));
    if shared.is_some() {
        tracing::info!(cluster = %name, issuer = %config.jwt_issuer, "SDK auth is on");
    }
    if let Some(trust) = &trust {
        tracing::info!(cluster = %name, issuer = %trust.provider.issuer(), "SDK auth trusts the OpenID provider");
    }
    let auth = match (shared, trust) {
        (Some(auth), Some(trust)) => Some(auth.with_oidc(trust)),
        (Some(auth), None) => Some(auth),
        (None, Some(trust)) => Some(access::Auth::oidc(trust)),
        (None, None) => None,
    };
    if let Some(node) = &config.fail_node {
        if !cluster.has_node(node) {
            return Err(StartupError::UnknownNode(node.clone()));
        }
    }
    let what = format!(
        "cluster {name}: built-in mock cluster {} ready",
        cluster.id()
    );
    let health = Health::new(Backend::Mock);
    Ok(Cluster {
        name,
        sdk: cluster.router(auth, health.clone()),
        health,
        what,
        view: Some(cluster.view()),
        history: cluster.history(),
    })
}

/// The value a flag that may serve every cluster gives `cluster`: its own NAME=VALUE, else
/// a bare VALUE.
fn for_cluster<'a>(values: &'a [Named], cluster: &str) -> Option<&'a str> {
    values
        .iter()
        .find(|n| n.name.as_deref() == Some(cluster))
        .or_else(|| values.iter().find(|n| n.name.is_none()))
        .map(|n| n.value.as_str())
}

/// Points each cluster's history at its `--prometheus`, with its credentials. A NAME no
/// cluster has is refused: it would be a silent no-op.
pub fn keep_history(config: &Config, clusters: &[Cluster]) -> Result<(), StartupError> {
    use history::prometheus::{Credentials, Prometheus};
    let flags = [
        ("--prometheus", &config.prometheus),
        ("--prometheus-token-file", &config.prometheus_token_file),
        (
            "--prometheus-basic-auth-file",
            &config.prometheus_basic_auth_file,
        ),
    ];
    for (flag, values) in flags {
        for name in values.iter().filter_map(|n| n.name.as_ref()) {
            if !clusters.iter().any(|c| &c.name == name) {
                return Err(StartupError::NoSuchCluster {
                    flag,
                    name: name.clone(),
                });
            }
        }
    }
    for name in &config.clusters_exporting {
        if !clusters.iter().any(|c| &c.name == name) {
            return Err(StartupError::NoSuchCluster {
                flag: "--cluster-exports-metrics",
                name: name.clone(),
            });
        }
    }
    for cluster in clusters {
        let (Some(url), Some(sampler)) = (
            for_cluster(&config.prometheus, &cluster.name),
            &cluster.history,
        ) else {
            continue;
        };
        // A cluster's own Prometheus gets its own credentials only: a bare secret is for the
        // bare URL, and never goes to another server.
        let own_url = config
            .prometheus
            .iter()
            .any(|n| n.name.as_deref() == Some(cluster.name.as_str()));
        let credential = |values: &'_ [Named]| {
            if own_url {
                values
                    .iter()
                    .find(|n| n.name.as_deref() == Some(cluster.name.as_str()))
                    .map(|n| n.value.clone())
            } else {
                for_cluster(values, &cluster.name).map(str::to_string)
            }
        };
        let token = credential(&config.prometheus_token_file);
        let basic = credential(&config.prometheus_basic_auth_file);
        let credentials = match (token, basic) {
            (Some(_), Some(_)) => {
                return Err(StartupError::TwoPrometheusCredentials {
                    flag: "--prometheus",
                    name: cluster.name.clone(),
                })
            }
            (Some(path), None) => Some(Credentials::Token(path.into())),
            (None, Some(path)) => Some(Credentials::Basic(path.into())),
            (None, None) => None,
        };
        let prometheus = Prometheus::new(url, &cluster.name, credentials, config.sample_interval)
            .map_err(|reason| StartupError::Prometheus {
            url: url.to_string(),
            reason,
        })?;
        tracing::info!(cluster = %cluster.name, prometheus = url, "history kept in Prometheus");
        sampler.keep_in(prometheus);
    }
    Ok(())
}
