//! What the mock cluster is, fixed at start: its id and name, nodes, options, clock and load.
//! The store and the SDK handlers read it; nothing changes it.

use super::clock::Clock;
use super::driver::Driver;
use super::io;
use super::MockOptions;
use crate::proto::StorageNode;

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
}
