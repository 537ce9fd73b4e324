//! The SDK's messages (proto/openstorage/api/api.proto) at the top and the console's own
//! services' (proto/openstorage/console/v1/) in `console`, from console-model; and `methods`,
//! a typed constant per rpc that build.rs generates (`methods::open_storage_volume::INSPECT`).

use std::marker::PhantomData;

pub use console_model::proto::*;

pub mod console {
    pub use console_model::proto::console::*;
}

/// Every rpc of every service, by service (`open_storage_volume`, `volume_view` …).
#[allow(missing_docs)]
pub mod methods {
    pub use super::{Method, StreamMethod};
    include!(concat!(env!("OUT_DIR"), "/methods.rs"));
}

/// A unary rpc: its path, and the request and answer types it is called with.
pub struct Method<Q, A> {
    pub path: &'static str,
    types: PhantomData<fn(Q) -> A>,
}

/// An rpc that answers with a stream of messages.
pub struct StreamMethod<Q, A> {
    pub path: &'static str,
    types: PhantomData<fn(Q) -> A>,
}

impl<Q, A> Method<Q, A> {
    pub const fn new(path: &'static str) -> Self {
        Method {
            path,
            types: PhantomData,
        }
    }
}

impl<Q, A> StreamMethod<Q, A> {
    pub const fn new(path: &'static str) -> Self {
        StreamMethod {
            path,
            types: PhantomData,
        }
    }
}

// Constants are copied where used; derive would demand Copy of the message types.
impl<Q, A> Clone for Method<Q, A> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<Q, A> Copy for Method<Q, A> {}
impl<Q, A> Clone for StreamMethod<Q, A> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<Q, A> Copy for StreamMethod<Q, A> {}

#[cfg(test)]
mod tests {
    use super::methods;

    #[test]
    fn every_rpc_has_its_path() {
        assert_eq!(
            methods::open_storage_volume::INSPECT_WITH_FILTERS.path,
            "/openstorage.api.OpenStorageVolume/InspectWithFilters"
        );
        assert_eq!(
            methods::volume_view::WATCH.path,
            "/openstorage.console.v1.VolumeView/Watch"
        );
        assert_eq!(
            methods::open_storage_cloud_backup::HISTORY.path,
            "/openstorage.api.OpenStorageCloudBackup/History"
        );
    }
}
