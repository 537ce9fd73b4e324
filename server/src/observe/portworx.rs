//! Each cluster's latest figures under the names and labels of Portworx's metrics reference
//! (`px_*`), as a Portworx node exports them: a Prometheus scraping console-server keeps the
//! history of clusters that export nothing themselves, and the charts read every cluster with
//! the same queries. Written afresh at each scrape, so a node, pool or volume that is gone
//! leaves no stale series. Clusters named by `--cluster-exports-metrics` are left out.

use std::sync::atomic::AtomicU64;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;

use crate::history::export::{Latest, NodeFigures};
use crate::history::rate::Rates;

type Figure<L> = Family<L, Gauge<f64, AtomicU64>>;

#[allow(non_snake_case)]
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct NodeLabels {
    cluster: String,
    node: String,
    nodeID: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    #[prometheus(flatten)]
    node: NodeLabels,
    pool: String,
}

/// A volume is `volume` to Portworx 3 and `volumeid` to older releases and their rules and
/// dashboards: both are written, so either reads it.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct VolumeLabels {
    #[prometheus(flatten)]
    node: NodeLabels,
    volume: String,
    volumeid: String,
    volumename: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct BackupLabels {
    cluster: String,
    volume: String,
    volumeid: String,
}

/// I/O figures, for nodes and volumes alike.
struct Io<L> {
    read_iops: Figure<L>,
    write_iops: Figure<L>,
    read_throughput: Figure<L>,
    write_throughput: Figure<L>,
    read_latency: Figure<L>,
    write_latency: Figure<L>,
}

impl<L> Io<L>
where
    L: Clone + std::fmt::Debug + std::hash::Hash + Eq + EncodeLabelSet + Send + Sync + 'static,
{
    /// Registered as `<prefix>read_iops` and so on, Portworx's names for nodes and volumes.
    fn register(registry: &mut Registry, prefix: &str, whose: &str) -> Io<L> {
        let io = Io {
            read_iops: Figure::default(),
            write_iops: Figure::default(),
            read_throughput: Figure::default(),
            write_throughput: Figure::default(),
            read_latency: Figure::default(),
            write_latency: Figure::default(),
        };
        let figures = [
            ("read_iops", "Reads per second", &io.read_iops),
            ("write_iops", "Writes per second", &io.write_iops),
            (
                "readthroughput",
                "Bytes read per second",
                &io.read_throughput,
            ),
            (
                "writethroughput",
                "Bytes written per second",
                &io.write_throughput,
            ),
            (
                "read_latency_seconds",
                "Average seconds per read",
                &io.read_latency,
            ),
            (
                "write_latency_seconds",
                "Average seconds per write",
                &io.write_latency,
            ),
        ];
        for (name, help, family) in figures {
            registry.register(
                format!("{prefix}{name}"),
                format!("{help} {whose}, as console-server last sampled it"),
                family.clone(),
            );
        }
        io
    }

    fn set(&self, labels: &L, rates: &Rates) {
        self.read_iops.get_or_create(labels).set(rates.read_iops);
        self.write_iops.get_or_create(labels).set(rates.write_iops);
        self.read_throughput
            .get_or_create(labels)
            .set(rates.read_bytes_per_second);
        self.write_throughput
            .get_or_create(labels)
            .set(rates.write_bytes_per_second);
        // No reads (or writes): no latency, rather than a latency of 0.
        if let Some(ms) = rates.read_latency_ms {
            self.read_latency.get_or_create(labels).set(ms / 1000.0);
        }
        if let Some(ms) = rates.write_latency_ms {
            self.write_latency.get_or_create(labels).set(ms / 1000.0);
        }
    }

    fn clear(&self) {
        for family in [
            &self.read_iops,
            &self.write_iops,
            &self.read_throughput,
            &self.write_throughput,
            &self.read_latency,
            &self.write_latency,
        ] {
            family.clear();
        }
    }
}

/// Total, used and free bytes, for nodes and pools alike.
struct Capacity<L> {
    total: Figure<L>,
    used: Figure<L>,
    available: Figure<L>,
}

impl<L> Capacity<L>
where
    L: Clone + std::fmt::Debug + std::hash::Hash + Eq + EncodeLabelSet + Send + Sync + 'static,
{
    /// Registered under `names` (total, used, free) with their help texts.
    fn register(registry: &mut Registry, names: [(&str, &str); 3]) -> Capacity<L> {
        let capacity = Capacity {
            total: Figure::default(),
            used: Figure::default(),
            available: Figure::default(),
        };
        let families = [&capacity.total, &capacity.used, &capacity.available];
        for ((name, help), family) in names.into_iter().zip(families) {
            registry.register(name, help, family.clone());
        }
        capacity
    }

    fn set(&self, labels: &L, used: u64, total: u64) {
        self.total.get_or_create(labels).set(total as f64);
        self.used.get_or_create(labels).set(used as f64);
        self.available
            .get_or_create(labels)
            .set(total.saturating_sub(used) as f64);
    }

    fn clear(&self) {
        for family in [&self.total, &self.used, &self.available] {
            family.clear();
        }
    }
}

