//! The mock's SDK layer answers as upstream's `api/server/sdk` does, whichever driver runs below
//! it; and `--driver fake` behaves like upstream's fake driver (what upstream's mock-sdk-server
//! runs), so the console is tested against both kinds of cluster.

mod common;

use std::collections::HashMap;
use std::time::Duration;

use common::{failure, Sdk, TestServer, GIB};
use console_server::proto::open_storage_volume_client::OpenStorageVolumeClient;
use console_server::proto::sdk_schedule_policy_interval::PeriodType;
use console_server::proto::*;
use tonic::Code;

const DRIVERS: [&str; 2] = ["realistic", "fake"];

/// Backs `volume` up with `credential` and waits until its task is Done.
async fn backed_up(sdk: &mut Sdk, volume: &str, credential: &str) -> SdkCloudBackupStatus {
    let task_id = sdk
        .backups
        .create(SdkCloudBackupCreateRequest {
            volume_id: volume.into(),
            credential_id: credential.into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .task_id;
    for _ in 0..200 {
        let statuses = sdk
            .backups
            .status(SdkCloudBackupStatusRequest {
                task_id: task_id.clone(),
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner()
            .statuses;
        let status = statuses[&task_id].clone();
        if status.status == SdkCloudBackupStatusType::Done as i32 {
            return status;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("backup {task_id} did not finish");
}

const MORE_THAN_ONE: &str =
    "More than one credential configured,please specify a credential name or uuid to use";

#[tokio::test]
async fn backup_calls_without_a_credential_follow_default_cloud_backup_creds() {
    for driver in DRIVERS {
        let server = TestServer::start(&["--driver", driver, "--backup-rate", "100GiB"]);
        let mut sdk = server.sdk().await;
        let vol = sdk.create_volume("db", 4 * GIB, 1, &[]).await;
        let first = sdk.create_aws_credential("aws", "bucket-one").await;
        let done = backed_up(&mut sdk, &vol, "").await;
        assert_eq!(done.credential_id, first, "{driver}: the only credential");
        sdk.create_aws_credential("aws", "bucket-two").await;
        // Every call that picks a default credential now refuses, in upstream's words.
        let list = sdk
            .backups
            .enumerate_with_filters(SdkCloudBackupEnumerateWithFiltersRequest::default())
            .await;
        assert_eq!(failure(list, Code::InvalidArgument), MORE_THAN_ONE);
        let catalog = sdk
            .backups
            .catalog(SdkCloudBackupCatalogRequest {
                backup_id: done.backup_id.clone(),
                ..Default::default()
            })
            .await;
        assert_eq!(failure(catalog, Code::InvalidArgument), MORE_THAN_ONE);
        let restore = sdk
            .backups
            .restore(SdkCloudBackupRestoreRequest {
                backup_id: done.backup_id.clone(),
                restore_volume_name: "db-restored".into(),
                ..Default::default()
            })
            .await;
        assert_eq!(failure(restore, Code::InvalidArgument), MORE_THAN_ONE);
        let delete = sdk
            .backups
            .delete(SdkCloudBackupDeleteRequest {
                backup_id: done.backup_id.clone(),
                ..Default::default()
            })
            .await;
        assert_eq!(failure(delete, Code::InvalidArgument), MORE_THAN_ONE);
        let delete_all = sdk
            .backups
            .delete_all(SdkCloudBackupDeleteAllRequest {
                src_volume_id: vol.clone(),
                ..Default::default()
            })
            .await;
        assert_eq!(failure(delete_all, Code::InvalidArgument), MORE_THAN_ONE);
        // Named, each credential lists the backups in its own bucket.
        let listed = |credential_id: &str| SdkCloudBackupEnumerateWithFiltersRequest {
            credential_id: credential_id.into(),
            ..Default::default()
        };
        let mine = sdk
            .backups
            .enumerate_with_filters(listed(&first))
            .await
            .unwrap()
            .into_inner()
            .backups;
        assert_eq!(mine.len(), 1, "{driver}");
        sdk.backups
            .delete(SdkCloudBackupDeleteRequest {
                backup_id: done.backup_id.clone(),
                credential_id: first.clone(),
                ..Default::default()
            })
            .await
            .unwrap();
        let after = sdk
            .backups
            .enumerate_with_filters(listed(&first))
            .await
            .unwrap()
            .into_inner()
            .backups;
        assert!(after.is_empty(), "{driver}: deleted");
    }
}

#[tokio::test]
async fn arguments_are_checked_in_upstreams_words_on_both_drivers() {
    for driver in DRIVERS {
        let server = TestServer::start(&["--driver", driver]);
        let mut sdk = server.sdk().await;
        let vol = sdk.create_volume("v", GIB, 1, &[]).await;
        let history = sdk
            .backups
            .history(SdkCloudBackupHistoryRequest::default())
            .await;
        assert_eq!(
            failure(history, Code::InvalidArgument),
            "Must provide volume id"
        );
        let snapshot = sdk
            .volumes
            .snapshot_create(SdkVolumeSnapshotCreateRequest {
                volume_id: vol.clone(),
                name: String::new(),
                labels: HashMap::new(),
            })
            .await;
        assert_eq!(
            failure(snapshot, Code::InvalidArgument),
            "Must supply a name"
        );
        let clone = OpenStorageVolumeClient::clone(
            &mut sdk.volumes,
            SdkVolumeCloneRequest {
                name: "c".into(),
                parent_id: String::new(),
                additional_labels: HashMap::new(),
            },
        )
        .await;
        assert_eq!(
            failure(clone, Code::InvalidArgument),
            "Must parent volume id"
        );
        for retain in [0, -1] {
            let policy =
                sdk.policies
                    .create(SdkSchedulePolicyCreateRequest {
                        schedule_policy: Some(SdkSchedulePolicy {
                            name: format!("p{retain}"),
                            schedules: vec![SdkSchedulePolicyInterval {
                                retain,
                                period_type: Some(PeriodType::Daily(
                                    SdkSchedulePolicyIntervalDaily { hour: 2, minute: 0 },
                                )),
                            }],
                        }),
                    })
                    .await;
            assert_eq!(
                failure(policy, Code::InvalidArgument),
                "Must retain more than 0",
                "{driver}: retain {retain}"
            );
        }
        let unnamed = sdk
            .credentials
            .create(SdkCredentialCreateRequest::default())
            .await;
        assert_eq!(
            failure(unnamed, Code::InvalidArgument),
            "Must supply a name"
        );
        let nil_schedule = sdk
            .backups
            .sched_create(SdkCloudBackupSchedCreateRequest::default())
            .await;
        assert_eq!(
            failure(nil_schedule, Code::InvalidArgument),
            "BackupSchedule object cannot be nil"
        );
        // Every volume carries `source`, empty for a new one.
        assert!(sdk.inspect_volume(&vol).await.source.is_some());
    }
}

#[tokio::test]
async fn restored_volumes_keep_the_source_ha_level() {
    for driver in DRIVERS {
        let server = TestServer::start(&["--driver", driver, "--backup-rate", "100GiB"]);
        let mut sdk = server.sdk().await;
        let vol = sdk.create_volume("replicated", 2 * GIB, 3, &[]).await;
        let cred = sdk.create_aws_credential("aws", "b").await;
        let done = backed_up(&mut sdk, &vol, &cred).await;
        let restored = sdk
            .backups
            .restore(SdkCloudBackupRestoreRequest {
                backup_id: done.backup_id,
                restore_volume_name: "replicated-copy".into(),
                credential_id: cred,
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner()
            .restore_volume_id;
        let spec = sdk.inspect_volume(&restored).await.spec.unwrap();
        assert_eq!((spec.ha_level, spec.size), (3, 2 * GIB), "{driver}");
    }
}

#[tokio::test]
async fn the_fake_driver_behaves_like_upstreams_fake() {
    let server = TestServer::start(&["--driver", "fake"]);
    let mut sdk = server.sdk().await;
    let version = sdk
        .identity
        .version(SdkIdentityVersionRequest {})
        .await
        .unwrap()
        .into_inner();
    assert_eq!(version.version.unwrap().driver, "console-mock-fake");
    let vol = sdk.create_volume("data", 10 * GIB, 1, &[]).await;
    let snap = sdk
        .volumes
        .snapshot_create(SdkVolumeSnapshotCreateRequest {
            volume_id: vol.clone(),
            name: "data-snap".into(),
            labels: HashMap::new(),
        })
        .await
        .unwrap()
        .into_inner()
        .snapshot_id;
    // Writable snapshots; SnapshotEnumerate lists clones as well.
    assert!(!sdk.inspect_volume(&snap).await.readonly);
    // Names are not checked: the same name again is another snapshot.
    let again = sdk
        .volumes
        .snapshot_create(SdkVolumeSnapshotCreateRequest {
            volume_id: vol.clone(),
            name: "data-snap".into(),
            labels: HashMap::new(),
        })
        .await
        .unwrap()
        .into_inner()
        .snapshot_id;
    assert_ne!(again, snap);
    let clone = OpenStorageVolumeClient::clone(
        &mut sdk.volumes,
        SdkVolumeCloneRequest {
            name: "data-clone".into(),
            parent_id: vol.clone(),
            additional_labels: HashMap::new(),
        },
    )
    .await
    .unwrap()
    .into_inner()
    .volume_id;
    let mut listed = sdk
        .volumes
        .snapshot_enumerate(SdkVolumeSnapshotEnumerateRequest {
            volume_id: vol.clone(),
        })
        .await
        .unwrap()
        .into_inner()
        .volume_snapshot_ids;
    listed.sort();
    let mut expected = vec![snap.clone(), again.clone(), clone.clone()];
    expected.sort();
    assert_eq!(listed, expected);

    // A backup is Done at once; the total is not reported, the size is the bytes done.
    let cred = sdk.create_aws_credential("aws", "b").await;
    let done = backed_up(&mut sdk, &vol, &cred).await;
    assert_eq!((done.bytes_total, done.bytes_done), (0, 10 * GIB));
    let stored = sdk
        .backups
        .enumerate_with_filters(SdkCloudBackupEnumerateWithFiltersRequest {
            credential_id: cred,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .backups;
    assert!(!stored[0].metadata.contains_key("type"));

    // A volume with snapshots is deleted; its snapshots stay, their parent gone.
    sdk.volumes
        .delete(SdkVolumeDeleteRequest {
            volume_id: vol.clone(),
        })
        .await
        .unwrap();
    let orphan = sdk.inspect_volume(&snap).await;
    assert_eq!(orphan.source.unwrap().parent, vol);
    let gone = sdk
        .volumes
        .snapshot_enumerate(SdkVolumeSnapshotEnumerateRequest { volume_id: vol })
        .await;
    failure(gone, Code::NotFound);
}

#[tokio::test]
async fn the_realistic_driver_keeps_read_only_snapshots_and_guards_deletes() {
    let server = TestServer::start(&[]);
    let mut sdk = server.sdk().await;
    let vol = sdk.create_volume("data", 10 * GIB, 1, &[]).await;
    let snap = sdk
        .volumes
        .snapshot_create(SdkVolumeSnapshotCreateRequest {
            volume_id: vol.clone(),
            name: "data-snap".into(),
            labels: HashMap::new(),
        })
        .await
        .unwrap()
        .into_inner()
        .snapshot_id;
    assert!(sdk.inspect_volume(&snap).await.readonly);
    OpenStorageVolumeClient::clone(
        &mut sdk.volumes,
        SdkVolumeCloneRequest {
            name: "data-clone".into(),
            parent_id: vol.clone(),
            additional_labels: HashMap::new(),
        },
    )
    .await
    .unwrap();
    let listed = sdk
        .volumes
        .snapshot_enumerate(SdkVolumeSnapshotEnumerateRequest {
            volume_id: vol.clone(),
        })
        .await
        .unwrap()
        .into_inner()
        .volume_snapshot_ids;
    assert_eq!(listed, vec![snap], "clones are not snapshots here");
    let refused = sdk
        .volumes
        .delete(SdkVolumeDeleteRequest { volume_id: vol })
        .await;
    assert!(failure(refused, Code::FailedPrecondition).contains("1 snapshot"));
}
