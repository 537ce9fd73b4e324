//! OpenStorageMountAttach as upstream's SDK layer answers it (`volume_node_ops.go`): its
//! argument checks and words, access checked before the driver, the driver's refusals as
//! INTERNAL, and each driver's effect on Inspect. Natively and over gRPC-Web, with auth.

use crate::common::*;
use console_server::proto::*;
use tonic::Code;

fn attach(id: &str) -> SdkVolumeAttachRequest {
    SdkVolumeAttachRequest {
        volume_id: id.into(),
        ..Default::default()
    }
}

fn mount(id: &str, path: &str) -> SdkVolumeMountRequest {
    SdkVolumeMountRequest {
        volume_id: id.into(),
        mount_path: path.into(),
        ..Default::default()
    }
}

fn unmount(id: &str, path: &str) -> SdkVolumeUnmountRequest {
    SdkVolumeUnmountRequest {
        volume_id: id.into(),
        mount_path: path.into(),
        ..Default::default()
    }
}

fn detach(id: &str) -> SdkVolumeDetachRequest {
    SdkVolumeDetachRequest {
        volume_id: id.into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn arguments_are_checked_in_upstreams_order_and_words() {
    for driver in ["realistic", "fake"] {
        let server = TestServer::start(&["--driver", driver]);
        let mut sdk = server.sdk().await;
        let m = &mut sdk.mount;
        let must = "Must supply volume id";
        assert_eq!(
            failure(m.attach(attach("")).await, Code::InvalidArgument),
            must
        );
        assert_eq!(
            failure(m.detach(detach("")).await, Code::InvalidArgument),
            must
        );
        assert_eq!(
            failure(m.mount(mount("", "")).await, Code::InvalidArgument),
            must
        );
        let path = "Invalid Mount Path";
        assert_eq!(
            failure(m.mount(mount("v", "")).await, Code::InvalidArgument),
            path
        );
        assert_eq!(
            failure(m.unmount(unmount("v", "")).await, Code::InvalidArgument),
            path
        );
        let missing = failure(m.attach(attach("nowhere")).await, Code::NotFound);
        assert_eq!(missing, "Volume id nowhere not found");
        failure(m.mount(mount("nowhere", "/mnt")).await, Code::NotFound);
        // Detaching what is not there succeeds, as upstream's.
        m.detach(detach("nowhere")).await.unwrap();
    }
}

#[tokio::test]
async fn a_real_driver_attaches_here_and_refuses_out_of_order_steps() {
    let server = TestServer::start(&["--seed-volumes", "40"]);
    let mut sdk = server.sdk().await;
    let vol = sdk.create_volume("web", GIB, 1, &[]).await;
    let refused = failure(
        sdk.mount.mount(mount(&vol, "/mnt/web")).await,
        Code::Internal,
    );
    assert!(
        refused.starts_with(&format!("Failed to mount volume {vol}: "))
            && refused.contains("not attached"),
        "{refused}"
    );
    let device = sdk
        .mount
        .attach(attach(&vol))
        .await
        .unwrap()
        .into_inner()
        .device_path;
    assert!(device.starts_with("/dev/pxd/"), "{device}");
    let here = sdk
        .nodes
        .inspect_current(SdkNodeInspectCurrentRequest {})
        .await
        .unwrap()
        .into_inner()
        .node
        .unwrap()
        .id;
    let volume = sdk.inspect_volume(&vol).await;
    assert_eq!(
        volume.attached_on, here,
        "attached on the node that answers"
    );
    assert_eq!(volume.device_path, device);

    // A volume attached on another node is refused with upstream's code for it.
    let elsewhere = sdk
        .volumes
        .enumerate_with_filters(SdkVolumeEnumerateWithFiltersRequest::default())
        .await
        .unwrap()
        .into_inner()
        .volume_ids;
    let mut other = None;
    for id in elsewhere {
        let v = sdk.inspect_volume(&id).await;
        if !v.attached_on.is_empty() && v.attached_on != here {
            other = Some(id);
            break;
        }
    }
    let other = other.expect("the seed has volumes attached on other nodes");
    let message = failure(sdk.mount.attach(attach(&other)).await, Code::AlreadyExists);
    assert_eq!(message, "Volume is attached on another node");

    sdk.mount.mount(mount(&vol, "/mnt/web")).await.unwrap();
    let refused = failure(sdk.mount.detach(detach(&vol)).await, Code::Internal);
    assert!(
        refused.starts_with(&format!("Failed to detach volume {vol}: ")),
        "{refused}"
    );
    let refused = failure(
        sdk.mount.unmount(unmount(&vol, "/mnt/else")).await,
        Code::Internal,
    );
    assert!(refused.contains("not mounted at /mnt/else"), "{refused}");

    // Detach may unmount first, as the SDK's option says.
    let first = SdkVolumeDetachRequest {
        volume_id: vol.clone(),
        options: Some(SdkVolumeDetachOptions {
            unmount_before_detach: true,
            ..Default::default()
        }),
        ..Default::default()
    };
    sdk.mount.detach(first).await.unwrap();
    let volume = sdk.inspect_volume(&vol).await;
    assert_eq!(volume.state, VolumeState::Detached as i32);
    assert!(volume.attached_on.is_empty() && volume.attach_path.is_empty());
}

#[tokio::test]
async fn the_fake_driver_answers_as_upstreams_fake() {
    let server = TestServer::start(&["--driver", "fake"]);
    let mut sdk = server.sdk().await;
    let vol = sdk.create_volume("web", GIB, 1, &[]).await;
    let device = sdk
        .mount
        .attach(attach(&vol))
        .await
        .unwrap()
        .into_inner()
        .device_path;
    assert_eq!(device, format!("/dev/fake/{vol}"));
    let volume = sdk.inspect_volume(&vol).await;
    assert!(volume.attached_on.is_empty(), "the fake attaches nowhere");
    // Its Mount needs no attach, its Unmount clears every path.
    sdk.mount.mount(mount(&vol, "/mnt/a")).await.unwrap();
    sdk.mount.mount(mount(&vol, "/mnt/b")).await.unwrap();
    assert_eq!(
        sdk.inspect_volume(&vol).await.attach_path,
        ["/mnt/a", "/mnt/b"]
    );
    sdk.mount.unmount(unmount(&vol, "/mnt/a")).await.unwrap();
    assert!(sdk.inspect_volume(&vol).await.attach_path.is_empty());
    sdk.mount.detach(detach(&vol)).await.unwrap();
}

#[tokio::test]
async fn over_grpc_web() {
    let server = TestServer::start(&[]);
    let mut sdk = server.sdk().await;
    let vol = sdk.create_volume("web", GIB, 1, &[]).await;
    let mut web = server.grpc_web().mount();
    let device = web
        .attach(attach(&vol))
        .await
        .unwrap()
        .into_inner()
        .device_path;
    web.mount(mount(&vol, "/mnt/web")).await.unwrap();
    let volume = sdk.inspect_volume(&vol).await;
    assert_eq!(
        (volume.device_path, volume.attach_path),
        (device, vec!["/mnt/web".to_string()])
    );
    assert_eq!(
        failure(web.mount(mount(&vol, "")).await, Code::InvalidArgument),
        "Invalid Mount Path"
    );
    web.unmount(unmount(&vol, "/mnt/web")).await.unwrap();
    web.detach(detach(&vol)).await.unwrap();
    assert!(sdk.inspect_volume(&vol).await.attached_on.is_empty());
}

#[tokio::test]
async fn with_auth_only_writers_may_attach_and_mount() {
    const SECRET: &str = "mount-secret";
    let server = TestServer::start(&["--jwt-shared-secret", SECRET]);
    let mut sdk = server.sdk().await;
    let alice = sdk_token(SECRET, "alice", &["system.user"], &[], 600);
    let bob = sdk_token(SECRET, "bob", &["system.user"], &[], 600);
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
    let refused = failure(
        sdk.mount.attach(with_token(attach(&vol), &bob)).await,
        Code::PermissionDenied,
    );
    assert_eq!(refused, format!("Access denied to volume {vol}"));
    failure(
        sdk.mount.mount(with_token(mount(&vol, "/mnt"), &bob)).await,
        Code::PermissionDenied,
    );
    failure(
        sdk.mount.detach(with_token(detach(&vol), &bob)).await,
        Code::PermissionDenied,
    );
    sdk.mount
        .attach(with_token(attach(&vol), &alice))
        .await
        .unwrap();
    sdk.mount
        .mount(with_token(mount(&vol, "/mnt"), &alice))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_mock_without_mount_attach_answers_as_upstreams_drivers_do() {
    let server = TestServer::start(&["--not-supported", "mount-attach"]);
    let mut sdk = server.sdk().await;
    let vol = sdk.create_volume("web", GIB, 1, &[]).await;
    assert_eq!(
        failure(sdk.mount.attach(attach(&vol)).await, Code::Unknown),
        "Not Supported"
    );
    let web = server.grpc_web().mount().attach(attach(&vol)).await;
    assert_eq!(failure(web, Code::Unknown), "Not Supported");
    let capabilities = sdk
        .identity
        .capabilities(SdkIdentityCapabilitiesRequest {})
        .await
        .unwrap()
        .into_inner()
        .capabilities;
    let mount_attach = sdk_service_capability::open_storage_service::Type::MountAttach as i32;
    assert!(!capabilities.iter().any(|c| matches!(
        &c.r#type,
        Some(sdk_service_capability::Type::Service(s)) if s.r#type == mount_attach
    )));
}

#[tokio::test]
async fn attach_mount_and_back_are_visible_in_inspect() {
    let server = TestServer::start(&[]);
    let mut sdk = server.sdk().await;
    let vol = sdk.create_volume("web", GIB, 1, &[]).await;
    assert_eq!(
        code(
            sdk.mount
                .mount(SdkVolumeMountRequest {
                    volume_id: vol.clone(),
                    mount_path: "/mnt/web".into(),
                    ..Default::default()
                })
                .await
        ),
        Code::Internal,
        "mounting needs an attached volume: the driver's refusal, wrapped as upstream does"
    );
    let device = sdk
        .mount
        .attach(SdkVolumeAttachRequest {
            volume_id: vol.clone(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .device_path;
    assert!(device.starts_with("/dev/pxd/"));
    sdk.mount
        .mount(SdkVolumeMountRequest {
            volume_id: vol.clone(),
            mount_path: "/mnt/web".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let volume = sdk.inspect_volume(&vol).await;
    assert_eq!(volume.state, VolumeState::Attached as i32);
    assert!(!volume.attached_on.is_empty());
    assert_eq!(volume.attach_path, vec!["/mnt/web".to_string()]);

    // Attached volumes are not deleted, mounted ones not detached without unmounting.
    assert_eq!(
        code(
            sdk.volumes
                .delete(SdkVolumeDeleteRequest {
                    volume_id: vol.clone()
                })
                .await
        ),
        Code::FailedPrecondition
    );
    assert_eq!(
        code(
            sdk.mount
                .detach(SdkVolumeDetachRequest {
                    volume_id: vol.clone(),
                    ..Default::default()
                })
                .await
        ),
        Code::Internal
    );
    sdk.mount
        .unmount(SdkVolumeUnmountRequest {
            volume_id: vol.clone(),
            mount_path: "/mnt/web".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    sdk.mount
        .detach(SdkVolumeDetachRequest {
            volume_id: vol.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
    let volume = sdk.inspect_volume(&vol).await;
    assert_eq!(volume.state, VolumeState::Detached as i32);
    assert!(volume.attached_on.is_empty() && volume.attach_path.is_empty());

    let usage = sdk
        .volumes
        .capacity_usage(SdkVolumeCapacityUsageRequest {
            volume_id: vol.clone(),
        })
        .await
        .unwrap()
        .into_inner()
        .capacity_usage_info
        .unwrap();
    assert_eq!(usage.total_bytes as u64, volume.usage);
    let stats = sdk
        .volumes
        .stats(SdkVolumeStatsRequest {
            volume_id: vol,
            not_cumulative: false,
        })
        .await
        .unwrap()
        .into_inner()
        .stats
        .unwrap();
    assert_eq!(stats.bytes_used, volume.usage);
}
