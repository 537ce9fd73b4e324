//! Shared view pieces: one status badge, one error banner, the page shell.

pub mod connection_banner;
pub mod connection_indicator;
pub mod error_banner;
pub mod shell;
pub mod status_badge;
