//! What the Overview page shows: the cluster, the SDK and driver versions, and the nodes.

use crate::error::AppError;
use crate::proto::methods::{open_storage_cluster, open_storage_identity, open_storage_node};
use crate::proto::{
    SdkClusterInspectCurrentRequest, SdkIdentityVersionRequest, SdkNodeEnumerateWithFiltersRequest,
    SdkNodeInspectRequest, SdkVersion, StorageCluster, StorageNode, StorageVersion,
};

use super::view::Viewed;
use super::Sdk;
use console_model::order;

#[derive(Debug, Clone, PartialEq)]
pub struct ClusterOverview {
    pub cluster: StorageCluster,
    pub sdk_version: Option<SdkVersion>,
    pub driver: Option<StorageVersion>,
    pub nodes: Vec<StorageNode>,
}

/// Three independent reads, sent together: the overview waits one round trip, not three
/// (what a first visit on a slow link feels most).
pub async fn load(sdk: &Sdk) -> Result<ClusterOverview, AppError> {
    let (cluster, version, nodes) = futures::future::try_join3(
        sdk.call(
            open_storage_cluster::INSPECT_CURRENT,
            SdkClusterInspectCurrentRequest {},
        ),
        sdk.call(open_storage_identity::VERSION, SdkIdentityVersionRequest {}),
        sdk.call(
            open_storage_node::ENUMERATE_WITH_FILTERS,
            SdkNodeEnumerateWithFiltersRequest::default(),
        ),
    )
    .await?;
    let cluster = cluster.cluster.unwrap_or_default();
    let mut nodes = nodes.nodes;
    order::sort_by(&mut nodes, |a, b| a.hostname.cmp(&b.hostname));
    Ok(ClusterOverview {
        cluster,
        sdk_version: version.sdk_version,
        driver: version.version,
        nodes,
    })
}

/// The SDK version the endpoint speaks: the cheapest call, used as a heartbeat.
pub async fn sdk_version(sdk: &Sdk) -> Result<Option<SdkVersion>, AppError> {
    Ok(sdk
        .call(open_storage_identity::VERSION, SdkIdentityVersionRequest {})
        .await?
        .sdk_version)
}

/// Whether the cluster answers, asked as cheaply as the endpoint allows: console-server's own
/// shared check (one call to the cluster every few seconds, whatever the number of tabs), or
/// Identity.Version where the endpoint has none.
pub async fn reachable(sdk: &Sdk) -> Result<(), AppError> {
    match super::view::health(sdk).await? {
        Viewed::Answered(health) if health.cluster_reachable => Ok(()),
        Viewed::Answered(health) => Err(AppError::Unreachable(health.reason)),
        Viewed::Absent(_) => sdk_version(sdk).await.map(|_| ()),
    }
}

/// One node with its pools and drives.
pub async fn node(sdk: &Sdk, id: &str) -> Result<StorageNode, AppError> {
    sdk.call(
        open_storage_node::INSPECT,
        SdkNodeInspectRequest {
            node_id: id.to_string(),
        },
    )
    .await?
    .node
    .ok_or_else(|| AppError::NotFound(format!("node {id}")))
}

/// Every node, for naming the resources of alerts.
pub async fn nodes(sdk: &Sdk) -> Result<Vec<StorageNode>, AppError> {
    Ok(sdk
        .call(
            open_storage_node::ENUMERATE_WITH_FILTERS,
            SdkNodeEnumerateWithFiltersRequest::default(),
        )
        .await?
        .nodes)
}
