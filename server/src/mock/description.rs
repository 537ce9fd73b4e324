//! What the mock cluster is, fixed at start: its id and name, nodes, options, clock and load.
//! The store and the SDK handlers read it; nothing changes it.

use super::clock::Clock;
use super::driver::Driver;
use super::io;
use super::MockOptions;
use crate::proto::{Stats, StorageNode, Volume};

#[derive(Debug)]
pub struct ClusterDescription {
    /// Stable for the life of the process, new for each process, as a real cluster's id is
    /// stable for its life.
    pub id: String,
    pub name: String,
    pub nodes: Vec<StorageNode>,
    pub options: MockOptions,
    pub clock: Clock,
    /// How busy the volumes are (`--mock-io`, quieter in a cluster seeded with many).
    pub load: io::Load,
}

impl ClusterDescription {
    /// The storage driver below the SDK layer.
    pub fn driver(&self) -> Driver {
        self.options.driver
    }

    /// The node that answers calls (attach happens here, tasks run here).
    pub fn current_node(&self) -> &StorageNode {
        &self.nodes[0]
    }

    /// Whether `--fail-node` names this node.
    pub fn is_failed(&self, node: &StorageNode) -> bool {
        self.options
            .fail_node
            .as_deref()
            .is_some_and(|name| self.names(name, node))
    }

    /// Whether `name` (a number from 1, an id or a hostname) names `node`.
    pub(super) fn names(&self, name: &str, node: &StorageNode) -> bool {
        let number = self
            .nodes
            .iter()
            .position(|n| n.id == node.id)
            .map(|i| i + 1);
        name == node.id || name == node.hostname || name.parse::<usize>().ok() == number
    }

    /// A volume's counters as the mock's driver reports them at `now`: the fake driver's constant
    /// ones, or the daily pattern's, cumulative or (with `interval_ms`) for the last interval. A
    /// volume attached on a node `--fail-node` took down has done nothing since the server started.
    pub fn volume_counters(
        &self,
        volume: &Volume,
        now: std::time::Instant,
        interval_ms: Option<u64>,
    ) -> Stats {
        if self.driver() == Driver::Fake {
            return io::fake_driver_counters();
        }
        let on_failed_node = self
            .nodes
            .iter()
            .any(|n| n.id == volume.attached_on && self.is_failed(n));
        let until = if on_failed_node {
            self.clock.started()
        } else {
            now
        };
        let secs = self.clock.unix(until);
        let load = self.load;
        match interval_ms {
            None => io::counters(volume, secs, load),
            Some(ms) if on_failed_node => Stats {
                interval_ms: ms,
                bytes_used: volume.usage,
                ..Default::default()
            },
            Some(ms) => io::interval_counters(volume, secs, ms, load),
        }
    }
}
