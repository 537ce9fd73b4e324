//! The console's Fleet service: the names of the clusters served, for the app's cluster switcher
//! and fleet page. Names only: what each cluster holds the app asks that cluster, with its own
//! sign-in, so nobody learns here what the cluster would not tell them.

use tonic::{Request, Response, Status};

use crate::proto::console::fleet_server::{Fleet, FleetServer};
use crate::proto::console::{ClustersRequest, ClustersResponse, FleetCluster};

pub struct FleetService {
    clusters: Vec<FleetCluster>,
}

impl FleetService {
    /// `clusters`: each name, and whether it is an upstream, the default first.
    pub fn new(clusters: impl IntoIterator<Item = (String, bool)>) -> FleetService {
        let clusters = clusters
            .into_iter()
            .map(|(name, upstream)| FleetCluster { name, upstream })
            .collect();
        FleetService { clusters }
    }

    pub fn server(self) -> FleetServer<FleetService> {
        FleetServer::new(self)
    }
}

#[tonic::async_trait]
impl Fleet for FleetService {
    async fn clusters(
        &self,
        _: Request<ClustersRequest>,
    ) -> Result<Response<ClustersResponse>, Status> {
        Ok(Response::new(ClustersResponse {
            clusters: self.clusters.clone(),
        }))
    }
}
