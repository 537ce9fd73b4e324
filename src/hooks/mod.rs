//! Reusable reactive pieces: the connection state, the one polling hook, mutations.

pub mod connection;
pub mod heartbeat;
pub mod mutation;
pub mod poll;
pub mod visibility;
