//! Clients of a running server: native gRPC channels, gRPC-Web over HTTP/1.1 as browsers speak
//! it, every SDK client over one channel (`Sdk`), and plain HTTP for the console's files.

use console_server::proto::console::fleet_client::FleetClient;
use console_server::proto::console::metrics_client::MetricsClient;
use console_server::proto::console::volume_view_client::VolumeViewClient;
use console_server::proto::open_storage_alerts_client::OpenStorageAlertsClient;
use console_server::proto::open_storage_cloud_backup_client::OpenStorageCloudBackupClient;
use console_server::proto::open_storage_cluster_client::OpenStorageClusterClient;
use console_server::proto::open_storage_cluster_pair_client::OpenStorageClusterPairClient;
use console_server::proto::open_storage_credentials_client::OpenStorageCredentialsClient;
use console_server::proto::open_storage_filesystem_trim_client::OpenStorageFilesystemTrimClient;
use console_server::proto::open_storage_identity_client::OpenStorageIdentityClient;
use console_server::proto::open_storage_mount_attach_client::OpenStorageMountAttachClient;
use console_server::proto::open_storage_node_client::OpenStorageNodeClient;
use console_server::proto::open_storage_policy_client::OpenStoragePolicyClient;
use console_server::proto::open_storage_role_client::OpenStorageRoleClient;
use console_server::proto::open_storage_schedule_policy_client::OpenStorageSchedulePolicyClient;
use console_server::proto::open_storage_volume_client::OpenStorageVolumeClient;
use console_server::proto::open_storage_watch_client::OpenStorageWatchClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client as HttpClient;
use hyper_util::rt::TokioExecutor;
use tonic::transport::Channel;
use tonic_web::{GrpcWebClientLayer, GrpcWebClientService};

use super::server::TestServer;

impl TestServer {
    /// Native gRPC (HTTP/2 over plain TCP) to the server.
    pub async fn channel(&self) -> Channel {
        Channel::from_shared(self.url())
            .unwrap()
            .connect()
            .await
            .expect("native gRPC connects")
    }

    /// gRPC-Web over HTTP/1.1, as browsers speak it.
    pub fn grpc_web(&self) -> GrpcWeb {
        let http = HttpClient::builder(TokioExecutor::new()).build_http();
        let svc = tower::ServiceBuilder::new()
            .layer(GrpcWebClientLayer::new())
            .service(http);
        GrpcWeb {
            svc,
            origin: self.url().parse().unwrap(),
        }
    }

    pub async fn sdk(&self) -> Sdk {
        Sdk::new(self.channel().await)
    }
}

type WebService =
    GrpcWebClientService<HttpClient<HttpConnector, tonic_web::GrpcWebCall<tonic::body::Body>>>;

/// Generated clients over gRPC-Web/HTTP1.1.
pub struct GrpcWeb {
    svc: WebService,
    origin: http::Uri,
}

