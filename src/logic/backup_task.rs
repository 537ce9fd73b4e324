//! Backup and restore tasks as the console shows them: state names and tones, which are still
//! running, progress, and the order of the running-tasks table.

use std::collections::HashMap;

use super::status::Tone;
use crate::proto::{SdkCloudBackupOpType, SdkCloudBackupStatus, SdkCloudBackupStatusType as S};
use console_model::order;

/// A task's state for people, and its tone.
pub fn state(status: i32) -> (&'static str, Tone) {
    match S::try_from(status) {
        Ok(S::Queued) | Ok(S::NotStarted) => ("Queued", Tone::Unknown),
        Ok(S::Active) => ("Running", Tone::Good),
        Ok(S::Paused) => ("Paused", Tone::Warning),
        Ok(S::Done) => ("Done", Tone::Good),
        Ok(S::Failed) => ("Failed", Tone::Bad),
        Ok(S::Aborted) => ("Aborted", Tone::Bad),
        Ok(S::Stopped) => ("Stopped", Tone::Warning),
        _ => ("Unknown", Tone::Unknown),
    }
}

/// How the backups that finished since `since` (Unix seconds) ended, as (state, count) in a
/// fixed order (Done, Failed, Aborted, Stopped), plus those still running. Restores are not
/// counted. Only what the cluster still reports can be counted.
pub fn outcomes_since<'a>(
    statuses: impl IntoIterator<Item = &'a SdkCloudBackupStatus>,
    since: i64,
) -> Vec<(&'static str, usize)> {
    let order = [S::Done, S::Failed, S::Aborted, S::Stopped];
    let mut counts = [0usize; 4];
    let mut running = 0;
    for s in statuses
        .into_iter()
        .filter(|s| s.optype == SdkCloudBackupOpType::BackupOp as i32)
    {
        if is_running(s.status) {
            running += 1;
            continue;
        }
        let finished = s.completed_time.map_or(0, |t| t.seconds);
        if finished < since {
            continue;
        }
        if let Some(count) = order
            .iter()
            .position(|o| *o as i32 == s.status)
            .and_then(|i| counts.get_mut(i))
        {
            *count += 1;
        }
    }
    let mut out: Vec<(&'static str, usize)> = order
        .iter()
        .zip(counts)
        .map(|(o, n)| (state(*o as i32).0, n))
        .collect();
    out.push(("Running", running));
    out
}

/// The backup that finished last (restores and running tasks aside): what the fleet page says
/// of a cluster's backups. Ties on the second go to the task id, so the answer is stable.
pub fn last_finished<'a>(
    statuses: impl IntoIterator<Item = (&'a String, &'a SdkCloudBackupStatus)>,
) -> Option<&'a SdkCloudBackupStatus> {
    statuses
        .into_iter()
        .filter(|(_, s)| s.optype == SdkCloudBackupOpType::BackupOp as i32 && !is_running(s.status))
        .max_by_key(|(id, s)| (s.completed_time.map_or(0, |t| t.seconds), *id))
        .map(|(_, s)| s)
}

/// Queued, running or paused: the task may still change, so keep polling quickly.
pub fn is_running(status: i32) -> bool {
    matches!(
        S::try_from(status),
        Ok(S::Queued) | Ok(S::NotStarted) | Ok(S::Active) | Ok(S::Paused)
    )
}

pub fn kind(optype: i32) -> &'static str {
    match SdkCloudBackupOpType::try_from(optype) {
        Ok(SdkCloudBackupOpType::RestoreOp) => "Restore",
        Ok(SdkCloudBackupOpType::BackupOp) => "Backup",
        _ => "Other",
    }
}

/// Whole percent done (0 when the total is unknown).
pub fn percent(task: &SdkCloudBackupStatus) -> u8 {
    super::format::percent(task.bytes_done, task.bytes_total)
}

/// What a task's progress cell shows: a text, and the bar's percent when it is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub text: String,
    pub percent: Option<u8>,
}

