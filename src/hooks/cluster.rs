//! Data several screens show: volume names (for pickers and readable rows), credentials and
//! backup tasks. One hook each, used wherever that data appears.

use std::time::Duration;

use leptos::prelude::*;

use crate::api::view::{self, ViewError};
use crate::api::{backups, credentials, volumes};
use crate::hooks::connection::use_connection;
use crate::hooks::query::{use_query, use_query_every, Query};
use crate::logic::backup_task;
use crate::proto::console::VolumeNamesRequest;
use crate::proto::{SdkCloudBackupStatus, SdkCredentialInspectResponse};

/// While a task runs its progress is read every second; otherwise every few seconds.
pub const FAST: Duration = Duration::from_secs(1);
pub const SLOW: Duration = Duration::from_secs(5);
const CREDENTIALS_EVERY: Duration = Duration::from_secs(10);
/// The most names a picker offers (the view service's largest answer).
const PICKER_NAMES: u32 = 1000;

/// Volumes (not snapshots) as (id, name), sorted by name.
pub type VolumeNames = Vec<(String, String)>;

/// Backup and restore tasks as (task id, status).
pub type TaskRows = Vec<(String, SdkCloudBackupStatus)>;

/// Names for pickers: from the console's view service (the first `PICKER_NAMES` by name, one
/// small call), or from a full SDK listing where the endpoint has no view.
pub fn use_volume_names() -> Query<VolumeNames> {
    let conn = use_connection();
    use_query(SLOW, move || {
        let sdk = conn.sdk.get_untracked();
        async move {
            let asked = VolumeNamesRequest {
                limit: PICKER_NAMES,
                ..Default::default()
            };
            match view::names(&sdk, asked).await {
                Ok(answer) => {
                    return Ok(answer.names.into_iter().map(|n| (n.id, n.name)).collect())
                }
                Err(ViewError::Failed(error)) => return Err(error),
                Err(ViewError::Absent(_)) => {}
            }
            let mut names: VolumeNames = volumes::list(&sdk)
                .await?
                .iter()
                .filter(|v| !console_model::volume::is_snapshot_item(v))
                .filter_map(|v| {
                    v.volume
                        .as_ref()
                        .map(|vol| (vol.id.clone(), v.name.clone()))
                })
                .collect();
            names.sort_by(|a, b| a.1.cmp(&b.1));
            Ok(names)
        }
    })
}

pub fn use_credentials() -> Query<Vec<SdkCredentialInspectResponse>> {
    let conn = use_connection();
    use_query(CREDENTIALS_EVERY, move || {
        let sdk = conn.sdk.get_untracked();
        async move { credentials::list(&sdk).await }
    })
}

/// Every task, read every second while one runs, every 5 s otherwise.
pub fn use_tasks() -> Query<TaskRows> {
    let conn = use_connection();
    use_query_every(
        |rows: &TaskRows| {
            if rows.iter().any(|(_, t)| backup_task::is_running(t.status)) {
                FAST
            } else {
                SLOW
            }
        },
        move || {
            let sdk = conn.sdk.get_untracked();
            async move { backups::statuses(&sdk).await.map(backup_task::rows) }
        },
    )
}
