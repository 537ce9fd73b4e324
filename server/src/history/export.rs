//! The sampler's latest figures as a Portworx node exports them (`/metrics` on
//! `--metrics-listen` writes them out under Portworx's names): so a Prometheus scraping
//! console-server keeps the history of clusters that export nothing themselves (upstream's
//! `osd`, the built-in mock), and the charts read every cluster with the same queries.

use std::collections::HashMap;

use super::rate::Rates;
use super::Sampler;
use crate::proto::{SdkCloudBackupOpType, SdkCloudBackupStatus, SdkCloudBackupStatusType};

/// A volume's latest backup, as Portworx's `px_backup_stats_backup_status` counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupState {
    InProgress = 0,
    Done = 1,
    Failed = 2,
}

/// Each volume's latest backup task (by start time) and its state; restores, stopped and
/// unknown tasks say nothing about whether backups work.
pub fn latest_backups(tasks: &[SdkCloudBackupStatus]) -> HashMap<String, BackupState> {
    use SdkCloudBackupStatusType as S;
    let started = |t: &SdkCloudBackupStatus| {
        t.start_time
            .as_ref()
            .map_or((0, 0), |ts| (ts.seconds, ts.nanos))
    };
    let mut latest: HashMap<&str, &SdkCloudBackupStatus> = HashMap::new();
    for task in tasks {
        if task.optype != SdkCloudBackupOpType::BackupOp as i32 || task.src_volume_id.is_empty() {
            continue;
        }
        let newer = latest
            .get(task.src_volume_id.as_str())
            .is_none_or(|seen| started(seen) <= started(task));
        if newer {
            latest.insert(&task.src_volume_id, task);
        }
    }
    latest
        .into_iter()
        .filter_map(|(volume, task)| {
            let state = match S::try_from(task.status).ok()? {
                S::NotStarted | S::Queued | S::Active | S::Paused => BackupState::InProgress,
                S::Done => BackupState::Done,
                S::Failed | S::Aborted => BackupState::Failed,
                _ => return None,
            };
            Some((volume.to_string(), state))
        })
        .collect()
}

/// A node's latest figures.
#[derive(Debug, Clone)]
pub struct NodeFigures {
    pub id: String,
    pub hostname: String,
    /// The I/O of the volumes attached there (unknown until they are read).
    pub rates: Option<Rates>,
    pub used_bytes: u64,
    pub total_bytes: u64,
    pub cpu_percent: f64,
    pub memory_used_bytes: u64,
    pub memory_total_bytes: u64,
    /// Each pool: uuid, used and total bytes.
    pub pools: Vec<(String, u64, u64)>,
}

/// A volume's latest figures (volumes the sampler reads: attached or looked at).
#[derive(Debug, Clone)]
pub struct VolumeFigures {
    pub id: String,
    pub name: String,
    /// The node it is attached on (id), empty when detached.
    pub node_id: String,
    pub rates: Option<Rates>,
    pub used_bytes: Option<u64>,
    pub capacity_bytes: u64,
}

/// Everything the export writes for one cluster.
#[derive(Debug, Clone, Default)]
pub struct Latest {
    pub nodes: Vec<NodeFigures>,
    pub volumes: Vec<VolumeFigures>,
    pub backups: Vec<(String, BackupState)>,
}

impl Sampler {
    /// The figures of the last sample (nothing before the first).
    pub fn latest(&self) -> Latest {
        let state = self.lock();
        let nodes = state
            .nodes_now
            .iter()
            .map(|node| {
                let (used, total) = console_model::node::capacity(node);
                NodeFigures {
                    id: node.id.clone(),
                    hostname: node.hostname.clone(),
                    rates: state.node_rates.get(&node.id).copied(),
                    used_bytes: used,
                    total_bytes: total,
                    cpu_percent: node.cpu,
                    memory_used_bytes: node.mem_used,
                    memory_total_bytes: node.mem_total,
                    pools: node
                        .pools
                        .iter()
                        .map(|p| (p.uuid.clone(), p.used, p.total_size))
                        .collect(),
                }
            })
            .collect();
        // A volume's rates stay what its last reading gave until it is read again (volumes
        // are read in turn on large clusters), as a Portworx node's gauges do between updates.
        // `attached_on` names the node by id or (Portworx) by an address: one map for all.
        let node_of = super::node_names(&state.nodes_now);
        let volumes = state
            .volumes
            .iter()
            .map(|(id, sampled)| {
                let entry = self.view.get(id);
                let node_id = entry.as_ref().map_or_else(String::new, |e| {
                    let on = e.row.attached_on.as_str();
                    node_of.get(on).copied().unwrap_or(on).to_string()
                });
                VolumeFigures {
                    id: id.clone(),
                    name: entry
                        .as_ref()
                        .map_or_else(String::new, |e| e.row.name.clone()),
                    node_id,
                    rates: sampled.rates.map(|(_, r)| r),
                    used_bytes: sampled.last.as_ref().map(|r| r.stats.bytes_used),
                    capacity_bytes: entry.map_or(0, |e| e.row.size),
                }
            })
            .collect();
        let backups = state
            .backups
            .iter()
            .map(|(volume, backup)| (volume.clone(), *backup))
            .collect();
        Latest {
            nodes,
            volumes,
            backups,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(
        volume: &str,
        started: i64,
        op: SdkCloudBackupOpType,
        status: SdkCloudBackupStatusType,
    ) -> SdkCloudBackupStatus {
        SdkCloudBackupStatus {
            src_volume_id: volume.into(),
            optype: op as i32,
            status: status as i32,
            start_time: Some(prost_types::Timestamp {
                seconds: started,
                nanos: 0,
            }),
            ..Default::default()
        }
    }

    #[test]
    fn each_volume_counts_its_latest_backup_only() {
        use SdkCloudBackupOpType::{BackupOp, RestoreOp};
        use SdkCloudBackupStatusType as S;
        let tasks = [
            task("a", 10, BackupOp, S::Failed),
            task("a", 20, BackupOp, S::Done),
            task("b", 20, BackupOp, S::Failed),
            task("b", 10, BackupOp, S::Done),
            task("c", 30, BackupOp, S::Active),
            // A restore's failure is not a backup's.
            task("d", 40, RestoreOp, S::Failed),
            task("e", 40, BackupOp, S::Stopped),
        ];
        let latest = latest_backups(&tasks);
        assert_eq!(latest.get("a"), Some(&BackupState::Done));
        assert_eq!(latest.get("b"), Some(&BackupState::Failed));
        assert_eq!(latest.get("c"), Some(&BackupState::InProgress));
        assert_eq!(latest.get("d"), None);
        assert_eq!(
            latest.get("e"),
            None,
            "a stopped backup is neither done nor failed"
        );
    }
}