impl GrpcWeb {
    pub fn volumes(&self) -> OpenStorageVolumeClient<WebService> {
        OpenStorageVolumeClient::with_origin(self.svc.clone(), self.origin.clone())
    }
    pub fn credentials(&self) -> OpenStorageCredentialsClient<WebService> {
        OpenStorageCredentialsClient::with_origin(self.svc.clone(), self.origin.clone())
    }
    pub fn backups(&self) -> OpenStorageCloudBackupClient<WebService> {
        OpenStorageCloudBackupClient::with_origin(self.svc.clone(), self.origin.clone())
    }
    pub fn identity(&self) -> OpenStorageIdentityClient<WebService> {
        OpenStorageIdentityClient::with_origin(self.svc.clone(), self.origin.clone())
    }
    pub fn cluster(&self) -> OpenStorageClusterClient<WebService> {
        OpenStorageClusterClient::with_origin(self.svc.clone(), self.origin.clone())
    }
    pub fn node(&self) -> OpenStorageNodeClient<WebService> {
        OpenStorageNodeClient::with_origin(self.svc.clone(), self.origin.clone())
    }
    pub fn view(&self) -> VolumeViewClient<WebService> {
        VolumeViewClient::with_origin(self.svc.clone(), self.origin.clone())
    }
    pub fn metrics(&self) -> MetricsClient<WebService> {
        MetricsClient::with_origin(self.svc.clone(), self.origin.clone())
    }
    pub fn fleet(&self) -> FleetClient<WebService> {
        FleetClient::with_origin(self.svc.clone(), self.origin.clone())
    }
    pub fn alerts(&self) -> OpenStorageAlertsClient<WebService> {
        OpenStorageAlertsClient::with_origin(self.svc.clone(), self.origin.clone())
    }
    pub fn mount(&self) -> OpenStorageMountAttachClient<WebService> {
        OpenStorageMountAttachClient::with_origin(self.svc.clone(), self.origin.clone())
    }
    pub fn pairs(&self) -> OpenStorageClusterPairClient<WebService> {
        OpenStorageClusterPairClient::with_origin(self.svc.clone(), self.origin.clone())
    }
    pub fn trim(&self) -> OpenStorageFilesystemTrimClient<WebService> {
        OpenStorageFilesystemTrimClient::with_origin(self.svc.clone(), self.origin.clone())
    }
    pub fn storage_policies(&self) -> OpenStoragePolicyClient<WebService> {
        OpenStoragePolicyClient::with_origin(self.svc.clone(), self.origin.clone())
    }
}

/// Plain HTTP/1.1 GET, for the static console files.
pub async fn http_get(url: &str) -> http::Response<Vec<u8>> {
    http_request(http::Request::get(url).body(String::new()).unwrap()).await
}

pub async fn http_request(req: http::Request<String>) -> http::Response<Vec<u8>> {
    use http_body_util::BodyExt;
    let client = HttpClient::builder(TokioExecutor::new()).build_http::<String>();
    let res = client.request(req).await.expect("HTTP request");
    let (parts, body) = res.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes().to_vec();
    http::Response::from_parts(parts, bytes)
}

/// Every SDK client over one native gRPC channel (clones share the connection).
#[derive(Clone)]
pub struct Sdk {
    pub identity: OpenStorageIdentityClient<Channel>,
    pub cluster: OpenStorageClusterClient<Channel>,
    pub nodes: OpenStorageNodeClient<Channel>,
    pub volumes: OpenStorageVolumeClient<Channel>,
    pub mount: OpenStorageMountAttachClient<Channel>,
    pub credentials: OpenStorageCredentialsClient<Channel>,
    pub policies: OpenStorageSchedulePolicyClient<Channel>,
    pub backups: OpenStorageCloudBackupClient<Channel>,
    pub roles: OpenStorageRoleClient<Channel>,
    pub watch: OpenStorageWatchClient<Channel>,
    pub view: VolumeViewClient<Channel>,
    pub metrics: MetricsClient<Channel>,
    pub alerts: OpenStorageAlertsClient<Channel>,
    pub storage_policies: OpenStoragePolicyClient<Channel>,
}

impl Sdk {
    pub fn new(channel: Channel) -> Sdk {
        Sdk {
            identity: OpenStorageIdentityClient::new(channel.clone()),
            cluster: OpenStorageClusterClient::new(channel.clone()),
            nodes: OpenStorageNodeClient::new(channel.clone()),
            volumes: OpenStorageVolumeClient::new(channel.clone()),
            mount: OpenStorageMountAttachClient::new(channel.clone()),
            credentials: OpenStorageCredentialsClient::new(channel.clone()),
            policies: OpenStorageSchedulePolicyClient::new(channel.clone()),
            backups: OpenStorageCloudBackupClient::new(channel.clone()),
            roles: OpenStorageRoleClient::new(channel.clone()),
            watch: OpenStorageWatchClient::new(channel.clone()).max_decoding_message_size(64 << 20),
            view: VolumeViewClient::new(channel.clone()),
            metrics: MetricsClient::new(channel.clone()),
            alerts: OpenStorageAlertsClient::new(channel.clone()),
            storage_policies: OpenStoragePolicyClient::new(channel),
        }
    }
}
