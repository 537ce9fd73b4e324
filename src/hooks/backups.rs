//! Queries of the backup screens: what is stored in the cloud, a volume's history, schedules.

use std::time::Duration;

use leptos::prelude::*;

use crate::api::backups::{self, StoredBackup};
use crate::api::credentials;
use crate::hooks::connection::use_connection;
use crate::hooks::polled::{use_keyed_polled, use_polled, Polled};
use crate::hooks::shared_queries::SLOW;
use crate::proto::{
    SdkCloudBackupHistoryItem, SdkCloudBackupScheduleInfo, SdkCloudBackupStatusType,
    SdkSchedulePolicy,
};

const HISTORY_EVERY: Duration = Duration::from_secs(2);
const SCHEDULES_EVERY: Duration = Duration::from_secs(10);

/// What the catalog is narrowed to: a volume id and a credential id (empty for all) and a state.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogFilter {
    pub volume: String,
    pub credential: String,
    pub state: SdkCloudBackupStatusType,
}

/// Backups in the cloud matching `filter`, fetched again as soon as it changes.
pub fn use_catalog(
    filter: impl Fn() -> CatalogFilter + Send + Sync + 'static,
) -> Polled<Vec<StoredBackup>> {
    let conn = use_connection();
    use_keyed_polled(
        filter,
        |_| SLOW,
        move |filter: CatalogFilter| {
            let sdk = conn.sdk.get_untracked();
            async move {
                // Every credential in turn: a real cluster lists backups without a credential
                // only when exactly one exists.
                let through = if filter.credential.is_empty() {
                    credentials::ids(&sdk).await?
                } else {
                    vec![filter.credential.clone()]
                };
                backups::catalog(&sdk, &filter.volume, &through, filter.state).await
            }
        },
    )
}

/// A volume's backup history, newest first as the cluster returns it.
pub fn use_history(volume_id: String) -> Polled<Vec<SdkCloudBackupHistoryItem>> {
    let conn = use_connection();
    use_polled(HISTORY_EVERY, move || {
        let sdk = conn.sdk.get_untracked();
        let id = volume_id.clone();
        async move { backups::history(&sdk, &id).await }
    })
}

/// Backup schedules as (id, schedule).
pub type ScheduleRows = Vec<(String, SdkCloudBackupScheduleInfo)>;

/// Schedules, and the schedule policies offered as templates. Policies are only a convenience:
/// a caller who may not read them (a guest on a real cluster) still sees and manages schedules.
pub fn use_schedules() -> Polled<(ScheduleRows, Vec<SdkSchedulePolicy>)> {
    let conn = use_connection();
    use_polled(SCHEDULES_EVERY, move || {
        let sdk = conn.sdk.get_untracked();
        async move {
            let schedules = backups::schedules(&sdk).await?;
            let policies = backups::policies(&sdk).await.unwrap_or_default();
            Ok((schedules, policies))
        }
    })
}
