//! Backup and restore tasks as the store runs them: started, queued, moving at the cluster's
//! rate, finished into the history and the catalog, scheduled, stopped.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use tonic::Status;

use super::catalog::{BackupPlan, CloudBackup};
use super::tasks::{self, Op, Phase, PlannedFailure, Task, QUEUE_DELAY};
use super::volumes::NewVolume;
use super::{is_snapshot, volume_labels, volume_name, Store};
use crate::mock::alerts::{kind, Raise};
use crate::mock::clock::unix_seconds;
use crate::mock::errors;
use crate::mock::ClusterDescription;
use crate::proto::*;

const MIB: u64 = 1 << 20;

/// Bytes per second tasks move at, as the driver moves them.
fn transfer_rate(cluster: &ClusterDescription) -> f64 {
    cluster.driver().transfer_rate(cluster.options.backup_rate)
}

/// When a new task may start, as the driver queues them.
fn start_after(cluster: &ClusterDescription, now: Instant) -> Instant {
    cluster.driver().task_start(now, QUEUE_DELAY)
}
/// Share of a volume's data an incremental backup transfers (the blocks changed since).
const INCREMENTAL_PERCENT: u64 = 10;

impl Store {
    /// Brings tasks and schedules up to `now`: starts due scheduled backups, advances
    /// progress, and records what finished.
    pub fn advance(&mut self, cluster: &ClusterDescription, now: Instant) {
        self.run_due_schedules(cluster, now);
        for id in tasks::advance(&mut self.tasks, transfer_rate(cluster), now) {
            self.record_finished(cluster, &id);
        }
        tasks::prune(
            &mut self.tasks,
            now,
            tasks::KEEP_FINISHED_FOR,
            tasks::MAX_FINISHED,
        );
    }

    fn run_due_schedules(&mut self, cluster: &ClusterDescription, now: Instant) {
        let now_secs = unix_seconds(cluster.clock.wall(now));
        let due: Vec<(String, i64)> = self
            .schedules
            .values()
            .filter_map(|s| s.due(now_secs).map(|at| (s.id.clone(), at)))
            .collect();
        for (id, at) in due {
            let schedule = self.schedules.get_mut(&id).expect("listed schedule");
            schedule.checked_until = now_secs;
            let info = schedule.info.clone();
            let mut labels = info.labels.clone();
            labels.insert("schedule".into(), id.clone());
            let request = SdkCloudBackupCreateRequest {
                volume_id: info.src_volume_id.clone(),
                credential_id: info.credential_id.clone(),
                full: info.full,
                labels,
                ..Default::default()
            };
            let late = Duration::from_secs((now_secs - at).max(0) as u64);
            let started_at = now.checked_sub(late).unwrap_or(now);
            if let Err(err) = self.start_backup(cluster, request, Some(id.clone()), started_at) {
                tracing::warn!(schedule = %id, error = %err.message(), "scheduled backup not started");
            }
        }
    }

