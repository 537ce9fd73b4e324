//! What the mock's nodes report as time goes by: pools fill as volumes are written, CPU and
//! memory follow the day, a node named by `--fail-node` is offline, and the alerts for those
//! (a pool over 80 %, a node down) are raised and cleared as the figures cross the line.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use super::{is_snapshot, Store};
use crate::mock::alerts::{kind, Raise};
use crate::mock::io::{self, NEW_DATA_SHARE};
use crate::mock::ClusterDescription;
use crate::proto::{ResourceType, SeverityType, Status as NodeStatus, StorageNode};

/// How often usage and node figures are brought up to date.
const EVERY: Duration = Duration::from_secs(5);
/// Usage grows in steps of this much, so a volume's row changes every few minutes, not on
/// every tick (each change is an event for every open Volumes page).
const USAGE_STEP: u64 = 64 << 20;
/// A pool fuller than this raises an alert.
pub const POOL_ALERT_SHARE: f64 = 0.8;
const GIB: u64 = 1 << 30;
const TIB: u64 = 1 << 40;

#[derive(Debug, Default)]
pub struct Figures {
    last: Option<Instant>,
    /// Per attached volume: write bytes already accounted, and new data not yet a full step.
    written: HashMap<String, (u64, u64)>,
    /// Per node: bytes its volumes' replicas use, and its pool's size.
    node_used: HashMap<String, u64>,
    pool_size: HashMap<String, u64>,
}

/// What one node's pool holds before any volume: the system's own data.
fn base_used(index: usize) -> u64 {
    (120 + 37 * index as u64) * GIB
}

/// Brings usage and pool figures up to `now` (at most every few seconds) and raises or clears
/// the alerts they call for.
pub fn advance(store: &mut Store, cluster: &ClusterDescription, now: Instant) {
    if store
        .figures
        .last
        .is_some_and(|last| now.duration_since(last) < EVERY)
    {
        return;
    }
    store.figures.last = Some(now);
    let first = store.figures.pool_size.is_empty();
    grow_usage(store, cluster, now);
    count_pools(store, cluster, first);
    // A finished resize gives the pool its new size.
    for (node, resize) in &store.operations.resizes {
        if resize.done(now) {
            store.figures.pool_size.insert(node.clone(), resize.to);
        }
    }
    let at = cluster.clock.timestamp(now);
    for node in &cluster.nodes {
        let pool = pool_id(node);
        let used = store.figures.node_used.get(&node.id).copied().unwrap_or(0);
        let size = store
            .figures
            .pool_size
            .get(&node.id)
            .copied()
            .unwrap_or(1)
            .max(1);
        let share = used as f64 / size as f64;
        let active = store
            .alerts
            .is_active(ResourceType::Pool, &pool, kind::POOL_USAGE_HIGH);
        if share > POOL_ALERT_SHARE {
            if !active {
                store.alerts.raise(
                    Raise {
                        resource: ResourceType::Pool,
                        resource_id: &pool,
                        alert_type: kind::POOL_USAGE_HIGH,
                        severity: SeverityType::Warning,
                        message: format!(
                            "Pool 0 on {} is {:.0} % full ({} GiB of {} GiB)",
                            node.hostname,
                            share * 100.0,
                            used / GIB,
                            size / GIB
                        ),
                    },
                    at,
                );
            }
        } else if active {
            store
                .alerts
                .clear(ResourceType::Pool, &pool, kind::POOL_USAGE_HIGH);
        }
        if cluster.is_failed(node)
            && !store
                .alerts
                .is_active(ResourceType::Node, &node.id, kind::NODE_OFFLINE)
        {
            store.alerts.raise(
                Raise {
                    resource: ResourceType::Node,
                    resource_id: &node.id,
                    alert_type: kind::NODE_OFFLINE,
                    severity: SeverityType::Alarm,
                    message: format!("Node {} is offline", node.hostname),
                },
                at,
            );
        }
    }
}

