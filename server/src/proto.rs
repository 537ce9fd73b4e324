//! The SDK (proto/openstorage/api/api.proto) at the top, the console's own services
//! (proto/openstorage/console/v1/) in `console`: console-model's messages, and the server and
//! client stubs build.rs generates over them.
#![allow(clippy::all, missing_docs)]

console_model::proto_with_stubs!();
