//! The mock's SDK layer: what upstream's `api/server/sdk` does in every real cluster (argument
//! checks in upstream's order and words, the default-credential rule, roles and ownership), one
//! module per service, over the state in `store` and the behaviour `driver` chooses.

pub mod backups;
pub mod cluster;
pub mod credentials;
pub mod errors;
pub mod identity;
pub mod mount_attach;
pub mod node;
pub mod ownership;
pub mod policies;
pub mod roles;
pub mod volumes;