/// Progress from what the server reports, for every combination it may send: clusters that
/// report no total (upstream's fake reports a finished backup as the volume's size of 0 B)
/// get no made-up percentage or "of 0 B".
pub fn progress(task: &SdkCloudBackupStatus) -> Progress {
    use super::format::bytes;
    let done = task.bytes_done;
    if task.bytes_total > 0 {
        let percent = percent(task);
        return Progress {
            text: format!(
                "{} of {} ({percent}%)",
                bytes(done),
                bytes(task.bytes_total)
            ),
            percent: Some(percent),
        };
    }
    let finished = task.status == S::Done as i32;
    let text = match (done, finished, is_running(task.status)) {
        (0, true, _) => "Done".to_string(),
        (0, false, true) => "Starting (size not reported)".to_string(),
        (0, false, false) => "—".to_string(),
        (_, _, true) => format!("{} so far (total not reported)", bytes(done)),
        (_, _, false) => format!("{} (total not reported)", bytes(done)),
    };
    Progress {
        text,
        percent: finished.then_some(100),
    }
}

/// Average bytes per second, only when the server accounts for what it transfers (a total)
/// and the task has run for a measurable time; `now` stands in for a running task's end.
pub fn average_rate(task: &SdkCloudBackupStatus, now: i64) -> Option<f64> {
    let start = task.start_time.map_or(0, |s| s.seconds);
    let end = task.completed_time.map_or(now, |c| c.seconds).min(now);
    if task.bytes_total == 0 || start <= 0 || end <= start {
        return None;
    }
    Some(super::format::average_rate(task.bytes_done, end - start))
}

/// Time left, only while a task runs and the server estimates it.
pub fn eta_seconds(task: &SdkCloudBackupStatus) -> Option<i64> {
    (is_running(task.status) && task.eta_seconds > 0).then_some(task.eta_seconds)
}

/// A backup's `type` metadata for people: `full` → "Full"; unknown values as they are.
pub fn backup_type(kind: &str) -> String {
    match kind {
        "full" => "Full".into(),
        "incremental" => "Incremental".into(),
        other => other.to_string(),
    }
}

