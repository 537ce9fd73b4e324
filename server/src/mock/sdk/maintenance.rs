//! OpenStorageFilesystemTrim, OpenStorageFilesystemCheck and OpenStorageVerifyChecksum. The SDK
//! layer is upstream's (`filesystem_trim.go`, `filesystem_check.go`, `verify_checksum.go`): a
//! volume id (and a check's mode) required, checksum access checked when auth is on, then the
//! driver's answer passed on as it is. The fake driver lacks all three, as upstream's does
//! ("Operation not supported"); the realistic one runs them (`store::maintenance`).

use std::sync::Arc;
use std::time::Instant;

use tonic::{Request, Response, Status};

use super::ownership::{caller_of, check_from_driver};
use crate::mock::store::maintenance::{message, Kind, Phase};
use crate::mock::store::Store;
use crate::mock::ClusterState;
use crate::proto::filesystem_check::FilesystemCheckStatus as CheckStatus;
use crate::proto::filesystem_trim::FilesystemTrimStatus as TrimStatus;
use crate::proto::open_storage_filesystem_check_server::OpenStorageFilesystemCheck;
use crate::proto::open_storage_filesystem_trim_server::OpenStorageFilesystemTrim;
use crate::proto::open_storage_verify_checksum_server::OpenStorageVerifyChecksum;
use crate::proto::ownership::AccessType;
use crate::proto::verify_checksum::VerifyChecksumStatus as SumStatus;
use crate::proto::*;

/// upstream's `volume.ErrNotSupported`, a plain error, so UNKNOWN.
fn not_supported() -> Status {
    Status::unknown("Operation not supported")
}

fn volume_id(id: &str) -> Result<(), Status> {
    if id.is_empty() {
        return Err(Status::invalid_argument("Must supply a volume id"));
    }
    Ok(())
}

pub struct MaintenanceService {
    state: Arc<ClusterState>,
}

impl MaintenanceService {
    pub fn new(state: Arc<ClusterState>) -> Self {
        MaintenanceService { state }
    }

    /// The driver's side: what `f` does with the store, or "not supported" from the fake.
    fn driver<T>(
        &self,
        f: impl FnOnce(&mut Store, Instant) -> Result<T, Status>,
    ) -> Result<T, Status> {
        if !self.state.driver().runs_cluster_operations() {
            return Err(not_supported());
        }
        self.state.with_store(f)
    }

    fn begin(&self, id: &str, kind: Kind, detail: &str) -> Result<(), Status> {
        self.driver(|store, now| {
            store
                .start_maintenance(id, kind, detail, now)
                .map_err(Status::unknown)
        })
    }

    fn halt(&self, id: &str, kind: Kind) -> Result<(), Status> {
        self.driver(|store, now| {
            store
                .stop_maintenance(id, kind, now)
                .map_err(Status::unknown)
        })
    }

    fn phase(&self, id: &str, kind: Kind) -> Result<(Phase, String), Status> {
        self.driver(|store, now| {
            store.volume(id).map_err(|s| Status::unknown(s.message()))?;
            Ok(store.maintenance_phase(id, kind, now))
        })
    }
}

fn trim_status(phase: &Phase) -> TrimStatus {
    match phase {
        Phase::NotRunning => TrimStatus::FsTrimNotRunning,
        Phase::Started => TrimStatus::FsTrimStarted,
        Phase::InProgress(_) => TrimStatus::FsTrimInprogress,
        Phase::Stopped => TrimStatus::FsTrimStopped,
        Phase::Completed => TrimStatus::FsTrimCompleted,
    }
}

fn check_status(phase: &Phase) -> CheckStatus {
    match phase {
        Phase::NotRunning => CheckStatus::FsCheckNotRunning,
        Phase::Started => CheckStatus::FsCheckStarted,
        Phase::InProgress(_) => CheckStatus::FsCheckInprogress,
        Phase::Stopped => CheckStatus::FsCheckStopped,
        Phase::Completed => CheckStatus::FsCheckCompleted,
    }
}

fn sum_status(phase: &Phase) -> SumStatus {
    match phase {
        Phase::NotRunning => SumStatus::VerifyChecksumNotRunning,
        Phase::Started | Phase::InProgress(_) => SumStatus::VerifyChecksumStarted,
        Phase::Stopped => SumStatus::VerifyChecksumStopped,
        Phase::Completed => SumStatus::VerifyChecksumCompleted,
    }
}

#[tonic::async_trait]
impl OpenStorageFilesystemTrim for MaintenanceService {
    async fn start(
        &self,
        request: Request<SdkFilesystemTrimStartRequest>,
    ) -> Result<Response<SdkFilesystemTrimStartResponse>, Status> {
        let req = request.into_inner();
        volume_id(&req.volume_id)?;
        self.begin(&req.volume_id, Kind::Trim, &req.mount_path)?;
        Ok(Response::new(SdkFilesystemTrimStartResponse {
            status: TrimStatus::FsTrimStarted as i32,
            message: message(Kind::Trim, &Phase::Started),
        }))
    }

