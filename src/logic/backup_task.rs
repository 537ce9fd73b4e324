//! Backup and restore tasks as the console shows them: state names and tones, which are still
//! running, progress, and the order of the running-tasks table.

use std::collections::HashMap;

use super::status::Tone;
use crate::proto::{SdkCloudBackupOpType, SdkCloudBackupStatus, SdkCloudBackupStatusType as S};

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
    rows.sort_by(|(ka, a), (kb, b)| {
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
