//! OpenStorageVolume against the real server over loopback: create, filters and updates, snapshots,
//! clones and restores, snapshot schedules, concurrent creates, and gRPC-Web.

use std::collections::HashMap;

use crate::common::*;
use console_server::proto::open_storage_volume_client::OpenStorageVolumeClient;
use console_server::proto::*;
use tonic::Code;

fn spec(size: u64, ha: i64) -> Option<VolumeSpec> {
    Some(VolumeSpec {
        size,
        ha_level: ha,
        ..Default::default()
    })
}

#[tokio::test]
async fn create_fills_in_what_a_real_cluster_reports_and_is_idempotent_on_name() {
    let server = TestServer::start(&[]);
    let mut sdk = server.sdk().await;
    let created = sdk
        .volumes
        .create(SdkVolumeCreateRequest {
            name: "pvc-db".into(),
            spec: Some(VolumeSpec {
                size: 100 * GIB,
                ha_level: 3,
                passphrase: "hunter2".into(),
                encrypted: true,
                ..Default::default()
            }),
            labels: [("app".to_string(), "db".to_string())].into(),
        })
        .await
        .unwrap()
        .into_inner()
        .volume_id;

    let response = sdk
        .volumes
        .inspect(SdkVolumeInspectRequest {
            volume_id: "pvc-db".into(),
            options: None,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(response.name, "pvc-db");
    assert_eq!(response.labels["app"], "db");
    let volume = response.volume.unwrap();
    assert_eq!(volume.id, created);
    let s = volume.spec.as_ref().unwrap();
    assert_eq!((s.size, s.ha_level), (100 * GIB, 3));
    assert!(s.passphrase.is_empty(), "the passphrase is write-only");
    assert!(s.encrypted);
    assert_eq!(volume.status, VolumeStatus::Up as i32);
    assert_eq!(volume.state, VolumeState::Detached as i32);
    assert_eq!(volume.format, FsType::Ext4 as i32);
    // Upstream always sets `source`, empty for a new volume; Go clients dereference it.
    assert_eq!(volume.source.as_ref().map(|s| s.parent.as_str()), Some(""));
    assert!(volume.ctime.unwrap().seconds > 1_700_000_000);
    assert!(volume.usage > 0 && volume.usage < s.size);
    assert_eq!(volume.replica_sets[0].nodes.len(), 3);

    // Same name and size: the same volume, at once.
    let again = sdk.create_volume("pvc-db", 100 * GIB, 1, &[]).await;
    assert_eq!(again, created);
    // Same name, another size: a different volume was meant.
    let message = failure(
        sdk.volumes
            .create(SdkVolumeCreateRequest {
                name: "pvc-db".into(),
                spec: spec(50 * GIB, 1),
                labels: HashMap::new(),
            })
            .await,
        Code::AlreadyExists,
    );
    assert_eq!(
        message,
        format!(
            "Existing volume has a size of {} which differs from requested size of {}",
            100 * GIB,
            50 * GIB
        )
    );
    let all = sdk
        .volumes
        .enumerate(SdkVolumeEnumerateRequest {})
        .await
        .unwrap()
        .into_inner();
    assert_eq!(all.volume_ids, vec![created]);
}

#[tokio::test]
async fn bad_create_requests_are_invalid_arguments_naming_the_field() {
    let server = TestServer::start(&[]);
    let mut sdk = server.sdk().await;
    // Upstream's own words where its SDK layer checks; ours (naming the field) beyond.
    let cases = [
        ("", spec(GIB, 1), "Must supply a unique name"),
        ("v", None, "Must supply spec object"),
        ("v", spec(0, 1), "spec.size"),
        ("v", spec(GIB, 4), "spec.ha_level"),
        ("v", spec(GIB, -1), "spec.ha_level"),
    ];
    for (name, spec, field) in cases {
        let message = failure(
            sdk.volumes
                .create(SdkVolumeCreateRequest {
                    name: name.into(),
                    spec,
                    labels: HashMap::new(),
                })
                .await,
            Code::InvalidArgument,
        );
        assert!(message.starts_with(field), "{field}: {message}");
    }
    assert_eq!(
        code(
            sdk.volumes
                .inspect(SdkVolumeInspectRequest {
                    volume_id: "nope".into(),
                    options: None
                })
                .await
        ),
        Code::NotFound
    );
}

#[tokio::test]
async fn filters_update_and_labels() {
    let server = TestServer::start(&[]);
    let mut sdk = server.sdk().await;
    for (name, tier) in [("a", "gold"), ("b", "gold"), ("c", "bronze")] {
        sdk.volumes
            .create(SdkVolumeCreateRequest {
                name: name.into(),
                spec: spec(GIB, 1),
                labels: [("tier".to_string(), tier.to_string())].into(),
            })
            .await
            .unwrap();
    }
    let gold = sdk
        .volumes
        .inspect_with_filters(SdkVolumeInspectWithFiltersRequest {
            labels: [("tier".to_string(), "gold".to_string())].into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .volumes;
    let mut names: Vec<_> = gold.iter().map(|v| v.name.as_str()).collect();
    names.sort();
    assert_eq!(names, ["a", "b"]);
    let by_name = sdk
        .volumes
        .enumerate_with_filters(SdkVolumeEnumerateWithFiltersRequest {
            name: "c".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .volume_ids;
    assert_eq!(by_name.len(), 1);

    // Grow, change HA, relabel; shrinking is refused.
    let id = by_name[0].clone();
    sdk.volumes
        .update(SdkVolumeUpdateRequest {
            volume_id: id.clone(),
            labels: [
                ("tier".to_string(), String::new()),
                ("owner".to_string(), "ops".to_string()),
            ]
            .into(),
            spec: Some(VolumeSpecUpdate {
                size_opt: Some(volume_spec_update::SizeOpt::Size(2 * GIB)),
                ha_level_opt: Some(volume_spec_update::HaLevelOpt::HaLevel(2)),
                ..Default::default()
            }),
        })
        .await
        .unwrap();
    let volume = sdk.inspect_volume(&id).await;
    assert_eq!(volume.spec.as_ref().unwrap().size, 2 * GIB);
    assert_eq!(volume.spec.as_ref().unwrap().ha_level, 2);
    assert_eq!(volume.replica_sets[0].nodes.len(), 2);
    let labels = &volume.locator.as_ref().unwrap().volume_labels;
    assert_eq!(labels.get("owner").map(String::as_str), Some("ops"));
    assert!(
        !labels.contains_key("tier"),
        "an empty value removes a label"
    );

    let message = failure(
        sdk.volumes
            .update(SdkVolumeUpdateRequest {
                volume_id: id.clone(),
                labels: HashMap::new(),
                spec: Some(VolumeSpecUpdate {
                    size_opt: Some(volume_spec_update::SizeOpt::Size(GIB)),
                    ..Default::default()
                }),
            })
            .await,
        Code::InvalidArgument,
    );
    assert!(message.contains("only grow"), "{message}");
}

#[tokio::test]
async fn snapshots_clones_restore_and_delete_rules() {
    let server = TestServer::start(&[]);
    let mut sdk = server.sdk().await;
    let vol = sdk.create_volume("data", 10 * GIB, 1, &[]).await;
    let snap = sdk
        .volumes
        .snapshot_create(SdkVolumeSnapshotCreateRequest {
            volume_id: vol.clone(),
            name: "data-snap1".into(),
            labels: HashMap::new(),
        })
        .await
        .unwrap()
        .into_inner()
        .snapshot_id;
    let snapshot = sdk.inspect_volume(&snap).await;
    assert!(snapshot.readonly);
    assert_eq!(snapshot.source.unwrap().parent, vol);

    let listed = sdk
        .volumes
        .snapshot_enumerate(SdkVolumeSnapshotEnumerateRequest {
            volume_id: vol.clone(),
        })
        .await
        .unwrap()
        .into_inner()
        .volume_snapshot_ids;
    assert_eq!(listed, vec![snap.clone()]);

    // A volume with snapshots cannot go; deleting what does not exist succeeds.
    let message = failure(
        sdk.volumes
            .delete(SdkVolumeDeleteRequest {
                volume_id: vol.clone(),
            })
            .await,
        Code::FailedPrecondition,
    );
    assert!(message.contains("1 snapshot"), "{message}");
    sdk.volumes
        .delete(SdkVolumeDeleteRequest {
            volume_id: "never-existed".into(),
        })
        .await
        .unwrap();

    // Restore: unknown snapshot is NOT_FOUND, a snapshot of another volume is refused.
    sdk.volumes
        .snapshot_restore(SdkVolumeSnapshotRestoreRequest {
            volume_id: vol.clone(),
            snapshot_id: snap.clone(),
        })
        .await
        .unwrap();
    assert_eq!(
        code(
            sdk.volumes
                .snapshot_restore(SdkVolumeSnapshotRestoreRequest {
                    volume_id: vol.clone(),
                    snapshot_id: "missing".into(),
                })
                .await
        ),
        Code::NotFound
    );
    let other = sdk.create_volume("other", GIB, 1, &[]).await;
    assert_eq!(
        code(
            sdk.volumes
                .snapshot_restore(SdkVolumeSnapshotRestoreRequest {
                    volume_id: other,
                    snapshot_id: snap.clone(),
                })
                .await
        ),
        Code::InvalidArgument
    );

    // A clone of the snapshot is a writable volume with the snapshot as parent.
    // `clone` is the SDK's Clone call, not Clone::clone: name the client type.
    let clone = OpenStorageVolumeClient::clone(
        &mut sdk.volumes,
        SdkVolumeCloneRequest {
            name: "data-copy".into(),
            parent_id: snap.clone(),
            additional_labels: [("copy".to_string(), "yes".to_string())].into(),
        },
    )
    .await
    .unwrap()
    .into_inner()
    .volume_id;
    let cloned = sdk.inspect_volume(&clone).await;
    assert!(!cloned.readonly);
    assert_eq!(cloned.source.unwrap().parent, snap);
    assert_eq!(cloned.spec.unwrap().size, 10 * GIB);
    assert_eq!(
        code(
            OpenStorageVolumeClient::clone(
                &mut sdk.volumes,
                SdkVolumeCloneRequest {
                    name: "x".into(),
                    parent_id: "missing".into(),
                    additional_labels: HashMap::new(),
                },
            )
            .await
        ),
        Code::NotFound
    );

    sdk.volumes
        .delete(SdkVolumeDeleteRequest {
            volume_id: snap.clone(),
        })
        .await
        .unwrap();
    sdk.volumes
        .delete(SdkVolumeDeleteRequest {
            volume_id: vol.clone(),
        })
        .await
        .unwrap();
    assert_eq!(
        code(
            sdk.volumes
                .inspect(SdkVolumeInspectRequest {
                    volume_id: vol,
                    options: None
                })
                .await
        ),
        Code::NotFound
    );
}

#[tokio::test]
async fn a_hundred_concurrent_creates_of_one_name_make_one_volume() {
    let server = TestServer::start(&[]);
    let channel = server.channel().await;
    let calls = (0..100).map(|_| {
        let mut sdk = Sdk::new(channel.clone());
        tokio::spawn(async move { sdk.create_volume("contended", 5 * GIB, 1, &[]).await })
    });
    let mut ids = Vec::new();
    for call in calls {
        ids.push(call.await.unwrap());
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "every caller got the same volume");
    let all = server
        .sdk()
        .await
        .volumes
        .enumerate(SdkVolumeEnumerateRequest {})
        .await
        .unwrap()
        .into_inner()
        .volume_ids;
    assert_eq!(all.len(), 1);
}

#[tokio::test]
async fn snapshot_schedules_name_existing_policies() {
    let server = TestServer::start(&[]);
    let mut sdk = server.sdk().await;
    let vol = sdk.create_volume("sched", GIB, 1, &[]).await;
    assert_eq!(
        code(
            sdk.volumes
                .snapshot_schedule_update(SdkVolumeSnapshotScheduleUpdateRequest {
                    volume_id: vol.clone(),
                    snapshot_schedule_names: vec!["nightly".into()],
                })
                .await
        ),
        Code::NotFound
    );
    sdk.policies
        .create(SdkSchedulePolicyCreateRequest {
            schedule_policy: Some(SdkSchedulePolicy {
                name: "nightly".into(),
                schedules: vec![SdkSchedulePolicyInterval {
                    retain: 7,
                    period_type: Some(sdk_schedule_policy_interval::PeriodType::Daily(
                        SdkSchedulePolicyIntervalDaily { hour: 1, minute: 0 },
                    )),
                }],
            }),
        })
        .await
        .unwrap();
    sdk.volumes
        .snapshot_schedule_update(SdkVolumeSnapshotScheduleUpdateRequest {
            volume_id: vol.clone(),
            snapshot_schedule_names: vec!["nightly".into()],
        })
        .await
        .unwrap();
    let volume = sdk.inspect_volume(&vol).await;
    assert_eq!(volume.spec.unwrap().snapshot_schedule, "policy=nightly");
    // A policy in use is not deleted from under the volume.
    assert_eq!(
        code(
            sdk.policies
                .delete(SdkSchedulePolicyDeleteRequest {
                    name: "nightly".into()
                })
                .await
        ),
        Code::FailedPrecondition
    );
}

#[tokio::test]
async fn volume_calls_work_over_grpc_web() {
    let server = TestServer::start(&[]);
    let web = server.grpc_web();
    let id = web
        .volumes()
        .create(SdkVolumeCreateRequest {
            name: "over-web".into(),
            spec: spec(GIB, 2),
            labels: HashMap::new(),
        })
        .await
        .unwrap()
        .into_inner()
        .volume_id;
    let listed = web
        .volumes()
        .inspect_with_filters(SdkVolumeInspectWithFiltersRequest::default())
        .await
        .unwrap()
        .into_inner()
        .volumes;
    assert_eq!(listed[0].volume.as_ref().unwrap().id, id);
    let status = web
        .volumes()
        .create(SdkVolumeCreateRequest {
            name: "over-web".into(),
            spec: spec(2 * GIB, 2),
            labels: HashMap::new(),
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::AlreadyExists);
}
