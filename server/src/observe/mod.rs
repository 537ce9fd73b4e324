//! What operators watch: `/metrics` in Prometheus' text format (OpenMetrics, from the
//! `prometheus-client` crate), served on a listener of its own (`--metrics-listen`), never on
//! the console's port. SDK calls by cluster, method and code with their latencies; per cluster,
//! whether it answers, its view's size and revision and the performance sampler's calls; the
//! sampler's budget and the watch streams open.

use std::sync::Arc;
use std::time::Duration;

use prometheus_client::encoding::text::encode;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

use crate::fleet::Cluster;
use crate::metrics::Metrics;
use crate::serve::Backend;
use crate::view::VolumeView;

/// The content type Prometheus asks for and `encode` writes.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// How long a scrape waits for a cluster to answer before counting it down.
const CHECK_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CallLabels {
    cluster: String,
    method: String,
    code: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct MethodLabels {
    cluster: String,
    method: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ClusterLabels {
    cluster: String,
}

type Latencies = Family<MethodLabels, Histogram, fn() -> Histogram>;

fn latency_buckets() -> Histogram {
    // 1 ms to about 33 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 16))
}

/// SDK calls through the port, recorded where the access log sees them end.
pub struct CallMetrics {
    clusters: Vec<String>,
    calls: Family<CallLabels, Counter>,
    latency: Latencies,
}

impl CallMetrics {
    /// Records a finished call. `cluster` is what the call named (`None`: the first cluster);
    /// names and methods no cluster has are folded into one label each, so a client sending
    /// made-up ones cannot grow the series without bound.
    pub fn record(&self, cluster: Option<&str>, method: &str, code: &str, seconds: f64) {
        let cluster = match cluster {
            None => self.clusters[0].clone(),
            Some(name) if self.clusters.iter().any(|c| c == name) => name.to_string(),
            Some(_) => "(unknown)".into(),
        };
        let known = code != "Unimplemented" && cluster != "(unknown)";
        let method = if known { method } else { "(other)" }.to_string();
        self.calls
            .get_or_create(&CallLabels {
                cluster: cluster.clone(),
                method: method.clone(),
                code: code.to_string(),
            })
            .inc();
        self.latency
            .get_or_create(&MethodLabels { cluster, method })
            .observe(seconds);
    }
}

/// One cluster as a scrape reads it.
struct Watched {
    name: String,
    backend: Backend,
    view: Option<Arc<VolumeView>>,
    history: Option<Arc<Metrics>>,
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
    watch_streams: Gauge,
}

impl Observer {
    pub fn new(clusters: &[Cluster]) -> Observer {
        let mut registry = Registry::with_prefix("console");
        let calls = Family::<CallLabels, Counter>::default();
        let latency: Latencies = Family::new_with_constructor(latency_buckets);
        registry.register(
            "sdk_calls",
            "SDK calls answered, by cluster, method and gRPC code",
            calls.clone(),
        );
        registry.register(
            "sdk_call_duration_seconds",
            "Time to answer an SDK call, by cluster and method",
            latency.clone(),
        );
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
        let budget = Gauge::<i64>::default();
        budget.set(crate::metrics::BUDGET as i64);
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
            registry,
            calls: Arc::new(CallMetrics {
                clusters: clusters.iter().map(|c| c.name.clone()).collect(),
                calls,
                latency,
            }),
            clusters: clusters
                .iter()
                .map(|c| Watched {
                    name: c.name.clone(),
                    backend: c.backend.clone(),
                    view: c.view.clone(),
                    history: c.history.clone(),
                })
                .collect(),
            up,
            view_volumes,
            view_revision,
            sampler_calls,
            watch_streams,
        }
    }

    /// What the access-log middleware records calls into.
    pub fn calls(&self) -> Arc<CallMetrics> {
        self.calls.clone()
    }

    /// The text a scrape gets: every cluster asked at once (one down does not hold up the
    /// others), then everything encoded.
    pub async fn scrape(&self) -> String {
        let asked: Vec<_> = self
            .clusters
            .iter()
            .map(|c| {
                let backend = c.backend.clone();
                tokio::spawn(async move {
                    tokio::time::timeout(CHECK_TIMEOUT, crate::serve::check(&backend))
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
            }
        }
        self.watch_streams.set(crate::view::service::open_watches());
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
