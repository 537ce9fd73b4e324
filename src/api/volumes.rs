//! Volume and snapshot calls (OpenStorageVolume).

use std::collections::{BTreeMap, HashMap};

use console_model::{table, volume};

use crate::error::AppError;
use crate::logic::as_code::Call;
use crate::proto::console;
use crate::proto::methods::open_storage_volume;
use crate::proto::volume_spec_update::{HaLevelOpt, SizeOpt};
use crate::proto::*;

use super::view::{self, Viewed};
use super::{metrics, Sdk};
use console_model::order;

/// Every volume and snapshot, in one InspectWithFilters call (never one call per volume).
pub async fn list(sdk: &Sdk) -> Result<Vec<SdkVolumeInspectResponse>, AppError> {
    // About 240 bytes a volume: `api::call` allows answers far beyond tonic's default 4 MiB.
    Ok(sdk
        .call(
            open_storage_volume::INSPECT_WITH_FILTERS,
            SdkVolumeInspectWithFiltersRequest::default(),
        )
        .await?
        .volumes)
}

/// The Inspect request: what the console reads a volume with, and the read that follows every
/// change to one.
pub fn inspect_request(id: &str) -> SdkVolumeInspectRequest {
    SdkVolumeInspectRequest {
        volume_id: id.to_string(),
        options: None,
    }
}

pub async fn inspect(sdk: &Sdk, id: &str) -> Result<Volume, AppError> {
    sdk.call(open_storage_volume::INSPECT, inspect_request(id))
        .await?
        .volume
        .ok_or_else(|| AppError::NotFound(format!("volume {id}")))
}

/// What the create form asks for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewVolume {
    pub name: String,
    pub size: u64,
    pub ha_level: i64,
    pub format: FsType,
    pub io_profile: IoProfile,
    pub labels: BTreeMap<String, String>,
    pub shared: bool,
    pub encrypted: bool,
    pub passphrase: String,
    /// The storage policy named in the spec; empty for the cluster's default, if any.
    pub storage_policy: String,
}

/// The result of Create: the volume's id, and whether it already existed (Create is
/// idempotent on name, so the console says so instead of pretending it made one).
#[derive(Debug, Clone, PartialEq)]
pub struct Created {
    pub id: String,
    pub existed: bool,
    /// The storage policy the volume was made under, and what it changed from the request
    /// ("size 1 GiB → 10 GiB").
    pub policy: String,
    pub changed: Vec<String>,
}

/// The Create request for a new volume, as sent (and as the form shows it as code).
pub fn create_request(new: &NewVolume) -> SdkVolumeCreateRequest {
    SdkVolumeCreateRequest {
        name: new.name.clone(),
        spec: Some(VolumeSpec {
            size: new.size,
            ha_level: new.ha_level,
            format: new.format as i32,
            io_profile: new.io_profile as i32,
            shared: new.shared,
            encrypted: new.encrypted,
            passphrase: new.passphrase.clone(),
            storage_policy: new.storage_policy.clone(),
            ..Default::default()
        }),
        labels: new.labels.clone().into_iter().collect(),
    }
}

pub async fn create(sdk: &Sdk, new: NewVolume) -> Result<Created, AppError> {
    let existing = sdk
        .call(
            open_storage_volume::ENUMERATE_WITH_FILTERS,
            SdkVolumeEnumerateWithFiltersRequest {
                name: new.name.clone(),
                ..Default::default()
            },
        )
        .await?
        .volume_ids;
    let request = create_request(&new);
    let asked = request.spec.clone().unwrap_or_default();
    let id = sdk
        .call(open_storage_volume::CREATE, request)
        .await?
        .volume_id;
    let existed = existing.contains(&id);
    // A storage policy may have changed the spec to fit: read back what was made.
    let made = if existed {
        None
    } else {
        sdk.call(
            open_storage_volume::INSPECT,
            SdkVolumeInspectRequest {
                volume_id: id.clone(),
                ..Default::default()
            },
        )
        .await
        .ok()
        .and_then(|answer| answer.volume?.spec)
    };
    let made = made.unwrap_or_default();
    Ok(Created {
        existed,
        id,
        changed: crate::logic::storage_policy::changes(&asked, &made),
        policy: made.storage_policy,
    })
}

// Each change's request is built by its own function, shared by the call and the form's
// "Show as code".

