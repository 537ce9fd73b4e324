//! The console's view service (openstorage.console.v1.VolumeView), which console-server
//! answers from one shared view of the cluster: a page of volumes, names for pickers, and a
//! stream of changes. An endpoint without it (a bare gRPC-Web proxy in front of a cluster, or
//! a cluster with auth reached through a gateway) says so, and the console uses SDK calls.

use crate::error::AppError;
use crate::proto::console::volume_view_client::VolumeViewClient;
use crate::proto::console::*;

use super::Sdk;

/// Why a view call did not answer.
#[derive(Debug, Clone, PartialEq)]
pub enum ViewError {
    /// The endpoint has no view for this caller: use SDK calls instead.
    Absent(String),
    Failed(AppError),
}

impl From<tonic::Status> for ViewError {
    fn from(status: tonic::Status) -> Self {
        match status.code() {
            tonic::Code::Unimplemented => ViewError::Absent(
                "this endpoint has no console view service (a plain gRPC-Web proxy in front of \
                 the cluster)"
                    .into(),
            ),
            tonic::Code::FailedPrecondition => ViewError::Absent(status.message().to_string()),
            _ => ViewError::Failed(status.into()),
        }
    }
}

pub async fn query(
    sdk: &Sdk,
    request: VolumeQueryRequest,
) -> Result<VolumeQueryResponse, ViewError> {
    Ok(VolumeViewClient::new(sdk.channel())
        .query(sdk.request(request))
        .await?
        .into_inner())
}

pub async fn names(
    sdk: &Sdk,
    request: VolumeNamesRequest,
) -> Result<VolumeNamesResponse, ViewError> {
    Ok(VolumeViewClient::new(sdk.channel())
        .names(sdk.request(request))
        .await?
        .into_inner())
}

/// Changes after `revision` of view `view_id`, as they happen.
pub async fn watch(
    sdk: &Sdk,
    revision: u64,
    view_id: &str,
) -> Result<tonic::Streaming<VolumeWatchEvent>, ViewError> {
    Ok(VolumeViewClient::new(sdk.stream_channel())
        .watch(sdk.stream_request(VolumeWatchRequest {
            after_revision: revision,
            view_id: view_id.to_string(),
        }))
        .await?
        .into_inner())
}

/// Whether console-server reaches the cluster, from its own shared check.
pub async fn health(sdk: &Sdk) -> Result<ViewHealthResponse, ViewError> {
    Ok(VolumeViewClient::new(sdk.channel())
        .health(sdk.request(ViewHealthRequest {}))
        .await?
        .into_inner())
}
