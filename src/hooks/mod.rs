//! Reusable reactive pieces: the connection state, the app's poller and the queries it runs,
//! the data several screens share, mutations, the page title.

pub mod alarms;
pub mod backups;
pub mod connection;
pub mod fleet;
pub mod forecast;
pub mod heartbeat;
pub mod mutation;
pub mod polled;
pub mod poller;
pub mod shared_queries;
pub mod title;
pub mod view_watch;
