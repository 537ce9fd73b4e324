//! Filesystem trim, filesystem check and checksum verification as upstream's SDK layer answers
//! them: its argument checks and words, the driver's answer passed on (upstream's fake lacks all
//! three: UNKNOWN "Operation not supported"), and the realistic driver's runs with progress.

use std::time::Duration;

use crate::common::*;
use console_server::proto::filesystem_check::FilesystemCheckStatus as CheckStatus;
use console_server::proto::filesystem_trim::FilesystemTrimStatus as TrimStatus;
use console_server::proto::open_storage_filesystem_check_client::OpenStorageFilesystemCheckClient;
use console_server::proto::open_storage_filesystem_trim_client::OpenStorageFilesystemTrimClient;
use console_server::proto::open_storage_verify_checksum_client::OpenStorageVerifyChecksumClient;
use console_server::proto::verify_checksum::VerifyChecksumStatus as SumStatus;
use console_server::proto::*;
use tonic::transport::Channel;
use tonic::Code;

struct Clients {
    trim: OpenStorageFilesystemTrimClient<Channel>,
    check: OpenStorageFilesystemCheckClient<Channel>,
    sum: OpenStorageVerifyChecksumClient<Channel>,
}

async fn clients(server: &TestServer) -> Clients {
    let channel = server.channel().await;
    Clients {
        trim: OpenStorageFilesystemTrimClient::new(channel.clone()),
        check: OpenStorageFilesystemCheckClient::new(channel.clone()),
        sum: OpenStorageVerifyChecksumClient::new(channel),
    }
}

fn trim(id: &str, path: &str) -> SdkFilesystemTrimStartRequest {
    SdkFilesystemTrimStartRequest {
        volume_id: id.into(),
        mount_path: path.into(),
    }
}

fn check(id: &str, mode: &str) -> SdkFilesystemCheckStartRequest {
    SdkFilesystemCheckStartRequest {
        volume_id: id.into(),
        mode: mode.into(),
    }
}

