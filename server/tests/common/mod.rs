//! Starts the real console-server binary on a free loopback port and connects clients to it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

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

pub const BINARY: &str = env!("CARGO_BIN_EXE_console-server");

/// A running console-server, killed when dropped (pass or fail).
pub struct TestServer {
    child: Child,
    pub addr: SocketAddr,
    /// `/metrics`' URL, with --metrics-listen.
    pub metrics: Option<String>,
}

impl TestServer {
    pub fn start(args: &[&str]) -> TestServer {
        Self::start_in(args, Path::new(env!("CARGO_MANIFEST_DIR")))
    }

    /// Starts on a given address (to restart a server where clients expect it).
    pub fn start_on(addr: SocketAddr, args: &[&str]) -> TestServer {
        Self::spawn(
            &addr.to_string(),
            args,
            Path::new(env!("CARGO_MANIFEST_DIR")),
        )
    }

    /// Starts with `dir` as the working directory (it decides the default `dist/`).
    pub fn start_in(args: &[&str], dir: &Path) -> TestServer {
        Self::spawn("127.0.0.1:0", args, dir)
    }

    /// Starts logging everything (RUST_LOG=trace) into `log`, to check what it writes.
    pub fn start_logging(args: &[&str], log: &Path) -> TestServer {
        let file = std::fs::File::create(log).expect("a log file");
        let mut command = Command::new(BINARY);
        command.env("RUST_LOG", "trace").stderr(file);
        Self::spawn_with(
            command,
            "127.0.0.1:0",
            args,
            Path::new(env!("CARGO_MANIFEST_DIR")),
        )
    }

    fn spawn(listen: &str, args: &[&str], dir: &Path) -> TestServer {
        let mut command = Command::new(BINARY);
        command.stderr(Stdio::inherit());
        Self::spawn_with(command, listen, args, dir)
    }