    pub fn start_backup(
        &mut self,
        cluster: &ClusterDescription,
        req: SdkCloudBackupCreateRequest,
        schedule_id: Option<String>,
        now: Instant,
    ) -> Result<String, Status> {
        let credential = self.backup_credential(&req.credential_id)?;
        let volume = self.volume(&req.volume_id)?.clone();
        if volume.state == VolumeState::Restore as i32 {
            return Err(errors::precondition(format!(
                "volume {} is being restored; back it up when the restore is done",
                volume_name(&volume)
            )));
        }
        let task_id = self.new_task_id(&req.task_id)?;
        let base = if req.full {
            None
        } else {
            self.latest_backup(&volume.id, &credential.id)
                .map(|b| b.id.clone())
        };
        let bytes_total = match base {
            None => volume.usage,
            Some(_) => super::volumes::percent(volume.usage, INCREMENTAL_PERCENT),
        }
        .max(MIB);
        let bucket = credential.bucket_or_default().to_string();
        let short = uuid::Uuid::new_v4().simple().to_string();
        let backup_id = format!("{bucket}/{}-{}-{}", cluster.id, volume.id, &short[..12]);
        let metadata = cluster.driver().backup_metadata(
            &req.labels,
            volume_name(&volume),
            base.is_some(),
            is_snapshot(&volume),
        );
        let failure = cluster
            .options
            .fail_backups_matching
            .iter()
            .find(|(k, v)| req.labels.get(k) == Some(v) || volume_labels(&volume).get(k) == Some(v))
            .map(|(k, v)| PlannedFailure {
                at_bytes: bytes_total / 5 * 2,
                reason: format!(
                    "upload to bucket {bucket} failed: connection reset by the object store \
                     (injected by --fail-backups-matching {k}={v})"
                ),
            });
        let sequence = self.next_sequence();
        let mut task = Task::new(
            task_id.clone(),
            Op::Backup,
            volume.id.clone(),
            credential.id.clone(),
            backup_id,
            bytes_total,
            sequence,
            start_after(cluster, now),
            cluster.current_node().id.clone(),
        );
        task.failure = failure;
        task.volume_size = volume.spec.as_ref().map_or(0, |s| s.size);
        task.backup = Some(BackupPlan {
            src_volume_name: volume_name(&volume).to_string(),
            volume_size: volume.spec.as_ref().map_or(0, |s| s.size),
            ha_level: volume.spec.as_ref().map_or(1, |s| s.ha_level),
            ownership: volume.spec.as_ref().and_then(|s| s.ownership.clone()),
            bucket,
            base,
            schedule_id,
            metadata,
        });
        self.tasks.insert(task_id.clone(), task);
        Ok(task_id)
    }

    fn new_task_id(&self, requested: &str) -> Result<String, Status> {
        if requested.is_empty() {
            return Ok(uuid::Uuid::new_v4().to_string());
        }
        if self.tasks.contains_key(requested) {
            return Err(errors::already_exists(format!(
                "task {requested} already exists; use a new task_id"
            )));
        }
        Ok(requested.to_string())
    }

    pub fn start_restore(
        &mut self,
        cluster: &ClusterDescription,
        req: SdkCloudBackupRestoreRequest,
        now: Instant,
    ) -> Result<SdkCloudBackupRestoreResponse, Status> {
        let credential = self.backup_credential(&req.credential_id)?;
        let backup = self.cloud_backup(&req.backup_id)?.clone();
        if backup.status != SdkCloudBackupStatusType::Done {
            return Err(errors::precondition(format!(
                "cloud backup {} did not complete and cannot be restored",
                backup.id
            )));
        }
        let task_id = self.new_task_id(&req.task_id)?;
        let locator = req.locator.unwrap_or_default();
        let name = [req.restore_volume_name.as_str(), locator.name.as_str()]
            .into_iter()
            .find(|n| !n.is_empty())
            .map(str::to_string)
            .unwrap_or_else(|| {
                let n = self.tasks.values().filter(|t| t.op == Op::Restore).count() + 1;
                format!("{}-restore-{n}", backup.src_volume_name)
            });
        super::volumes::validate_name("restore_volume_name", &name)?;
        if self.volume_names.contains_key(&name) {
            return Err(errors::already_exists(format!(
                "a volume named {name} already exists; choose another restore_volume_name"
            )));
        }
        let mut labels = locator.volume_labels;
        labels.insert("restored-from".into(), backup.id.clone());
        // Upstream's drivers restore the source's spec, HA level included (the proto's note
        // that a restored volume starts with one replica is older than that).
        let spec = VolumeSpec {
            size: backup.volume_size,
            ha_level: backup.ha_level,
            ownership: backup.ownership.clone(),
            ..Default::default()
        };
        let volume_id = self.add_volume(
            cluster,
            NewVolume {
                name,
                spec,
                labels,
                parent: None,
                readonly: false,
                usage: backup.data_bytes,
                state: VolumeState::Restore,
            },
            now,
        );
        let sequence = self.next_sequence();
        let mut task = Task::new(
            task_id.clone(),
            Op::Restore,
            volume_id.clone(),
            credential.id.clone(),
            backup.id.clone(),
            backup.data_bytes.max(MIB),
            sequence,
            start_after(cluster, now),
            cluster.current_node().id.clone(),
        );
        task.volume_size = backup.volume_size;
        self.tasks.insert(task_id.clone(), task);
        Ok(SdkCloudBackupRestoreResponse {
            restore_volume_id: volume_id,
            task_id,
        })
    }

