//! OpenStorageMountAttach. The SDK layer is upstream's (`volume_node_ops.go`): its checks,
//! their order, codes and words, and the driver's refusals wrapped as INTERNAL. The driver
//! attaches on the node that answers (the SDK has no node to name: a volume is attached where
//! the call is made), which the mock takes to be its first node.

use std::sync::Arc;
use std::time::Instant;

use tonic::{Request, Response, Status};

use super::ownership::{caller_of, check};
use crate::access::Caller;
use crate::mock::store::{volume_name, Store};
use crate::mock::ClusterState;
use crate::proto::open_storage_mount_attach_server::OpenStorageMountAttach;
use crate::proto::ownership::AccessType;
use crate::proto::*;

/// Why the driver did not do a step (upstream's SDK layer chooses the code).
#[derive(Debug, PartialEq)]
pub enum Refusal {
    /// `volume.ErrVolAttachedOnRemoteNode`.
    AttachedElsewhere,
    Missing(String),
    Other(String),
}

impl Refusal {
    fn message(&self) -> String {
        match self {
            Refusal::AttachedElsewhere => "Volume is attached on another node".into(),
            Refusal::Missing(id) => format!("Volume {id} not found"),
            Refusal::Other(why) => why.clone(),
        }
    }
}

/// The driver's side of each step.
impl Store {
    pub fn attach(
        &mut self,
        state: &ClusterState,
        id: &str,
        now: Instant,
    ) -> Result<String, Refusal> {
        if !state.driver().tracks_attachment() {
            return Ok(format!("/dev/fake/{id}"));
        }
        let node = state.current_node().id.clone();
        let volume = self
            .volume_mut(id)
            .map_err(|_| Refusal::Missing(id.into()))?;
        if volume.state == VolumeState::Restore as i32 {
            return Err(Refusal::Other(format!(
                "volume {} is being restored; attach it when the restore is done",
                volume_name(volume)
            )));
        }
        if !volume.attached_on.is_empty() {
            if volume.attached_on == node {
                // Attaching again where it is attached is a no-op, as on a real node.
                return Ok(volume.device_path.clone());
            }
            return Err(Refusal::AttachedElsewhere);
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
    ) -> Result<(), Refusal> {
        if !state.driver().tracks_attachment() {
            return Ok(());
        }
        let volume = self
            .volume_mut(id)
            .map_err(|_| Refusal::Missing(id.into()))?;
        if volume.attached_on.is_empty() {
            return Ok(());
        }
        if !volume.attach_path.is_empty() && !options.force && !options.unmount_before_detach {
            return Err(Refusal::Other(format!(
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

    pub fn mount(&mut self, state: &ClusterState, id: &str, path: &str) -> Result<(), Refusal> {
        let tracks = state.driver().tracks_attachment();
        let volume = self
            .volume_mut(id)
            .map_err(|_| Refusal::Missing(id.into()))?;
        if tracks {
            if !path.starts_with('/') {
                return Err(Refusal::Other(format!(
                    "mount path {path} is not an absolute path"
                )));
            }
            if volume.attached_on.is_empty() {
                return Err(Refusal::Other(format!(
                    "volume {} is not attached; attach it before mounting",
                    volume_name(volume)
                )));
            }
            if volume.attach_path.iter().any(|p| p == path) {
                return Ok(());
            }
        }
        volume.attach_path.push(path.to_string());
        Ok(())
    }

    pub fn unmount(&mut self, state: &ClusterState, id: &str, path: &str) -> Result<(), Refusal> {
        let volume = self
            .volume_mut(id)
            .map_err(|_| Refusal::Missing(id.into()))?;
        if !state.driver().tracks_attachment() {
            volume.attach_path.clear();
            return Ok(());
        }
        let before = volume.attach_path.len();
        volume.attach_path.retain(|p| p != path);
        if volume.attach_path.len() == before {
            return Err(Refusal::Other(format!(
                "volume {} is not mounted at {path}",
                volume_name(volume)
            )));
        }
        Ok(())
    }
}

/// Upstream's `checkAccessForVolumeId`: Inspect's checks (found, readable), then `need`.
/// Detach and Unmount go on when the volume is not found.
fn access(
    store: &Store,
    id: &str,
    caller: Option<&Caller>,
    need: AccessType,
    missing_ok: bool,
) -> Result<(), Status> {
    match store.volume(id) {
        Ok(volume) => {
            check(volume, caller, AccessType::Read)?;
            check(volume, caller, need)
        }
        Err(_) if missing_ok => Ok(()),
        Err(_) => Err(Status::not_found(format!("Volume id {id} not found"))),
    }
}

fn required(volume_id: &str) -> Result<(), Status> {
    if volume_id.is_empty() {
        return Err(Status::invalid_argument("Must supply volume id"));
    }
    Ok(())
}

fn mount_path(path: &str) -> Result<(), Status> {
    if path.is_empty() {
        return Err(Status::invalid_argument("Invalid Mount Path"));
    }
    Ok(())
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
        required(&id)?;
        let state = &self.state;
        let device_path = state.with_store(|store, now| {
            access(store, &id, caller.as_ref(), AccessType::Write, false)?;
            store
                .attach(state, &id, now)
                .map_err(|refusal| match refusal {
                    Refusal::AttachedElsewhere => Status::already_exists(refusal.message()),
                    _ => {
                        Status::internal(format!("failed  to attach volume: {}", refusal.message()))
                    }
                })
        })?;
        Ok(Response::new(SdkVolumeAttachResponse { device_path }))
    }

    async fn detach(
        &self,
        request: Request<SdkVolumeDetachRequest>,
    ) -> Result<Response<SdkVolumeDetachResponse>, Status> {
        let caller = caller_of(&request);
        let req = request.into_inner();
        required(&req.volume_id)?;
        let state = &self.state;
        let options = req.options.unwrap_or_default();
        state.with_store(|store, now| {
            access(
                store,
                &req.volume_id,
                caller.as_ref(),
                AccessType::Write,
                true,
            )?;
            match store.detach(state, &req.volume_id, options, now) {
                Ok(()) | Err(Refusal::Missing(_)) => Ok(()),
                Err(refusal) => Err(Status::internal(format!(
                    "Failed to detach volume {}: {}",
                    req.volume_id,
                    refusal.message()
                ))),
            }
        })?;
        Ok(Response::new(SdkVolumeDetachResponse {}))
    }

    async fn mount(
        &self,
        request: Request<SdkVolumeMountRequest>,
    ) -> Result<Response<SdkVolumeMountResponse>, Status> {
        let caller = caller_of(&request);
        let req = request.into_inner();
        required(&req.volume_id)?;
        mount_path(&req.mount_path)?;
        let state = &self.state;
        state.with_store(|store, _| {
            access(
                store,
                &req.volume_id,
                caller.as_ref(),
                AccessType::Write,
                false,
            )?;
            store
                .mount(state, &req.volume_id, &req.mount_path)
                .map_err(|refusal| {
                    Status::internal(format!(
                        "Failed to mount volume {}: {}",
                        req.volume_id,
                        refusal.message()
                    ))
                })
        })?;
        Ok(Response::new(SdkVolumeMountResponse {}))
    }

    async fn unmount(
        &self,
        request: Request<SdkVolumeUnmountRequest>,
    ) -> Result<Response<SdkVolumeUnmountResponse>, Status> {
        let caller = caller_of(&request);
        let req = request.into_inner();
        required(&req.volume_id)?;
        mount_path(&req.mount_path)?;
        let state = &self.state;
        state.with_store(|store, _| {
            access(
                store,
                &req.volume_id,
                caller.as_ref(),
                AccessType::Write,
                true,
            )?;
            store
                .unmount(state, &req.volume_id, &req.mount_path)
                .map_err(|refusal| {
                    Status::internal(format!(
                        "Failed to unmount volume {}: {}",
                        req.volume_id,
                        refusal.message()
                    ))
                })
        })?;
        Ok(Response::new(SdkVolumeUnmountResponse {}))
    }
}
