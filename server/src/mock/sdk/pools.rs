//! OpenStoragePool (Resize), OpenStorageJob and OpenStorageDiags. Upstream's SDK layer checks
//! nothing and hands each call to the cluster manager, whose words these are: upstream's own
//! (the fake driver's cluster) answers UNKNOWN "Not Supported" to all of them; the realistic
//! driver runs them as a Portworx cluster does (`store::pools`).

use std::sync::Arc;
use std::time::Instant;

use tonic::{Request, Response, Status};

use crate::mock::store::{figures, Store};
use crate::mock::ClusterState;
use crate::proto::job::State as JobState;
use crate::proto::open_storage_diags_server::OpenStorageDiags;
use crate::proto::open_storage_job_server::OpenStorageJob;
use crate::proto::open_storage_pool_server::OpenStoragePool;
use crate::proto::sdk_storage_pool::ResizeOperationType;
use crate::proto::*;

pub struct PoolService {
    state: Arc<ClusterState>,
}

impl PoolService {
    pub fn new(state: Arc<ClusterState>) -> Self {
        PoolService { state }
    }

    /// The cluster manager's side, or upstream's answer where it has none.
    fn cluster<T>(
        &self,
        f: impl FnOnce(&mut Store, &ClusterState, Instant) -> Result<T, Status>,
    ) -> Result<T, Status> {
        if !self.state.driver().runs_cluster_operations() {
            return Err(Status::unknown("Not Supported"));
        }
        let state = &self.state;
        state.with_store(|store, now| f(store, state, now))
    }
}

#[tonic::async_trait]
impl OpenStoragePool for PoolService {
    async fn resize(
        &self,
        request: Request<SdkStoragePoolResizeRequest>,
    ) -> Result<Response<SdkStoragePoolResizeResponse>, Status> {
        let req = request.into_inner();
        self.cluster(|store, state, now| {
            if req.uuid.is_empty() {
                return Err(Status::invalid_argument("Must supply a pool uuid"));
            }
            let (node, current) = figures::nodes(store, state, now)
                .into_iter()
                .find_map(|n| {
                    let pool = n.pools.iter().find(|p| p.uuid == req.uuid)?;
                    Some((n.id.clone(), pool.total_size))
                })
                .ok_or_else(|| Status::not_found(format!("pool {} not found", req.uuid)))?;
            let to = crate::mock::store::pools::target(current, &req)
                .map_err(Status::invalid_argument)?;
            let how = ResizeOperationType::try_from(req.operation_type)
                .unwrap_or(ResizeOperationType::ResizeTypeAuto);
            store
                .operations
                .start_resize(&node, current, to, how, now)
                .map_err(Status::failed_precondition)
        })?;
        Ok(Response::new(SdkStoragePoolResizeResponse {}))
    }
}

#[tonic::async_trait]
impl OpenStorageDiags for PoolService {
    async fn collect(
        &self,
        request: Request<SdkDiagsCollectRequest>,
    ) -> Result<Response<SdkDiagsCollectResponse>, Status> {
        let req = request.into_inner();
        let job = self.cluster(|store, state, now| {
            let selector = req.node.clone().unwrap_or_default();
            let nodes: Vec<String> = if selector.all {
                state.nodes.iter().map(|n| n.id.clone()).collect()
            } else {
                for id in &selector.node_ids {
                    if !state.nodes.iter().any(|n| &n.id == id) {
                        return Err(Status::invalid_argument(format!("node {id} not found")));
                    }
                }
                selector.node_ids.clone()
            };
            if nodes.is_empty() {
                return Err(Status::invalid_argument(
                    "select the nodes to collect diags from: all, or node ids",
                ));
            }
            let at = state.clock.timestamp(now);
            Ok(store.operations.collect_diags(req, nodes, at, now))
        })?;
        Ok(Response::new(SdkDiagsCollectResponse { job: Some(job) }))
    }
}

#[tonic::async_trait]
impl OpenStorageJob for PoolService {
    async fn update(
        &self,
        request: Request<SdkUpdateJobRequest>,
    ) -> Result<Response<SdkUpdateJobResponse>, Status> {
        let req = request.into_inner();
        self.cluster(|store, state, now| {
            if store.operations.job(&req.id, now).is_none() {
                return Err(Status::not_found(format!("job {} not found", req.id)));
            }
            let wanted = JobState::try_from(req.state).unwrap_or(JobState::UnspecifiedState);
            let at = state.clock.timestamp(now);
            store
                .operations
                .update_job(&req.id, wanted, at, now)
                .map_err(Status::failed_precondition)
        })?;
        Ok(Response::new(SdkUpdateJobResponse {}))
    }

    async fn get_status(
        &self,
        request: Request<SdkGetJobStatusRequest>,
    ) -> Result<Response<SdkGetJobStatusResponse>, Status> {
        let req = request.into_inner();
        let job = self.cluster(|store, _, now| {
            store
                .operations
                .job(&req.id, now)
                .ok_or_else(|| Status::not_found(format!("job {} not found", req.id)))
        })?;
        let summary = JobSummary {
            id: job.id.clone(),
            ..Default::default()
        };
        Ok(Response::new(SdkGetJobStatusResponse {
            job: Some(job),
            summary: Some(summary),
        }))
    }

    async fn enumerate(
        &self,
        request: Request<SdkEnumerateJobsRequest>,
    ) -> Result<Response<SdkEnumerateJobsResponse>, Status> {
        let kind = request.into_inner().r#type;
        let jobs = self.cluster(|store, _, now| {
            Ok(store
                .operations
                .jobs(now)
                .into_iter()
                .filter(|j| kind == 0 || j.r#type == kind)
                .collect())
        })?;
        Ok(Response::new(SdkEnumerateJobsResponse { jobs }))
    }
}
