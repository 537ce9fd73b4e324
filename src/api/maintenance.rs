//! Volume maintenance the cluster runs in the background: filesystem trim, filesystem check
//! and checksum verification (start, status, stop). Upstream lists none of them in
//! Capabilities and its drivers answer UNKNOWN "Operation not supported" when they lack one:
//! that answer reads as not offered, and is remembered for the connection.

use crate::error::AppError;
use crate::logic::as_code::Call;
use crate::proto::filesystem_check::FilesystemCheckStatus as Check;
use crate::proto::filesystem_trim::FilesystemTrimStatus as Trim;
use crate::proto::methods::{
    open_storage_filesystem_check as check, open_storage_filesystem_trim as trim,
    open_storage_verify_checksum as checksum,
};
use crate::proto::verify_checksum::VerifyChecksumStatus as Sum;
use crate::proto::*;

use super::capabilities::{refused, SdkService};
use super::Sdk;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    /// On the filesystem mounted at a path.
    Trim,
    /// In a mode (check_health, fix_safe, fix_all), unmounted.
    Check,
    Checksum,
}

impl Task {
    /// The SDK service that runs it.
    pub fn service(self) -> SdkService {
        match self {
            Task::Trim => SdkService::FilesystemTrim,
            Task::Check => SdkService::FilesystemCheck,
            Task::Checksum => SdkService::VerifyChecksum,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Start,
    Status,
    Stop,
}

/// Where a task stands, in words, and whether it is still running.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub running: bool,
    pub words: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Progress(Progress),
    NotOffered,
}

/// The status enums' values share their order: unknown, not running, started, in progress,
/// stopped, completed, failed (checksums have no "in progress").
fn progress(state: &str, running: bool, message: &str, health: Option<i32>) -> Progress {
    let mut words = state.to_string();
    let health = match health.and_then(|h| FilesystemHealthStatus::try_from(h).ok()) {
        Some(FilesystemHealthStatus::FsHealthStatusHealthy) => "; the filesystem is healthy",
        Some(FilesystemHealthStatus::FsHealthStatusSafeToFix) => {
            "; the filesystem has errors that can be fixed safely"
        }
        Some(FilesystemHealthStatus::FsHealthStatusNeedsInspection) => {
            "; the filesystem has errors that need inspection"
        }
        _ => "",
    };
    words.push_str(health);
    if !message.is_empty() {
        words = format!("{words} ({message})");
    }
    Progress { running, words }
}

fn trim_state(status: i32) -> (&'static str, bool) {
    match Trim::try_from(status).unwrap_or(Trim::FsTrimUnknown) {
        Trim::FsTrimNotRunning => ("Not running", false),
        Trim::FsTrimStarted => ("Started", true),
        Trim::FsTrimInprogress => ("In progress", true),
        Trim::FsTrimStopped => ("Stopped", false),
        Trim::FsTrimCompleted => ("Completed", false),
        Trim::FsTrimFailed => ("Failed", false),
        Trim::FsTrimUnknown => ("Unknown", false),
    }
}

fn check_state(status: i32) -> (&'static str, bool) {
    match Check::try_from(status).unwrap_or(Check::FsCheckUnknown) {
        Check::FsCheckNotRunning => ("Not running", false),
        Check::FsCheckStarted => ("Started", true),
        Check::FsCheckInprogress => ("In progress", true),
        Check::FsCheckStopped => ("Stopped", false),
        Check::FsCheckCompleted => ("Completed", false),
        Check::FsCheckFailed => ("Failed", false),
        Check::FsCheckUnknown => ("Unknown", false),
    }
}

fn sum_state(status: i32) -> (&'static str, bool) {
    match Sum::try_from(status).unwrap_or(Sum::VerifyChecksumUnknown) {
        Sum::VerifyChecksumNotRunning => ("Not running", false),
        Sum::VerifyChecksumStarted => ("Running", true),
        Sum::VerifyChecksumStopped => ("Stopped", false),
        Sum::VerifyChecksumCompleted => ("Completed", false),
        Sum::VerifyChecksumFailed => ("Failed", false),
        Sum::VerifyChecksumUnknown => ("Unknown", false),
    }
}

// The requests that start a task and ask how it goes, shared by the calls and the card's
// "Show as code".

fn trim_start(volume_id: String, mount_path: String) -> SdkFilesystemTrimStartRequest {
    SdkFilesystemTrimStartRequest {
        volume_id,
        mount_path,
    }
}

fn trim_status(volume_id: String, mount_path: String) -> SdkFilesystemTrimStatusRequest {
    SdkFilesystemTrimStatusRequest {
        volume_id,
        mount_path,
    }
}

fn check_start(volume_id: String, mode: String) -> SdkFilesystemCheckStartRequest {
    SdkFilesystemCheckStartRequest { volume_id, mode }
}

fn checksum_start(volume_id: String) -> SdkVerifyChecksumStartRequest {
    SdkVerifyChecksumStartRequest {
        volume_id,
        ..Default::default()
    }
}

/// The call that starts `task` (`choice` as in `run`), as the card shows it as code.
pub fn start_call(volume_id: String, task: Task, choice: String) -> Call {
    match task {
        Task::Trim => Call::new(trim::START, &trim_start(volume_id, choice)),
        Task::Check => Call::new(check::START, &check_start(volume_id, choice)),
        Task::Checksum => Call::new(checksum::START, &checksum_start(volume_id)),
    }
}

/// The read that follows a start: the task's status.
pub fn status_call(volume_id: String, task: Task, choice: String) -> Call {
    match task {
        Task::Trim => Call::new(trim::STATUS, &trim_status(volume_id, choice)),
        Task::Check => Call::new(
            check::STATUS,
            &SdkFilesystemCheckStatusRequest { volume_id },
        ),
        Task::Checksum => Call::new(
            checksum::STATUS,
            &SdkVerifyChecksumStatusRequest { volume_id },
        ),
    }
}

/// Starts, asks about or stops `task` on the volume; `choice` is the trim's mount path or the
/// check's mode.
pub async fn run(
    sdk: &Sdk,
    volume_id: String,
    task: Task,
    choice: String,
    action: Action,
) -> Result<Answer, AppError> {
    let answer = ask(sdk, volume_id, task, choice, action).await;
    match answer {
        Ok(progress) => Ok(Answer::Progress(progress)),
        Err(status) if refused(sdk, task.service(), &status) => Ok(Answer::NotOffered),
        Err(status) => Err(status.into()),
    }
}

async fn ask(
    sdk: &Sdk,
    volume_id: String,
    task: Task,
    choice: String,
    action: Action,
) -> Result<Progress, tonic::Status> {
    let stopped = || progress("Stopped", false, "", None);
    Ok(match (task, action) {
        (Task::Trim, Action::Start) => {
            let a = sdk.call(trim::START, trim_start(volume_id, choice)).await?;
            let (state, running) = trim_state(a.status);
            progress(state, running, &a.message, None)
        }
        (Task::Trim, Action::Status) => {
            let a = sdk
                .call(trim::STATUS, trim_status(volume_id, choice))
                .await?;
            let (state, running) = trim_state(a.status);
            progress(state, running, &a.message, None)
        }
        (Task::Trim, Action::Stop) => {
            sdk.call(
                trim::STOP,
                SdkFilesystemTrimStopRequest {
                    volume_id,
                    mount_path: choice,
                },
            )
            .await?;
            stopped()
        }
        (Task::Check, Action::Start) => {
            let a = sdk
                .call(check::START, check_start(volume_id, choice))
                .await?;
            let (state, running) = check_state(a.status);
            progress(state, running, &a.message, None)
        }
        (Task::Check, Action::Status) => {
            let a = sdk
                .call(check::STATUS, SdkFilesystemCheckStatusRequest { volume_id })
                .await?;
            let (state, running) = check_state(a.status);
            progress(state, running, &a.message, Some(a.health_status))
        }
        (Task::Check, Action::Stop) => {
            sdk.call(check::STOP, SdkFilesystemCheckStopRequest { volume_id })
                .await?;
            stopped()
        }
        (Task::Checksum, Action::Start) => {
            let a = sdk.call(checksum::START, checksum_start(volume_id)).await?;
            let (state, running) = sum_state(a.status);
            progress(state, running, &a.message, None)
        }
        (Task::Checksum, Action::Status) => {
            let a = sdk
                .call(
                    checksum::STATUS,
                    SdkVerifyChecksumStatusRequest { volume_id },
                )
                .await?;
            let (state, running) = sum_state(a.status);
            progress(state, running, &a.message, None)
        }
        (Task::Checksum, Action::Stop) => {
            let a = sdk
                .call(checksum::STOP, SdkVerifyChecksumStopRequest { volume_id })
                .await?;
            progress("Stopped", false, &a.message, None)
        }
    })
}
