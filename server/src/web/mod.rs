//! What makes the port safe to put in front of a cluster: which hosts it answers (guard) and
//! which other origins may call it (cors), the headers every response carries (headers), a
//! limit on request size (limits), one log line per SDK call (access_log) and its counters for
//! `/metrics` (call_metrics), limits on slow and idle connections (connections), and
//! `/healthz` for probes (healthz).

pub mod access_log;
pub mod call_metrics;
pub mod connections;
pub mod cors;
pub mod guard;
pub mod headers;
pub mod healthz;
pub mod limits;
