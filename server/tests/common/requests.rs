//! Building requests and checking answers: tokens and signed requests, the requests most tests
//! send, the error a call must fail with, and `Sdk`'s one-call shortcuts for what most tests do.

use console_server::proto::open_storage_volume_client::OpenStorageVolumeClient;

use super::clients::Sdk;

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

/// A request for a volume of `size` bytes at `ha_level`, with labels.
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
