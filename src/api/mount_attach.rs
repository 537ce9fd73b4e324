//! Attaching and mounting a volume (OpenStorageMountAttach). The SDK attaches a volume on the
//! node that answers the call; a cluster without the service (left out of Capabilities,
//! UNIMPLEMENTED, or upstream's UNKNOWN "Not Supported") is not an error: the step says so.

use crate::error::AppError;
use crate::proto::methods::open_storage_mount_attach;
use crate::proto::*;

use super::capabilities::{lacks, refused, SdkService};
use super::Sdk;

/// One step on a volume.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Attach,
    /// Detach, unmounting its paths first when asked (the SDK's `unmount_before_detach`).
    Detach {
        unmount_first: bool,
    },
    Mount(String),
    Unmount(String),
}

/// What a step did.
#[derive(Debug, Clone, PartialEq)]
pub enum Done {
    /// Attached: the device path the cluster answered.
    Attached(String),
    Changed,
    /// The cluster does not offer attaching and mounting.
    NotOffered,
}

/// Whether the cluster offers the service (unknown counts as offered: the call will tell).
pub async fn offered(sdk: &Sdk) -> bool {
    !lacks(sdk, SdkService::MountAttach).await
}

/// The Mount request, as sent and as the card shows it as code.
pub fn mount_request(volume_id: String, mount_path: String) -> SdkVolumeMountRequest {
    SdkVolumeMountRequest {
        volume_id,
        mount_path,
        ..Default::default()
    }
}

pub async fn run(sdk: &Sdk, volume_id: String, step: Step) -> Result<Done, AppError> {
    let answer = match step {
        Step::Attach => sdk
            .call(
                open_storage_mount_attach::ATTACH,
                SdkVolumeAttachRequest {
                    volume_id,
                    ..Default::default()
                },
            )
            .await
            .map(|a| Done::Attached(a.device_path)),
        Step::Detach { unmount_first } => sdk
            .call(
                open_storage_mount_attach::DETACH,
                SdkVolumeDetachRequest {
                    volume_id,
                    options: Some(SdkVolumeDetachOptions {
                        unmount_before_detach: unmount_first,
                        ..Default::default()
                    }),
                    ..Default::default()
                },
            )
            .await
            .map(|_| Done::Changed),
        Step::Mount(mount_path) => sdk
            .call(
                open_storage_mount_attach::MOUNT,
                mount_request(volume_id, mount_path),
            )
            .await
            .map(|_| Done::Changed),
        Step::Unmount(mount_path) => sdk
            .call(
                open_storage_mount_attach::UNMOUNT,
                SdkVolumeUnmountRequest {
                    volume_id,
                    mount_path,
                    ..Default::default()
                },
            )
            .await
            .map(|_| Done::Changed),
    };
    match answer {
        Ok(done) => Ok(done),
        Err(status) if refused(sdk, SdkService::MountAttach, &status) => Ok(Done::NotOffered),
        Err(status) => Err(status.into()),
    }
}