    async fn status(
        &self,
        request: Request<SdkFilesystemTrimStatusRequest>,
    ) -> Result<Response<SdkFilesystemTrimStatusResponse>, Status> {
        let req = request.into_inner();
        let (phase, _) = self.phase(&req.volume_id, Kind::Trim)?;
        Ok(Response::new(SdkFilesystemTrimStatusResponse {
            status: trim_status(&phase) as i32,
            message: message(Kind::Trim, &phase),
        }))
    }

    async fn stop(
        &self,
        request: Request<SdkFilesystemTrimStopRequest>,
    ) -> Result<Response<SdkFilesystemTrimStopResponse>, Status> {
        let req = request.into_inner();
        volume_id(&req.volume_id)?;
        self.halt(&req.volume_id, Kind::Trim)?;
        Ok(Response::new(SdkFilesystemTrimStopResponse {}))
    }
}

#[tonic::async_trait]
impl OpenStorageFilesystemCheck for MaintenanceService {
    async fn start(
        &self,
        request: Request<SdkFilesystemCheckStartRequest>,
    ) -> Result<Response<SdkFilesystemCheckStartResponse>, Status> {
        let req = request.into_inner();
        volume_id(&req.volume_id)?;
        if req.mode.is_empty() {
            return Err(Status::invalid_argument("Must supply a mode parameter"));
        }
        self.begin(&req.volume_id, Kind::Check, &req.mode)?;
        Ok(Response::new(SdkFilesystemCheckStartResponse {
            status: CheckStatus::FsCheckStarted as i32,
            message: message(Kind::Check, &Phase::Started),
        }))
    }

    async fn status(
        &self,
        request: Request<SdkFilesystemCheckStatusRequest>,
    ) -> Result<Response<SdkFilesystemCheckStatusResponse>, Status> {
        let req = request.into_inner();
        volume_id(&req.volume_id)?;
        let (phase, mode) = self.phase(&req.volume_id, Kind::Check)?;
        // The mock's filesystems are always healthy once checked.
        let health = if phase == Phase::Completed {
            FilesystemHealthStatus::FsHealthStatusHealthy
        } else {
            FilesystemHealthStatus::FsHealthStatusUnknown
        };
        Ok(Response::new(SdkFilesystemCheckStatusResponse {
            status: check_status(&phase) as i32,
            health_status: health as i32,
            mode,
            message: message(Kind::Check, &phase),
        }))
    }

    async fn stop(
        &self,
        request: Request<SdkFilesystemCheckStopRequest>,
    ) -> Result<Response<SdkFilesystemCheckStopResponse>, Status> {
        let req = request.into_inner();
        volume_id(&req.volume_id)?;
        self.halt(&req.volume_id, Kind::Check)?;
        Ok(Response::new(SdkFilesystemCheckStopResponse {}))
    }
}

#[tonic::async_trait]
impl OpenStorageVerifyChecksum for MaintenanceService {
    async fn start(
        &self,
        request: Request<SdkVerifyChecksumStartRequest>,
    ) -> Result<Response<SdkVerifyChecksumStartResponse>, Status> {
        let caller = caller_of(&request);
        let req = request.into_inner();
        volume_id(&req.volume_id)?;
        self.state.with_store(|store, _| {
            check_from_driver(store, &req.volume_id, caller.as_ref(), AccessType::Write)
        })?;
        self.begin(&req.volume_id, Kind::Checksum, "")?;
        Ok(Response::new(SdkVerifyChecksumStartResponse {
            status: SumStatus::VerifyChecksumStarted as i32,
            message: message(Kind::Checksum, &Phase::Started),
        }))
    }

    async fn status(
        &self,
        request: Request<SdkVerifyChecksumStatusRequest>,
    ) -> Result<Response<SdkVerifyChecksumStatusResponse>, Status> {
        let caller = caller_of(&request);
        let req = request.into_inner();
        volume_id(&req.volume_id)?;
        self.state.with_store(|store, _| {
            check_from_driver(store, &req.volume_id, caller.as_ref(), AccessType::Read)
        })?;
        let (phase, _) = self.phase(&req.volume_id, Kind::Checksum)?;
        Ok(Response::new(SdkVerifyChecksumStatusResponse {
            status: sum_status(&phase) as i32,
            message: message(Kind::Checksum, &phase),
        }))
    }

    async fn stop(
        &self,
        request: Request<SdkVerifyChecksumStopRequest>,
    ) -> Result<Response<SdkVerifyChecksumStopResponse>, Status> {
        let caller = caller_of(&request);
        let req = request.into_inner();
        volume_id(&req.volume_id)?;
        self.state.with_store(|store, _| {
            check_from_driver(store, &req.volume_id, caller.as_ref(), AccessType::Write)
        })?;
        self.halt(&req.volume_id, Kind::Checksum)?;
        Ok(Response::new(SdkVerifyChecksumStopResponse {
            message: message(Kind::Checksum, &Phase::Stopped),
        }))
    }
}