/// Deleting a volume or a snapshot, as sent (`Sdk::run`) and as shown as code.
pub fn delete_call(id: &str) -> Call {
    let request = SdkVolumeDeleteRequest {
        volume_id: id.to_string(),
    };
    Call::new(open_storage_volume::DELETE, &request)
}

fn update_request(
    id: &str,
    labels: HashMap<String, String>,
    spec: Option<VolumeSpecUpdate>,
) -> SdkVolumeUpdateRequest {
    SdkVolumeUpdateRequest {
        volume_id: id.to_string(),
        labels,
        spec,
    }
}

/// Sends an Update request built by one of the functions below.
pub async fn update(sdk: &Sdk, request: SdkVolumeUpdateRequest) -> Result<(), AppError> {
    sdk.call(open_storage_volume::UPDATE, request).await?;
    Ok(())
}

pub fn resize_request(id: &str, size: u64) -> SdkVolumeUpdateRequest {
    let spec = VolumeSpecUpdate {
        size_opt: Some(SizeOpt::Size(size)),
        ..Default::default()
    };
    update_request(id, HashMap::new(), Some(spec))
}

pub fn ha_level_request(id: &str, ha_level: i64) -> SdkVolumeUpdateRequest {
    let spec = VolumeSpecUpdate {
        ha_level_opt: Some(HaLevelOpt::HaLevel(ha_level)),
        ..Default::default()
    };
    update_request(id, HashMap::new(), Some(spec))
}

/// Sets who may use the volume: `owner` when not empty (administrators only), and the ACL,
/// which replaces the current one.
pub fn access_request(
    id: &str,
    owner: String,
    acls: crate::proto::ownership::AccessControl,
) -> SdkVolumeUpdateRequest {
    let spec = VolumeSpecUpdate {
        ownership: Some(Ownership {
            owner,
            acls: Some(acls),
        }),
        ..Default::default()
    };
    update_request(id, HashMap::new(), Some(spec))
}

/// Replaces the labels with `wanted`: new and changed ones are set, dropped ones are sent
/// empty, which the SDK reads as "remove".
pub fn labels_request(
    id: &str,
    current: &HashMap<String, String>,
    wanted: BTreeMap<String, String>,
) -> SdkVolumeUpdateRequest {
    let mut changes: HashMap<String, String> = current
        .keys()
        .filter(|k| !wanted.contains_key(*k))
        .map(|k| (k.clone(), String::new()))
        .collect();
    changes.extend(wanted);
    update_request(id, changes, None)
}

pub fn clone_request(name: &str, parent: &str) -> SdkVolumeCloneRequest {
    SdkVolumeCloneRequest {
        name: name.to_string(),
        parent_id: parent.to_string(),
        additional_labels: HashMap::new(),
    }
}

pub async fn clone_volume(sdk: &Sdk, name: &str, parent: &str) -> Result<String, AppError> {
    let request = clone_request(name, parent);
    Ok(sdk
        .call(open_storage_volume::CLONE, request)
        .await?
        .volume_id)
}

/// The SnapshotCreate request, as sent (and as the form shows it as code).
pub fn snapshot_request(volume: &str, name: &str) -> SdkVolumeSnapshotCreateRequest {
    SdkVolumeSnapshotCreateRequest {
        volume_id: volume.to_string(),
        name: name.to_string(),
        labels: HashMap::new(),
    }
}

pub async fn snapshot(sdk: &Sdk, volume: &str, name: &str) -> Result<String, AppError> {
    Ok(sdk
        .call(
            open_storage_volume::SNAPSHOT_CREATE,
            snapshot_request(volume, name),
        )
        .await?
        .snapshot_id)
}

/// Restoring a volume to one of its snapshots, as sent (`Sdk::run`) and as shown as code.
pub fn restore_call(volume: &str, snapshot: &str) -> Call {
    let request = SdkVolumeSnapshotRestoreRequest {
        volume_id: volume.to_string(),
        snapshot_id: snapshot.to_string(),
    };
    Call::new(open_storage_volume::SNAPSHOT_RESTORE, &request)
}

/// A volume and its snapshots (oldest first): one Inspect, one SnapshotEnumerate, and one
/// Inspect per snapshot not in `known` (snapshots do not change, so a refresh reuses them).
#[derive(Debug, Clone, PartialEq)]
pub struct VolumeDetail {
    pub volume: Volume,
    pub snapshots: Vec<Volume>,
}

