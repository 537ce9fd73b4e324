//! What makes the port safe to put in front of a cluster: which hosts and origins it answers
//! (guard), the headers every response carries (headers), a limit on request size (limits),
//! one log line per SDK call (access_log), and limits on slow and idle connections
//! (connections).

pub mod access_log;
pub mod connections;
pub mod guard;
pub mod headers;
pub mod limits;