/// A tenth of what attached volumes write is new data: their usage grows in steps, up to
/// their size.
fn grow_usage(store: &mut Store, cluster: &ClusterDescription, now: Instant) {
    let mut steps = Vec::new();
    let mut seen = HashMap::with_capacity(store.figures.written.len());
    for volume in store.volumes.values() {
        if volume.attached_on.is_empty() || is_snapshot(volume) {
            continue;
        }
        let written = cluster.volume_counters(volume, now, None).write_bytes;
        let (counted, pending) = store
            .figures
            .written
            .get(&volume.id)
            .copied()
            .unwrap_or((written, 0));
        // Counters start again on reattach.
        let fresh = written.saturating_sub(if written < counted { 0 } else { counted });
        let mut pending = pending + (fresh as f64 * NEW_DATA_SHARE) as u64;
        let size = volume.spec.as_ref().map_or(0, |s| s.size);
        if pending >= USAGE_STEP && volume.usage < size {
            steps.push((volume.id.clone(), (pending / USAGE_STEP) * USAGE_STEP, size));
            pending %= USAGE_STEP;
        }
        seen.insert(volume.id.clone(), (written, pending));
    }
    store.figures.written = seen;
    for (id, grown, size) in steps {
        if let Ok(volume) = store.volume_mut(&id) {
            volume.usage = (volume.usage + grown).min(size);
        }
    }
}

/// Sums what each node's replicas use. The first time, pools are sized so they start about
/// 55 % full at most (a seeded cluster of many volumes gets larger pools).
fn count_pools(store: &mut Store, cluster: &ClusterDescription, first: bool) {
    let mut used: HashMap<String, u64> = cluster
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.clone(), base_used(i + 1)))
        .collect();
    for volume in store.volumes.values().filter(|v| !is_snapshot(v)) {
        for set in &volume.replica_sets {
            for node in &set.nodes {
                if let Some(total) = used.get_mut(node) {
                    *total += volume.usage;
                }
            }
        }
    }
    if first {
        store.figures.pool_size = used
            .iter()
            .map(|(id, used)| {
                let size = (*used as f64 / 0.55).ceil() as u64;
                (id.clone(), size.div_ceil(TIB).max(2) * TIB)
            })
            .collect();
    }
    store.figures.node_used = used;
}

/// The pool's id: stable for the node.
pub fn pool_id(node: &StorageNode) -> String {
    uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_OID,
        format!("{}/pool-0", node.id).as_bytes(),
    )
    .to_string()
}

