//! Pure logic shared by the pages: no browser, no network, unit-tested natively.

pub mod alerts;
pub mod as_code;
pub mod backoff;
pub mod backup_task;
pub mod capacity_outlook;
pub mod chart;
pub mod cluster_path;
pub mod console_services;
pub mod credential_form;
pub mod credentials;
pub mod dr;
pub mod format;
pub mod load_state;
pub mod node;
pub mod ownership;
pub mod pool_resize;
pub mod roles;
pub mod schedule;
pub mod sdk_services;
pub mod session;
pub mod size;
pub mod status;
pub mod storage_policy;
pub mod token;
pub mod validate;
pub mod volume_table;
