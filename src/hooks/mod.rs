//! Reusable reactive pieces: the connection state and the one polling hook.

pub mod connection;
pub mod poll;
pub mod visibility;