    /// A failed backup raises an alarm on its volume until one succeeds; each success is
    /// a notice (counted on one alert per volume).
    fn alert_backup(&mut self, task: &Task, volume_name: &str, at: prost_types::Timestamp) {
        let volume = task.volume_id.as_str();
        let name = if volume_name.is_empty() {
            volume
        } else {
            volume_name
        };
        match task.phase {
            Phase::Failed => self.alerts.raise(
                Raise {
                    resource: ResourceType::Volume,
                    resource_id: volume,
                    alert_type: kind::BACKUP_FAILED,
                    severity: SeverityType::Alarm,
                    message: format!(
                        "Cloud backup of volume {name} failed: {}",
                        task.info.join("; ")
                    ),
                },
                at,
            ),
            Phase::Done => {
                self.alerts
                    .clear(ResourceType::Volume, volume, kind::BACKUP_FAILED);
                self.alerts.raise(
                    Raise {
                        resource: ResourceType::Volume,
                        resource_id: volume,
                        alert_type: kind::BACKUP_DONE,
                        severity: SeverityType::Notify,
                        message: format!("Cloud backup of volume {name} completed"),
                    },
                    at,
                );
            }
            _ => {}
        }
    }

    /// What a finished task leaves behind: a backup in the cloud and a history entry, or a
    /// restored volume ready for use.
    fn record_finished(&mut self, cluster: &ClusterDescription, id: &str) {
        let task = self.tasks[id].clone();
        let finished = task.finished.unwrap_or_else(|| cluster.clock.now());
        let timestamp = cluster.clock.timestamp(finished);
        match task.op {
            Op::Backup => {
                self.history.push(SdkCloudBackupHistoryItem {
                    src_volume_id: task.volume_id.clone(),
                    timestamp: Some(timestamp),
                    status: task.phase.status() as i32,
                });
                let Some(plan) = task.backup.clone() else {
                    return;
                };
                self.alert_backup(&task, &plan.src_volume_name, timestamp);
                if task.phase == Phase::Stopped {
                    return;
                }
                let data_bytes = match &plan.base {
                    Some(base) => self
                        .cloud_backup(base)
                        .map_or(task.bytes_total, |b| b.data_bytes),
                    None => task.bytes_total,
                };
                self.backups.push(CloudBackup {
                    id: task.backup_id.clone(),
                    src_volume_id: task.volume_id.clone(),
                    src_volume_name: plan.src_volume_name,
                    credential_id: task.credential_id.clone(),
                    bucket: plan.bucket,
                    timestamp,
                    metadata: plan.metadata,
                    status: task.phase.status(),
                    volume_size: plan.volume_size,
                    ha_level: plan.ha_level,
                    ownership: plan.ownership,
                    data_bytes,
                    base: plan.base,
                    schedule_id: plan.schedule_id.clone(),
                });
                if let Some(schedule) = plan.schedule_id {
                    self.apply_retention(&schedule);
                }
            }
            Op::Restore => {
                if let Ok(volume) = self.volume_mut(&task.volume_id) {
                    if task.phase == Phase::Done {
                        volume.state = VolumeState::Detached as i32;
                    } else {
                        volume.state = VolumeState::Error as i32;
                        volume.error = format!(
                            "restore from {} was {}",
                            task.backup_id,
                            tasks::phase_word(task.phase)
                        );
                    }
                }
            }
        }
    }

