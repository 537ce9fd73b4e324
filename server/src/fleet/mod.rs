//! Several clusters behind one port. Each cluster is built as one console-server used to be:
//! a built-in mock, or a gateway to an upstream with its own view and performance history. An
//! SDK call goes to the cluster its `x-openstorage-cluster` metadata names, or to the first
//! cluster when it names none, so existing SDK clients keep reaching the cluster they knew.

mod assemble;
mod route;
mod service;

use std::sync::Arc;

use crate::config::Config;
use crate::error::StartupError;
use crate::health::Health;
use crate::history::Sampler;
use crate::volume_view::VolumeView;

pub use route::router;

/// One cluster the console serves.
pub struct Cluster {
    /// How URLs and the metadata header name it.
    pub name: String,
    /// Its SDK (and the console's own services for it).
    pub sdk: axum::Router,
    /// Whether it answers: asked by /healthz and `/metrics`, read by its view.
    pub health: Health,
    /// What started, for the log.
    pub what: String,
    /// Its shared view and performance history (none with --no-view), for `/metrics`.
    pub view: Option<Arc<VolumeView>>,
    pub history: Option<Arc<Sampler>>,
}

/// Every cluster the command line asks for, the default first: the --upstream clusters in
/// order, then the --mock ones; a plain `console-server` serves one mock.
/// `trust` is the OpenID provider the mocks trust (`--oidc-issuer`), for the clusters the
/// single sign-on serves.
pub fn start(
    config: &Config,
    trust: Option<crate::access::OidcTrust>,
) -> Result<Vec<Cluster>, StartupError> {
    let upstreams = assemble::upstream_names(config)?;
    let names: Vec<String> = upstreams.iter().map(|(name, _)| name.clone()).collect();
    assemble::check_options(config, &names)?;
    let mut clusters = Vec::new();
    for (name, url) in upstreams {
        clusters.push(assemble::upstream(config, name, url)?);
    }
    let mocks = if clusters.is_empty() && config.mocks.is_empty() {
        vec![config.cluster_name.clone()]
    } else {
        config.mocks.clone()
    };
    let siblings = crate::mock::siblings::Siblings::default();
    for name in mocks {
        let trusts = trust
            .clone()
            .filter(|_| config.oidc_clusters.is_empty() || config.oidc_clusters.contains(&name));
        clusters.push(assemble::mock(config, name, &siblings, trusts)?);
    }
    let mut seen = std::collections::HashSet::new();
    if let Some(twice) = clusters.iter().find(|c| !seen.insert(c.name.clone())) {
        return Err(StartupError::ClusterNamedTwice(twice.name.clone()));
    }
    assemble::keep_history(config, &clusters)?;
    Ok(clusters)
}
