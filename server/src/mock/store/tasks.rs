//! Backup and restore tasks and how they progress. A task is Queued, then Active at the
//! cluster's backup rate, then Done (or Failed, or Stopped); one task per volume runs at a time.
//! Progress is computed from the clock whenever the store is touched, so no background thread
//! is needed and tests can step time.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::proto::{SdkCloudBackupOpType, SdkCloudBackupStatusType};

/// How long a new task waits in the queue before it may start, as a real cluster takes a
/// moment to snapshot the volume and contact the object store.
pub const QUEUE_DELAY: Duration = Duration::from_millis(300);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Backup,
    Restore,
}

impl Op {
    pub fn noun(self) -> &'static str {
        match self {
            Op::Backup => "backup",
            Op::Restore => "restore",
        }
    }

    pub fn optype(self) -> SdkCloudBackupOpType {
        match self {
            Op::Backup => SdkCloudBackupOpType::BackupOp,
            Op::Restore => SdkCloudBackupOpType::RestoreOp,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Queued,
    Active,
    Done,
    Failed,
    Stopped,
}

impl Phase {
    pub fn status(self) -> SdkCloudBackupStatusType {
        use SdkCloudBackupStatusType as S;
        match self {
            Phase::Queued => S::Queued,
            Phase::Active => S::Active,
            Phase::Done => S::Done,
            Phase::Failed => S::Failed,
            Phase::Stopped => S::Stopped,
        }
    }

    pub fn is_finished(self) -> bool {
        matches!(self, Phase::Done | Phase::Failed | Phase::Stopped)
    }
}

/// A planned failure (from `--fail-backups-matching`): the task fails once this many bytes
/// are transferred, with this reason in `info`.
#[derive(Debug, Clone)]
pub struct PlannedFailure {
    pub at_bytes: u64,
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct Task {
    pub id: String,
    pub op: Op,
    /// Backup: the volume backed up. Restore: the new volume written to.
    pub volume_id: String,
    pub credential_id: String,
    /// Backup: the id the backup gets in the cloud. Restore: the backup restored.
    pub backup_id: String,
    pub bytes_total: u64,
    pub bytes_done: f64,
    /// Size of the volume backed up or restored (what upstream's fake reports as done).
    pub volume_size: u64,
    pub phase: Phase,
    /// Creation order; earlier tasks of a volume run first.
    pub sequence: u64,
    /// Not started before this instant (queue delay, or the time a schedule was due).
    pub not_before: Instant,
    pub started: Option<Instant>,
    pub finished: Option<Instant>,
    /// When progress was last accounted.
    last_tick: Instant,
    pub info: Vec<String>,
    pub failure: Option<PlannedFailure>,
    pub node_id: String,
    /// What the finished backup records (labels, type, base); see `catalog`.
    pub backup: Option<super::catalog::BackupPlan>,
}

impl Task {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id: String,
        op: Op,
        volume_id: String,
        credential_id: String,
        backup_id: String,
        bytes_total: u64,
        sequence: u64,
        not_before: Instant,
        node_id: String,
    ) -> Task {
        Task {
            id,
            op,
            volume_id,
            credential_id,
            backup_id,
            bytes_total,
            bytes_done: 0.0,
            volume_size: 0,
            phase: Phase::Queued,
            sequence,
            not_before,
            started: None,
            finished: None,
            last_tick: not_before,
            info: Vec::new(),
            failure: None,
            node_id,
            backup: None,
        }
    }

    /// Queued, active or paused: holds its volume and counts as in progress.
    pub fn is_running(&self) -> bool {
        !self.phase.is_finished()
    }

    /// Seconds until done at `rate` bytes/s (what is left, whatever the phase).
    pub fn eta_seconds(&self, rate: f64) -> i64 {
        if self.phase.is_finished() {
            return 0;
        }
        let left = (self.bytes_total as f64 - self.bytes_done).max(0.0);
        (left / rate).ceil() as i64
    }

    pub fn stop(&mut self, now: Instant) -> Result<(), String> {
        if self.phase.is_finished() {
            return Err(self.refusal("stopped", self.phase, "queued or active"));
        }
        self.phase = Phase::Stopped;
        self.finished = Some(now);
        self.info.push("stopped by request".into());
        Ok(())
    }

    fn refusal(&self, verb: &str, phase: Phase, allowed: &str) -> String {
        format!(
            "task {} is {}; only {allowed} tasks can be {verb}",
            self.id,
            phase_word(phase)
        )
    }
}

pub fn phase_word(phase: Phase) -> &'static str {
    match phase {
        Phase::Queued => "queued",
        Phase::Active => "active",
        Phase::Done => "done",
        Phase::Failed => "failed",
        Phase::Stopped => "stopped",
    }
}

