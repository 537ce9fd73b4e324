//! The console's only way to the cluster: gRPC-Web calls through the generated stubs. Views call
//! the functions here and never build protobuf requests themselves.

pub mod alerts;
pub mod backups;
mod call;
pub mod capabilities;
pub mod credentials;
pub mod dr;
pub mod fleet;
pub mod maintenance;
pub mod metrics;
pub mod mount_attach;
pub mod node_ops;
pub mod overview;
pub mod roles;
pub mod session;
pub mod settings;
pub mod storage_policies;
mod transport;
pub mod view;
pub mod volumes;

use std::time::Duration;

use capabilities::SdkServices;
use transport::Transport;
use view::ConsoleServices;

use crate::browser::clock::{local_time, unix_now};
use crate::browser::token;
use crate::logic::token::Claims;
use console_model::CLUSTER_HEADER;

/// The default deadline of every call (sent as `grpc-timeout`, and enforced in the browser too);
/// changeable in Connection settings for slow clusters.
pub const CALL_DEADLINE: Duration = Duration::from_secs(10);

/// Where the SDK is and who is calling. Cheap to clone; each call makes its own transport.
#[derive(Debug, Clone)]
pub struct Sdk {
    pub endpoint: String,
    /// Bearer token sent with every call; None is the guest role.
    pub token: Option<String>,
    pub deadline: Duration,
    /// The cluster of console-server's fleet the calls are for (its `x-openstorage-cluster`
    /// metadata); None is the first, as for any SDK client that names none.
    pub cluster: Option<String>,
    /// Whether the endpoint has console-server's own services for this caller (see
    /// `view::ask`): learned once, kept with the connection, so no screen asks twice.
    console: ConsoleServices,
    /// Which SDK services the cluster offers (see `capabilities`), learned once likewise.
    services: SdkServices,
}

/// Two connections are the same when they reach the same cluster as the same caller.
impl PartialEq for Sdk {
    fn eq(&self, other: &Sdk) -> bool {
        (&self.endpoint, &self.cluster, &self.token, self.deadline)
            == (
                &other.endpoint,
                &other.cluster,
                &other.token,
                other.deadline,
            )
    }
}

impl Eq for Sdk {}

impl Sdk {
    pub fn new(endpoint: String, token: Option<String>, deadline: Duration) -> Sdk {
        Sdk {
            endpoint,
            token,
            deadline,
            cluster: None,
            console: ConsoleServices::default(),
            services: SdkServices::default(),
        }
    }

    /// The same connection for `cluster` of console-server's fleet (None: the first).
    pub fn in_cluster(mut self, cluster: Option<String>) -> Sdk {
        self.cluster = cluster;
        self.console = ConsoleServices::default();
        self.services = SdkServices::default();
        self
    }

    /// Calls as another caller from now on (what console-server offers may differ).
    pub fn set_token(&mut self, token: Option<String>) {
        self.token = token;
        self.console = ConsoleServices::default();
        self.services = SdkServices::default();
    }

    /// Calls another endpoint from now on.
    pub fn set_endpoint(&mut self, endpoint: String, deadline: Duration) {
        self.endpoint = endpoint;
        self.deadline = deadline;
        self.console = ConsoleServices::default();
        self.services = SdkServices::default();
    }

    /// What the token says about its holder (decoded locally, not trusted).
    pub fn claims(&self) -> Option<Claims> {
        self.token.as_deref().and_then(|t| token::decode(t).ok())
    }

    /// Why calls must not go out with this token: it has expired. Noticed here, before a
    /// server rejects it.
    pub fn expired(&self) -> Option<String> {
        let claims = self.claims()?;
        claims.expired(unix_now()).then(|| {
            format!(
                "it expired at {}; enter a new token in Connection settings",
                local_time(claims.exp.unwrap_or_default())
            )
        })
    }

    fn channel(&self) -> Transport {
        Transport::new(&self.endpoint, self.deadline, self.expired())
    }

    fn stream_channel(&self) -> Transport {
        Transport::streaming(&self.endpoint, self.expired())
    }

    /// A request with the token and no deadline, for a stream that stays open.
    fn stream_request(&self, message: Vec<u8>) -> tonic::Request<Vec<u8>> {
        let mut request = self.request(message);
        request.metadata_mut().remove("grpc-timeout");
        request
    }

    fn request(&self, message: Vec<u8>) -> tonic::Request<Vec<u8>> {
        let mut request = tonic::Request::new(message);
        request.set_timeout(self.deadline);
        if let Some(value) = self.cluster.as_deref().and_then(|c| c.parse().ok()) {
            request.metadata_mut().insert(CLUSTER_HEADER, value);
        }
        if let Some(token) = &self.token {
            // Never logged and never in a URL: only this header carries it.
            if let Ok(value) = format!("bearer {token}").parse() {
                request.metadata_mut().insert("authorization", value);
            }
        }
        request
    }
}

pub fn page_origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}