/// The `px_*` families.
pub struct Export {
    disk: Capacity<NodeLabels>,
    cpu: Figure<NodeLabels>,
    memory_used: Figure<NodeLabels>,
    memory_total: Figure<NodeLabels>,
    node_io: Io<NodeLabels>,
    pool: Capacity<PoolLabels>,
    volume_io: Io<VolumeLabels>,
    volume_usage: Figure<VolumeLabels>,
    volume_capacity: Figure<VolumeLabels>,
    backup_status: Figure<BackupLabels>,
}

impl Export {
    /// Registers the families in `registry` (prefix `px`).
    pub fn register(registry: &mut Registry) -> Export {
        let export = Export {
            disk: Capacity::register(
                registry,
                [
                    (
                        "cluster_disk_total_bytes",
                        "Bytes of storage the node provides (its pools, or drives)",
                    ),
                    (
                        "cluster_disk_utilized_bytes",
                        "Bytes of the node's storage in use",
                    ),
                    (
                        "cluster_disk_available_bytes",
                        "Bytes of the node's storage free",
                    ),
                ],
            ),
            cpu: Figure::default(),
            memory_used: Figure::default(),
            memory_total: Figure::default(),
            node_io: Io::register(
                registry,
                "node_stats_",
                "of the volumes attached on the node",
            ),
            pool: Capacity::register(
                registry,
                [
                    ("pool_stats_total_bytes", "Bytes of the storage pool"),
                    ("pool_stats_used_bytes", "Bytes of the storage pool in use"),
                    (
                        "pool_stats_available_bytes",
                        "Bytes of the storage pool free",
                    ),
                ],
            ),
            volume_io: Io::register(registry, "volume_", "of the volume"),
            volume_usage: Figure::default(),
            volume_capacity: Figure::default(),
            backup_status: Figure::default(),
        };
        registry.register(
            "cluster_cpu_percent",
            "The node's CPU use, percent",
            export.cpu.clone(),
        );
        registry.register(
            "node_stats_used_mem",
            "The node's memory in use, bytes",
            export.memory_used.clone(),
        );
        registry.register(
            "node_stats_total_mem",
            "The node's memory, bytes",
            export.memory_total.clone(),
        );
        registry.register(
            "volume_usage_bytes",
            "Bytes the volume uses",
            export.volume_usage.clone(),
        );
        registry.register(
            "volume_capacity_bytes",
            "The volume's size, bytes",
            export.volume_capacity.clone(),
        );
        registry.register(
            "backup_stats_backup_status",
            "The volume's latest cloud backup: 0 in progress, 1 done, 2 failed",
            export.backup_status.clone(),
        );
        export
    }

    /// Forgets every series (before writing a scrape's).
    pub fn clear(&self) {
        for family in [&self.cpu, &self.memory_used, &self.memory_total] {
            family.clear();
        }
        self.disk.clear();
        self.pool.clear();
        self.node_io.clear();
        self.volume_io.clear();
        self.volume_usage.clear();
        self.volume_capacity.clear();
        self.backup_status.clear();
    }

    /// Writes one cluster's figures.
    pub fn write(&self, cluster: &str, latest: &Latest) {
        let node_labels = |node: &NodeFigures| NodeLabels {
            cluster: cluster.to_string(),
            node: node.hostname.clone(),
            nodeID: node.id.clone(),
        };
        for node in &latest.nodes {
            let labels = node_labels(node);
            // Nodes that report no storage (upstream's fake driver) export no capacity.
            if node.total_bytes > 0 {
                self.disk.set(&labels, node.used_bytes, node.total_bytes);
            }
            self.cpu.get_or_create(&labels).set(node.cpu_percent);
            self.memory_used
                .get_or_create(&labels)
                .set(node.memory_used_bytes as f64);
            self.memory_total
                .get_or_create(&labels)
                .set(node.memory_total_bytes as f64);
            if let Some(rates) = &node.rates {
                self.node_io.set(&labels, rates);
            }
            for (pool, used, total) in &node.pools {
                let labels = PoolLabels {
                    node: labels.clone(),
                    pool: pool.clone(),
                };
                self.pool.set(&labels, *used, *total);
            }
        }
        for volume in &latest.volumes {
            let node = latest.nodes.iter().find(|n| n.id == volume.node_id);
            let labels = VolumeLabels {
                node: NodeLabels {
                    cluster: cluster.to_string(),
                    node: node.map_or_else(String::new, |n| n.hostname.clone()),
                    nodeID: volume.node_id.clone(),
                },
                volume: volume.id.clone(),
                volumeid: volume.id.clone(),
                volumename: volume.name.clone(),
            };
            if let Some(rates) = &volume.rates {
                self.volume_io.set(&labels, rates);
            }
            if let Some(used) = volume.used_bytes {
                self.volume_usage.get_or_create(&labels).set(used as f64);
            }
            if volume.capacity_bytes > 0 {
                self.volume_capacity
                    .get_or_create(&labels)
                    .set(volume.capacity_bytes as f64);
            }
        }
        for (volume, state) in &latest.backups {
            self.backup_status
                .get_or_create(&BackupLabels {
                    cluster: cluster.to_string(),
                    volume: volume.clone(),
                    volumeid: volume.clone(),
                })
                .set(*state as i32 as f64);
        }
    }
}
