//! Shared view pieces: status badges, banners, the shell, form helpers.

pub mod backup_tasks;
pub mod confirm;
pub mod connection_banner;
pub mod connection_indicator;
pub mod copy_id;
pub mod crash;
pub mod error_banner;
pub mod labels_editor;
pub mod shell;
pub mod status_badge;
pub mod time;