    fn spawn_with(mut command: Command, listen: &str, args: &[&str], dir: &Path) -> TestServer {
        let mut child = command
            .args(["--listen", listen, "--log", "error"])
            .args(args)
            .current_dir(dir)
            .stdout(Stdio::piped())
            .spawn()
            .expect("console-server starts");
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut metrics = None;
        let addr = loop {
            assert!(
                Instant::now() < deadline,
                "console-server did not print its address"
            );
            let line = lines
                .next()
                .expect("console-server exited before listening")
                .unwrap();
            if let Some(url) = line.split("metrics on ").nth(1) {
                metrics = Some(url.trim().to_string());
            }
            if let Some(url) = line.split("listening on ").nth(1) {
                let addr = url.trim().split("://").nth(1).expect("a URL");
                break addr.parse().expect("an address");
            }
        };
        TestServer {
            child,
            addr,
            metrics,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

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

    pub fn wait_exit(&mut self, timeout: Duration) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
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

impl TestServer {
    pub async fn sdk(&self) -> Sdk {
        Sdk::new(self.channel().await)
    }
}

/// A request carrying `authorization: bearer <token>`.
pub fn with_token<T>(message: T, token: &str) -> tonic::Request<T> {
    let mut request = tonic::Request::new(message);
    request
        .metadata_mut()
        .insert("authorization", format!("bearer {token}").parse().unwrap());
    request
}

pub const GIB: u64 = 1 << 30;

/// The error code of a call that must fail.
pub fn code<T: std::fmt::Debug>(result: Result<T, tonic::Status>) -> tonic::Code {
    result.expect_err("the call must fail").code()
}

/// A gRPC status that must have this code; returns its message for further checks.
pub fn failure<T: std::fmt::Debug>(
    result: Result<T, tonic::Status>,
    expected: tonic::Code,
) -> String {
    let status = result.expect_err("the call must fail");
    assert_eq!(status.code(), expected, "{}", status.message());
    status.message().to_string()
}

/// An AWS credential request with dummy keys (the mock does not reach an object store).
pub fn aws_credential_request(
    name: &str,
    bucket: &str,
) -> console_server::proto::SdkCredentialCreateRequest {
    use console_server::proto::sdk_credential_create_request::CredentialType;
    console_server::proto::SdkCredentialCreateRequest {
        name: name.into(),
        bucket: bucket.into(),
        credential_type: Some(CredentialType::AwsCredential(
            console_server::proto::SdkAwsCredentialRequest {
                access_key: "dummy-access".into(),
                secret_key: "dummy-secret".into(),
                endpoint: "dummy-endpoint".into(),
                region: "dummy-region".into(),
                ..Default::default()
            },
        )),
        ..Default::default()
    }
}

/// An HS256 SDK token signed with `secret`, issuer `openstorage.io`, with every claim upstream
/// requires, for `subject` with `roles` and `groups`, expiring `expires_in` seconds from now
/// (negative: already expired).
pub fn sdk_token(
    secret: &str,
    subject: &str,
    roles: &[&str],
    groups: &[&str],
    expires_in: i64,
) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let claims = serde_json::json!({
        "iss": "openstorage.io",
        "sub": subject,
        "name": subject,
        "email": format!("{subject}@example.com"),
        "roles": roles,
        "groups": groups,
        "iat": now,
        "exp": now + expires_in,
    });
    jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

/// A request for a volume of `size` bytes at `ha_level`, with labels.
/// A pair with the cluster whose pairing token this is, at an address of its nodes.
pub fn pair_with(token: &str) -> console_server::proto::SdkClusterPairCreateRequest {
    console_server::proto::SdkClusterPairCreateRequest {
        request: Some(console_server::proto::ClusterPairCreateRequest {
            remote_cluster_ip: "10.20.0.5".into(),
            remote_cluster_port: 9001,
            remote_cluster_token: token.into(),
            ..Default::default()
        }),
    }
}

pub fn volume_request(
    name: &str,
    size: u64,
    ha_level: i64,
    labels: &[(&str, &str)],
) -> console_server::proto::SdkVolumeCreateRequest {
    console_server::proto::SdkVolumeCreateRequest {
        name: name.into(),
        spec: Some(console_server::proto::VolumeSpec {
            size,
            ha_level,
            ..Default::default()
        }),
        labels: labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    }
}

/// What most tests do to the cluster, as one call each (panicking with the call's error).
impl Sdk {
    /// Creates a volume (see `volume_request`) and returns its id.
    pub async fn create_volume(
        &mut self,
        name: &str,
        size: u64,
        ha_level: i64,
        labels: &[(&str, &str)],
    ) -> String {
        self.volumes
            .create(volume_request(name, size, ha_level, labels))
            .await
            .expect("volume created")
            .into_inner()
            .volume_id
    }

    /// Creates a volume and attaches it (on the node that answers).
    pub async fn create_attached_volume(
        &mut self,
        name: &str,
        size: u64,
        labels: &[(&str, &str)],
    ) -> String {
        let id = self.create_volume(name, size, 1, labels).await;
        self.mount
            .attach(console_server::proto::SdkVolumeAttachRequest {
                volume_id: id.clone(),
                ..Default::default()
            })
            .await
            .expect("volume attached");
        id
    }

    /// Clones a volume or snapshot (the SDK's Clone, not `Clone::clone`) and returns the id.
    pub async fn clone_volume(&mut self, name: &str, parent: &str) -> String {
        OpenStorageVolumeClient::clone(
            &mut self.volumes,
            console_server::proto::SdkVolumeCloneRequest {
                name: name.into(),
                parent_id: parent.into(),
                ..Default::default()
            },
        )
        .await
        .expect("volume cloned")
        .into_inner()
        .volume_id
    }

    pub async fn inspect_volume(&mut self, id: &str) -> console_server::proto::Volume {
        self.volumes
            .inspect(console_server::proto::SdkVolumeInspectRequest {
                volume_id: id.into(),
                options: None,
            })
            .await
            .expect("inspect")
            .into_inner()
            .volume
            .expect("a volume")
    }

    pub async fn delete_volume(&mut self, id: &str) {
        self.volumes
            .delete(console_server::proto::SdkVolumeDeleteRequest {
                volume_id: id.into(),
            })
            .await
            .expect("volume deleted");
    }

    /// Starts a backup of a volume with the only credential, and returns its task id.
    pub async fn start_backup(&mut self, volume_id: &str) -> String {
        self.backups
            .create(console_server::proto::SdkCloudBackupCreateRequest {
                volume_id: volume_id.into(),
                ..Default::default()
            })
            .await
            .expect("backup started")
            .into_inner()
            .task_id
    }

    /// Registers an AWS credential with dummy keys (see `aws_credential_request`).
    pub async fn create_aws_credential(&mut self, name: &str, bucket: &str) -> String {
        self.credentials
            .create(aws_credential_request(name, bucket))
            .await
            .expect("credential created")
            .into_inner()
            .credential_id
    }
}

/// A console-server forwarding to `upstream`, with more flags.
pub fn gateway_to(upstream: &TestServer, extra: &[&str]) -> TestServer {
    let url = upstream.url();
    let mut args = vec!["--upstream", url.as_str()];
    args.extend_from_slice(extra);
    TestServer::start(&args)
}

/// An empty folder of this test's own (tests run in parallel, in one process per file).
pub fn scratch_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "console-server-{name}-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