fn sum(id: &str) -> SdkVerifyChecksumStartRequest {
    SdkVerifyChecksumStartRequest {
        volume_id: id.into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn arguments_are_checked_in_upstreams_words_and_the_fake_lacks_all_three() {
    for driver in ["realistic", "fake"] {
        let server = TestServer::start(&["--driver", driver]);
        let mut c = clients(&server).await;
        let must = "Must supply a volume id";
        assert_eq!(
            failure(c.trim.start(trim("", "/mnt")).await, Code::InvalidArgument),
            must
        );
        assert_eq!(
            failure(
                c.check.start(check("", "fix_all")).await,
                Code::InvalidArgument
            ),
            must
        );
        assert_eq!(
            failure(c.sum.start(sum("")).await, Code::InvalidArgument),
            must
        );
        let mode = failure(c.check.start(check("v", "")).await, Code::InvalidArgument);
        assert_eq!(mode, "Must supply a mode parameter");
    }
    let server = TestServer::start(&["--driver", "fake"]);
    let mut sdk = server.sdk().await;
    let vol = sdk.create_volume("web", GIB, 1, &[]).await;
    let mut c = clients(&server).await;
    let lacks = "Operation not supported";
    assert_eq!(
        failure(c.trim.start(trim(&vol, "/mnt")).await, Code::Unknown),
        lacks
    );
    assert_eq!(
        failure(
            c.check.start(check(&vol, "check_health")).await,
            Code::Unknown
        ),
        lacks
    );
    let status = SdkVerifyChecksumStatusRequest {
        volume_id: vol.clone(),
    };
    assert_eq!(failure(c.sum.status(status).await, Code::Unknown), lacks);
    let web = server.grpc_web().trim().start(trim(&vol, "/mnt")).await;
    assert_eq!(failure(web, Code::Unknown), lacks);
}

#[tokio::test]
async fn a_real_driver_trims_mounted_checks_unmounted_and_reports_progress() {
    let server = TestServer::start(&[]);
    let mut sdk = server.sdk().await;
    let vol = sdk.create_volume("web", GIB, 1, &[]).await;
    let mut c = clients(&server).await;
    let refused = failure(c.trim.start(trim(&vol, "/mnt/web")).await, Code::Unknown);
    assert!(refused.contains("is not mounted at /mnt/web"), "{refused}");
    sdk.mount
        .attach(SdkVolumeAttachRequest {
            volume_id: vol.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
    let mount = SdkVolumeMountRequest {
        volume_id: vol.clone(),
        mount_path: "/mnt/web".into(),
        ..Default::default()
    };
    sdk.mount.mount(mount).await.unwrap();

    let started = c
        .trim
        .start(trim(&vol, "/mnt/web"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(started.status, TrimStatus::FsTrimStarted as i32);
    let again = failure(c.trim.start(trim(&vol, "/mnt/web")).await, Code::Unknown);
    assert!(again.contains("already running"), "{again}");
    let status = || SdkFilesystemTrimStatusRequest {
        volume_id: vol.clone(),
        mount_path: "/mnt/web".into(),
    };
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let running = c.trim.status(status()).await.unwrap().into_inner();
    assert_eq!(running.status, TrimStatus::FsTrimInprogress as i32);
    assert!(running.message.contains("% done"), "{}", running.message);
    tokio::time::sleep(Duration::from_secs(3)).await;
    let done = c.trim.status(status()).await.unwrap().into_inner();
    assert_eq!(done.status, TrimStatus::FsTrimCompleted as i32);
    let stop = SdkFilesystemTrimStopRequest {
        volume_id: vol.clone(),
        mount_path: "/mnt/web".into(),
    };
    let not_running = failure(c.trim.stop(stop).await, Code::Unknown);
    assert!(
        not_running.contains("no filesystem trim is running"),
        "{not_running}"
    );

    // A check needs the filesystem unmounted and a mode Portworx knows.
    let mounted = failure(
        c.check.start(check(&vol, "check_health")).await,
        Code::Unknown,
    );
    assert!(mounted.contains("is mounted at /mnt/web"), "{mounted}");
    let unmount = SdkVolumeUnmountRequest {
        volume_id: vol.clone(),
        mount_path: "/mnt/web".into(),
        ..Default::default()
    };
    sdk.mount.unmount(unmount).await.unwrap();
    let mode = failure(c.check.start(check(&vol, "repair")).await, Code::Unknown);
    assert!(mode.contains("check_health, fix_safe, fix_all"), "{mode}");
    c.check.start(check(&vol, "check_health")).await.unwrap();
    c.check
        .stop(SdkFilesystemCheckStopRequest {
            volume_id: vol.clone(),
        })
        .await
        .unwrap();
    let stopped = c
        .check
        .status(SdkFilesystemCheckStatusRequest {
            volume_id: vol.clone(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(stopped.status, CheckStatus::FsCheckStopped as i32);
    assert_eq!(stopped.mode, "check_health");

    // Checksums: not running until started.
    let status = SdkVerifyChecksumStatusRequest {
        volume_id: vol.clone(),
    };
    let idle = c.sum.status(status.clone()).await.unwrap().into_inner();
    assert_eq!(idle.status, SumStatus::VerifyChecksumNotRunning as i32);
    c.sum.start(sum(&vol)).await.unwrap();
    let running = c.sum.status(status).await.unwrap().into_inner();
    assert_eq!(running.status, SumStatus::VerifyChecksumStarted as i32);
}

#[tokio::test]
async fn with_auth_checksums_need_access_to_the_volume() {
    const SECRET: &str = "maintenance-secret";
    let server = TestServer::start(&["--jwt-shared-secret", SECRET]);
    let mut sdk = server.sdk().await;
    let alice = sdk_token(SECRET, "alice", &["system.user"], &[], 600);
    // An admin of another group: its role allows checksums, the volume's ACL does not.
    let bob = sdk_token(SECRET, "bob", &["system.admin"], &["dev"], 600);
    let create = SdkVolumeCreateRequest {
        name: "alices".into(),
        spec: Some(VolumeSpec {
            size: GIB,
            ha_level: 1,
            ..Default::default()
        }),
        ..Default::default()
    };
    let vol = sdk
        .volumes
        .create(with_token(create, &alice))
        .await
        .unwrap()
        .into_inner()
        .volume_id;
    let mut c = clients(&server).await;
    let refused = failure(
        c.sum.start(with_token(sum(&vol), &bob)).await,
        Code::PermissionDenied,
    );
    assert_eq!(refused, format!("Access denied to volume {vol}"));
    let missing = failure(
        c.sum.start(with_token(sum("nowhere"), &bob)).await,
        Code::NotFound,
    );
    assert_eq!(missing, "No volumes found for locator");
    let root = sdk_token(SECRET, "root", &["system.admin"], &["*"], 600);
    c.sum.start(with_token(sum(&vol), &root)).await.unwrap();
}
