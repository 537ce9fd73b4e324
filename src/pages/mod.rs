//! One module per screen.

pub mod backups;
pub mod credentials;
pub mod not_found;
pub mod overview;
pub mod settings;
pub mod volume_actions;
pub mod volume_backups;
pub mod volume_create;
pub mod volume_detail;
pub mod volume_snapshots;
pub mod volumes;
