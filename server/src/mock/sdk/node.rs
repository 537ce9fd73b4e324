//! OpenStorageNode: the nodes of the cluster.

use std::sync::Arc;

use tonic::{Request, Response, Status};

use crate::mock::ClusterState;
use crate::proto::open_storage_node_server::OpenStorageNode;
use crate::proto::{
    SdkNodeEnumerateRequest, SdkNodeEnumerateResponse, SdkNodeEnumerateWithFiltersRequest,
    SdkNodeEnumerateWithFiltersResponse, SdkNodeInspectCurrentRequest,
    SdkNodeInspectCurrentResponse, SdkNodeInspectRequest, SdkNodeInspectResponse, StorageNode,
};

pub struct Node {
    state: Arc<ClusterState>,
}

impl Node {
    pub fn new(state: Arc<ClusterState>) -> Self {
        Node { state }
    }

    fn find(&self, id: &str) -> Result<StorageNode, Status> {
        if id.is_empty() {
            return Err(Status::invalid_argument("node_id must be set"));
        }
        self.state
            .nodes_now()
            .into_iter()
            .find(|n| n.id == id || n.hostname == id)
            .ok_or_else(|| Status::not_found(format!("node {id} is not part of this cluster")))
    }
}

#[tonic::async_trait]
impl OpenStorageNode for Node {
    async fn enumerate(
        &self,
        _: Request<SdkNodeEnumerateRequest>,
    ) -> Result<Response<SdkNodeEnumerateResponse>, Status> {
        let node_ids = self.state.nodes.iter().map(|n| n.id.clone()).collect();
        Ok(Response::new(SdkNodeEnumerateResponse { node_ids }))
    }

    async fn enumerate_with_filters(
        &self,
        _: Request<SdkNodeEnumerateWithFiltersRequest>,
    ) -> Result<Response<SdkNodeEnumerateWithFiltersResponse>, Status> {
        Ok(Response::new(SdkNodeEnumerateWithFiltersResponse {
            nodes: self.state.nodes_now(),
        }))
    }

    async fn inspect(
        &self,
        request: Request<SdkNodeInspectRequest>,
    ) -> Result<Response<SdkNodeInspectResponse>, Status> {
        let node = self.find(&request.get_ref().node_id)?;
        Ok(Response::new(SdkNodeInspectResponse { node: Some(node) }))
    }

    async fn inspect_current(
        &self,
        _: Request<SdkNodeInspectCurrentRequest>,
    ) -> Result<Response<SdkNodeInspectCurrentResponse>, Status> {
        // The SDK endpoint runs on a node; the mock answers from the first one.
        let node = self.state.nodes_now().into_iter().next();
        Ok(Response::new(SdkNodeInspectCurrentResponse { node }))
    }
}