    /// Keeps only the newest backups a schedule retains (oldest go first).
    fn apply_retention(&mut self, schedule_id: &str) {
        let Some(keep) = self.schedules.get(schedule_id).map(|s| s.retention()) else {
            return;
        };
        let mut mine: Vec<(i64, i32, String)> = self
            .backups
            .iter()
            .filter(|b| b.schedule_id.as_deref() == Some(schedule_id))
            .map(|b| (b.timestamp.seconds, b.timestamp.nanos, b.id.clone()))
            .collect();
        mine.sort();
        let excess = mine.len().saturating_sub(keep);
        for (_, _, id) in mine.into_iter().take(excess) {
            self.remove_backup(&id);
        }
    }

    pub fn change_task_state(
        &mut self,
        cluster: &ClusterDescription,
        task_id: &str,
        requested: i32,
        now: Instant,
    ) -> Result<(), Status> {
        use SdkCloudBackupRequestedState as R;
        // Upstream's SDK layer accepts only Stop ("Pause and Resume: not supported yet"), so
        // every real cluster refuses the others with these messages.
        match R::try_from(requested) {
            Ok(R::Stop) => {}
            Ok(R::Unknown) => return Err(Status::invalid_argument("Must provide requested state")),
            Ok(other) => {
                return Err(Status::invalid_argument(format!(
                    "Invalid requested state: {}",
                    other.as_str_name()
                )))
            }
            Err(_) => {
                return Err(Status::invalid_argument(format!(
                    "Invalid requested state: {requested}"
                )))
            }
        }
        let task = self
            .tasks
            .get_mut(task_id)
            .ok_or_else(|| errors::not_found("task", task_id))?;
        let result = task.stop(now);
        result.map_err(errors::precondition)?;
        if self.tasks[task_id].phase == Phase::Stopped {
            self.record_finished(cluster, task_id);
        }
        Ok(())
    }

    pub fn task_statuses(
        &self,
        cluster: &ClusterDescription,
        req: &SdkCloudBackupStatusRequest,
    ) -> Result<HashMap<String, SdkCloudBackupStatus>, Status> {
        let rate = transfer_rate(cluster);
        let reports_totals = cluster.driver().backups_take_time();
        let status = |t: &Task| SdkCloudBackupStatus {
            backup_id: t.backup_id.clone(),
            optype: t.op.optype() as i32,
            status: t.phase.status() as i32,
            // The fake reports the volume's size as done and no total.
            bytes_done: if reports_totals {
                t.bytes_done as u64
            } else {
                t.volume_size
            },
            start_time: t.started.map(|at| cluster.clock.timestamp(at)),
            completed_time: t.finished.map(|at| cluster.clock.timestamp(at)),
            node_id: t.node_id.clone(),
            src_volume_id: t.volume_id.clone(),
            info: t.info.clone(),
            credential_id: t.credential_id.clone(),
            bytes_total: if reports_totals { t.bytes_total } else { 0 },
            eta_seconds: t.eta_seconds(rate),
            group_id: String::new(),
        };
        if !req.task_id.is_empty() {
            let task = self
                .tasks
                .get(&req.task_id)
                .ok_or_else(|| errors::not_found("task", &req.task_id))?;
            return Ok([(task.id.clone(), status(task))].into());
        }
        let volume = (!req.volume_id.is_empty()).then(|| {
            self.volume_id(&req.volume_id)
                .unwrap_or(req.volume_id.clone())
        });
        let mut statuses: HashMap<String, SdkCloudBackupStatus> = self
            .tasks
            .values()
            .filter(|t| volume.as_ref().is_none_or(|v| &t.volume_id == v))
            .map(|t| (t.id.clone(), status(t)))
            .collect();
        // Older clients (the SDK tutorial among them) look a volume's backup up by volume id:
        // asked by volume, the answer also carries its latest task under that id.
        if let Some(volume) = volume {
            let latest = self
                .tasks
                .values()
                .filter(|t| t.volume_id == volume)
                .max_by_key(|t| t.sequence);
            if let Some(task) = latest {
                statuses.insert(volume, status(task));
            }
        }
        Ok(statuses)
    }
}
