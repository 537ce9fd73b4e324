//! Data several screens show: volume names (for pickers and readable rows), credentials and
//! backup tasks. One hook each, used wherever that data appears.

use std::time::Duration;

use leptos::prelude::*;

use crate::api::{backups, credentials, overview, volumes};
use crate::hooks::connection::use_connection;
use crate::hooks::polled::{use_keyed_polled, use_polled, use_polled_every, Polled};
use crate::logic::backup_task;
use crate::proto::{SdkCloudBackupStatus, SdkCredentialInspectResponse};
use console_model::order;

/// While a task runs its progress is read every second; otherwise every few seconds.
pub const FAST: Duration = Duration::from_secs(1);
pub const SLOW: Duration = Duration::from_secs(5);
const CREDENTIALS_EVERY: Duration = Duration::from_secs(10);
/// Nodes join and leave rarely.
const NODES_EVERY: Duration = Duration::from_secs(60);
/// The most names a picker offers at once; a search finds the others.
const PICKER_NAMES: usize = 100;

/// Volumes (not snapshots) as (id, name), in the volumes table's name order.
pub type VolumeNames = Vec<(String, String)>;

/// The cluster's nodes as (id, hostname).
pub type NodeNames = Vec<(String, String)>;

/// Backup and restore tasks as (task id, status).
pub type TaskRows = Vec<(String, SdkCloudBackupStatus)>;

/// Names for pickers and for rows that name volumes: the first `PICKER_NAMES` by name, plus
/// every volume in `named` (the volumes tasks and schedules are about), from the console's
/// view service (one small call) or a full SDK listing where the endpoint has no view.
pub fn use_volume_names(named: Signal<Vec<String>>) -> Polled<VolumeNames> {
    let conn = use_connection();
    use_keyed_polled(
        move || named.get(),
        |_| SLOW,
        move |ids: Vec<String>| {
            let sdk = conn.sdk.get_untracked();
            async move { volumes::names(&sdk, "", &ids, PICKER_NAMES).await }
        },
    )
}

/// The volumes whose names contain a picker's search text (none asked for while it is empty).
pub fn use_found_names(search: Signal<String>) -> Polled<VolumeNames> {
    let conn = use_connection();
    use_keyed_polled(
        move || search.with(|s| s.trim().to_string()),
        |_| SLOW,
        move |text: String| {
            let sdk = conn.sdk.get_untracked();
            async move {
                if text.is_empty() {
                    return Ok(Vec::new());
                }
                volumes::names(&sdk, &text, &[], PICKER_NAMES).await
            }
        },
    )
}

/// Node hostnames, for the places that name a node by id (a volume's replicas, the node
/// filter).
pub fn use_node_names() -> Polled<NodeNames> {
    let conn = use_connection();
    use_polled(NODES_EVERY, move || {
        let sdk = conn.sdk.get_untracked();
        async move {
            let nodes = overview::nodes(&sdk).await?;
            let mut names: NodeNames = nodes.into_iter().map(|n| (n.id, n.hostname)).collect();
            order::sort_by(&mut names, |a, b| a.1.cmp(&b.1));
            Ok(names)
        }
    })
}

pub fn use_credentials() -> Polled<Vec<SdkCredentialInspectResponse>> {
    let conn = use_connection();
    use_polled(CREDENTIALS_EVERY, move || {
        let sdk = conn.sdk.get_untracked();
        async move { credentials::list(&sdk).await }
    })
}

/// Every task, read every second while one runs, every 5 s otherwise.
pub fn use_tasks() -> Polled<TaskRows> {
    let conn = use_connection();
    use_polled_every(
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