/// The nodes as they stand at `now`.
pub fn nodes(store: &Store, cluster: &ClusterDescription, now: Instant) -> Vec<StorageNode> {
    // The pool size is per node: the figures', or a finished resize's (applied to the figures
    // at their next tick).
    let secs = cluster.clock.unix(now);
    cluster
        .nodes
        .iter()
        .enumerate()
        .map(|(i, base)| {
            let mut node = base.clone();
            let used = store.figures.node_used.get(&node.id).copied();
            let resize = store.operations.resizes.get(&node.id);
            let size = match resize {
                Some(r) if r.done(now) => Some(r.to),
                _ => store.figures.pool_size.get(&node.id).copied(),
            };
            if let (Some(used), Some(size)) = (used, size) {
                // A pool cannot hold more than its size: past it, writes fail.
                let used = used.min(size);
                for pool in &mut node.pools {
                    pool.used = used;
                    pool.total_size = size;
                }
                for disk in node.disks.values_mut() {
                    disk.used = used;
                    disk.size = size;
                }
            }
            for pool in &mut node.pools {
                pool.uuid = pool_id(base);
                pool.last_operation = resize.map(|r| r.operation(now));
            }
            if cluster.is_failed(base) {
                node.status = NodeStatus::Offline as i32;
                node.cpu = 0.0;
                node.mem_used = 0;
                node.mem_free = node.mem_total;
                node.avg_load = 0;
                for disk in node.disks.values_mut() {
                    disk.online = false;
                }
                return node;
            }
            let load = if cluster.options.io == io::IoPattern::Idle {
                0.0
            } else {
                io::load(secs, i as f64 * 0.9)
            };
            node.cpu = (base.cpu + 22.0 * load).min(100.0);
            let mem_used = base.mem_used + (load * 6.0 * GIB as f64) as u64;
            node.mem_used = mem_used.min(node.mem_total);
            node.mem_free = node.mem_total - node.mem_used;
            node.avg_load = (node.cpu * 0.8) as i64;
            node
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::{MockCluster, MockOptions};
    use crate::proto::{ReplicaSet, Volume, VolumeLocator, VolumeSpec};

    fn pool_alert(cluster: &MockCluster, node: &StorageNode) -> bool {
        let pool = pool_id(node);
        cluster
            .state
            .with_store(|store, _| {
                Ok(store
                    .alerts
                    .is_active(ResourceType::Pool, &pool, kind::POOL_USAGE_HIGH))
            })
            .unwrap()
    }

    /// Runs the figures now, whenever they last ran.
    fn refresh(cluster: &MockCluster) {
        cluster
            .state
            .with_store(|store, _| {
                store.figures.last = None;
                Ok(())
            })
            .unwrap();
        cluster.state.with_store(|_, _| Ok(())).unwrap();
    }

    #[test]
    fn a_pool_over_80_percent_raises_a_warning_until_it_is_under_again() {
        let cluster = MockCluster::new(MockOptions::default());
        let node = cluster.state.nodes[0].clone();
        refresh(&cluster);
        assert!(!pool_alert(&cluster, &node));
        let size = cluster
            .state
            .with_store(|store, _| Ok(store.figures.pool_size[&node.id]))
            .unwrap();
        // One volume whose replica on the node fills its pool to about 85 %.
        let big = Volume {
            id: "big".into(),
            locator: Some(VolumeLocator {
                name: "big".into(),
                ..Default::default()
            }),
            spec: Some(VolumeSpec {
                size,
                ..Default::default()
            }),
            usage: size / 100 * 85,
            replica_sets: vec![ReplicaSet {
                nodes: vec![node.id.clone()],
                pool_uuids: Vec::new(),
            }],
            ..Default::default()
        };
        cluster
            .state
            .with_store(|store, _| {
                store.insert_volume(big);
                Ok(())
            })
            .unwrap();
        refresh(&cluster);
        assert!(pool_alert(&cluster, &node));
        let reported = cluster.state.nodes_now();
        let pool = &reported[0].pools[0];
        assert!(pool.used as f64 / pool.total_size as f64 > POOL_ALERT_SHARE);
        // The other nodes' pools are not affected.
        assert!(!pool_alert(&cluster, &cluster.state.nodes[1].clone()));
        cluster
            .state
            .with_store(|store, _| {
                store.remove_volume("big");
                Ok(())
            })
            .unwrap();
        refresh(&cluster);
        assert!(!pool_alert(&cluster, &node));
        let cleared = cluster
            .state
            .with_store(|store, _| Ok(store.alerts.all().filter(|a| a.cleared).count()))
            .unwrap();
        assert_eq!(cleared, 1, "the warning stays, cleared, as history");
    }

    #[test]
    fn a_failed_node_is_offline_and_raises_an_alarm() {
        let cluster = MockCluster::new(MockOptions {
            fail_node: Some("storage-node-2".into()),
            ..Default::default()
        });
        let nodes = cluster.state.nodes_now();
        let offline: Vec<_> = nodes
            .iter()
            .filter(|n| n.status == NodeStatus::Offline as i32)
            .map(|n| n.hostname.as_str())
            .collect();
        assert_eq!(offline, ["storage-node-2"]);
        assert_eq!(nodes[1].cpu, 0.0);
        let alarms = cluster
            .state
            .with_store(|store, _| {
                Ok(store
                    .alerts
                    .all()
                    .filter(|a| a.severity == SeverityType::Alarm as i32)
                    .map(|a| a.resource_id.clone())
                    .collect::<Vec<_>>())
            })
            .unwrap();
        assert_eq!(alarms, [nodes[1].id.clone()]);
    }
}
