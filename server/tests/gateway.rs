//! console-server --upstream: two real processes, a mock SDK server and a gateway in front of
//! it. Clients (native gRPC and gRPC-Web) talk only to the gateway.

mod common;

use std::time::Duration;

use common::*;
use console_server::proto::*;
use tonic::Code;

#[tokio::test]
async fn volume_credential_and_backup_flow_through_the_gateway() {
    let upstream = TestServer::start(&["--backup-rate", "50GiB"]);
    let gateway = gateway_to(&upstream, &[]);
    let mut via_gateway = gateway.sdk().await;
    let mut direct = upstream.sdk().await;

    // The gateway has no cluster of its own: it is the upstream's.
    let through = via_gateway
        .cluster
        .inspect_current(SdkClusterInspectCurrentRequest {})
        .await
        .unwrap();
    let real = direct
        .cluster
        .inspect_current(SdkClusterInspectCurrentRequest {})
        .await
        .unwrap();
    assert_eq!(
        through.into_inner().cluster.unwrap().id,
        real.into_inner().cluster.unwrap().id
    );

    let vol = via_gateway
        .create_volume("through-gateway", 100 * GIB, 3, &[])
        .await;
    let seen = direct
        .volumes
        .inspect(SdkVolumeInspectRequest {
            volume_id: vol.clone(),
            options: None,
        })
        .await
        .unwrap();
    assert_eq!(seen.into_inner().name, "through-gateway");

    via_gateway.create_aws_credential("aws", "").await;
    let task = via_gateway.start_backup(&vol).await;
    let mut done = false;
    for _ in 0..100 {
        let statuses = via_gateway
            .backups
            .status(SdkCloudBackupStatusRequest {
                task_id: task.clone(),
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner()
            .statuses;
        if statuses[&task].status == SdkCloudBackupStatusType::Done as i32 {
            done = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(done, "the backup finished");

    // Errors come back with the upstream's code and message, unchanged.
    let message = failure(
        via_gateway
            .volumes
            .inspect(SdkVolumeInspectRequest {
                volume_id: "missing".into(),
                options: None,
            })
            .await,
        Code::NotFound,
    );
    assert_eq!(message, "volume missing not found");

    // And through gRPC-Web, as the browser calls it.
    let listed = gateway
        .grpc_web()
        .volumes()
        .inspect_with_filters(SdkVolumeInspectWithFiltersRequest::default())
        .await
        .unwrap()
        .into_inner()
        .volumes;
    assert_eq!(listed.len(), 1);
    let health = http_get(&format!("{}/healthz", gateway.url())).await;
    assert_eq!(health.status(), 200);
    assert!(String::from_utf8_lossy(health.body()).contains("SDK 0.186.0"));
}

#[tokio::test]
async fn tokens_pass_through_to_an_upstream_with_auth() {
    let secret = "gateway-test-secret";
    let upstream = TestServer::start(&["--jwt-shared-secret", secret]);
    let gateway = gateway_to(&upstream, &[]);
    let mut sdk = gateway.sdk().await;
    let admin = sdk_token(secret, "ops", &["system.admin"], &[], 600);
    let message = failure(
        sdk.credentials
            .enumerate(SdkCredentialEnumerateRequest {})
            .await,
        Code::PermissionDenied,
    );
    assert!(
        message == "Access denied without authentication token",
        "the upstream's own message: {message}"
    );
    sdk.credentials
        .enumerate(with_token(SdkCredentialEnumerateRequest {}, &admin))
        .await
        .expect("the token reached the upstream");
    assert_eq!(
        code(
            sdk.credentials
                .enumerate(with_token(SdkCredentialEnumerateRequest {}, "forged"))
                .await
        ),
        Code::Unauthenticated
    );
    // Auth is the upstream's job: the gateway refuses to be configured with its own.
    let url = upstream.url();
    let output = std::process::Command::new(BINARY)
        .args([
            "--listen",
            "127.0.0.1:0",
            "--upstream",
            url.as_str(),
            "--jwt-shared-secret",
            "x",
        ])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr)
        .contains("--jwt-shared-secret is for the built-in mock"));
}

#[tokio::test]
async fn an_upstream_that_goes_away_is_unavailable_then_recovers() {
    let upstream = TestServer::start(&[]);
    let addr = upstream.addr;
    let gateway = gateway_to(&upstream, &[]);
    let mut sdk = gateway.sdk().await;
    sdk.identity
        .version(SdkIdentityVersionRequest {})
        .await
        .unwrap();

    drop(upstream);
    let message = failure(
        sdk.identity.version(SdkIdentityVersionRequest {}).await,
        Code::Unavailable,
    );
    assert!(
        message.contains(&format!("http://{addr}")),
        "names the upstream: {message}"
    );
    let health = http_get(&format!("{}/healthz", gateway.url())).await;
    assert_eq!(health.status(), 503);
    assert!(String::from_utf8_lossy(health.body()).contains(&addr.to_string()));

    let _back = TestServer::start_on(addr, &[]);
    let mut recovered = false;
    for _ in 0..50 {
        if sdk
            .identity
            .version(SdkIdentityVersionRequest {})
            .await
            .is_ok()
        {
            recovered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(recovered, "the gateway reconnected by itself");
    assert_eq!(
        http_get(&format!("{}/healthz", gateway.url()))
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn an_upstream_over_tls_with_a_private_ca() {
    let dir = std::env::temp_dir().join(format!("console-gw-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "console test CA");
    let ca = rcgen::CertifiedIssuer::self_signed(ca_params, ca_key).unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = rcgen::CertificateParams::new(vec!["localhost".to_string()])
        .unwrap()
        .signed_by(&key, &ca)
        .unwrap();
    let (ca_file, cert_file, key_file) = (
        dir.join("ca.pem"),
        dir.join("cert.pem"),
        dir.join("key.pem"),
    );
    std::fs::write(&ca_file, ca.pem()).unwrap();
    std::fs::write(&cert_file, cert.pem()).unwrap();
    std::fs::write(&key_file, key.serialize_pem()).unwrap();

    let upstream = TestServer::start(&[
        "--tls-cert",
        cert_file.to_str().unwrap(),
        "--tls-key",
        key_file.to_str().unwrap(),
    ]);
    let url = format!("https://localhost:{}", upstream.addr.port());

    // Without the CA, the certificate is not trusted: calls fail as UNAVAILABLE, saying why.
    let untrusted = TestServer::start(&["--upstream", &url]);
    let message = failure(
        untrusted
            .sdk()
            .await
            .identity
            .version(SdkIdentityVersionRequest {})
            .await,
        Code::Unavailable,
    );
    assert!(message.to_lowercase().contains("certificate"), "{message}");

    let trusted = TestServer::start(&[
        "--upstream",
        &url,
        "--upstream-ca",
        ca_file.to_str().unwrap(),
    ]);
    let version = trusted
        .sdk()
        .await
        .identity
        .version(SdkIdentityVersionRequest {})
        .await
        .unwrap();
    assert_eq!(version.into_inner().sdk_version.unwrap().minor, 186);

    let insecure = TestServer::start(&["--upstream", &url, "--upstream-insecure-skip-verify"]);
    insecure
        .sdk()
        .await
        .identity
        .version(SdkIdentityVersionRequest {})
        .await
        .unwrap();
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn bad_upstream_urls_are_a_one_line_error() {
    for (url, why) in [
        ("10.0.0.5:9100", "http://"),
        ("ftp://host:1", "only http"),
        ("http://host:9100/api", "without a path"),
    ] {
        let output = std::process::Command::new(BINARY)
            .args(["--listen", "127.0.0.1:0", "--upstream", url])
            .output()
            .unwrap();
        assert!(!output.status.success());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("console-server: error: --upstream") && stderr.contains(why),
            "{url}: {stderr}"
        );
    }
}

/// Calls a method our proto does not have (buckets), with empty messages.
async fn call_unknown_method(channel: tonic::transport::Channel) -> tonic::Status {
    let mut grpc = tonic::client::Grpc::new(channel);
    grpc.ready().await.unwrap();
    let codec = tonic_prost::ProstCodec::<(), ()>::default();
    let path = http::uri::PathAndQuery::from_static("/openstorage.api.OpenStorageBucket/Create");
    grpc.unary(tonic::Request::new(()), path, codec)
        .await
        .expect_err("the mock has no bucket service")
}

#[tokio::test]
async fn methods_the_console_does_not_know_are_forwarded_too() {
    let upstream = TestServer::start(&[]);
    let addr = upstream.addr;
    let gateway = gateway_to(&upstream, &[]);
    // The upstream's own answer comes back...
    let status = call_unknown_method(gateway.channel().await).await;
    assert_eq!(status.code(), Code::Unimplemented);
    assert!(status.message().contains("OpenStorageBucket/Create"));
    // ...because the gateway forwarded it: with the upstream gone, the same call is UNAVAILABLE.
    drop(upstream);
    let status = call_unknown_method(gateway.channel().await).await;
    assert_eq!(status.code(), Code::Unavailable, "{}", status.message());
    assert!(status.message().contains(&addr.to_string()));
}