/// Whether a volume is free for the next task, and from when.
#[derive(Clone, Copy)]
enum Busy {
    Until(Instant),
    Indefinitely,
}

/// Advances every task to `now` at `rate` bytes/s. Returns the ids of tasks that finished
/// during this call (Done or Failed), in the order they finished, for their effects.
pub fn advance(tasks: &mut HashMap<String, Task>, rate: f64, now: Instant) -> Vec<String> {
    let mut order: Vec<(u64, String)> =
        tasks.values().map(|t| (t.sequence, t.id.clone())).collect();
    order.sort();
    let mut busy: HashMap<String, Busy> = HashMap::new();
    let mut finished = Vec::new();
    for (_, id) in order {
        let task = tasks.get_mut(&id).expect("listed task");
        loop {
            match task.phase {
                Phase::Queued => {
                    let free_at = match busy.get(&task.volume_id) {
                        Some(Busy::Indefinitely) => None,
                        Some(Busy::Until(t)) => Some((*t).max(task.not_before)),
                        None => Some(task.not_before),
                    };
                    match free_at {
                        Some(at) if at <= now => {
                            task.phase = Phase::Active;
                            task.started.get_or_insert(at);
                            task.last_tick = at;
                            task.info.clear();
                            continue;
                        }
                        _ => {
                            // Queued tasks keep their place: later ones of the volume wait too.
                            busy.insert(task.volume_id.clone(), Busy::Indefinitely);
                        }
                    }
                }
                Phase::Active => {
                    let target = task
                        .failure
                        .as_ref()
                        .map_or(task.bytes_total, |f| f.at_bytes.min(task.bytes_total))
                        as f64;
                    let needed =
                        Duration::from_secs_f64(((target - task.bytes_done) / rate).max(0.0));
                    let end = task.last_tick + needed;
                    if end <= now {
                        task.bytes_done = target;
                        task.finished = Some(end);
                        task.phase = match &task.failure {
                            Some(failure) if failure.at_bytes < task.bytes_total => {
                                task.info = vec![failure.reason.clone()];
                                Phase::Failed
                            }
                            _ => Phase::Done,
                        };
                        busy.insert(task.volume_id.clone(), Busy::Until(end));
                        finished.push((end, id.clone()));
                    } else {
                        task.bytes_done += rate * now.duration_since(task.last_tick).as_secs_f64();
                        task.last_tick = now;
                        busy.insert(task.volume_id.clone(), Busy::Indefinitely);
                    }
                }
                Phase::Done | Phase::Failed | Phase::Stopped => {}
            }
            break;
        }
    }
    finished.sort();
    finished.into_iter().map(|(_, id)| id).collect()
}

/// How long finished tasks stay in Status, and how many at most, as a real cluster forgets old
/// tasks (their outcome stays in History and the catalog).
pub const KEEP_FINISHED_FOR: Duration = Duration::from_secs(24 * 3600);
pub const MAX_FINISHED: usize = 500;

