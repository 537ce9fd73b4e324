//! SDK calls through the port, counted by cluster, method and code with their latencies: the
//! access log records each finished call here, and `/metrics` shows them.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

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

impl CallMetrics {
    /// The counters for `clusters` (the default first), registered in `registry`.
    pub fn register(registry: &mut Registry, clusters: Vec<String>) -> CallMetrics {
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
        CallMetrics {
            clusters,
            calls,
            latency,
        }
    }
}