pub async fn detail(
    sdk: &Sdk,
    id: &str,
    known: &std::collections::HashMap<String, Volume>,
) -> Result<VolumeDetail, AppError> {
    let volume = inspect(sdk, id).await?;
    let ids = sdk
        .call(
            open_storage_volume::SNAPSHOT_ENUMERATE,
            SdkVolumeSnapshotEnumerateRequest {
                volume_id: volume.id.clone(),
            },
        )
        .await?
        .volume_snapshot_ids;
    let mut snapshots = Vec::with_capacity(ids.len());
    for snap in ids {
        if let Some(seen) = known.get(&snap) {
            snapshots.push(seen.clone());
            continue;
        }
        match inspect(sdk, &snap).await {
            Ok(s) => snapshots.push(s),
            // Deleted between the two calls: simply not listed.
            Err(AppError::NotFound(_)) => {}
            Err(e) => return Err(e),
        }
    }
    order::sort_by_key(&mut snapshots, |s| s.ctime.map(|t| (t.seconds, t.nanos)));
    Ok(VolumeDetail { volume, snapshots })
}

/// Names for pickers and rows: volumes (not snapshots) whose name contains `contains` (every
/// one when empty) as (id, name) in the table's name order, at most `limit`, then the volumes
/// `ids` names wherever they sort. From console-server's view (one small call), or from one
/// listing where there is none.
pub async fn names(
    sdk: &Sdk,
    contains: &str,
    ids: &[String],
    limit: usize,
) -> Result<Vec<(String, String)>, AppError> {
    let asked = console::VolumeNamesRequest {
        contains: contains.to_string(),
        limit: limit as u32,
        ids: ids.to_vec(),
    };
    if let Viewed::Answered(answer) = view::names(sdk, asked).await? {
        return Ok(answer.names.into_iter().map(|n| (n.id, n.name)).collect());
    }
    let rows = volume::rows(&list(sdk).await?);
    let filter = console::VolumeFilter {
        name: contains.to_string(),
        ..Default::default()
    };
    let mut names: Vec<(String, String)> = table::select(&rows, &filter, table::Sort::of(None))
        .into_iter()
        .take(limit)
        .filter_map(|i| rows.get(i))
        .map(|row| (row.id.clone(), row.name.clone()))
        .collect();
    for row in rows.iter().filter(|r| ids.contains(&r.id)) {
        if !names.iter().any(|(id, _)| *id == row.id) {
            names.push((row.id.clone(), row.name.clone()));
        }
    }
    Ok(names)
}

/// The first `shown` volumes attached on, or with a replica on, a node in name order, and how
/// many there are: the view's answer, or the same filter and order over one listing.
pub async fn on_node(
    sdk: &Sdk,
    node: &str,
    shown: usize,
) -> Result<(Vec<console::VolumeRow>, u64), AppError> {
    let filter = console::VolumeFilter {
        node: node.to_string(),
        ..Default::default()
    };
    let sort = table::Sort::of(None);
    let first = view::Position::First;
    if let Viewed::Answered(page) = view::page(sdk, filter.clone(), sort, shown, first).await? {
        return Ok((page.rows, page.matched));
    }
    first_listed(sdk, &filter, shown).await
}

/// Without the view: the first `limit` rows of one listing that pass `filter`, in name order
/// (the view's own filter and order), and how many pass.
async fn first_listed(
    sdk: &Sdk,
    filter: &console::VolumeFilter,
    limit: usize,
) -> Result<(Vec<console::VolumeRow>, u64), AppError> {
    let rows = volume::rows(&list(sdk).await?);
    let picked = table::select(&rows, filter, table::Sort::of(None));
    let matched = picked.len() as u64;
    let first = picked
        .into_iter()
        .take(limit)
        .filter_map(|i| rows.get(i).cloned())
        .collect();
    Ok((first, matched))
}

/// Volumes (as the table lists them) per state: console-server's count, or one listing.
pub async fn state_counts(sdk: &Sdk) -> Result<Vec<(i32, u64)>, AppError> {
    if let Viewed::Answered(answer) = metrics::volume_states(sdk).await? {
        return Ok(answer
            .states
            .into_iter()
            .map(|s| (s.state, s.count))
            .collect());
    }
    let mut counts = BTreeMap::<i32, u64>::new();
    for row in volume::rows(&list(sdk).await?) {
        *counts.entry(row.state).or_default() += 1;
    }
    Ok(counts.into_iter().collect())
}