/// Drops finished tasks older than `keep_for`, then the oldest finished beyond `max_finished`.
pub fn prune(
    tasks: &mut HashMap<String, Task>,
    now: Instant,
    keep_for: Duration,
    max_finished: usize,
) {
    tasks.retain(|_, t| {
        t.finished
            .is_none_or(|at| now.saturating_duration_since(at) < keep_for)
    });
    let mut finished: Vec<(Instant, String)> = tasks
        .values()
        .filter_map(|t| t.finished.map(|at| (at, t.id.clone())))
        .collect();
    if finished.len() > max_finished {
        finished.sort();
        for (_, id) in finished.iter().take(finished.len() - max_finished) {
            tasks.remove(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RATE: f64 = 100.0;

    fn task(id: &str, volume: &str, total: u64, seq: u64, at: Instant) -> Task {
        Task::new(
            id.into(),
            Op::Backup,
            volume.into(),
            "cred".into(),
            format!("b-{id}"),
            total,
            seq,
            at,
            "node".into(),
        )
    }

    fn tasks(list: Vec<Task>) -> HashMap<String, Task> {
        list.into_iter().map(|t| (t.id.clone(), t)).collect()
    }

    #[test]
    fn a_task_is_queued_then_active_then_done() {
        let t0 = Instant::now();
        let mut all = tasks(vec![task("a", "v", 1000, 1, t0 + QUEUE_DELAY)]);
        advance(&mut all, RATE, t0);
        assert_eq!(all["a"].phase, Phase::Queued);
        assert_eq!(all["a"].eta_seconds(RATE), 10);

        advance(&mut all, RATE, t0 + QUEUE_DELAY + Duration::from_secs(4));
        assert_eq!(all["a"].phase, Phase::Active);
        assert!((all["a"].bytes_done - 400.0).abs() < 1.0);
        assert_eq!(all["a"].eta_seconds(RATE), 6);

        let done = advance(&mut all, RATE, t0 + Duration::from_secs(60));
        assert_eq!(done, vec!["a".to_string()]);
        assert_eq!(all["a"].phase, Phase::Done);
        assert_eq!(all["a"].bytes_done, 1000.0);
        // Finished when the bytes ran out, not when someone looked.
        assert_eq!(
            all["a"].finished,
            Some(t0 + QUEUE_DELAY + Duration::from_secs(10))
        );
    }

    #[test]
    fn one_task_per_volume_at_a_time_in_order() {
        let t0 = Instant::now();
        let mut all = tasks(vec![
            task("first", "v", 500, 1, t0),
            task("second", "v", 500, 2, t0),
            task("other", "w", 500, 3, t0),
        ]);
        advance(&mut all, RATE, t0 + Duration::from_secs(1));
        assert_eq!(all["first"].phase, Phase::Active);
        assert_eq!(all["second"].phase, Phase::Queued);
        assert_eq!(all["other"].phase, Phase::Active);
        // The second starts exactly when the first ends and progresses from there.
        advance(&mut all, RATE, t0 + Duration::from_secs(7));
        assert_eq!(all["first"].phase, Phase::Done);
        assert_eq!(all["second"].started, Some(t0 + Duration::from_secs(5)));
        assert!((all["second"].bytes_done - 200.0).abs() < 1.0);
    }

    #[test]
    fn stop_ends_a_running_task_once() {
        let t0 = Instant::now();
        let mut all = tasks(vec![task("a", "v", 1000, 1, t0)]);
        advance(&mut all, RATE, t0 + Duration::from_secs(2));
        let a = all.get_mut("a").unwrap();
        a.stop(t0 + Duration::from_secs(2)).unwrap();
        assert_eq!(a.phase, Phase::Stopped);
        assert!(a.stop(t0).unwrap_err().contains("only queued or active"));
        advance(&mut all, RATE, t0 + Duration::from_secs(50));
        assert!((all["a"].bytes_done - 200.0).abs() < 1.0);
    }

    #[test]
    fn old_and_excess_finished_tasks_are_forgotten_running_ones_never() {
        let t0 = Instant::now();
        let mut all = tasks(vec![
            task("old", "a", 100, 1, t0),
            task("newer", "b", 100, 2, t0),
            task("newest", "c", 100, 3, t0),
            task("running", "d", 1_000_000, 4, t0),
        ]);
        advance(&mut all, RATE, t0 + Duration::from_secs(5));
        all.get_mut("old").unwrap().finished = Some(t0);
        all.get_mut("newer").unwrap().finished = Some(t0 + Duration::from_secs(100));
        all.get_mut("newest").unwrap().finished = Some(t0 + Duration::from_secs(200));
        prune(
            &mut all,
            t0 + KEEP_FINISHED_FOR + Duration::from_secs(50),
            KEEP_FINISHED_FOR,
            10,
        );
        assert!(!all.contains_key("old"), "finished longer ago than kept");
        prune(
            &mut all,
            t0 + KEEP_FINISHED_FOR + Duration::from_secs(50),
            KEEP_FINISHED_FOR,
            1,
        );
        let mut left: Vec<_> = all.keys().cloned().collect();
        left.sort();
        assert_eq!(left, ["newest", "running"]);
    }

    #[test]
    fn a_planned_failure_fails_part_way_with_its_reason() {
        let t0 = Instant::now();
        let mut t = task("a", "v", 1000, 1, t0);
        t.failure = Some(PlannedFailure {
            at_bytes: 400,
            reason: "injected".into(),
        });
        let mut all = tasks(vec![t]);
        advance(&mut all, RATE, t0 + Duration::from_secs(3));
        assert_eq!(all["a"].phase, Phase::Active);
        advance(&mut all, RATE, t0 + Duration::from_secs(5));
        assert_eq!(all["a"].phase, Phase::Failed);
        assert_eq!(all["a"].bytes_done, 400.0);
        assert_eq!(all["a"].info, vec!["injected".to_string()]);
    }
}
