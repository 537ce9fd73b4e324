//! What the integration tests share, by job: starting the real binary (`server`), connecting
//! clients to it (`clients`), a real Prometheus (`prometheus`), and building requests and checking answers (`requests`). All of it
//! is re-exported here, so a test needs only `use common::*;` (`use crate::common::*;` in `sdk/`).
// Each test binary (and the benches) uses part of it.
#![allow(dead_code, unused_imports)]

mod clients;
mod prometheus;
mod requests;
mod server;

pub use clients::*;
pub use prometheus::*;
pub use requests::*;
pub use server::*;
