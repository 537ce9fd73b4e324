//! The console's only way to the cluster: gRPC-Web calls through the generated stubs. Views call
//! the functions here and never build protobuf requests themselves.

pub mod backups;
pub mod credentials;
pub mod overview;
mod transport;
pub mod volumes;

use std::time::Duration;

use transport::Transport;

/// Every call carries this deadline (sent as `grpc-timeout`, and enforced in the browser too).
pub const CALL_DEADLINE: Duration = Duration::from_secs(10);

/// Where the SDK is. Cheap to clone; each call makes its own transport.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sdk {
    pub endpoint: String,
}

impl Sdk {
    /// The page's own origin: console-server serves the app and the SDK on one port.
    pub fn same_origin() -> Self {
        let endpoint = web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default();
        Sdk { endpoint }
    }

    fn channel(&self) -> Transport {
        Transport::new(&self.endpoint, CALL_DEADLINE)
    }

    fn request<T>(&self, message: T) -> tonic::Request<T> {
        let mut request = tonic::Request::new(message);
        request.set_timeout(CALL_DEADLINE);
        request
    }
}
