//! OpenStorageCloudBackup: backups to object storage that run as tasks with real progress,
//! their history, the catalog of what is stored, restores, and schedules.

use std::sync::Arc;

use tonic::{Request, Response, Status};

use super::ownership::{caller_of, check_stored, permitted};
use crate::mock::clock::unix_seconds;
use crate::mock::errors;
use crate::mock::ClusterState;
use crate::proto::open_storage_cloud_backup_server::OpenStorageCloudBackup;
use crate::proto::ownership::AccessType;
use crate::proto::*;

pub struct CloudBackupService {
    state: Arc<ClusterState>,
}

impl CloudBackupService {
    pub fn new(state: Arc<ClusterState>) -> Self {
        CloudBackupService { state }
    }
}

#[tonic::async_trait]
impl OpenStorageCloudBackup for CloudBackupService {
    async fn create(
        &self,
        request: Request<SdkCloudBackupCreateRequest>,
    ) -> Result<Response<SdkCloudBackupCreateResponse>, Status> {
        let caller = caller_of(&request);
        let req = request.into_inner();
        if req.volume_id.is_empty() {
            return Err(Status::invalid_argument("Must supply a volume id"));
        }
        let state = &self.state;
        let task_id = state.with_store(|store, now| {
            check_stored(store, &req.volume_id, caller.as_ref(), AccessType::Read)?;
            store.start_backup(state, req, None, now)
        })?;
        Ok(Response::new(SdkCloudBackupCreateResponse { task_id }))
    }

    async fn restore(
        &self,
        request: Request<SdkCloudBackupRestoreRequest>,
    ) -> Result<Response<SdkCloudBackupRestoreResponse>, Status> {
        let caller = caller_of(&request);
        let req = request.into_inner();
        if req.backup_id.is_empty() {
            return Err(Status::invalid_argument("Must provide backup id"));
        }
        let state = &self.state;
        let response = state.with_store(|store, now| {
            let response = store.start_restore(state, req, now)?;
            // Like upstream's drivers, the restored volume keeps its source's spec, owner
            // included; a source without an owner gives the volume to whoever restored it.
            let restored = store.volume_mut(&response.restore_volume_id)?;
            let spec = restored.spec.get_or_insert_with(Default::default);
            if spec.ownership.is_none() {
                spec.ownership = super::ownership::for_new(caller.as_ref(), None);
            }
            Ok(response)
        })?;
        Ok(Response::new(response))
    }

    async fn delete(
        &self,
        request: Request<SdkCloudBackupDeleteRequest>,
    ) -> Result<Response<SdkCloudBackupDeleteResponse>, Status> {
        let req = request.into_inner();
        if req.backup_id.is_empty() {
            return Err(Status::invalid_argument("Must provide backup id"));
        }
        self.state.with_store(|store, _| {
            store.delete_backup(&req.backup_id, &req.credential_id, req.force)
        })?;
        Ok(Response::new(SdkCloudBackupDeleteResponse {}))
    }

    async fn delete_all(
        &self,
        request: Request<SdkCloudBackupDeleteAllRequest>,
    ) -> Result<Response<SdkCloudBackupDeleteAllResponse>, Status> {
        let req = request.into_inner();
        if req.src_volume_id.is_empty() {
            return Err(Status::invalid_argument("Must provide source volume id"));
        }
        self.state.with_store(|store, _| {
            store.delete_all_backups(&req.src_volume_id, &req.credential_id)
        })?;
        Ok(Response::new(SdkCloudBackupDeleteAllResponse {}))
    }

    async fn enumerate_with_filters(
        &self,
        request: Request<SdkCloudBackupEnumerateWithFiltersRequest>,
    ) -> Result<Response<SdkCloudBackupEnumerateWithFiltersResponse>, Status> {
        let req = request.into_inner();
        let state = &self.state;
        let response = state.with_store(|store, _| store.list_backups(&state.id, &req))?;
        Ok(Response::new(response))
    }

    async fn status(
        &self,
        request: Request<SdkCloudBackupStatusRequest>,
    ) -> Result<Response<SdkCloudBackupStatusResponse>, Status> {
        let caller = caller_of(&request);
        let req = request.into_inner();
        let state = &self.state;
        let statuses = state.with_store(|store, _| {
            check_stored(store, &req.volume_id, caller.as_ref(), AccessType::Read)?;
            let mut statuses = store.task_statuses(state, &req)?;
            // With auth, tasks of volumes the caller may not read are left out, as upstream.
            statuses.retain(|_, s| {
                store
                    .volume(&s.src_volume_id)
                    .map_or(true, |v| permitted(v, caller.as_ref(), AccessType::Read))
            });
            Ok(statuses)
        })?;
        Ok(Response::new(SdkCloudBackupStatusResponse { statuses }))
    }

