//! The built-in mock cluster: an in-memory OpenStorage SDK server that behaves like a real one,
//! one module per SDK service, all state behind [`ClusterState`].

mod cluster;
mod identity;
mod node;
mod topology;

use std::sync::Arc;

use tonic::service::Routes;

use crate::proto::open_storage_cluster_server::OpenStorageClusterServer;
use crate::proto::open_storage_identity_server::OpenStorageIdentityServer;
use crate::proto::open_storage_node_server::OpenStorageNodeServer;
use crate::proto::StorageNode;

/// Everything the mock cluster knows. Shared by every service behind an `Arc`.
#[derive(Debug)]
pub struct ClusterState {
    /// Stable for the life of the process, new for each process, as a real cluster's id is
    /// stable for its life.
    pub id: String,
    pub name: String,
    pub nodes: Vec<StorageNode>,
}

/// Handle to the mock cluster; cheap to clone.
#[derive(Debug, Clone)]
pub struct MockCluster {
    state: Arc<ClusterState>,
}

impl MockCluster {
    pub fn new(name: &str) -> MockCluster {
        let id = uuid::Uuid::new_v4().to_string();
        let nodes = topology::nodes(&id);
        MockCluster {
            state: Arc::new(ClusterState {
                id,
                name: name.to_string(),
                nodes,
            }),
        }
    }

    pub fn id(&self) -> &str {
        &self.state.id
    }

    /// The gRPC services this cluster answers, ready to serve.
    pub fn routes(&self) -> Routes {
        let state = &self.state;
        Routes::new(OpenStorageIdentityServer::new(identity::Identity::new(
            state.clone(),
        )))
        .add_service(OpenStorageClusterServer::new(cluster::Cluster::new(
            state.clone(),
        )))
        .add_service(OpenStorageNodeServer::new(node::Node::new(state.clone())))
    }
}
