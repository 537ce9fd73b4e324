//! The SDK services against the real server: one module per service, named as the mock's handler
//! in `server/src/mock/sdk/`, all in this one test binary.

#[path = "../common/mod.rs"]
mod common;

mod alerts;
mod backups;
mod cluster;
mod credentials;
mod domains;
mod dr;
mod identity;
mod maintenance;
mod mount_attach;
mod node;
mod pools;
mod roles;
mod storage_policies;
mod volumes;
