//! The built-in mock cluster: an in-memory OpenStorage SDK server built as real clusters are.
//! `sdk/` is the SDK layer (one module per service, upstream's checks and words), `driver/`
//! what differs below it between clusters; all state is behind [`ClusterState`].

mod alerts;
pub(crate) mod clock;
mod description;
pub mod driver;
mod errors;
pub mod io;
mod probe;
pub mod sdk;
mod seed;
pub mod siblings;
mod store;
mod topology;

use std::sync::{Arc, Mutex};
use std::time::Instant;

use tonic::service::Routes;
use tonic::Status;

use self::clock::Clock;
pub use self::description::ClusterDescription;
pub use self::driver::Driver;
use self::store::{volume_labels, volume_name, Store};
use crate::access::Auth;
use crate::health::Health;
use crate::history::service::MetricsService;
use crate::history::Sampler;
use crate::proto::open_storage_alerts_server::OpenStorageAlertsServer;
use crate::proto::open_storage_cloud_backup_server::OpenStorageCloudBackupServer;
use crate::proto::open_storage_cluster_domains_server::OpenStorageClusterDomainsServer;
use crate::proto::open_storage_cluster_pair_server::OpenStorageClusterPairServer;
use crate::proto::open_storage_cluster_server::OpenStorageClusterServer;
use crate::proto::open_storage_credentials_server::OpenStorageCredentialsServer;
use crate::proto::open_storage_diags_server::OpenStorageDiagsServer;
use crate::proto::open_storage_filesystem_check_server::OpenStorageFilesystemCheckServer;
use crate::proto::open_storage_filesystem_trim_server::OpenStorageFilesystemTrimServer;
use crate::proto::open_storage_identity_server::OpenStorageIdentityServer;
use crate::proto::open_storage_job_server::OpenStorageJobServer;
use crate::proto::open_storage_migrate_server::OpenStorageMigrateServer;
use crate::proto::open_storage_mount_attach_server::OpenStorageMountAttachServer;
use crate::proto::open_storage_node_server::OpenStorageNodeServer;
use crate::proto::open_storage_policy_server::OpenStoragePolicyServer;
use crate::proto::open_storage_pool_server::OpenStoragePoolServer;
use crate::proto::open_storage_role_server::OpenStorageRoleServer;
use crate::proto::open_storage_schedule_policy_server::OpenStorageSchedulePolicyServer;
use crate::proto::open_storage_verify_checksum_server::OpenStorageVerifyChecksumServer;
use crate::proto::open_storage_volume_server::OpenStorageVolumeServer;
use crate::proto::open_storage_watch_server::OpenStorageWatchServer;
use crate::proto::StorageNode;
use crate::volume_view::service::{Source, ViewService};
use crate::volume_view::{Change, Entry, VolumeView};

/// How the mock behaves; set from the command line.
#[derive(Debug, Clone)]
pub struct MockOptions {
    pub cluster_name: String,
    pub driver: Driver,
    /// Bytes per second a backup or restore transfers.
    pub backup_rate: f64,
    /// Backups of volumes (or with backup labels) carrying one of these labels fail part way.
    pub fail_backups_matching: Vec<(String, String)>,
    /// Volumes made at start, for demos and benchmarks.
    pub seed_volumes: usize,
    /// Whether the console's view service is served beside the SDK.
    pub view_service: bool,
    /// What the volumes' I/O counters do.
    pub io: io::IoPattern,
    /// A node (by number from 1, id or hostname) that is offline, for demos and tests.
    pub fail_node: Option<String>,
    /// SDK services answered as a cluster without them answers (`--not-supported`).
    pub not_supported: Vec<NotSupported>,
    /// How often the performance history samples the cluster.
    pub sample_interval: std::time::Duration,
    /// The other mocks of the same console-server (for pairs between them).
    pub siblings: siblings::Siblings,
}

