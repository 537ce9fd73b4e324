//! SDK auth (--jwt-shared-secret) on the real server: guests, bad tokens and roles, natively and
//! over gRPC-Web, and everything allowed without it.

mod common;

use common::*;
use console_server::proto::*;
use tonic::Code;

const SECRET: &str = "test-shared-secret";

fn token(roles: &[&str], expires_in: i64, secret: &str) -> String {
    sdk_token(secret, "ada", roles, &[], expires_in)
}

fn list_volumes() -> SdkVolumeInspectWithFiltersRequest {
    SdkVolumeInspectWithFiltersRequest::default()
}

#[tokio::test]
async fn with_auth_on_guests_read_volumes_and_tokens_decide_the_rest() {
    let server = TestServer::start(&["--jwt-shared-secret", SECRET]);
    let mut sdk = server.sdk().await;

    // Guest (upstream's system.guest role): cluster and volumes yes, credentials no.
    sdk.cluster
        .inspect_current(SdkClusterInspectCurrentRequest {})
        .await
        .unwrap();
    sdk.volumes
        .inspect_with_filters(list_volumes())
        .await
        .unwrap();
    let message = failure(
        sdk.credentials
            .enumerate(SdkCredentialEnumerateRequest {})
            .await,
        Code::PermissionDenied,
    );
    assert_eq!(message, "Access denied without authentication token");
    // Upstream's guests may create volumes (unowned, so open to everyone).
    sdk.volumes
        .create(volume_request("v", GIB, 0, &[]))
        .await
        .unwrap();

    // A token that does not verify is PERMISSION_DENIED, as upstream, with the reason; a
    // malformed one UNAUTHENTICATED.
    for (bad, code_wanted, why) in [
        (
            token(&["system.admin"], 600, "wrong-secret"),
            Code::PermissionDenied,
            "signature",
        ),
        (
            token(&["system.admin"], -60, SECRET),
            Code::PermissionDenied,
            "expired",
        ),
        (
            "garbage".to_string(),
            Code::Unauthenticated,
            "Unable to obtain token issuer",
        ),
    ] {
        let message = failure(
            sdk.volumes
                .inspect_with_filters(with_token(list_volumes(), &bad))
                .await,
            code_wanted,
        );
        assert!(message.contains(why), "{why}: {message}");
    }

    // A viewer reads credentials but cannot create them; an admin can.
    let viewer = token(&["system.view"], 600, SECRET);
    sdk.credentials
        .enumerate(with_token(SdkCredentialEnumerateRequest {}, &viewer))
        .await
        .unwrap();
    let message = failure(
        sdk.credentials
            .create(with_token(aws_credential_request("aws", ""), &viewer))
            .await,
        Code::PermissionDenied,
    );
    assert!(
        message.ends_with("Access denied to roles: [system.view]"),
        "{message}"
    );
    let admin = token(&["system.admin"], 600, SECRET);
    sdk.credentials
        .create(with_token(aws_credential_request("aws", ""), &admin))
        .await
        .unwrap();
    let ids = sdk
        .credentials
        .enumerate(with_token(SdkCredentialEnumerateRequest {}, &admin))
        .await
        .unwrap()
        .into_inner()
        .credential_ids;
    assert_eq!(ids.len(), 1);
}

#[tokio::test]
async fn auth_is_enforced_over_grpc_web_too() {
    let server = TestServer::start(&["--jwt-shared-secret", SECRET]);
    let web = server.grpc_web();
    let status = web
        .credentials()
        .enumerate(SdkCredentialEnumerateRequest {})
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::PermissionDenied);
    let admin = token(&["system.admin"], 600, SECRET);
    web.credentials()
        .enumerate(with_token(SdkCredentialEnumerateRequest {}, &admin))
        .await
        .unwrap();
}

#[tokio::test]
async fn without_auth_everything_is_allowed() {
    let server = TestServer::start(&[]);
    let mut sdk = server.sdk().await;
    sdk.credentials
        .create(aws_credential_request("aws", ""))
        .await
        .unwrap();
    // A token is ignored when auth is off, even a bad one.
    sdk.credentials
        .enumerate(with_token(SdkCredentialEnumerateRequest {}, "not-checked"))
        .await
        .unwrap();
}
