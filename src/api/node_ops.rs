//! What an admin does to nodes beyond looking: resize a storage pool (OpenStoragePool), collect
//! diagnostics (OpenStorageDiags) and follow the cluster's jobs (OpenStorageJob). Upstream's
//! own cluster answers UNKNOWN "Not Supported" to all three: `None` means not offered, and is
//! remembered for the connection.

use crate::error::AppError;
use crate::logic::pool_resize::Grow;
use crate::proto::methods::{open_storage_diags, open_storage_job, open_storage_pool};
use crate::proto::sdk_storage_pool_resize_request::ResizeFactor;
use crate::proto::*;

use super::capabilities::{lacks, offered, SdkService};
use super::Sdk;

/// The request that grows the pool; `how` is an `SdkStoragePool.ResizeOperationType`.
pub fn resize_request(uuid: String, grow: Grow, how: i32) -> SdkStoragePoolResizeRequest {
    let resize_factor = Some(match grow {
        Grow::ToGib(gib) => ResizeFactor::Size(gib),
        Grow::Percent(p) => ResizeFactor::Percentage(p),
    });
    SdkStoragePoolResizeRequest {
        uuid,
        resize_factor,
        operation_type: how,
        ..Default::default()
    }
}

/// Asks the cluster to grow the pool.
pub async fn resize_pool(
    sdk: &Sdk,
    request: SdkStoragePoolResizeRequest,
) -> Result<Option<()>, AppError> {
    let answer = sdk.call(open_storage_pool::RESIZE, request).await;
    offered(sdk, SdkService::Pool, answer.map(|_| ()))
}

/// The cluster's jobs, newest first.
pub async fn jobs(sdk: &Sdk) -> Result<Option<Vec<Job>>, AppError> {
    if lacks(sdk, SdkService::Job).await {
        return Ok(None);
    }
    let answer = sdk
        .call(
            open_storage_job::ENUMERATE,
            SdkEnumerateJobsRequest::default(),
        )
        .await;
    Ok(offered(sdk, SdkService::Job, answer)?.map(|a| {
        let mut jobs = a.jobs;
        jobs.sort_by_key(|j| std::cmp::Reverse(j.create_time.map(|t| (t.seconds, t.nanos))));
        jobs
    }))
}

/// The request that collects diagnostics from one node, or from every node when `node` is
/// None.
pub fn diags_request(node: Option<String>) -> SdkDiagsCollectRequest {
    let selector = DiagsNodeSelector {
        all: node.is_none(),
        node_ids: node.into_iter().collect(),
        ..Default::default()
    };
    SdkDiagsCollectRequest {
        node: Some(selector),
        issuer: "OpenStorage Console".into(),
        ..Default::default()
    }
}

pub async fn collect_diags(sdk: &Sdk, node: Option<String>) -> Result<Option<Job>, AppError> {
    let request = diags_request(node);
    let answer = sdk.call(open_storage_diags::COLLECT, request).await;
    Ok(offered(sdk, SdkService::Diags, answer)?.and_then(|a| a.job))
}

/// Pauses, resumes or cancels a job (`state` is a `Job.State`).
pub async fn update_job(sdk: &Sdk, id: String, state: i32) -> Result<(), AppError> {
    let request = SdkUpdateJobRequest {
        id,
        state,
        ..Default::default()
    };
    sdk.call(open_storage_job::UPDATE, request).await?;
    Ok(())
}
