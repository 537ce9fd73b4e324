//! Disaster recovery: this cluster's pairing token, its pairs with other clusters
//! (OpenStorageClusterPair) and cloud migrations to them (OpenStorageMigrate). `None` means
//! the cluster does not offer the service (remembered for the connection).

use crate::error::AppError;
use crate::logic::as_code::Call;
use crate::logic::dr::Moves;
use crate::proto::methods::{
    open_storage_cluster_domains as domains, open_storage_cluster_pair as pair,
    open_storage_migrate as migrate,
};
use crate::proto::sdk_cloud_migrate_start_request::{
    MigrateAllVolumes, MigrateVolume, MigrateVolumeGroup, Opt,
};
use crate::proto::*;

use super::capabilities::{lacks, offered, SdkService};
use super::Sdk;

/// The pairs, sorted by name, and the default pair's id.
#[derive(Debug, Clone, PartialEq)]
pub struct Pairs {
    pub default: String,
    pub list: Vec<ClusterPairInfo>,
}

pub async fn pairs(sdk: &Sdk) -> Result<Option<Pairs>, AppError> {
    if lacks(sdk, SdkService::ClusterPair).await {
        return Ok(None);
    }
    let answer = sdk
        .call(pair::ENUMERATE, SdkClusterPairEnumerateRequest {})
        .await;
    Ok(offered(sdk, SdkService::ClusterPair, answer)?.map(|a| {
        let result = a.result.unwrap_or_default();
        let mut list: Vec<_> = result.pairs.into_values().collect();
        list.sort_by(|a, b| a.name.cmp(&b.name));
        Pairs {
            default: result.default_id,
            list,
        }
    }))
}

/// This cluster's pairing token; `reset` makes a new one (the old one stops pairing).
pub async fn token(sdk: &Sdk, reset: bool) -> Result<String, AppError> {
    let result = if reset {
        let answer = sdk
            .call(pair::RESET_TOKEN, SdkClusterPairResetTokenRequest {})
            .await?;
        answer.result
    } else {
        let answer = sdk
            .call(pair::GET_TOKEN, SdkClusterPairGetTokenRequest {})
            .await?;
        answer.result
    };
    Ok(result.unwrap_or_default().token)
}

pub fn create_pair_request(request: ClusterPairCreateRequest) -> SdkClusterPairCreateRequest {
    SdkClusterPairCreateRequest {
        request: Some(request),
    }
}

pub async fn create_pair(
    sdk: &Sdk,
    request: ClusterPairCreateRequest,
) -> Result<ClusterPairCreateResponse, AppError> {
    let request = create_pair_request(request);
    let answer = sdk.call(pair::CREATE, request).await?;
    Ok(answer.result.unwrap_or_default())
}

/// Asks the cluster about the pair again (what `pxctl cluster pair validate` shows).
pub async fn check_pair(sdk: &Sdk, id: String) -> Result<ClusterPairInfo, AppError> {
    let answer = sdk
        .call(pair::INSPECT, SdkClusterPairInspectRequest { id })
        .await?;
    Ok(answer.result.and_then(|r| r.pair_info).unwrap_or_default())
}

pub fn delete_pair_call(cluster_id: String) -> Call {
    Call::new(pair::DELETE, &SdkClusterPairDeleteRequest { cluster_id })
}

/// Every migration the cluster reports, newest first.
pub async fn migrations(sdk: &Sdk) -> Result<Option<Vec<CloudMigrateInfo>>, AppError> {
    if lacks(sdk, SdkService::Migrate).await {
        return Ok(None);
    }
    let request = SdkCloudMigrateStatusRequest {
        request: Some(CloudMigrateStatusRequest::default()),
    };
    let answer = sdk.call(migrate::STATUS, request).await;
    Ok(offered(sdk, SdkService::Migrate, answer)?.map(|a| {
        let mut list: Vec<_> = a
            .result
            .unwrap_or_default()
            .info
            .into_values()
            .flat_map(|l| l.list)
            .collect();
        list.sort_by_key(|m| std::cmp::Reverse(m.start_time.map(|t| (t.seconds, t.nanos))));
        list
    }))
}

/// The request that starts a migration to the paired cluster.
pub fn migration_request(cluster_id: String, moves: Moves) -> SdkCloudMigrateStartRequest {
    let opt = match moves {
        Moves::Volume(volume_id) => Opt::Volume(MigrateVolume { volume_id }),
        Moves::Group(group_id) => Opt::VolumeGroup(MigrateVolumeGroup { group_id }),
        Moves::All => Opt::AllVolumes(MigrateAllVolumes {}),
    };
    SdkCloudMigrateStartRequest {
        cluster_id,
        opt: Some(opt),
        ..Default::default()
    }
}

/// The read that follows a started migration: its status.
pub fn migration_status_call(task_id: String) -> Call {
    let request = SdkCloudMigrateStatusRequest {
        request: Some(CloudMigrateStatusRequest {
            task_id,
            ..Default::default()
        }),
    };
    Call::new(migrate::STATUS, &request)
}

/// Starts a migration; its task id.
pub async fn start_migration(
    sdk: &Sdk,
    request: SdkCloudMigrateStartRequest,
) -> Result<String, AppError> {
    let answer = sdk.call(migrate::START, request).await?;
    Ok(answer.result.unwrap_or_default().task_id)
}

pub async fn cancel_migration(sdk: &Sdk, task_id: String) -> Result<(), AppError> {
    let request = SdkCloudMigrateCancelRequest {
        request: Some(CloudMigrateCancelRequest { task_id }),
    };
    sdk.call(migrate::CANCEL, request).await?;
    Ok(())
}

/// What upstream's cluster manager says when it has no domains (INTERNAL, in its words).
const NO_DOMAINS: &str = "not initialized with cluster domains";

/// The cluster's domains by name, and whether each is active; `None` when the cluster has none.
pub async fn cluster_domains(sdk: &Sdk) -> Result<Option<Vec<(String, bool)>>, AppError> {
    if lacks(sdk, SdkService::ClusterDomains).await {
        return Ok(None);
    }
    let answer = sdk
        .call(domains::ENUMERATE, SdkClusterDomainsEnumerateRequest {})
        .await;
    let names = match answer {
        Err(status) if status.message().contains(NO_DOMAINS) => return Ok(None),
        other => match offered(sdk, SdkService::ClusterDomains, other)? {
            Some(a) => a.cluster_domain_names,
            None => return Ok(None),
        },
    };
    // One Inspect each, in turn: a cluster has a few domains.
    let mut listed = Vec::with_capacity(names.len());
    for cluster_domain_name in names {
        let request = SdkClusterDomainInspectRequest {
            cluster_domain_name,
        };
        let a = sdk.call(domains::INSPECT, request).await?;
        listed.push((a.cluster_domain_name, a.is_active));
    }
    Ok(Some(listed))
}

/// Activates or deactivates a cluster domain.
pub async fn set_domain(
    sdk: &Sdk,
    cluster_domain_name: String,
    active: bool,
) -> Result<(), AppError> {
    if active {
        let request = SdkClusterDomainActivateRequest {
            cluster_domain_name,
        };
        sdk.call(domains::ACTIVATE, request).await?;
    } else {
        let request = SdkClusterDomainDeactivateRequest {
            cluster_domain_name,
        };
        sdk.call(domains::DEACTIVATE, request).await?;
    }
    Ok(())
}
