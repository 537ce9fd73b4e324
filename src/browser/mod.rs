//! Everything that talks to the browser itself rather than to the cluster: the clock, storage,
//! page visibility, the document (title, focus) and the panic screen. Views and hooks use these
//! instead of reaching for `web_sys` themselves.

pub mod clock;
pub mod cluster;
pub mod document;
pub mod panic;
pub mod storage;
pub mod token;
pub mod visibility;
