//! What operators watch: `/metrics` in Prometheus' text format (OpenMetrics, from the
//! `prometheus-client` crate), served on a listener of its own (`--metrics-listen`), never on
//! the console's port. SDK calls by cluster, method and code with their latencies; per cluster,
//! whether it answers, its view's size and revision and the performance sampler's calls; the
//! sampler's budget and the watch streams open; and each cluster's figures under Portworx's
//! names (`portworx.rs`), for a Prometheus that keeps the console's history.

mod portworx;

use std::sync::Arc;
use std::time::Duration;

use prometheus_client::encoding::text::encode;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;

use crate::fleet::Cluster;
use crate::health::Health;
use crate::history::Sampler;
use crate::volume_view::VolumeView;
use crate::web::call_metrics::CallMetrics;

/// The content type Prometheus asks for and `encode` writes.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// How long a scrape waits for a cluster to answer before counting it down.
const CHECK_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ClusterLabels {
    cluster: String,
}

/// One cluster as a scrape reads it.
struct Watched {
    name: String,
    health: Health,
    view: Option<Arc<VolumeView>>,
    history: Option<Arc<Sampler>>,
    /// Its nodes export Portworx's metrics themselves (`--cluster-exports-metrics`).
    exports_itself: bool,
}

/// Everything `/metrics` shows.
pub struct Observer {
    registry: Registry,
    calls: Arc<CallMetrics>,
    clusters: Vec<Watched>,
    up: Family<ClusterLabels, Gauge>,
    view_volumes: Family<ClusterLabels, Gauge>,
    view_revision: Family<ClusterLabels, Gauge>,
    sampler_calls: Family<ClusterLabels, Counter>,
    sampler_failures: Family<ClusterLabels, Counter>,
    watch_streams: Gauge,
    portworx: portworx::Export,
    /// One scrape at a time: each rewrites the shared `px_*` families (two Prometheus servers
    /// scraping at once would otherwise read each other's half-written series).
    scraping: tokio::sync::Mutex<()>,
}

impl Observer {
    pub fn new(clusters: &[Cluster], exporting: &[String]) -> Observer {
        let mut root = Registry::default();
        let portworx = portworx::Export::register(root.sub_registry_with_prefix("px"));
        let registry = root.sub_registry_with_prefix("console");
        let calls =
            CallMetrics::register(registry, clusters.iter().map(|c| c.name.clone()).collect());
        let up = Family::<ClusterLabels, Gauge>::default();
        registry.register(
            "cluster_up",
            "1 when the cluster answered Identity.Version at this scrape, 0 otherwise",
            up.clone(),
        );
        let view_volumes = Family::<ClusterLabels, Gauge>::default();
        registry.register(
            "view_volumes",
            "Volumes in the console's shared view of the cluster",
            view_volumes.clone(),
        );
        let view_revision = Family::<ClusterLabels, Gauge>::default();
        registry.register(
            "view_revision",
            "The shared view's revision (grows with every change it hears of)",
            view_revision.clone(),
        );
        let sampler_calls = Family::<ClusterLabels, Counter>::default();
        registry.register(
            "sampler_calls",
            "Calls the performance sampler made to the cluster",
            sampler_calls.clone(),
        );
        let sampler_failures = Family::<ClusterLabels, Counter>::default();
        registry.register(
            "sampler_failures",
            "Samples in which the performance sampler could not read the cluster's nodes",
            sampler_failures.clone(),
        );
        let budget = Gauge::<i64>::default();
        budget.set(crate::history::BUDGET as i64);
        registry.register(
            "sampler_budget_calls",
            "Most stats calls the sampler makes to a cluster per sampling interval",
            budget,
        );
        let watch_streams = Gauge::<i64>::default();
        registry.register(
            "watch_streams_open",
            "Watch streams of the console's view open now (one ended by its client counts until its next heartbeat)",
            watch_streams.clone(),
        );
        Observer {
            registry: root,
            calls: Arc::new(calls),
            clusters: clusters
                .iter()
                .map(|c| Watched {
                    name: c.name.clone(),
                    health: c.health.clone(),
                    view: c.view.clone(),
                    history: c.history.clone(),
                    exports_itself: exporting.contains(&c.name),
                })
                .collect(),
            up,
            view_volumes,
            view_revision,
            sampler_calls,
            sampler_failures,
            watch_streams,
            portworx,
            scraping: tokio::sync::Mutex::new(()),
        }
    }

    /// What the access-log middleware records calls into.
    pub fn calls(&self) -> Arc<CallMetrics> {
        self.calls.clone()
    }

    /// The text a scrape gets: every cluster asked at once (one down does not hold up the
    /// others), then everything encoded.
    pub async fn scrape(&self) -> String {
        let _one_at_a_time = self.scraping.lock().await;
        let asked: Vec<_> = self
            .clusters
            .iter()
            .map(|c| {
                let health = c.health.clone();
                tokio::spawn(async move {
                    tokio::time::timeout(CHECK_TIMEOUT, health.check())
                        .await
                        .is_ok_and(|answer| answer.is_ok())
                })
            })
            .collect();
        for (cluster, answer) in self.clusters.iter().zip(asked) {
            let label = ClusterLabels {
                cluster: cluster.name.clone(),
            };
            let up = answer.await.unwrap_or(false);
            self.up.get_or_create(&label).set(i64::from(up));
            if let Some(view) = &cluster.view {
                self.view_volumes
                    .get_or_create(&label)
                    .set(view.volumes() as i64);
                self.view_revision
                    .get_or_create(&label)
                    .set(view.revision() as i64);
            }
            if let Some(history) = &cluster.history {
                let counter = self.sampler_calls.get_or_create(&label);
                counter.inc_by(history.calls().saturating_sub(counter.get()));
                let counter = self.sampler_failures.get_or_create(&label);
                counter.inc_by(history.failures().saturating_sub(counter.get()));
            }
        }
        self.watch_streams
            .set(crate::volume_view::service::open_watches());
        self.portworx.clear();
        for cluster in &self.clusters {
            if let (Some(history), false) = (&cluster.history, cluster.exports_itself) {
                self.portworx.write(&cluster.name, &history.latest());
            }
        }
        let mut text = String::new();
        // Writing into a String cannot fail.
        let _ = encode(&mut text, &self.registry);
        text
    }
}

/// Serves `/metrics` on `listener` until the process ends.
pub fn serve(listener: tokio::net::TcpListener, observer: Arc<Observer>) {
    let app = axum::Router::new().route(
        "/metrics",
        axum::routing::get(move || {
            let observer = observer.clone();
            async move {
                (
                    [(http::header::CONTENT_TYPE, CONTENT_TYPE)],
                    observer.scrape().await,
                )
            }
        }),
    );
    tokio::spawn(async move {
        if let Err(err) = axum::serve(listener, app).await {
            tracing::warn!("the metrics listener stopped: {err}");
        }
    });
}