    async fn catalog(
        &self,
        request: Request<SdkCloudBackupCatalogRequest>,
    ) -> Result<Response<SdkCloudBackupCatalogResponse>, Status> {
        let req = request.into_inner();
        let contents = self.state.with_store(|store, _| {
            if req.backup_id.is_empty() {
                return Err(Status::invalid_argument("Must provide backup id"));
            }
            store.backup_credential(&req.credential_id)?;
            let backup = store.cloud_backup(&req.backup_id)?;
            if backup.status != SdkCloudBackupStatusType::Done {
                return Err(errors::precondition(format!(
                    "cloud backup {} did not complete; it has no catalog",
                    backup.id
                )));
            }
            Ok(backup.contents())
        })?;
        Ok(Response::new(SdkCloudBackupCatalogResponse { contents }))
    }

    async fn history(
        &self,
        request: Request<SdkCloudBackupHistoryRequest>,
    ) -> Result<Response<SdkCloudBackupHistoryResponse>, Status> {
        let caller = caller_of(&request);
        let volume = request.into_inner().src_volume_id;
        if volume.is_empty() {
            return Err(Status::invalid_argument("Must provide volume id"));
        }
        let history_list = self.state.with_store(|store, _| {
            check_stored(store, &volume, caller.as_ref(), AccessType::Read)?;
            let id = store.volume_id(&volume).unwrap_or(volume.clone());
            Ok(store
                .history
                .iter()
                .filter(|h| h.src_volume_id == id)
                .cloned()
                .collect())
        })?;
        Ok(Response::new(SdkCloudBackupHistoryResponse {
            history_list,
        }))
    }

    async fn state_change(
        &self,
        request: Request<SdkCloudBackupStateChangeRequest>,
    ) -> Result<Response<SdkCloudBackupStateChangeResponse>, Status> {
        let caller = caller_of(&request);
        let req = request.into_inner();
        if req.task_id.is_empty() {
            return Err(Status::invalid_argument("Must provide taskid"));
        }
        let state = &self.state;
        state.with_store(|store, now| {
            if let Some(task) = store.tasks.get(&req.task_id) {
                let volume = task.volume_id.clone();
                check_stored(store, &volume, caller.as_ref(), AccessType::Write)?;
            }
            store.change_task_state(state, &req.task_id, req.requested_state, now)
        })?;
        Ok(Response::new(SdkCloudBackupStateChangeResponse {}))
    }

    async fn sched_create(
        &self,
        request: Request<SdkCloudBackupSchedCreateRequest>,
    ) -> Result<Response<SdkCloudBackupSchedCreateResponse>, Status> {
        let info = request.into_inner().cloud_sched_info;
        let state = &self.state;
        let backup_schedule_id = state.with_store(|store, now| {
            store.create_schedule(info, unix_seconds(state.clock.wall(now)))
        })?;
        Ok(Response::new(SdkCloudBackupSchedCreateResponse {
            backup_schedule_id,
        }))
    }

    async fn sched_update(
        &self,
        request: Request<SdkCloudBackupSchedUpdateRequest>,
    ) -> Result<Response<SdkCloudBackupSchedUpdateResponse>, Status> {
        let req = request.into_inner();
        if req.sched_uuid.is_empty() {
            return Err(Status::invalid_argument("Must provide schedule uuid"));
        }
        self.state
            .with_store(|store, _| store.update_schedule(&req.sched_uuid, req.cloud_sched_info))?;
        Ok(Response::new(SdkCloudBackupSchedUpdateResponse {}))
    }

    async fn sched_delete(
        &self,
        request: Request<SdkCloudBackupSchedDeleteRequest>,
    ) -> Result<Response<SdkCloudBackupSchedDeleteResponse>, Status> {
        let id = request.into_inner().backup_schedule_id;
        if id.is_empty() {
            return Err(Status::invalid_argument("Must provide schedule uuid"));
        }
        self.state
            .with_store(|store, _| store.delete_schedule(&id))?;
        Ok(Response::new(SdkCloudBackupSchedDeleteResponse {}))
    }

    async fn sched_enumerate(
        &self,
        _: Request<SdkCloudBackupSchedEnumerateRequest>,
    ) -> Result<Response<SdkCloudBackupSchedEnumerateResponse>, Status> {
        let cloud_sched_list = self.state.with_store(|store, _| {
            Ok(store
                .schedules
                .values()
                .map(|s| (s.id.clone(), s.info.clone()))
                .collect())
        })?;
        Ok(Response::new(SdkCloudBackupSchedEnumerateResponse {
            cloud_sched_list,
        }))
    }
}
