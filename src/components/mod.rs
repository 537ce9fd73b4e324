//! Shared view pieces: badges, banners, notices, fields, confirmations, the polled view, the
//! shell.

pub mod as_code;
pub mod backup_tasks;
pub mod badge;
pub mod chart;
pub mod cluster_switcher;
pub mod confirm;
pub mod connection_banner;
pub mod connection_indicator;
pub mod copy_id;
pub mod error_banner;
pub mod field;
pub mod history_charts;
pub mod keyed_rows;
pub mod labels_editor;
pub mod node_link;
pub mod notice;
pub mod polled_view;
pub mod shell;
pub mod table;
