//! OpenStorageClusterPair and OpenStorageMigrate in upstream's SDK layer (`cluster_pair.go`,
//! `volume_migrate.go`): its checks, codes and words, the cluster's and driver's refusals
//! wrapped as upstream wraps them. Pairs are the cluster manager's, the same on every driver;
//! migrations are the driver's: the realistic one moves each volume over time, the fake
//! answers as upstream's (a task id, and a status with an empty list).

use std::sync::Arc;

use tonic::{Request, Response, Status};

use super::ownership::{caller_of, check, check_from_driver, is_admin};
use crate::access::Caller;
use crate::mock::store::dr::{looks_like_token, new_token, Migration};
use crate::mock::store::{is_snapshot, volume_name, Store};
use crate::mock::ClusterState;
use crate::proto::cloud_migrate::{Stage, Status as MigrateStatus};
use crate::proto::open_storage_cluster_pair_server::OpenStorageClusterPair;
use crate::proto::open_storage_migrate_server::OpenStorageMigrate;
use crate::proto::ownership::AccessType;
use crate::proto::sdk_cloud_migrate_start_request::Opt;
use crate::proto::*;

fn token(store: &mut Store) -> String {
    if store.recovery.token.is_empty() {
        store.recovery.token = new_token();
    }
    store.recovery.token.clone()
}

pub struct DrService {
    state: Arc<ClusterState>,
}

impl DrService {
    pub fn new(state: Arc<ClusterState>) -> Self {
        DrService { state }
    }
}

#[tonic::async_trait]
impl OpenStorageClusterPair for DrService {
    async fn create(
        &self,
        request: Request<SdkClusterPairCreateRequest>,
    ) -> Result<Response<SdkClusterPairCreateResponse>, Status> {
        let Some(req) = request.into_inner().request else {
            return Err(Status::invalid_argument("Must supply valid request"));
        };
        let refused = |why: &str| {
            Status::internal(format!(
                "Cannot create cluster with remote pair {} : {why}",
                req.remote_cluster_ip
            ))
        };
        if req.remote_cluster_ip.is_empty() {
            return Err(refused("no remote cluster address"));
        }
        if !looks_like_token(&req.remote_cluster_token) {
            return Err(refused("the remote cluster refused the token"));
        }
        let state = &self.state;
        let sibling = state
            .options
            .siblings
            .named_by(&req.remote_cluster_token, state);
        let result = state.with_store(|store, _| {
            if req.remote_cluster_token == token(store) {
                return Err(refused("a cluster cannot be paired with itself"));
            }
            // The remote cluster is named by its token (the mock does not reach it), unless
            // the token is a sibling mock's.
            let (id, name) = sibling.unwrap_or_else(|| {
                let id = uuid::Uuid::new_v5(
                    &uuid::Uuid::NAMESPACE_OID,
                    req.remote_cluster_token.as_bytes(),
                )
                .to_string();
                let name = format!("cluster-{}", &id[..8]);
                (id, name)
            });
            let port = if req.remote_cluster_port == 0 {
                9001
            } else {
                req.remote_cluster_port
            };
            let endpoint = format!("{}:{port}", req.remote_cluster_ip);
            let info = ClusterPairInfo {
                id: id.clone(),
                name: name.clone(),
                endpoint: endpoint.clone(),
                current_endpoints: vec![endpoint],
                token: req.remote_cluster_token.clone(),
                mode: req.mode,
                ..Default::default()
            };
            store.recovery.pairs.insert(id.clone(), info);
            if req.set_default || store.recovery.default_pair.is_empty() {
                store.recovery.default_pair = id.clone();
            }
            Ok(ClusterPairCreateResponse {
                remote_cluster_id: id,
                remote_cluster_name: name,
            })
        })?;
        Ok(Response::new(SdkClusterPairCreateResponse {
            result: Some(result),
        }))
    }

    async fn inspect(
        &self,
        request: Request<SdkClusterPairInspectRequest>,
    ) -> Result<Response<SdkClusterPairInspectResponse>, Status> {
        let id = request.into_inner().id;
        if id.is_empty() {
            return Err(Status::invalid_argument("Must supply cluster ID"));
        }
        let pair_info = self.state.with_store(|store, _| {
            store.recovery.pairs.get(&id).cloned().ok_or_else(|| {
                Status::internal(format!(
                    "Cannot Get cluster information for {id} : cluster pair {id} not found"
                ))
            })
        })?;
        Ok(Response::new(SdkClusterPairInspectResponse {
            result: Some(ClusterPairGetResponse {
                pair_info: Some(pair_info),
            }),
        }))
    }

