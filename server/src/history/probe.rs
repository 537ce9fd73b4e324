//! Where the sampler reads the cluster: the mock in-process, or an upstream over the view's
//! own connection (no token: like the view, it serves clusters without auth).

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use tonic::Status;

use crate::gateway::Upstream;
use crate::proto::open_storage_alerts_client::OpenStorageAlertsClient;
use crate::proto::open_storage_cloud_backup_client::OpenStorageCloudBackupClient;
use crate::proto::open_storage_node_client::OpenStorageNodeClient;
use crate::proto::open_storage_volume_client::OpenStorageVolumeClient;
use crate::proto::{
    SdkAlertsEnumerateWithFiltersRequest, SdkAlertsQuery, SdkCloudBackupStatus,
    SdkCloudBackupStatusRequest, SdkNodeEnumerateWithFiltersRequest, SdkVolumeStatsRequest, Stats,
    StorageNode,
};

pub type Answer<T> = Pin<Box<dyn Future<Output = Result<T, Status>> + Send>>;

/// A probe that counts the calls it makes to the cluster (for `/metrics`).
pub struct Counted {
    inner: Arc<dyn Probe>,
    calls: Arc<AtomicU64>,
}

impl Counted {
    pub fn new(inner: Arc<dyn Probe>, calls: Arc<AtomicU64>) -> Counted {
        Counted { inner, calls }
    }

    fn count(&self) {
        self.calls.fetch_add(1, Ordering::Relaxed);
    }
}

impl Probe for Counted {
    fn nodes(&self) -> Answer<Vec<StorageNode>> {
        self.count();
        self.inner.nodes()
    }
    fn stats(&self, volume_id: String) -> Answer<Stats> {
        self.count();
        self.inner.stats(volume_id)
    }
    fn interval_stats(&self, volume_id: String) -> Answer<Stats> {
        self.count();
        self.inner.interval_stats(volume_id)
    }
    fn alarms(&self) -> Answer<u64> {
        self.count();
        self.inner.alarms()
    }
    fn backups(&self) -> Answer<Vec<SdkCloudBackupStatus>> {
        self.count();
        self.inner.backups()
    }
}

pub trait Probe: Send + Sync + 'static {
    /// Every node with its figures (one call).
    fn nodes(&self) -> Answer<Vec<StorageNode>>;
    /// A volume's cumulative I/O counters.
    fn stats(&self, volume_id: String) -> Answer<Stats>;
    /// A volume's counters for the driver's last interval (`not_cumulative`).
    fn interval_stats(&self, volume_id: String) -> Answer<Stats>;
    /// Active alerts of severity alarm.
    fn alarms(&self) -> Answer<u64>;
    /// Every backup and restore task the cluster knows of (one call).
    fn backups(&self) -> Answer<Vec<SdkCloudBackupStatus>>;
}

pub use console_model::alerts::RESOURCE_TYPES;

/// The query for active alarms on every kind of resource (the SDK has no "any resource").
pub fn alarm_queries() -> Vec<SdkAlertsQuery> {
    use crate::proto::sdk_alerts_option::Opt;
    use crate::proto::sdk_alerts_query::Query;
    use crate::proto::{SdkAlertsOption, SdkAlertsResourceTypeQuery, SeverityType};
    RESOURCE_TYPES
        .into_iter()
        .map(|resource| SdkAlertsQuery {
            query: Some(Query::ResourceTypeQuery(SdkAlertsResourceTypeQuery {
                resource_type: resource as i32,
            })),
            opts: vec![
                SdkAlertsOption {
                    opt: Some(Opt::MinSeverityType(SeverityType::Alarm as i32)),
                },
                SdkAlertsOption {
                    opt: Some(Opt::IsCleared(false)),
                },
            ],
        })
        .collect()
}

/// Node listings of large clusters exceed tonic's 4 MiB default.
const LIMIT: usize = 64 << 20;

pub struct UpstreamProbe {
    upstream: Upstream,
}

impl UpstreamProbe {
    pub fn new(upstream: Upstream) -> UpstreamProbe {
        UpstreamProbe { upstream }
    }
}

impl Probe for UpstreamProbe {
    fn nodes(&self) -> Answer<Vec<StorageNode>> {
        let (channel, origin) = self.upstream.channel();
        Box::pin(async move {
            let mut client = OpenStorageNodeClient::with_origin(channel, origin)
                .max_decoding_message_size(LIMIT);
            let answer = client
                .enumerate_with_filters(SdkNodeEnumerateWithFiltersRequest::default())
                .await?;
            Ok(answer.into_inner().nodes)
        })
    }

    fn stats(&self, volume_id: String) -> Answer<Stats> {
        self.read(volume_id, false)
    }

    fn interval_stats(&self, volume_id: String) -> Answer<Stats> {
        self.read(volume_id, true)
    }

    fn alarms(&self) -> Answer<u64> {
        let (channel, origin) = self.upstream.channel();
        Box::pin(async move {
            let mut client = OpenStorageAlertsClient::with_origin(channel, origin)
                .max_decoding_message_size(LIMIT);
            let mut stream = client
                .enumerate_with_filters(SdkAlertsEnumerateWithFiltersRequest {
                    queries: alarm_queries(),
                })
                .await?
                .into_inner();
            let mut count = 0;
            while let Some(message) = stream.message().await? {
                count += message.alerts.len() as u64;
            }
            Ok(count)
        })
    }

    fn backups(&self) -> Answer<Vec<SdkCloudBackupStatus>> {
        self.backups_now()
    }
}

impl UpstreamProbe {
    fn backups_now(&self) -> Answer<Vec<SdkCloudBackupStatus>> {
        let (channel, origin) = self.upstream.channel();
        Box::pin(async move {
            let mut client = OpenStorageCloudBackupClient::with_origin(channel, origin)
                .max_decoding_message_size(LIMIT);
            let answer = client
                .status(SdkCloudBackupStatusRequest::default())
                .await?;
            Ok(answer.into_inner().statuses.into_values().collect())
        })
    }

    fn read(&self, volume_id: String, not_cumulative: bool) -> Answer<Stats> {
        let (channel, origin) = self.upstream.channel();
        Box::pin(async move {
            let mut client = OpenStorageVolumeClient::with_origin(channel, origin);
            let answer = client
                .stats(SdkVolumeStatsRequest {
                    volume_id,
                    not_cumulative,
                })
                .await?;
            Ok(answer.into_inner().stats.unwrap_or_default())
        })
    }
}
