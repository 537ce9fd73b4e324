//! The mock's SDK layer: what upstream's `api/server/sdk` does in every real cluster (argument
//! checks in upstream's order and words, the default-credential rule, roles and ownership), one
//! module per service, over the state in `store` and the behaviour `driver` chooses.

pub(super) mod alerts;
pub mod backups;
pub(super) mod cluster;
pub(super) mod credentials;
pub(super) mod domains;
pub(super) mod dr;
pub(super) mod identity;
pub(super) mod maintenance;
pub(super) mod mount_attach;
pub(super) mod node;
pub(crate) mod ownership;
pub(super) mod policies;
pub(super) mod pools;
pub(crate) mod roles;
pub(super) mod storage_policies;
pub(super) mod volumes;
pub(super) mod watch;
