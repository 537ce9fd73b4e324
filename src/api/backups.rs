//! Cloud backup calls (OpenStorageCloudBackup, and SchedulePolicy for schedule templates).

use std::collections::HashMap;

use crate::error::AppError;
use crate::logic::as_code::Call;
use crate::proto::methods::{open_storage_cloud_backup, open_storage_schedule_policy};
use crate::proto::*;

use super::Sdk;
use console_model::order;

/// Every backup and restore task the cluster reports, keyed by task id.
pub async fn statuses(sdk: &Sdk) -> Result<HashMap<String, SdkCloudBackupStatus>, AppError> {
    Ok(sdk
        .call(
            open_storage_cloud_backup::STATUS,
            SdkCloudBackupStatusRequest::default(),
        )
        .await?
        .statuses)
}

/// The backup Create request, as sent (and as the form shows it as code).
pub fn start_request(
    volume: &str,
    credential: &str,
    full: bool,
    labels: HashMap<String, String>,
) -> SdkCloudBackupCreateRequest {
    SdkCloudBackupCreateRequest {
        volume_id: volume.to_string(),
        credential_id: credential.to_string(),
        full,
        labels,
        ..Default::default()
    }
}

pub async fn start(sdk: &Sdk, request: SdkCloudBackupCreateRequest) -> Result<String, AppError> {
    Ok(sdk
        .call(open_storage_cloud_backup::CREATE, request)
        .await?
        .task_id)
}

pub async fn change_state(
    sdk: &Sdk,
    task: &str,
    state: SdkCloudBackupRequestedState,
) -> Result<(), AppError> {
    sdk.call(
        open_storage_cloud_backup::STATE_CHANGE,
        SdkCloudBackupStateChangeRequest {
            task_id: task.to_string(),
            requested_state: state as i32,
        },
    )
    .await?;
    Ok(())
}

/// A volume's finished backups, newest first.
pub async fn history(sdk: &Sdk, volume: &str) -> Result<Vec<SdkCloudBackupHistoryItem>, AppError> {
    let mut items = sdk
        .call(
            open_storage_cloud_backup::HISTORY,
            SdkCloudBackupHistoryRequest {
                src_volume_id: volume.to_string(),
            },
        )
        .await?
        .history_list;
    order::sort_by_key(&mut items, |i| {
        std::cmp::Reverse(i.timestamp.map(|t| (t.seconds, t.nanos)))
    });
    Ok(items)
}

/// A backup in the cloud and the credential it was listed with: the one to restore or delete
/// it with (real clusters pick a credential only when exactly one exists).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredBackup {
    pub info: SdkCloudBackupInfo,
    pub credential_id: String,
}

/// Backups stored in the cloud through `credentials` (every page of each), merged and newest
/// first. A backup reachable through two credentials (one bucket) is listed once.
pub async fn catalog(
    sdk: &Sdk,
    volume: &str,
    credentials: &[String],
    status: SdkCloudBackupStatusType,
) -> Result<Vec<StoredBackup>, AppError> {
    let mut all: Vec<StoredBackup> = Vec::new();
    for credential in credentials {
        for info in catalog_of(sdk, volume, credential, status).await? {
            if !all.iter().any(|b| b.info.id == info.id) {
                all.push(StoredBackup {
                    info,
                    credential_id: credential.clone(),
                });
            }
        }
    }
    order::sort_by_key(&mut all, |b| {
        std::cmp::Reverse(b.info.timestamp.map(|t| (t.seconds, t.nanos)))
    });
    Ok(all)
}

async fn catalog_of(
    sdk: &Sdk,
    volume: &str,
    credential: &str,
    status: SdkCloudBackupStatusType,
) -> Result<Vec<SdkCloudBackupInfo>, AppError> {
    let mut all = Vec::new();
    let mut token = String::new();
    loop {
        let page = sdk
            .call(
                open_storage_cloud_backup::ENUMERATE_WITH_FILTERS,
                SdkCloudBackupEnumerateWithFiltersRequest {
                    src_volume_id: volume.to_string(),
                    credential_id: credential.to_string(),
                    status_filter: status as i32,
                    max_backups: 500,
                    continuation_token: token,
                    ..Default::default()
                },
            )
            .await?;
        let before = all.len();
        all.extend(page.backups);
        // A server that ignores paging (upstream's fake) must not make this loop forever.
        if page.continuation_token.is_empty() || all.len() == before {
            break;
        }
        token = page.continuation_token;
    }
    Ok(all)
}

/// The Status request that follows a started backup or restore, as the tutorial polls it.
pub fn status_request(volume: &str, task: &str) -> SdkCloudBackupStatusRequest {
    SdkCloudBackupStatusRequest {
        volume_id: volume.to_string(),
        task_id: task.to_string(),
        ..Default::default()
    }
}

pub fn restore_request(backup: &str, name: &str, credential: &str) -> SdkCloudBackupRestoreRequest {
    SdkCloudBackupRestoreRequest {
        backup_id: backup.to_string(),
        restore_volume_name: name.to_string(),
        credential_id: credential.to_string(),
        ..Default::default()
    }
}

pub async fn restore(
    sdk: &Sdk,
    request: SdkCloudBackupRestoreRequest,
) -> Result<SdkCloudBackupRestoreResponse, AppError> {
    Ok(sdk
        .call(open_storage_cloud_backup::RESTORE, request)
        .await?)
}

/// Deleting a backup from the cloud, as sent (`Sdk::run`) and as shown as code.
pub fn delete_call(backup: &str, credential: &str) -> Call {
    let request = SdkCloudBackupDeleteRequest {
        backup_id: backup.to_string(),
        credential_id: credential.to_string(),
        ..Default::default()
    };
    Call::new(open_storage_cloud_backup::DELETE, &request)
}

pub async fn schedules(sdk: &Sdk) -> Result<Vec<(String, SdkCloudBackupScheduleInfo)>, AppError> {
    let mut all: Vec<_> = sdk
        .call(
            open_storage_cloud_backup::SCHED_ENUMERATE,
            SdkCloudBackupSchedEnumerateRequest {},
        )
        .await?
        .cloud_sched_list
        .into_iter()
        .collect();
    order::sort_by(&mut all, |a, b| {
        a.1.src_volume_id
            .cmp(&b.1.src_volume_id)
            .then(a.0.cmp(&b.0))
    });
    Ok(all)
}

/// The SchedCreate request, as sent (and as the form shows it as code).
pub fn schedule_request(info: SdkCloudBackupScheduleInfo) -> SdkCloudBackupSchedCreateRequest {
    SdkCloudBackupSchedCreateRequest {
        cloud_sched_info: Some(info),
    }
}

pub async fn create_schedule(
    sdk: &Sdk,
    info: SdkCloudBackupScheduleInfo,
) -> Result<String, AppError> {
    Ok(sdk
        .call(
            open_storage_cloud_backup::SCHED_CREATE,
            schedule_request(info),
        )
        .await?
        .backup_schedule_id)
}

/// Deleting a backup schedule, as sent (`Sdk::run`) and as shown as code.
pub fn delete_schedule_call(id: &str) -> Call {
    let request = SdkCloudBackupSchedDeleteRequest {
        backup_schedule_id: id.to_string(),
    };
    Call::new(open_storage_cloud_backup::SCHED_DELETE, &request)
}

pub async fn policies(sdk: &Sdk) -> Result<Vec<SdkSchedulePolicy>, AppError> {
    Ok(sdk
        .call(
            open_storage_schedule_policy::ENUMERATE,
            SdkSchedulePolicyEnumerateRequest {},
        )
        .await?
        .policies)
}