/// SDK services the mock can be told not to support (`--not-supported`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum NotSupported {
    /// OpenStoragePolicy.
    StoragePolicy,
    /// OpenStorageMountAttach.
    MountAttach,
    /// OpenStorageRole.
    Role,
    /// OpenStorageClusterPair.
    ClusterPair,
    /// OpenStorageMigrate.
    Migrate,
    /// OpenStorageAlerts, answered as upstream's own `osd` does: UNAVAILABLE "Resource has not
    /// been initialized" (its cluster keeps no alerts).
    Alerts,
}

impl NotSupported {
    /// The gRPC service's name.
    pub fn service(self) -> &'static str {
        match self {
            NotSupported::StoragePolicy => "OpenStoragePolicy",
            NotSupported::MountAttach => "OpenStorageMountAttach",
            NotSupported::Role => "OpenStorageRole",
            NotSupported::ClusterPair => "OpenStorageClusterPair",
            NotSupported::Migrate => "OpenStorageMigrate",
            NotSupported::Alerts => "OpenStorageAlerts",
        }
    }

    pub fn capability(self) -> crate::proto::sdk_service_capability::open_storage_service::Type {
        use crate::proto::sdk_service_capability::open_storage_service::Type;
        match self {
            NotSupported::StoragePolicy => Type::StoragePolicy,
            NotSupported::MountAttach => Type::MountAttach,
            NotSupported::Role => Type::Role,
            NotSupported::ClusterPair => Type::ClusterPair,
            NotSupported::Migrate => Type::Migrate,
            NotSupported::Alerts => Type::Alerts,
        }
    }

    /// What upstream answers for it: the driver's UNKNOWN "Not Supported", or, for a service
    /// upstream's SDK layer itself finds missing, its UNAVAILABLE "not initialized".
    fn answer(self) -> Status {
        match self {
            NotSupported::Alerts => {
                Status::unavailable(console_model::sdk_answers::NOT_INITIALIZED)
            }
            _ => Status::unknown("Not Supported"),
        }
    }
}

/// Answers calls to the services `--not-supported` names as upstream's SDK does for what its
/// cluster lacks (`NotSupported::answer`).
async fn not_supported(
    axum::extract::State(services): axum::extract::State<Arc<Vec<NotSupported>>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let service = request
        .uri()
        .path()
        .strip_prefix("/openstorage.api.")
        .and_then(|rest| rest.split('/').next())
        .unwrap_or("");
    if let Some(absent) = services.iter().find(|s| s.service() == service) {
        use axum::response::IntoResponse;
        return absent
            .answer()
            .into_http::<tonic::body::Body>()
            .into_response();
    }
    next.run(request).await
}

impl Default for MockOptions {
    fn default() -> Self {
        MockOptions {
            cluster_name: "openstorage-mock".into(),
            driver: Driver::default(),
            backup_rate: 2.5 * (1u64 << 30) as f64,
            fail_backups_matching: Vec::new(),
            seed_volumes: 0,
            view_service: true,
            io: io::IoPattern::default(),
            fail_node: None,
            not_supported: Vec::new(),
            sample_interval: std::time::Duration::from_secs(10),
            siblings: siblings::Siblings::default(),
        }
    }
}

/// Everything the mock cluster knows: what it is (its description, which never changes), its
/// state behind one lock, the roles the auth layer checks, and the console's view of it.
/// Shared by every service behind an `Arc`; reads as its description.
#[derive(Debug)]
pub struct ClusterState {
    pub description: ClusterDescription,
    /// Roles the auth layer checks calls against; the Role service changes them.
    pub roles: Arc<crate::access::roles::Roles>,
    /// The console's view of the volumes, kept in step with the store.
    pub view: Arc<VolumeView>,
    store: Mutex<Store>,
}

impl std::ops::Deref for ClusterState {
    type Target = ClusterDescription;

    fn deref(&self) -> &ClusterDescription {
        &self.description
    }
}