    async fn enumerate(
        &self,
        _: Request<SdkClusterPairEnumerateRequest>,
    ) -> Result<Response<SdkClusterPairEnumerateResponse>, Status> {
        let result = self.state.with_store(|store, _| {
            Ok(ClusterPairsEnumerateResponse {
                default_id: store.recovery.default_pair.clone(),
                pairs: store.recovery.pairs.clone().into_iter().collect(),
            })
        })?;
        Ok(Response::new(SdkClusterPairEnumerateResponse {
            result: Some(result),
        }))
    }

    async fn get_token(
        &self,
        request: Request<SdkClusterPairGetTokenRequest>,
    ) -> Result<Response<SdkClusterPairGetTokenResponse>, Status> {
        if !is_admin(caller_of(&request).as_ref()) {
            return Err(Status::unauthenticated(
                "Must be system admin to get pair token",
            ));
        }
        let token = self.state.with_store(|store, _| Ok(token(store)))?;
        Ok(Response::new(SdkClusterPairGetTokenResponse {
            result: Some(ClusterPairTokenGetResponse { token }),
        }))
    }

    async fn reset_token(
        &self,
        _: Request<SdkClusterPairResetTokenRequest>,
    ) -> Result<Response<SdkClusterPairResetTokenResponse>, Status> {
        let token = self.state.with_store(|store, _| {
            store.recovery.token = new_token();
            Ok(store.recovery.token.clone())
        })?;
        Ok(Response::new(SdkClusterPairResetTokenResponse {
            result: Some(ClusterPairTokenGetResponse { token }),
        }))
    }

    async fn delete(
        &self,
        request: Request<SdkClusterPairDeleteRequest>,
    ) -> Result<Response<SdkClusterPairDeleteResponse>, Status> {
        let id = request.into_inner().cluster_id;
        if id.is_empty() {
            return Err(Status::invalid_argument("Must supply valid cluster ID"));
        }
        self.state.with_store(|store, _| {
            if store.recovery.pairs.remove(&id).is_none() {
                return Err(Status::internal(format!(
                    "Cannot delete the cluster pair {id} : cluster pair {id} not found"
                )));
            }
            if store.recovery.default_pair == id {
                store.recovery.default_pair = store
                    .recovery
                    .pairs
                    .keys()
                    .next()
                    .cloned()
                    .unwrap_or_default();
            }
            Ok(())
        })?;
        Ok(Response::new(SdkClusterPairDeleteResponse {}))
    }
}

/// The volumes a migration request names, or why it names none.
fn volumes_for(
    store: &Store,
    opt: &Opt,
    caller: Option<&Caller>,
) -> Result<Vec<(String, String, u64)>, Status> {
    let row = |v: &Volume| (v.id.clone(), volume_name(v).to_string(), v.usage.max(1));
    match opt {
        Opt::Volume(v) => {
            check_from_driver(store, &v.volume_id, caller, AccessType::Read)?;
            let volume = store.volume(&v.volume_id).map_err(|_| {
                Status::internal(format!(
                    "Cannot start migration for volume {}: not found",
                    v.volume_id
                ))
            })?;
            Ok(vec![row(volume)])
        }
        Opt::VolumeGroup(g) => Ok(store
            .volumes
            .values()
            .filter(|v| !is_snapshot(v) && v.group.as_ref().is_some_and(|x| x.id == g.group_id))
            .map(row)
            .collect()),
        Opt::AllVolumes(_) => Ok(store
            .volumes
            .values()
            .filter(|v| !is_snapshot(v))
            .map(row)
            .collect()),
    }
}

