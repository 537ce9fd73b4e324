//! What OpenStorage Console's browser app and its server both need, written once so the two
//! never disagree: the generated messages, how a volume becomes a row of the volumes table,
//! the words for states and health and the order they sort in, the table's filter and order,
//! a node's capacity, the header that names a cluster, and a few rules of the SDK (name limits, alert resource types, dates).

pub mod alerts;
pub mod calendar;
pub mod codegen;
pub mod limits;
pub mod node;
pub mod order;
pub mod proto;
pub mod sdk_answers;
pub mod session;
pub mod table;
pub mod volume;
pub mod words;

pub use proto::console::VolumeRow;

/// The metadata entry (HTTP header) naming the cluster an SDK call is for; a call without it
/// goes to the console's first cluster, so existing SDK clients keep working.
pub const CLUSTER_HEADER: &str = "x-openstorage-cluster";
