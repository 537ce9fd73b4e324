//! The built-in mocks one console-server serves (`--mock a --mock b`). The mock reaches no
//! other cluster, so a pair names its remote after the token it was given; but a token of a
//! sibling mock names that sibling (its id and name), as a real pair names the cluster it
//! reached, so a demo's pairs and migrations between two of the console's clusters read
//! naturally.

use std::sync::{Arc, Mutex, Weak};

use super::ClusterState;

#[derive(Debug, Clone, Default)]
pub struct Siblings(Arc<Mutex<Vec<Weak<ClusterState>>>>);

impl Siblings {
    pub(super) fn join(&self, state: &Arc<ClusterState>) {
        if let Ok(mut all) = self.0.lock() {
            all.retain(|s| s.strong_count() > 0);
            all.push(Arc::downgrade(state));
        }
    }

    /// The id and name of the sibling (not `asking`) whose pairing token this is. Asked outside
    /// the asking cluster's own lock: each sibling's store is locked in turn, never two at once.
    pub(super) fn named_by(&self, token: &str, asking: &ClusterState) -> Option<(String, String)> {
        let all: Vec<Arc<ClusterState>> = self
            .0
            .lock()
            .ok()?
            .iter()
            .filter_map(Weak::upgrade)
            .collect();
        all.into_iter()
            .filter(|s| s.id != asking.id)
            .find(|s| {
                s.with_store(|store, _| Ok(store.recovery.token == token))
                    .unwrap_or(false)
            })
            .map(|s| (s.id.clone(), s.name.clone()))
    }
}
