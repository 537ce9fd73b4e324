//! OpenStorageMountAttach: attach a volume to the node that answers (the mock answers as its
//! first node), mount it at paths, and the reverse. Each step changes what Inspect shows.

use std::sync::Arc;
use std::time::Instant;

use tonic::{Request, Response, Status};

use super::ownership::{caller_of, check_stored};
use crate::mock::errors;
use crate::mock::store::{volume_name, Store};
use crate::mock::ClusterState;
use crate::proto::open_storage_mount_attach_server::OpenStorageMountAttach;
use crate::proto::ownership::AccessType;
use crate::proto::*;

impl Store {
    pub fn attach(
        &mut self,
        state: &ClusterState,
        id: &str,
        now: Instant,
    ) -> Result<String, Status> {
        if id.is_empty() {
            return Err(errors::required("volume_id"));
        }
        let node = state.current_node().id.clone();
        let volume = self.volume_mut(id)?;
        let name = volume_name(volume).to_string();
        if volume.state == VolumeState::Restore as i32 {
            return Err(errors::precondition(format!(
                "volume {name} is being restored; attach it when the restore is done"
            )));
        }
        if !volume.attached_on.is_empty() {
            if volume.attached_on == node {
                // Attaching again where it is attached is a no-op, as on a real node.
                return Ok(volume.device_path.clone());
            }
            return Err(errors::precondition(format!(
                "volume {name} is attached on node {}; detach it there first",
                volume.attached_on
            )));
        }
        let device = format!(
            "/dev/pxd/pxd{}",
            volume.id.replace('-', "").get(..12).unwrap_or("")
        );
        volume.attached_on = node;
        volume.device_path = device.clone();
        volume.state = VolumeState::Attached as i32;
        volume.attached_state = AttachState::External as i32;
        volume.attach_time = Some(state.clock.timestamp(now));
        Ok(device)
    }

    pub fn detach(
        &mut self,
        state: &ClusterState,
        id: &str,
        options: SdkVolumeDetachOptions,
        now: Instant,
    ) -> Result<(), Status> {
        if id.is_empty() {
            return Err(errors::required("volume_id"));
        }
        let volume = self.volume_mut(id)?;
        if volume.attached_on.is_empty() {
            return Ok(());
        }
        let mounted = !volume.attach_path.is_empty();
        if mounted && !options.force && !options.unmount_before_detach {
            return Err(errors::precondition(format!(
                "volume {} is mounted at {}; unmount it first (or detach with unmount_before_detach)",
                volume_name(volume),
                volume.attach_path.join(", ")
            )));
        }
        volume.attach_path.clear();
        volume.attached_on.clear();
        volume.device_path.clear();
        volume.state = VolumeState::Detached as i32;
        volume.detach_time = Some(state.clock.timestamp(now));
        Ok(())
    }

    pub fn mount(&mut self, id: &str, path: &str) -> Result<(), Status> {
        if id.is_empty() {
            return Err(errors::required("volume_id"));
        }
        if !path.starts_with('/') {
            return Err(errors::invalid("mount_path", "must be an absolute path"));
        }
        let volume = self.volume_mut(id)?;
        if volume.attached_on.is_empty() {
            return Err(errors::precondition(format!(
                "volume {} is not attached; attach it before mounting",
                volume_name(volume)
            )));
        }
        if !volume.attach_path.iter().any(|p| p == path) {
            volume.attach_path.push(path.to_string());
        }
        Ok(())
    }

    pub fn unmount(&mut self, id: &str, path: &str) -> Result<(), Status> {
        if id.is_empty() {
            return Err(errors::required("volume_id"));
        }
        if path.is_empty() {
            return Err(errors::required("mount_path"));
        }
        let volume = self.volume_mut(id)?;
        let before = volume.attach_path.len();
        volume.attach_path.retain(|p| p != path);
        if volume.attach_path.len() == before {
            return Err(errors::invalid(
                "mount_path",
                format!("volume {} is not mounted at {path}", volume_name(volume)),
            ));
        }
        Ok(())
    }
}

pub struct MountAttachService {
    state: Arc<ClusterState>,
}

impl MountAttachService {
    pub fn new(state: Arc<ClusterState>) -> Self {
        MountAttachService { state }
    }
}

#[tonic::async_trait]
impl OpenStorageMountAttach for MountAttachService {
    async fn attach(
        &self,
        request: Request<SdkVolumeAttachRequest>,
    ) -> Result<Response<SdkVolumeAttachResponse>, Status> {
        let caller = caller_of(&request);
        let id = request.into_inner().volume_id;
        let state = &self.state;
        let device_path = state.with_store(|store, now| {
            check_stored(store, &id, caller.as_ref(), AccessType::Write)?;
            store.attach(state, &id, now)
        })?;
        Ok(Response::new(SdkVolumeAttachResponse { device_path }))
    }

    async fn detach(
        &self,
        request: Request<SdkVolumeDetachRequest>,
    ) -> Result<Response<SdkVolumeDetachResponse>, Status> {
        let caller = caller_of(&request);
        let req = request.into_inner();
        let state = &self.state;
        let options = req.options.unwrap_or_default();
        state.with_store(|store, now| {
            check_stored(store, &req.volume_id, caller.as_ref(), AccessType::Write)?;
            store.detach(state, &req.volume_id, options, now)
        })?;
        Ok(Response::new(SdkVolumeDetachResponse {}))
    }

    async fn mount(
        &self,
        request: Request<SdkVolumeMountRequest>,
    ) -> Result<Response<SdkVolumeMountResponse>, Status> {
        let caller = caller_of(&request);
        let req = request.into_inner();
        self.state.with_store(|store, _| {
            check_stored(store, &req.volume_id, caller.as_ref(), AccessType::Write)?;
            store.mount(&req.volume_id, &req.mount_path)
        })?;
        Ok(Response::new(SdkVolumeMountResponse {}))
    }

    async fn unmount(
        &self,
        request: Request<SdkVolumeUnmountRequest>,
    ) -> Result<Response<SdkVolumeUnmountResponse>, Status> {
        let caller = caller_of(&request);
        let req = request.into_inner();
        self.state.with_store(|store, _| {
            check_stored(store, &req.volume_id, caller.as_ref(), AccessType::Write)?;
            store.unmount(&req.volume_id, &req.mount_path)
        })?;
        Ok(Response::new(SdkVolumeUnmountResponse {}))
    }
}