impl ClusterState {
    /// The nodes as they stand now: CPU, memory and pools move with the cluster's I/O.
    pub fn nodes_now(&self) -> Vec<StorageNode> {
        self.with_store(|store, now| Ok(store::figures::nodes(store, self, now)))
            .unwrap_or_else(|_| self.nodes.clone())
    }

    /// Runs `f` on the store, brought up to date (task progress, due schedules) first. One
    /// lock for all state keeps every call atomic: 100 concurrent creates of one name make
    /// one volume.
    pub fn with_store<T>(
        &self,
        f: impl FnOnce(&mut Store, Instant) -> Result<T, Status>,
    ) -> Result<T, Status> {
        let now = self.clock.now();
        let mut store = self
            .store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        store.advance(self, now);
        store::figures::advance(&mut store, self, now);
        let result = f(&mut store, now);
        // Under the same lock, so the view sees changes in the order they happened.
        let changes: Vec<Change> = store
            .take_changes()
            .into_iter()
            .map(|(id, volume)| {
                match volume.and_then(|v| Entry::new(v, volume_name(v), volume_labels(v))) {
                    Some(entry) => Change::Upsert(entry),
                    None => Change::Remove(id),
                }
            })
            .collect();
        if !changes.is_empty() {
            self.view.apply(changes);
        }
        result
    }
}

/// Handle to the mock cluster; cheap to clone.
#[derive(Debug, Clone)]
pub struct MockCluster {
    state: Arc<ClusterState>,
    /// The performance history (with the view service; needs a Tokio runtime).
    metrics: Option<Arc<Sampler>>,
}

