//! The performance sampler's reads of the mock, in-process: the same figures its SDK answers.

use std::sync::Arc;

use super::{io, ClusterState};
use crate::metrics::probe::{Answer, Probe};
use crate::proto::{Stats, StorageNode};

pub struct MockProbe(pub Arc<ClusterState>);

impl Probe for MockProbe {
    fn nodes(&self) -> Answer<Vec<StorageNode>> {
        let nodes = self.0.nodes_now();
        Box::pin(async move { Ok(nodes) })
    }

    fn stats(&self, volume_id: String) -> Answer<Stats> {
        let state = &self.0;
        let pattern = state.options.io;
        let stats = state.with_store(|store, now| {
            let secs = state
                .clock
                .wall(now)
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0.0, |d| d.as_secs_f64());
            let volume = store.volume(&volume_id)?;
            Ok(io::driver_counters(
                state.driver(),
                volume,
                secs,
                pattern,
                None,
            ))
        });
        Box::pin(async move { stats })
    }
}
