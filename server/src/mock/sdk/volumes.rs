//! OpenStorageVolume: volumes and snapshots. The rules live on [`Store`]; the service only
//! unpacks requests.

use std::sync::Arc;

use tonic::{Request, Response, Status};

use super::ownership::{self, caller_of};
use super::storage_policies;
use crate::mock::errors;
use crate::mock::io;
use crate::mock::store::volumes::policy_shaped;
use crate::mock::store::{is_snapshot, labels_match, volume_labels, volume_name};
use crate::mock::ClusterState;
use crate::proto::open_storage_volume_server::OpenStorageVolume;
use crate::proto::ownership::AccessType;
use crate::proto::*;

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
        let req = request.into_inner();
        if req.name.is_empty() {
            return Err(Status::invalid_argument("Must supply a unique name"));
        }
        let mut spec = req
            .spec
            .ok_or_else(|| Status::invalid_argument("Must supply spec object"))?;
        spec.ownership = ownership::for_new(caller.as_ref(), spec.ownership.take());
        let state = &self.state;
        let volume_id = state.with_store(|store, now| {
            let spec = storage_policies::apply(store, spec, caller.as_ref(), false)?;
            if let Ok(existing) = store.volume(&req.name) {
                if !ownership::permitted(existing, caller.as_ref(), AccessType::Admin) {
                    return Err(Status::permission_denied(format!(
                        "Volume {} already exists and is owned by another user",
                        req.name
                    )));
                }
            }
            store.create_volume(state, &req.name, spec, req.labels, now)
        })?;
        Ok(Response::new(SdkVolumeCreateResponse { volume_id }))
    }

    async fn clone(
        &self,
        request: Request<SdkVolumeCloneRequest>,
    ) -> Result<Response<SdkVolumeCloneResponse>, Status> {
        let caller = caller_of(&request);
        let req = request.into_inner();
        // Upstream's words, typos included: SDK clients may match on them.
        if req.name.is_empty() {
            return Err(Status::invalid_argument("Must supply a uniqe name"));
        }
        if req.parent_id.is_empty() {
            return Err(Status::invalid_argument("Must parent volume id"));
        }
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
        if id.is_empty() {
            return Err(Status::invalid_argument("Must supply volume id"));
        }
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
        if req.volume_id.is_empty() {
            return Err(errors::required("volume_id"));
        }
        let state = &self.state;
        state.with_store(|store, _| {
            // Upstream's order: readable (Inspect's check), then writable, then the ownership
            // change, the storage policy and the driver.
            ownership::check_stored(store, &req.volume_id, caller.as_ref(), AccessType::Read)?;
            if let Ok(volume) = store.volume(&req.volume_id) {
                if !ownership::permitted(volume, caller.as_ref(), AccessType::Write) {
                    return Err(Status::permission_denied("Cannot update volume"));
                }
            }
            let owned = match req.spec.as_ref().and_then(|s| s.ownership.clone()) {
                Some(requested) => {
                    let volume = store.volume(&req.volume_id)?;
                    let current = volume.spec.as_ref().and_then(|s| s.ownership.clone());
                    let current = current.unwrap_or_default();
                    Some(ownership::update(current, requested, caller.as_ref())?)
                }
                None => None,
            };
            let update = match req.spec {
                Some(update) => {
                    let current = store.volume(&req.volume_id)?.spec.clone();
                    Some(policy_shaped(
                        current.unwrap_or_default(),
                        update,
                        |spec| storage_policies::apply(store, spec, caller.as_ref(), true),
                    )?)
                }
                None => None,
            };
            store.update_volume(state, &req.volume_id, req.labels, update)?;
            if let Some(owned) = owned {
                let volume = store.volume_mut(&req.volume_id)?;
                volume.spec.get_or_insert_with(Default::default).ownership = Some(owned);
            }
            Ok(())
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
            Ok(state.volume_counters(volume, now, interval))
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
        if req.volume_id.is_empty() {
            return Err(Status::invalid_argument("Must supply volume id"));
        }
        if req.name.is_empty() {
            return Err(Status::invalid_argument("Must supply a name"));
        }
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
        if req.volume_id.is_empty() {
            return Err(errors::required("volume_id"));
        }
        if req.snapshot_id.is_empty() {
            return Err(errors::required("snapshot_id"));
        }
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
        if req.volume_id.is_empty() {
            return Err(errors::required("volume_id"));
        }
        self.state.with_store(|store, _| {
            store.set_snapshot_schedule(&req.volume_id, &req.snapshot_schedule_names)
        })?;
        Ok(Response::new(SdkVolumeSnapshotScheduleUpdateResponse {}))
    }
}
