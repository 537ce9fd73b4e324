//! One module per screen; screens with several sections are folders of them.

pub mod alerts;
pub mod backups;
pub mod credentials;
pub mod dr;
pub mod fleet;
pub mod node;
pub mod not_found;
pub mod on_demand;
pub mod overview;
pub mod roles;
pub mod settings;
pub mod storage_policies;
pub mod volume;
pub mod volume_create;
pub mod volumes;
