//! OpenStorageClusterDomains in upstream's SDK words (`cluster_domains.go`). The realistic
//! cluster has a domain per zone its nodes are labelled with, each active until deactivated;
//! upstream's own cluster manager (what the fake runs) is not set up with domains and says so.

use std::sync::Arc;

use tonic::{Request, Response, Status};

use super::ownership::{caller_of, is_admin};
use crate::access::Caller;
use crate::mock::ClusterState;
use crate::proto::open_storage_cluster_domains_server::OpenStorageClusterDomains;
use crate::proto::*;

const ZONE: &str = "topology.kubernetes.io/zone";

pub struct DomainsService {
    state: Arc<ClusterState>,
}

impl DomainsService {
    pub fn new(state: Arc<ClusterState>) -> Self {
        DomainsService { state }
    }

    /// The cluster's domains, or upstream's refusal where it has none.
    fn domains(&self) -> Result<Vec<String>, String> {
        if !self.state.driver().runs_cluster_operations() {
            return Err("node is not initialized with cluster domains".into());
        }
        let mut zones: Vec<String> = self
            .state
            .nodes
            .iter()
            .filter_map(|n| n.node_labels.get(ZONE).cloned())
            .collect();
        zones.sort();
        zones.dedup();
        Ok(zones)
    }

    fn set(&self, name: &str, active: bool, caller: Option<Caller>) -> Result<(), Status> {
        if !is_admin(caller.as_ref()) {
            return Err(Status::permission_denied(format!(
                "Activating cluster domain {name} not permitted. Only the storage administrator is authorized."
            )));
        }
        if name.is_empty() {
            return Err(Status::invalid_argument(
                "Must provide a valid cluster domain name",
            ));
        }
        let failed = |why: String| {
            Status::internal(format!("Failed to activate cluster domain {name}: {why}"))
        };
        let domains = self.domains().map_err(failed)?;
        if !domains.iter().any(|d| d == name) {
            return Err(failed(format!("cluster domain {name} not found")));
        }
        self.state.with_store(|store, _| {
            if active {
                store.recovery.inactive_domains.retain(|d| d != name);
            } else if !store.recovery.inactive_domains.iter().any(|d| d == name) {
                store.recovery.inactive_domains.push(name.to_string());
            }
            Ok(())
        })
    }
}

#[tonic::async_trait]
impl OpenStorageClusterDomains for DomainsService {
    async fn enumerate(
        &self,
        _: Request<SdkClusterDomainsEnumerateRequest>,
    ) -> Result<Response<SdkClusterDomainsEnumerateResponse>, Status> {
        let cluster_domain_names = self.domains().map_err(|why| {
            Status::internal(format!("Cannot enumerate cluster cluster domains: {why}"))
        })?;
        Ok(Response::new(SdkClusterDomainsEnumerateResponse {
            cluster_domain_names,
        }))
    }

    async fn inspect(
        &self,
        request: Request<SdkClusterDomainInspectRequest>,
    ) -> Result<Response<SdkClusterDomainInspectResponse>, Status> {
        let name = request.into_inner().cluster_domain_name;
        if name.is_empty() {
            return Err(Status::invalid_argument(
                "Must provide a valid cluster domain name",
            ));
        }
        let failed = |why: String| {
            Status::internal(format!("Cannot enumerate cluster cluster domains: {why}"))
        };
        let domains = self.domains().map_err(failed)?;
        if !domains.contains(&name) {
            return Err(failed(format!("cluster domain {name} not found")));
        }
        let is_active = self
            .state
            .with_store(|store, _| Ok(!store.recovery.inactive_domains.contains(&name)))?;
        Ok(Response::new(SdkClusterDomainInspectResponse {
            cluster_domain_name: name,
            is_active,
        }))
    }

    async fn activate(
        &self,
        request: Request<SdkClusterDomainActivateRequest>,
    ) -> Result<Response<SdkClusterDomainActivateResponse>, Status> {
        let caller = caller_of(&request);
        self.set(&request.into_inner().cluster_domain_name, true, caller)?;
        Ok(Response::new(SdkClusterDomainActivateResponse {}))
    }

    async fn deactivate(
        &self,
        request: Request<SdkClusterDomainDeactivateRequest>,
    ) -> Result<Response<SdkClusterDomainDeactivateResponse>, Status> {
        let caller = caller_of(&request);
        self.set(&request.into_inner().cluster_domain_name, false, caller)?;
        Ok(Response::new(SdkClusterDomainDeactivateResponse {}))
    }
}