/// Status entries as rows: running first, then newest first. Entries a server adds under a
/// volume id for older clients (a copy of a task) are dropped.
pub fn rows(
    statuses: HashMap<String, SdkCloudBackupStatus>,
) -> Vec<(String, SdkCloudBackupStatus)> {
    let mut rows: Vec<(String, SdkCloudBackupStatus)> = statuses
        .iter()
        .filter(|(key, task)| {
            !(**key == task.src_volume_id
                && statuses
                    .iter()
                    .any(|(other, t)| other != *key && t.backup_id == task.backup_id))
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    order::sort_by(&mut rows, |(ka, a), (kb, b)| {
        let started = |t: &SdkCloudBackupStatus| t.start_time.map_or(i64::MAX, |s| s.seconds);
        is_running(b.status)
            .cmp(&is_running(a.status))
            .then(started(b).cmp(&started(a)))
            .then(ka.cmp(kb))
    });
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finished(op: SdkCloudBackupOpType, status: S, finished: i64) -> SdkCloudBackupStatus {
        SdkCloudBackupStatus {
            optype: op as i32,
            status: status as i32,
            completed_time: Some(prost_types::Timestamp {
                seconds: finished,
                nanos: 0,
            }),
            ..Default::default()
        }
    }

    #[test]
    fn the_last_finished_backup_is_the_latest_backup_not_a_restore_or_a_running_one() {
        let backup = SdkCloudBackupOpType::BackupOp;
        let tasks: HashMap<String, SdkCloudBackupStatus> = [
            ("a", finished(backup, S::Done, 1000)),
            ("b", finished(backup, S::Failed, 1200)),
            (
                "c",
                finished(SdkCloudBackupOpType::RestoreOp, S::Done, 1300),
            ),
            ("d", finished(backup, S::Active, 1400)),
        ]
        .into_iter()
        .map(|(id, t)| (id.to_string(), t))
        .collect();
        let last = last_finished(&tasks).unwrap();
        assert_eq!(state(last.status).0, "Failed");
        assert!(last_finished(&HashMap::new()).is_none());
    }

    #[test]
    fn outcomes_count_backups_finished_in_the_window() {
        let backup = SdkCloudBackupOpType::BackupOp;
        let restore = SdkCloudBackupOpType::RestoreOp;
        let all = [
            finished(backup, S::Done, 1000),
            finished(backup, S::Done, 1500),
            finished(backup, S::Failed, 1200),
            finished(backup, S::Failed, 10),
            finished(restore, S::Failed, 1200),
            finished(backup, S::Active, 0),
        ];
        assert_eq!(
            outcomes_since(&all, 500),
            vec![
                ("Done", 2),
                ("Failed", 1),
                ("Aborted", 0),
                ("Stopped", 0),
                ("Running", 1)
            ]
        );
    }

    fn task(volume: &str, backup: &str, status: S, started: i64) -> SdkCloudBackupStatus {
        SdkCloudBackupStatus {
            src_volume_id: volume.into(),
            backup_id: backup.into(),
            status: status as i32,
            start_time: Some(prost_types::Timestamp {
                seconds: started,
                nanos: 0,
            }),
            bytes_done: 25,
            bytes_total: 100,
            ..Default::default()
        }
    }

    #[test]
    fn running_first_newest_first_without_volume_copies() {
        let statuses: HashMap<String, SdkCloudBackupStatus> = [
            ("t1".to_string(), task("v1", "b1", S::Done, 10)),
            ("t2".to_string(), task("v1", "b2", S::Active, 5)),
            ("t3".to_string(), task("v2", "b3", S::Done, 20)),
            ("v1".to_string(), task("v1", "b2", S::Active, 5)),
        ]
        .into();
        let keys: Vec<String> = rows(statuses).into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["t2", "t3", "t1"]);
    }

    fn reported(status: S, done: u64, total: u64) -> SdkCloudBackupStatus {
        SdkCloudBackupStatus {
            status: status as i32,
            bytes_done: done,
            bytes_total: total,
            start_time: Some(prost_types::Timestamp {
                seconds: 1_000,
                nanos: 0,
            }),
            completed_time: (!is_running(status as i32)).then_some(prost_types::Timestamp {
                seconds: 1_001,
                nanos: 0,
            }),
            eta_seconds: 7,
            ..Default::default()
        }
    }

    const GIB: u64 = 1 << 30;

    #[test]
    fn progress_makes_sense_for_whatever_a_server_reports() {
        // A cluster that reports totals.
        let p = progress(&reported(S::Active, 5 * GIB, 20 * GIB));
        assert_eq!(
            (p.text.as_str(), p.percent),
            ("5 GiB of 20 GiB (25%)", Some(25))
        );
        // More done than the total (a server rounding): capped, never above 100 %.
        assert_eq!(progress(&reported(S::Active, 30, 20)).percent, Some(100));
        // Upstream's fake: Done, the volume's size as done, no total.
        let p = progress(&reported(S::Done, 120 * GIB, 0));
        assert_eq!(p.text, "120 GiB (total not reported)");
        assert_eq!(p.percent, Some(100));
        assert!(!p.text.contains("of 0 B"));
        // Running without a total: no bar value (indeterminate), no percentage.
        let p = progress(&reported(S::Active, GIB, 0));
        assert_eq!(
            (p.text.as_str(), p.percent),
            ("1 GiB so far (total not reported)", None)
        );
        assert_eq!(progress(&reported(S::Queued, 0, 0)).percent, None);
        assert_eq!(progress(&reported(S::Done, 0, 0)).text, "Done");
        assert_eq!(progress(&reported(S::Failed, 0, 0)).text, "—");
    }

    #[test]
    fn rates_and_etas_only_from_figures_that_support_them() {
        // 120 GiB "in one second" with no total reported is not a rate.
        assert_eq!(average_rate(&reported(S::Done, 120 * GIB, 0), 2_000), None);
        assert_eq!(
            average_rate(&reported(S::Done, GIB, GIB), 2_000),
            Some(GIB as f64)
        );
        // A completion time in the future (upstream's fake says now + 1 s) is cut at now.
        assert_eq!(average_rate(&reported(S::Done, GIB, GIB), 1_000), None);
        assert_eq!(eta_seconds(&reported(S::Active, 1, 2)), Some(7));
        assert_eq!(eta_seconds(&reported(S::Done, 2, 2)), None);
        assert_eq!(backup_type("full"), "Full");
        assert_eq!(backup_type("weird"), "weird");
    }

    #[test]
    fn names_and_progress() {
        assert_eq!(state(S::Active as i32), ("Running", Tone::Good));
        assert_eq!(state(S::Failed as i32).0, "Failed");
        assert!(is_running(S::Paused as i32));
        assert!(!is_running(S::Done as i32));
        assert_eq!(percent(&task("v", "b", S::Active, 0)), 25);
        assert_eq!(kind(SdkCloudBackupOpType::RestoreOp as i32), "Restore");
    }
}
