//! OpenStorageVolume: volumes and snapshots. The rules live on [`Store`]; the service only
//! unpacks requests.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use tonic::{Request, Response, Status};

use super::errors;
use super::ownership::{self, caller_of};
use crate::mock::io;
use crate::mock::store::{is_snapshot, labels_match, volume_labels, volume_name, Store};
use crate::mock::ClusterState;
use crate::proto::open_storage_volume_server::OpenStorageVolume;
use crate::proto::ownership::AccessType;
use crate::proto::*;

/// Longest volume name accepted, in bytes.
use console_model::limits::MAX_NAME;

/// Share of a new volume the mock reports as written, so usage, capacity and backups have
/// something to show (a real volume fills as applications write).
pub const USAGE_PERCENT: u64 = 25;

/// `percent`% of `bytes`, without overflow or early rounding.
pub fn percent(bytes: u64, percent: u64) -> u64 {
    (u128::from(bytes) * u128::from(percent) / 100) as u64
}

pub fn validate_name(field: &str, name: &str) -> Result<(), Status> {
    if name.trim().is_empty() {
        return Err(errors::required(field));
    }
    if name.len() > MAX_NAME {
        return Err(errors::invalid(
            field,
            format!("longer than {MAX_NAME} bytes"),
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(errors::invalid(field, "control characters are not allowed"));
    }
    Ok(())
}

/// What a new volume looks like before it is stored.
pub struct NewVolume {
    pub name: String,
    pub spec: VolumeSpec,
    pub labels: HashMap<String, String>,
    pub parent: Option<String>,
    pub readonly: bool,
    pub usage: u64,
    pub state: VolumeState,
}

impl Store {
    pub fn create_volume(
        &mut self,
        state: &ClusterState,
        name: &str,
        spec: Option<VolumeSpec>,
        labels: HashMap<String, String>,
        now: Instant,
    ) -> Result<String, Status> {
        if name.is_empty() {
            return Err(Status::invalid_argument("Must supply a unique name"));
        }
        validate_name("name", name)?;
        let mut spec = spec.ok_or_else(|| Status::invalid_argument("Must supply spec object"))?;
        if spec.size == 0 {
            return Err(errors::invalid("spec.size", "must be greater than 0 bytes"));
        }
        if spec.ha_level == 0 {
            spec.ha_level = 1;
        }
        validate_ha_level(spec.ha_level, state.nodes.len())?;
        if let Some(existing) = self
            .volume_names
            .get(name)
            .and_then(|id| self.volumes.get(id))
        {
            // Idempotent on name, so a client that retries after a lost reply gets the same
            // volume; anything else means a different volume was meant. Upstream's checks, in
            // its order and words.
            let existing_spec = existing.spec.clone().unwrap_or_default();
            if existing_spec.size != spec.size {
                return Err(errors::already_exists(format!(
                    "Existing volume has a size of {} which differs from requested size of {}",
                    existing_spec.size, spec.size
                )));
            }
            if existing_spec.shared != spec.shared {
                return Err(errors::already_exists(format!(
                    "Existing volume has shared={} while request is asking for shared={}",
                    existing_spec.shared, spec.shared
                )));
            }
            if existing
                .source
                .as_ref()
                .is_some_and(|s| !s.parent.is_empty())
            {
                return Err(errors::already_exists(
                    "Existing volume has conflicting parent value",
                ));
            }
            return Ok(existing.id.clone());
        }
        if spec.encrypted && spec.passphrase.is_empty() {
            return Err(errors::invalid(
                "spec.passphrase",
                "an encrypted volume needs a passphrase",
            ));
        }
        let usage = percent(spec.size, USAGE_PERCENT);
        let id = self.add_volume(
            state,
            NewVolume {
                name: name.to_string(),
                spec,
                labels,
                parent: None,
                readonly: false,
                usage,
                state: VolumeState::Detached,
            },
            now,
        );
        Ok(id)
    }

    /// Stores a new volume with the fields a real cluster fills in.
    pub fn add_volume(&mut self, state: &ClusterState, new: NewVolume, now: Instant) -> String {
        let NewVolume {
            name,
            mut spec,
            labels,
            parent,
            readonly,
            usage,
            state: volume_state,
        } = new;
        // Write-only: kept out of everything the server returns.
        spec.passphrase.clear();
        if spec.format == FsType::None as i32 {
            spec.format = FsType::Ext4 as i32;
        }
        let nodes = &state.nodes;
        let first = self.volumes.len() % nodes.len().max(1);
        let replicas = (0..spec.ha_level.max(1) as usize)
            .map(|i| nodes[(first + i) % nodes.len()].id.clone())
            .collect();
        let id = uuid::Uuid::new_v4().to_string();
        let volume = Volume {
            id: id.clone(),
            // Upstream always sets `source` (empty for a new volume); SDK clients rely on it.
            source: Some(Source {
                parent: parent.unwrap_or_default(),
                seed: String::new(),
            }),
            readonly,
            locator: Some(VolumeLocator {
                name,
                volume_labels: labels,
                ..Default::default()
            }),
            ctime: Some(state.clock.timestamp(now)),
            format: spec.format,
            usage: usage.min(spec.size),
            status: VolumeStatus::Up as i32,
            state: volume_state as i32,
            replica_sets: vec![ReplicaSet {
                nodes: replicas,
                pool_uuids: Vec::new(),
            }],
            spec: Some(spec),
            ..Default::default()
        };
        self.insert_volume(volume);
        id
    }

    pub fn clone_volume(
        &mut self,
        state: &ClusterState,
        name: &str,
        parent_id: &str,
        labels: HashMap<String, String>,
        now: Instant,
    ) -> Result<String, Status> {
        // Upstream's words, typos included: SDK clients may match on them.
        if name.is_empty() {
            return Err(Status::invalid_argument("Must supply a uniqe name"));
        }
        if parent_id.is_empty() {
            return Err(Status::invalid_argument("Must parent volume id"));
        }
        validate_name("name", name)?;
        let parent = self.volume(parent_id)?.clone();
        if let Some(existing) = self
            .volume_names
            .get(name)
            .and_then(|id| self.volumes.get(id))
        {
            let same_parent = existing
                .source
                .as_ref()
                .is_some_and(|s| s.parent == parent.id);
            if same_parent && !existing.readonly {
                return Ok(existing.id.clone());
            }
            return Err(errors::already_exists(format!(
                "a volume named {name} already exists"
            )));
        }
        let mut all_labels = volume_labels(&parent).clone();
        all_labels.extend(labels);
        let mut spec = parent.spec.clone().unwrap_or_default();
        spec.volume_labels.clear();
        Ok(self.add_volume(
            state,
            NewVolume {
                name: name.to_string(),
                spec,
                labels: all_labels,
                parent: Some(parent.id.clone()),
                readonly: false,
                usage: parent.usage,
                state: VolumeState::Detached,
            },
            now,
        ))
    }

    pub fn delete_volume(&mut self, state: &ClusterState, id_or_name: &str) -> Result<(), Status> {
        if id_or_name.is_empty() {
            return Err(Status::invalid_argument("Must supply volume id"));
        }
        // Deleting what is already gone succeeds, so retries are safe.
        let Some(id) = self.volume_id(id_or_name) else {
            return Ok(());
        };
        if !state.driver().guards_delete() {
            self.remove_volume(&id);
            return Ok(());
        }
        let volume = &self.volumes[&id];
        let name = volume_name(volume);
        if !volume.attached_on.is_empty() {
            return Err(errors::precondition(format!(
                "volume {name} is attached on node {}; detach it first",
                volume.attached_on
            )));
        }
        if volume.spec.as_ref().is_some_and(|s| s.sticky) {
            return Err(errors::precondition(format!(
                "volume {name} is sticky; clear the sticky flag before deleting it"
            )));
        }
        let snapshots = self.snapshots_of(&id).len();
        if snapshots > 0 {
            return Err(errors::precondition(format!(
                "volume {name} has {snapshots} snapshot(s); delete them first"
            )));
        }
        if let Some(task) = self
            .tasks
            .values()
            .find(|t| t.volume_id == id && t.is_running())
        {
            return Err(errors::precondition(format!(
                "volume {name} has a {} in progress (task {}); wait for it or stop it first",
                task.op.noun(),
                task.id
            )));
        }
        self.remove_volume(&id);
        Ok(())
    }

    pub fn update_volume(
        &mut self,
        state: &ClusterState,
        id_or_name: &str,
        labels: HashMap<String, String>,
        update: Option<VolumeSpecUpdate>,
    ) -> Result<(), Status> {
        if id_or_name.is_empty() {
            return Err(errors::required("volume_id"));
        }
        let volume = self.volume_mut(id_or_name)?;
        let snapshot = is_snapshot(volume);
        let name = volume_name(volume).to_string();
        if let Some(update) = &update {
            let spec = volume.spec.get_or_insert_with(Default::default);
            if let Some(volume_spec_update::SizeOpt::Size(size)) = update.size_opt {
                if snapshot && size != spec.size {
                    return Err(errors::precondition(format!(
                        "{name} is a snapshot; snapshots are read-only and cannot be resized"
                    )));
                }
                if size < spec.size {
                    return Err(errors::invalid(
                        "spec.size",
                        format!(
                            "volumes can only grow: {size} bytes is smaller than the current {} bytes",
                            spec.size
                        ),
                    ));
                }
            }
            if let Some(volume_spec_update::HaLevelOpt::HaLevel(ha)) = update.ha_level_opt {
                validate_ha_level(ha, state.nodes.len())?;
            }
            apply_spec_update(spec, update);
            let ha = spec.ha_level.max(1) as usize;
            let nodes: Vec<String> = state.nodes.iter().map(|n| n.id.clone()).collect();
            if let Some(set) = volume.replica_sets.first_mut() {
                // Grow or shrink the replica set to the new HA level, keeping current replicas.
                set.nodes.truncate(ha);
                for node in &nodes {
                    if set.nodes.len() >= ha {
                        break;
                    }
                    if !set.nodes.contains(node) {
                        set.nodes.push(node.clone());
                    }
                }
            }
        }
        let locator = volume.locator.get_or_insert_with(Default::default);
        for (key, value) in labels {
            // An empty value removes the label, as the SDK documents.
            if value.is_empty() {
                locator.volume_labels.remove(&key);
            } else {
                locator.volume_labels.insert(key, value);
            }
        }
        Ok(())
    }

    /// Snapshots whose parent is `volume_id`, oldest first.
    pub fn snapshots_of(&self, volume_id: &str) -> Vec<&Volume> {
        self.children_of(volume_id, false)
    }

    /// What SnapshotEnumerate lists under `volume_id` (every volume when empty): snapshots,
    /// and clones too when the driver does not tell them apart.
    pub fn listed_snapshots(&self, state: &ClusterState, volume_id: &str) -> Vec<&Volume> {
        self.children_of(volume_id, state.driver().snapshot_listing_includes_clones())
    }

    fn children_of(&self, volume_id: &str, with_clones: bool) -> Vec<&Volume> {
        let mut snaps: Vec<&Volume> = self
            .volumes
            .values()
            .filter(|v| with_clones || is_snapshot(v))
            .filter(|v| {
                v.source.as_ref().is_some_and(|s| {
                    !s.parent.is_empty() && (volume_id.is_empty() || s.parent == volume_id)
                })
            })
            .collect();
        snaps.sort_by_key(|v| v.ctime.map(|t| (t.seconds, t.nanos)));
        snaps
    }

    pub fn create_snapshot(
        &mut self,
        state: &ClusterState,
        volume: &str,
        name: &str,
        labels: HashMap<String, String>,
        now: Instant,
    ) -> Result<String, Status> {
        if volume.is_empty() {
            return Err(Status::invalid_argument("Must supply volume id"));
        }
        if name.is_empty() {
            return Err(Status::invalid_argument("Must supply a name"));
        }
        let parent = self.volume(volume)?.clone();
        if is_snapshot(&parent) {
            return Err(errors::invalid(
                "volume_id",
                format!(
                    "{} is a snapshot; take snapshots of volumes",
                    volume_name(&parent)
                ),
            ));
        }
        validate_name("name", name)?;
        let name = name.to_string();
        let read_only = state.driver().snapshots_read_only();
        let existing = self
            .volume_names
            .get(&name)
            .and_then(|id| self.volumes.get(id))
            // Upstream's fake does not check snapshot names: each call makes a snapshot.
            .filter(|_| !state.driver().snapshot_listing_includes_clones());
        if let Some(existing) = existing {
            let same = existing.readonly == read_only
                && existing
                    .source
                    .as_ref()
                    .is_some_and(|s| s.parent == parent.id);
            if same {
                return Ok(existing.id.clone());
            }
            return Err(errors::already_exists(format!(
                "a volume or snapshot named {name} already exists"
            )));
        }
        let mut spec = parent.spec.clone().unwrap_or_default();
        spec.volume_labels.clear();
        let mut all_labels = volume_labels(&parent).clone();
        all_labels.extend(labels);
        Ok(self.add_volume(
            state,
            NewVolume {
                name,
                spec,
                labels: all_labels,
                parent: Some(parent.id.clone()),
                readonly: read_only,
                usage: parent.usage,
                state: VolumeState::Detached,
            },
            now,
        ))
    }

    pub fn restore_snapshot(&mut self, volume: &str, snapshot: &str) -> Result<(), Status> {
        if volume.is_empty() {
            return Err(errors::required("volume_id"));
        }
        if snapshot.is_empty() {
            return Err(errors::required("snapshot_id"));
        }
        let target = self.volume(volume)?.clone();
        let snap = self
            .volume_id(snapshot)
            .and_then(|id| self.volumes.get(&id))
            .ok_or_else(|| errors::not_found("snapshot", snapshot))?
            .clone();
        if snap.source.as_ref().is_none_or(|s| s.parent != target.id) {
            return Err(errors::invalid(
                "snapshot_id",
                format!(
                    "{} is not a snapshot of volume {}",
                    volume_name(&snap),
                    volume_name(&target)
                ),
            ));
        }
        if !target.attached_on.is_empty() {
            return Err(errors::precondition(format!(
                "volume {} is attached on node {}; detach it before restoring a snapshot",
                volume_name(&target),
                target.attached_on
            )));
        }
        let volume = self.volume_mut(&target.id)?;
        volume.usage = snap.usage;
        volume
            .attach_info
            .insert("restored-from-snapshot".into(), snap.id.clone());
        Ok(())
    }

    pub fn set_snapshot_schedule(
        &mut self,
        volume: &str,
        policies: &[String],
    ) -> Result<(), Status> {
        if volume.is_empty() {
            return Err(errors::required("volume_id"));
        }
        if let Some(missing) = policies.iter().find(|p| !self.policies.contains_key(*p)) {
            return Err(errors::not_found("schedule policy", missing));
        }
        let schedule = if policies.is_empty() {
            String::new()
        } else {
            format!("policy={}", policies.join(","))
        };
        let volume = self.volume_mut(volume)?;
        volume
            .spec
            .get_or_insert_with(Default::default)
            .snapshot_schedule = schedule;
        Ok(())
    }

    /// Volumes (snapshots included, as the SDK lists them) matching a name and labels.
    pub fn matching_volumes<'a>(
        &'a self,
        name: &'a str,
        labels: &'a HashMap<String, String>,
    ) -> impl Iterator<Item = &'a Volume> + 'a {
        self.volumes.values().filter(move |v| {
            (name.is_empty() || volume_name(v) == name) && labels_match(volume_labels(v), labels)
        })
    }
}

fn validate_ha_level(ha: i64, nodes: usize) -> Result<(), Status> {
    if !(1..=3).contains(&ha) {
        return Err(errors::invalid(
            "spec.ha_level",
            format!("{ha} is not between 1 and 3"),
        ));
    }
    if ha as usize > nodes {
        return Err(errors::invalid(
            "spec.ha_level",
            format!("{ha} replicas need {ha} nodes; the cluster has {nodes}"),
        ));
    }
    Ok(())
}

fn apply_spec_update(spec: &mut VolumeSpec, update: &VolumeSpecUpdate) {
    use volume_spec_update::*;
    if let Some(SizeOpt::Size(v)) = update.size_opt {
        spec.size = v;
    }
    if let Some(HaLevelOpt::HaLevel(v)) = update.ha_level_opt {
        spec.ha_level = v;
    }
    if let Some(CosOpt::Cos(v)) = update.cos_opt {
        spec.cos = v;
    }
    if let Some(IoProfileOpt::IoProfile(v)) = update.io_profile_opt {
        spec.io_profile = v;
    }
    if let Some(SharedOpt::Shared(v)) = update.shared_opt {
        spec.shared = v;
    }
    if let Some(StickyOpt::Sticky(v)) = update.sticky_opt {
        spec.sticky = v;
    }
    if let Some(SnapshotIntervalOpt::SnapshotInterval(v)) = update.snapshot_interval_opt {
        spec.snapshot_interval = v;
    }
    if let Some(JournalOpt::Journal(v)) = update.journal_opt {
        spec.journal = v;
    }
    if let Some(Sharedv4Opt::Sharedv4(v)) = update.sharedv4_opt {
        spec.sharedv4 = v;
    }
    if let Some(QueueDepthOpt::QueueDepth(v)) = update.queue_depth_opt {
        spec.queue_depth = v;
    }
    if let Some(NodiscardOpt::Nodiscard(v)) = update.nodiscard_opt {
        spec.nodiscard = v;
    }
    if let Some(AutoFstrimOpt::AutoFstrim(v)) = update.auto_fstrim_opt {
        spec.auto_fstrim = v;
    }
}

pub struct VolumeService {
    state: Arc<ClusterState>,
}

impl VolumeService {
    pub fn new(state: Arc<ClusterState>) -> Self {
        VolumeService { state }
    }
}

fn inspect_response(volume: &Volume) -> SdkVolumeInspectResponse {
    SdkVolumeInspectResponse {
        name: volume_name(volume).to_string(),
        labels: volume_labels(volume).clone(),
        volume: Some(volume.clone()),
    }
}

#[tonic::async_trait]
impl OpenStorageVolume for VolumeService {
    async fn create(
        &self,
        request: Request<SdkVolumeCreateRequest>,
    ) -> Result<Response<SdkVolumeCreateResponse>, Status> {
        let caller = caller_of(&request);
        let mut req = request.into_inner();
        if let Some(spec) = req.spec.as_mut() {
            spec.ownership = ownership::for_new(caller.as_ref(), spec.ownership.take());
        }
        let state = &self.state;
        let volume_id = state.with_store(|store, now| {
            if let Ok(existing) = store.volume(&req.name) {
                if !ownership::permitted(existing, caller.as_ref(), AccessType::Admin) {
                    return Err(Status::permission_denied(format!(
                        "Volume {} already exists and is owned by another user",
                        req.name
                    )));
                }
            }
            store.create_volume(state, &req.name, req.spec, req.labels, now)
        })?;
        Ok(Response::new(SdkVolumeCreateResponse { volume_id }))
    }

    async fn clone(
        &self,
        request: Request<SdkVolumeCloneRequest>,
    ) -> Result<Response<SdkVolumeCloneResponse>, Status> {
        let caller = caller_of(&request);
        let req = request.into_inner();
        let state = &self.state;
        let volume_id = state.with_store(|store, now| {
            ownership::check_stored(store, &req.parent_id, caller.as_ref(), AccessType::Read)?;
            let id =
                store.clone_volume(state, &req.name, &req.parent_id, req.additional_labels, now)?;
            let clone = store.volume_mut(&id)?;
            let spec = clone.spec.get_or_insert_with(Default::default);
            spec.ownership = ownership::for_clone(caller.as_ref(), spec.ownership.take());
            Ok(id)
        })?;
        Ok(Response::new(SdkVolumeCloneResponse { volume_id }))
    }

    async fn delete(
        &self,
        request: Request<SdkVolumeDeleteRequest>,
    ) -> Result<Response<SdkVolumeDeleteResponse>, Status> {
        let caller = caller_of(&request);
        let id = request.into_inner().volume_id;
        let state = &self.state;
        state.with_store(|store, _| {
            ownership::check_stored(store, &id, caller.as_ref(), AccessType::Admin)?;
            store.delete_volume(state, &id)
        })?;
        Ok(Response::new(SdkVolumeDeleteResponse {}))
    }

    async fn inspect(
        &self,
        request: Request<SdkVolumeInspectRequest>,
    ) -> Result<Response<SdkVolumeInspectResponse>, Status> {
        let caller = caller_of(&request);
        let id = request.into_inner().volume_id;
        if id.is_empty() {
            return Err(Status::invalid_argument("Must supply volume id"));
        }
        let response = self.state.with_store(|store, _| {
            let volume = store.volume(&id)?;
            ownership::check(volume, caller.as_ref(), AccessType::Read)?;
            Ok(inspect_response(volume))
        })?;
        Ok(Response::new(response))
    }

    async fn inspect_with_filters(
        &self,
        request: Request<SdkVolumeInspectWithFiltersRequest>,
    ) -> Result<Response<SdkVolumeInspectWithFiltersResponse>, Status> {
        let caller = caller_of(&request);
        let req = request.into_inner();
        let volumes = self.state.with_store(|store, _| {
            Ok(store
                .matching_volumes(&req.name, &req.labels)
                .filter(|v| ownership::permitted(v, caller.as_ref(), AccessType::Read))
                .map(inspect_response)
                .collect())
        })?;
        Ok(Response::new(SdkVolumeInspectWithFiltersResponse {
            volumes,
        }))
    }

    async fn update(
        &self,
        request: Request<SdkVolumeUpdateRequest>,
    ) -> Result<Response<SdkVolumeUpdateResponse>, Status> {
        let caller = caller_of(&request);
        let req = request.into_inner();
        let state = &self.state;
        state.with_store(|store, _| {
            ownership::check_stored(store, &req.volume_id, caller.as_ref(), AccessType::Write)?;
            store.update_volume(state, &req.volume_id, req.labels, req.spec)
        })?;
        Ok(Response::new(SdkVolumeUpdateResponse {}))
    }

    async fn stats(
        &self,
        request: Request<SdkVolumeStatsRequest>,
    ) -> Result<Response<SdkVolumeStatsResponse>, Status> {
        let caller = caller_of(&request);
        let req = request.into_inner();
        let id = req.volume_id;
        if id.is_empty() {
            return Err(Status::invalid_argument("Must supply volume id"));
        }
        let state = &self.state;
        let stats = state.with_store(|store, now| {
            ownership::check_stored(store, &id, caller.as_ref(), AccessType::Read)?;
            let volume = store.volume(&id)?;
            let interval = req.not_cumulative.then_some(io::STATS_INTERVAL_MS);
            Ok(io::volume_counters(state, volume, now, interval))
        })?;
        Ok(Response::new(SdkVolumeStatsResponse { stats: Some(stats) }))
    }

    async fn capacity_usage(
        &self,
        request: Request<SdkVolumeCapacityUsageRequest>,
    ) -> Result<Response<SdkVolumeCapacityUsageResponse>, Status> {
        let id = request.into_inner().volume_id;
        if id.is_empty() {
            return Err(errors::required("volume_id"));
        }
        let info = self.state.with_store(|store, _| {
            let volume = store.volume(&id)?;
            let total = volume.usage as i64;
            // A snapshot shares most blocks with its volume; a volume owns what it wrote.
            let shared = if is_snapshot(volume) {
                total / 10 * 9
            } else {
                0
            };
            Ok(CapacityUsageInfo {
                exclusive_bytes: total - shared,
                shared_bytes: shared,
                total_bytes: total,
            })
        })?;
        Ok(Response::new(SdkVolumeCapacityUsageResponse {
            capacity_usage_info: Some(info),
        }))
    }

    async fn enumerate(
        &self,
        request: Request<SdkVolumeEnumerateRequest>,
    ) -> Result<Response<SdkVolumeEnumerateResponse>, Status> {
        let caller = caller_of(&request);
        let volume_ids = self.state.with_store(|store, _| {
            Ok(store
                .volumes
                .values()
                .filter(|v| ownership::permitted(v, caller.as_ref(), AccessType::Read))
                .map(|v| v.id.clone())
                .collect())
        })?;
        Ok(Response::new(SdkVolumeEnumerateResponse { volume_ids }))
    }

    async fn enumerate_with_filters(
        &self,
        request: Request<SdkVolumeEnumerateWithFiltersRequest>,
    ) -> Result<Response<SdkVolumeEnumerateWithFiltersResponse>, Status> {
        let caller = caller_of(&request);
        let req = request.into_inner();
        let volume_ids = self.state.with_store(|store, _| {
            Ok(store
                .matching_volumes(&req.name, &req.labels)
                .filter(|v| ownership::permitted(v, caller.as_ref(), AccessType::Read))
                .map(|v| v.id.clone())
                .collect())
        })?;
        Ok(Response::new(SdkVolumeEnumerateWithFiltersResponse {
            volume_ids,
        }))
    }

    async fn snapshot_create(
        &self,
        request: Request<SdkVolumeSnapshotCreateRequest>,
    ) -> Result<Response<SdkVolumeSnapshotCreateResponse>, Status> {
        let caller = caller_of(&request);
        let req = request.into_inner();
        let state = &self.state;
        let snapshot_id = state.with_store(|store, now| {
            ownership::check_stored(store, &req.volume_id, caller.as_ref(), AccessType::Read)?;
            store.create_snapshot(state, &req.volume_id, &req.name, req.labels, now)
        })?;
        Ok(Response::new(SdkVolumeSnapshotCreateResponse {
            snapshot_id,
        }))
    }

    async fn snapshot_restore(
        &self,
        request: Request<SdkVolumeSnapshotRestoreRequest>,
    ) -> Result<Response<SdkVolumeSnapshotRestoreResponse>, Status> {
        let caller = caller_of(&request);
        let req = request.into_inner();
        self.state.with_store(|store, _| {
            ownership::check_stored(store, &req.volume_id, caller.as_ref(), AccessType::Write)?;
            store.restore_snapshot(&req.volume_id, &req.snapshot_id)
        })?;
        Ok(Response::new(SdkVolumeSnapshotRestoreResponse {}))
    }

    async fn snapshot_enumerate(
        &self,
        request: Request<SdkVolumeSnapshotEnumerateRequest>,
    ) -> Result<Response<SdkVolumeSnapshotEnumerateResponse>, Status> {
        let caller = caller_of(&request);
        let volume = request.into_inner().volume_id;
        let state = &self.state;
        let volume_snapshot_ids = state.with_store(|store, _| {
            // Upstream lists every snapshot when no volume is given.
            let id = if volume.is_empty() {
                String::new()
            } else {
                let parent = store.volume(&volume)?;
                ownership::check(parent, caller.as_ref(), AccessType::Read)?;
                parent.id.clone()
            };
            Ok(store
                .listed_snapshots(state, &id)
                .iter()
                .filter(|v| ownership::permitted(v, caller.as_ref(), AccessType::Read))
                .map(|v| v.id.clone())
                .collect())
        })?;
        Ok(Response::new(SdkVolumeSnapshotEnumerateResponse {
            volume_snapshot_ids,
        }))
    }

    async fn snapshot_enumerate_with_filters(
        &self,
        request: Request<SdkVolumeSnapshotEnumerateWithFiltersRequest>,
    ) -> Result<Response<SdkVolumeSnapshotEnumerateWithFiltersResponse>, Status> {
        let caller = caller_of(&request);
        let req = request.into_inner();
        let state = &self.state;
        let volume_snapshot_ids = state.with_store(|store, _| {
            // As upstream: a volume that is gone is NOT_FOUND, even if snapshots remain.
            let parent = if req.volume_id.is_empty() {
                String::new()
            } else {
                let parent = store.volume(&req.volume_id)?;
                ownership::check(parent, caller.as_ref(), AccessType::Read)?;
                parent.id.clone()
            };
            Ok(store
                .listed_snapshots(state, &parent)
                .into_iter()
                .filter(|v| ownership::permitted(v, caller.as_ref(), AccessType::Read))
                .filter(|v| labels_match(volume_labels(v), &req.labels))
                .map(|v| v.id.clone())
                .collect())
        })?;
        Ok(Response::new(
            SdkVolumeSnapshotEnumerateWithFiltersResponse {
                volume_snapshot_ids,
            },
        ))
    }

    async fn snapshot_schedule_update(
        &self,
        request: Request<SdkVolumeSnapshotScheduleUpdateRequest>,
    ) -> Result<Response<SdkVolumeSnapshotScheduleUpdateResponse>, Status> {
        let req = request.into_inner();
        self.state.with_store(|store, _| {
            store.set_snapshot_schedule(&req.volume_id, &req.snapshot_schedule_names)
        })?;
        Ok(Response::new(SdkVolumeSnapshotScheduleUpdateResponse {}))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked() {
        assert!(validate_name("name", "pvc-db_01.data").is_ok());
        assert!(validate_name("name", "<script>\"x\"").is_ok());
        assert_eq!(
            validate_name("name", "  ").unwrap_err().code(),
            tonic::Code::InvalidArgument
        );
        assert!(validate_name("name", "bad\nname").is_err());
        assert!(validate_name("name", &"x".repeat(256)).is_err());
    }

    #[test]
    fn ha_level_is_bounded_by_nodes() {
        assert!(validate_ha_level(3, 3).is_ok());
        assert!(validate_ha_level(3, 2)
            .unwrap_err()
            .message()
            .contains("the cluster has 2"));
        assert!(validate_ha_level(0, 3).is_err());
        assert!(validate_ha_level(4, 5).is_err());
    }
}
