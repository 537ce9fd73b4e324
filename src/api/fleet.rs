//! The clusters behind console-server (its Fleet service) and what the fleet page says of
//! each, asked of that cluster itself with the sign-in kept for it: the fleet page shows a
//! cluster exactly what the cluster would show this user.

use crate::error::AppError;
use crate::logic::backup_task;
use crate::proto::console::{ClustersRequest, FleetCluster};
use crate::proto::methods::{fleet, open_storage_cluster, open_storage_node};
use crate::proto::{
    SdkCloudBackupStatus, SdkClusterInspectCurrentRequest, SdkNodeEnumerateWithFiltersRequest,
    StorageCluster,
};

use super::{settings, Sdk};

/// A connection to `name`, another cluster of the same console, with the sign-in kept for it
/// (the first cluster falls back to the unprefixed addresses' sign-in).
pub fn member(sdk: &Sdk, name: &str, first: bool) -> Sdk {
    let token =
        settings::token(Some(name)).or_else(|| first.then(|| settings::token(None)).flatten());
    Sdk::new(sdk.endpoint.clone(), token, sdk.deadline).in_cluster(Some(name.to_string()))
}

/// What pairing with another cluster of the console needs, asked of that cluster: the
/// address of one of its nodes (its management IP, as a pair is made with any node) and its
/// pairing token.
pub async fn pairing(other: &Sdk) -> Result<(String, String), AppError> {
    let (nodes, token) = futures::future::try_join(
        super::overview::nodes(other),
        super::dr::token(other, false),
    )
    .await?;
    let address = nodes
        .iter()
        .map(|n| n.mgmt_ip.clone())
        .find(|ip| !ip.is_empty())
        .ok_or_else(|| AppError::NotFound("a node address of that cluster".into()))?;
    Ok((address, token))
}

/// The clusters console-server serves, the first (default) one first; empty where the
/// endpoint has no Fleet service (a plain gRPC-Web proxy: one cluster, no switcher).
pub async fn clusters(sdk: &Sdk) -> Result<Vec<FleetCluster>, AppError> {
    match sdk.call(fleet::CLUSTERS, ClustersRequest {}).await {
        Ok(answer) => Ok(answer.clusters),
        Err(status) if status.code() == tonic::Code::Unimplemented => Ok(Vec::new()),
        Err(status) => Err(status.into()),
    }
}

/// One cluster as the fleet page shows it. What a cluster does not offer (backups on a
/// cluster without cloud backup, alarms where alerts are not kept) is None, not an error.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub cluster: StorageCluster,
    pub nodes: usize,
    pub nodes_online: usize,
    pub used: u64,
    pub total: u64,
    pub alarms: Option<usize>,
    pub volumes: Option<u64>,
    pub last_backup: Option<SdkCloudBackupStatus>,
}

/// The cluster and its nodes must answer; the counts are asked at the same time and may not.
pub async fn summary(sdk: &Sdk) -> Result<Summary, AppError> {
    let needed = futures::future::try_join(
        sdk.call(
            open_storage_cluster::INSPECT_CURRENT,
            SdkClusterInspectCurrentRequest {},
        ),
        sdk.call(
            open_storage_node::ENUMERATE_WITH_FILTERS,
            SdkNodeEnumerateWithFiltersRequest::default(),
        ),
    );
    let (needed, alarms, volumes, backups) = futures::future::join4(
        needed,
        super::alerts::alarm_count(sdk),
        super::volumes::state_counts(sdk),
        super::backups::statuses(sdk),
    )
    .await;
    let (cluster, nodes) = needed?;
    let nodes = nodes.nodes;
    let (used, total) = console_model::node::total_capacity(&nodes);
    Ok(Summary {
        cluster: cluster.cluster.unwrap_or_default(),
        nodes: nodes.len(),
        nodes_online: console_model::node::online(&nodes),
        used,
        total,
        alarms: alarms.ok().and_then(|(count, _)| count),
        volumes: volumes
            .ok()
            .map(|counts| counts.iter().map(|(_, n)| n).sum()),
        last_backup: backups
            .ok()
            .and_then(|tasks| backup_task::last_finished(&tasks).cloned()),
    })
}
