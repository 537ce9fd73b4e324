//! The performance sampler's reads of the mock, in-process: the same figures its SDK answers.

use std::sync::Arc;

use super::{io, ClusterState};
use crate::history::probe::{Answer, Probe};
use crate::proto::{
    SdkCloudBackupStatus, SdkCloudBackupStatusRequest, SeverityType, Stats, StorageNode,
};

pub struct MockProbe(pub Arc<ClusterState>);

impl MockProbe {
    fn read(&self, volume_id: &str, interval_ms: Option<u64>) -> Result<Stats, tonic::Status> {
        let state = &self.0;
        state.with_store(|store, now| {
            let volume = store.volume(volume_id)?;
            Ok(state.volume_counters(volume, now, interval_ms))
        })
    }
}

impl Probe for MockProbe {
    fn nodes(&self) -> Answer<Vec<StorageNode>> {
        let nodes = self.0.nodes_now();
        Box::pin(async move { Ok(nodes) })
    }

    fn stats(&self, volume_id: String) -> Answer<Stats> {
        let stats = self.read(&volume_id, None);
        Box::pin(async move { stats })
    }

    fn interval_stats(&self, volume_id: String) -> Answer<Stats> {
        let stats = self.read(&volume_id, Some(io::STATS_INTERVAL_MS));
        Box::pin(async move { stats })
    }

    fn alarms(&self) -> Answer<u64> {
        let count = self.0.with_store(|store, _| {
            Ok(store
                .alerts
                .all()
                .filter(|a| !a.cleared && a.severity == SeverityType::Alarm as i32)
                .count() as u64)
        });
        Box::pin(async move { count })
    }

    fn backups(&self) -> Answer<Vec<SdkCloudBackupStatus>> {
        let state = &self.0;
        let statuses = state.with_store(|store, _| {
            store.task_statuses(state, &SdkCloudBackupStatusRequest::default())
        });
        Box::pin(async move { Ok(statuses?.into_values().collect()) })
    }
}