impl MockCluster {
    pub fn new(options: MockOptions) -> MockCluster {
        let id = uuid::Uuid::new_v4().to_string();
        let nodes = topology::nodes(&id);
        let load = io::Load::for_volumes(options.io, options.seed_volumes);
        let mut cluster = MockCluster {
            metrics: None,
            state: Arc::new(ClusterState {
                description: ClusterDescription {
                    id,
                    name: options.cluster_name.clone(),
                    nodes,
                    options,
                    clock: Clock::new(),
                    load,
                },
                roles: Arc::new(crate::access::roles::Roles::default()),
                view: VolumeView::new(),
                store: Mutex::new(Store::default()),
            }),
        };
        cluster.state.options.siblings.join(&cluster.state);
        let seeded = cluster.state.options.seed_volumes;
        if seeded > 0 {
            let state = &cluster.state;
            let _ = state.with_store(|store, now| {
                seed::volumes(store, state, now, seeded);
                // Pools are sized on the next look, to hold what was seeded.
                store.figures = store::figures::Figures::default();
                Ok(())
            });
        }
        // The first listing of the mock is its store as it stands.
        // Tasks finish and schedules fall due with time, not only when someone calls: bring
        // the store up to date every second, so the view (and its watchers) hear of it.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let state = Arc::downgrade(&cluster.state);
            runtime.spawn(async move {
                let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
                loop {
                    tick.tick().await;
                    let Some(state) = state.upgrade() else {
                        return;
                    };
                    let _ = state.with_store(|_, _| Ok(()));
                }
            });
        }
        // The view holds the whole store from here on (every change reaches it in with_store).
        cluster
            .state
            .view
            .mark_listed(clock::unix_seconds(std::time::SystemTime::now()));
        if cluster.state.options.view_service && tokio::runtime::Handle::try_current().is_ok() {
            cluster.metrics = Some(Sampler::start(
                cluster.state.options.sample_interval,
                cluster.state.view.clone(),
                Arc::new(probe::MockProbe(cluster.state.clone())),
            ));
        }
        cluster
    }

    pub fn id(&self) -> &str {
        &self.state.id
    }

    /// The console's view of its volumes.
    pub fn view(&self) -> Arc<VolumeView> {
        self.state.view.clone()
    }

    /// Its performance history, when the view service is served.
    pub fn history(&self) -> Option<Arc<Sampler>> {
        self.metrics.clone()
    }

    /// Whether `name` (a number from 1, an id or a hostname) names one of the nodes.
    pub fn has_node(&self, name: &str) -> bool {
        let state = &self.state;
        state.nodes.iter().any(|n| state.names(name, n))
    }

    /// The gRPC services this cluster answers.
    pub fn routes(&self, health: Health) -> Routes {
        let state = &self.state;
        let routes = Routes::new(OpenStorageIdentityServer::new(
            sdk::identity::Identity::new(state.clone()),
        ))
        .add_service(OpenStorageClusterServer::new(sdk::cluster::Cluster::new(
            state.clone(),
        )))
        .add_service(OpenStorageNodeServer::new(sdk::node::Node::new(
            state.clone(),
        )))
        .add_service(OpenStorageVolumeServer::new(
            sdk::volumes::VolumeService::new(state.clone()),
        ))
        .add_service(OpenStorageMountAttachServer::new(
            sdk::mount_attach::MountAttachService::new(state.clone()),
        ))
        .add_service(OpenStorageCredentialsServer::new(
            sdk::credentials::CredentialsService::new(state.clone()),
        ))
        .add_service(OpenStorageSchedulePolicyServer::new(
            sdk::policies::SchedulePolicyService::new(state.clone()),
        ))
        .add_service(OpenStoragePolicyServer::new(
            sdk::storage_policies::StoragePolicyService::new(state.clone()),
        ))
        .add_service(OpenStorageCloudBackupServer::new(
            sdk::backups::CloudBackupService::new(state.clone()),
        ))
        .add_service(OpenStorageRoleServer::new(sdk::roles::RoleService::new(
            state.roles.clone(),
        )))
        .add_service(OpenStorageWatchServer::new(sdk::watch::WatchService::new(
            state.clone(),
        )))
        .add_service(OpenStorageAlertsServer::new(
            sdk::alerts::AlertsService::new(state.clone()),
        ))
        .add_service(OpenStorageFilesystemTrimServer::new(
            sdk::maintenance::MaintenanceService::new(state.clone()),
        ))
        .add_service(OpenStorageFilesystemCheckServer::new(
            sdk::maintenance::MaintenanceService::new(state.clone()),
        ))
        .add_service(OpenStorageVerifyChecksumServer::new(
            sdk::maintenance::MaintenanceService::new(state.clone()),
        ))
        .add_service(OpenStoragePoolServer::new(sdk::pools::PoolService::new(
            state.clone(),
        )))
        .add_service(OpenStorageJobServer::new(sdk::pools::PoolService::new(
            state.clone(),
        )))
        .add_service(OpenStorageDiagsServer::new(sdk::pools::PoolService::new(
            state.clone(),
        )))
        .add_service(OpenStorageClusterPairServer::new(sdk::dr::DrService::new(
            state.clone(),
        )))
        .add_service(OpenStorageMigrateServer::new(sdk::dr::DrService::new(
            state.clone(),
        )))
        .add_service(OpenStorageClusterDomainsServer::new(
            sdk::domains::DomainsService::new(state.clone()),
        ));
        let routes = if state.options.view_service {
            routes.add_service(ViewService::new(state.view.clone(), Source::Mock, health).server())
        } else {
            routes
        };
        match &self.metrics {
            Some(metrics) => routes.add_service(
                MetricsService::new(metrics.clone(), state.view.clone(), Source::Mock).server(),
            ),
            None => routes,
        }
    }

    /// The services as an axum router, with SDK auth enforced when `auth` is set.
    pub fn router(&self, auth: Option<Auth>, health: Health) -> axum::Router {
        let router = self
            .routes(health)
            .into_axum_router()
            .fallback(crate::status::unimplemented)
            .route_layer(axum::middleware::from_fn_with_state(
                Arc::new(self.state.options.not_supported.clone()),
                not_supported,
            ));
        match auth {
            Some(auth) => router.route_layer(axum::middleware::from_fn_with_state(
                Arc::new(auth.with_roles(self.state.roles.clone())),
                crate::access::enforce,
            )),
            None => router,
        }
    }
}