#[tonic::async_trait]
impl OpenStorageMigrate for DrService {
    async fn start(
        &self,
        request: Request<SdkCloudMigrateStartRequest>,
    ) -> Result<Response<SdkCloudMigrateStartResponse>, Status> {
        let caller = caller_of(&request);
        let req = request.into_inner();
        let Some(opt) = req.opt.clone() else {
            return Err(Status::invalid_argument("Unknown operation request"));
        };
        let state = &self.state;
        let cannot = |why: String| {
            Status::internal(format!(
                "Cannot start migration for {} : {why}",
                req.cluster_id
            ))
        };
        if !matches!(opt, Opt::Volume(_)) && caller.is_some() && !is_admin(caller.as_ref()) {
            return Err(Status::permission_denied("Volume Operation not Permitted."));
        }
        let task_id = state.with_store(|store, now| {
            let volumes = volumes_for(store, &opt, caller.as_ref())?;
            if !state.driver().runs_cluster_operations() {
                // Upstream's fake answers with the task id it was given.
                return Ok(req.task_id.clone());
            }
            if !store.recovery.pairs.contains_key(&req.cluster_id) {
                return Err(cannot(format!(
                    "cluster {} is not paired with this cluster",
                    req.cluster_id
                )));
            }
            if volumes.is_empty() {
                return Err(cannot("no volumes to migrate".into()));
            }
            let task_id = if req.task_id.is_empty() {
                format!("migrate-{:04}", store.next_sequence())
            } else {
                req.task_id.clone()
            };
            if store
                .recovery
                .migrations
                .iter()
                .any(|m| m.info.task_id == task_id && m.running(now))
            {
                return Err(Status::already_exists(format!(
                    "Cannot start migration for {} : task {task_id} already exists",
                    req.cluster_id
                )));
            }
            let started = state.clock.timestamp(now);
            for (id, name, size) in volumes {
                let info = CloudMigrateInfo {
                    task_id: task_id.clone(),
                    cluster_id: req.cluster_id.clone(),
                    local_volume_id: id,
                    local_volume_name: name,
                    current_stage: Stage::Backup as i32,
                    status: MigrateStatus::Queued as i32,
                    start_time: Some(started),
                    ..Default::default()
                };
                store
                    .recovery
                    .migrations
                    .push(Migration::new(info, size, now));
            }
            Ok(task_id)
        })?;
        Ok(Response::new(SdkCloudMigrateStartResponse {
            result: Some(CloudMigrateStartResponse { task_id }),
        }))
    }

    async fn cancel(
        &self,
        request: Request<SdkCloudMigrateCancelRequest>,
    ) -> Result<Response<SdkCloudMigrateCancelResponse>, Status> {
        let Some(req) = request.into_inner().request else {
            return Err(Status::invalid_argument("Must supply valid request"));
        };
        if req.task_id.is_empty() {
            return Err(Status::invalid_argument("Must supply valid Task ID"));
        }
        let state = &self.state;
        state.with_store(|store, now| {
            if !state.driver().runs_cluster_operations() {
                return Ok(());
            }
            let mut running = store
                .recovery
                .migrations
                .iter_mut()
                .filter(|m| m.info.task_id == req.task_id && m.running(now))
                .peekable();
            if running.peek().is_none() {
                return Err(Status::internal(format!(
                    "Cannot stop migration for {} : no running migration has this task id",
                    req.task_id
                )));
            }
            running.for_each(|m| m.cancel(now));
            Ok(())
        })?;
        Ok(Response::new(SdkCloudMigrateCancelResponse {}))
    }

    async fn status(
        &self,
        request: Request<SdkCloudMigrateStatusRequest>,
    ) -> Result<Response<SdkCloudMigrateStatusResponse>, Status> {
        let caller = caller_of(&request);
        let req = request.into_inner().request.unwrap_or_default();
        let state = &self.state;
        let info = state.with_store(|store, now| {
            if !state.driver().runs_cluster_operations() {
                return Ok([("result".to_string(), CloudMigrateInfoList::default())].into());
            }
            let mut by_cluster: std::collections::HashMap<String, CloudMigrateInfoList> =
                Default::default();
            for m in &store.recovery.migrations {
                let info = m.at(now, &state.clock);
                let wanted = (req.task_id.is_empty() || info.task_id == req.task_id)
                    && (req.cluster_id.is_empty() || info.cluster_id == req.cluster_id);
                // With auth, only migrations of volumes the caller may read.
                let readable = caller.is_none()
                    || store
                        .volume(&info.local_volume_id)
                        .is_ok_and(|v| check(v, caller.as_ref(), AccessType::Read).is_ok());
                if wanted && readable {
                    by_cluster
                        .entry(info.cluster_id.clone())
                        .or_default()
                        .list
                        .push(info);
                }
            }
            Ok(by_cluster)
        })?;
        Ok(Response::new(SdkCloudMigrateStatusResponse {
            result: Some(CloudMigrateStatusResponse { info }),
        }))
    }
}
