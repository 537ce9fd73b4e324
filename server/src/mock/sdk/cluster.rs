//! OpenStorageCluster: the cluster's identity and health.

use std::sync::Arc;

use tonic::{Request, Response, Status};

use crate::mock::ClusterState;
use crate::proto::open_storage_cluster_server::OpenStorageCluster;
use crate::proto::{
    SdkClusterInspectCurrentRequest, SdkClusterInspectCurrentResponse, StorageCluster,
};

pub struct Cluster {
    state: Arc<ClusterState>,
}

impl Cluster {
    pub fn new(state: Arc<ClusterState>) -> Self {
        Cluster { state }
    }
}

#[tonic::async_trait]
impl OpenStorageCluster for Cluster {
    async fn inspect_current(
        &self,
        _: Request<SdkClusterInspectCurrentRequest>,
    ) -> Result<Response<SdkClusterInspectCurrentResponse>, Status> {
        Ok(Response::new(SdkClusterInspectCurrentResponse {
            cluster: Some(StorageCluster {
                status: crate::proto::Status::Ok as i32,
                id: self.state.id.clone(),
                name: self.state.name.clone(),
            }),
        }))
    }
}
