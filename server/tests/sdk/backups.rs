//! OpenStorageCloudBackup and OpenStorageSchedulePolicy against the real server, including the
//! SDK tutorial's flow end to end.

use std::collections::HashMap;
use std::time::Duration;

use crate::common::*;
use console_server::proto::*;
use tonic::Code;

/// Fast enough for tests, slow enough to watch: 25 GiB written to a 100 GiB volume takes ~2.5 s.
const RATE: &str = "10GiB";

async fn status(sdk: &mut Sdk, task: &str) -> SdkCloudBackupStatus {
    let mut statuses = sdk
        .backups
        .status(SdkCloudBackupStatusRequest {
            task_id: task.into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .statuses;
    statuses.remove(task).expect("status of the task")
}

fn is(status: &SdkCloudBackupStatus, expected: SdkCloudBackupStatusType) -> bool {
    status.status == expected as i32
}

/// Polls until the task leaves Queued/Active, collecting every status seen.
async fn follow(sdk: &mut Sdk, task: &str) -> Vec<SdkCloudBackupStatus> {
    let mut seen = Vec::new();
    for _ in 0..200 {
        let s = status(sdk, task).await;
        let running =
            is(&s, SdkCloudBackupStatusType::Queued) || is(&s, SdkCloudBackupStatusType::Active);
        seen.push(s);
        if !running {
            return seen;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("task {task} did not finish: {:?}", seen.last());
}

#[tokio::test]
async fn the_sdk_tutorial_flow_end_to_end() {
    let server = TestServer::start(&["--backup-rate", RATE]);
    let mut sdk = server.sdk().await;

    let cluster = sdk
        .cluster
        .inspect_current(SdkClusterInspectCurrentRequest {})
        .await
        .unwrap()
        .into_inner()
        .cluster
        .unwrap();
    assert_eq!(cluster.status, Status::Ok as i32);

    let vol = sdk
        .volumes
        .create(volume_request("myvol", 100 * GIB, 3, &[]))
        .await
        .unwrap()
        .into_inner()
        .volume_id;
    let snap = sdk
        .volumes
        .snapshot_create(SdkVolumeSnapshotCreateRequest {
            volume_id: vol.clone(),
            name: "snap1".into(),
            labels: HashMap::new(),
        })
        .await
        .unwrap()
        .into_inner()
        .snapshot_id;
    assert!(!snap.is_empty());
    let cred = sdk.create_aws_credential("aws", "tutorial-backups").await;
    sdk.credentials
        .validate(SdkCredentialValidateRequest {
            credential_id: cred.clone(),
        })
        .await
        .unwrap();

    // No credential id: the only credential is used, as on a real cluster.
    let task = sdk
        .backups
        .create(SdkCloudBackupCreateRequest {
            volume_id: vol.clone(),
            full: true,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .task_id;
    let first = status(&mut sdk, &task).await;
    assert!(is(&first, SdkCloudBackupStatusType::Queued), "{first:?}");
    assert_eq!(first.credential_id, cred);
    assert_eq!(first.src_volume_id, vol);
    assert_eq!(first.optype, SdkCloudBackupOpType::BackupOp as i32);

    let seen = follow(&mut sdk, &task).await;
    let active: Vec<_> = seen
        .iter()
        .filter(|s| is(s, SdkCloudBackupStatusType::Active))
        .collect();
    assert!(
        active.len() >= 2,
        "progress seen at least twice: {}",
        active.len()
    );
    assert!(active
        .windows(2)
        .all(|w| w[1].bytes_done >= w[0].bytes_done));
    assert!(active[0].eta_seconds > 0 && active[0].bytes_done < active[0].bytes_total);
    assert!(active.first().unwrap().bytes_done < active.last().unwrap().bytes_done);
    let done = seen.last().unwrap();
    assert!(is(done, SdkCloudBackupStatusType::Done), "{done:?}");
    assert_eq!(done.bytes_done, done.bytes_total);
    assert_eq!(done.bytes_total, 25 * GIB);
    assert!(done.completed_time.unwrap().seconds >= done.start_time.unwrap().seconds);

    let history = sdk
        .backups
        .history(SdkCloudBackupHistoryRequest {
            src_volume_id: vol.clone(),
        })
        .await
        .unwrap()
        .into_inner()
        .history_list;
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].status, SdkCloudBackupStatusType::Done as i32);
    assert!(history[0].timestamp.is_some());

    let backups = sdk
        .backups
        .enumerate_with_filters(SdkCloudBackupEnumerateWithFiltersRequest {
            src_volume_id: vol.clone(),
            credential_id: cred.clone(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .backups;
    assert_eq!(backups.len(), 1);
    let backup = &backups[0];
    assert_eq!(backup.id, done.backup_id);
    assert!(backup.id.starts_with("tutorial-backups/"));
    assert_eq!(backup.src_volume_name, "myvol");
    let contents = sdk
        .backups
        .catalog(SdkCloudBackupCatalogRequest {
            backup_id: backup.id.clone(),
            credential_id: cred.clone(),
        })
        .await
        .unwrap()
        .into_inner()
        .contents;
    assert!(contents.iter().any(|p| p.contains("myvol")));

    // Restore into a new volume, followed through its own task.
    let restore = sdk
        .backups
        .restore(SdkCloudBackupRestoreRequest {
            backup_id: backup.id.clone(),
            restore_volume_name: "myvol-restored".into(),
            credential_id: cred.clone(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let restoring = sdk
        .volumes
        .inspect(SdkVolumeInspectRequest {
            volume_id: restore.restore_volume_id.clone(),
            options: None,
        })
        .await
        .unwrap()
        .into_inner()
        .volume
        .unwrap();
    assert_eq!(restoring.state, VolumeState::Restore as i32);
    let seen = follow(&mut sdk, &restore.task_id).await;
    let last = seen.last().unwrap();
    assert!(is(last, SdkCloudBackupStatusType::Done), "{last:?}");
    assert_eq!(last.optype, SdkCloudBackupOpType::RestoreOp as i32);
    let restored = sdk
        .volumes
        .inspect(SdkVolumeInspectRequest {
            volume_id: "myvol-restored".into(),
            options: None,
        })
        .await
        .unwrap()
        .into_inner()
        .volume
        .unwrap();
    assert_eq!(restored.state, VolumeState::Detached as i32);
    assert_eq!(restored.spec.unwrap().size, 100 * GIB);
}

#[tokio::test]
async fn create_checks_its_inputs_and_honours_task_ids() {
    let server = TestServer::start(&["--backup-rate", RATE]);
    let mut sdk = server.sdk().await;
    let vol = sdk.create_volume("v", 4 * GIB, 1, &[]).await;
    // No credential at all: upstream's defaultCloudBackupCreds says so, word for word.
    let message = failure(
        sdk.backups
            .create(SdkCloudBackupCreateRequest {
                volume_id: vol.clone(),
                ..Default::default()
            })
            .await,
        Code::InvalidArgument,
    );
    assert_eq!(
        message,
        "No configured credentials found,please create a credential"
    );
    sdk.create_aws_credential("one", "tutorial-backups").await;
    sdk.create_aws_credential("two", "tutorial-backups").await;
    let message = failure(
        sdk.backups
            .create(SdkCloudBackupCreateRequest {
                volume_id: vol.clone(),
                ..Default::default()
            })
            .await,
        Code::InvalidArgument,
    );
    assert_eq!(
        message,
        "More than one credential configured,please specify a credential name or uuid to use"
    );
    for (volume_id, credential_id) in [("missing", "one"), (vol.as_str(), "missing")] {
        assert_eq!(
            code(
                sdk.backups
                    .create(SdkCloudBackupCreateRequest {
                        volume_id: volume_id.into(),
                        credential_id: credential_id.into(),
                        ..Default::default()
                    })
                    .await
            ),
            Code::NotFound
        );
    }
    let request = SdkCloudBackupCreateRequest {
        volume_id: vol.clone(),
        credential_id: "one".into(),
        task_id: "nightly-v-1".into(),
        ..Default::default()
    };
    let task = sdk
        .backups
        .create(request.clone())
        .await
        .unwrap()
        .into_inner()
        .task_id;
    assert_eq!(task, "nightly-v-1");
    assert_eq!(code(sdk.backups.create(request).await), Code::AlreadyExists);
    assert_eq!(
        code(
            sdk.backups
                .status(SdkCloudBackupStatusRequest {
                    task_id: "no-such-task".into(),
                    ..Default::default()
                })
                .await
        ),
        Code::NotFound
    );
    // Status by volume lists that volume's tasks only.
    let by_volume = sdk
        .backups
        .status(SdkCloudBackupStatusRequest {
            volume_id: vol.clone(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .statuses;
    let mut keys: Vec<_> = by_volume.keys().cloned().collect();
    keys.sort();
    let mut expected = vec!["nightly-v-1".to_string(), vol.clone()];
    expected.sort();
    assert_eq!(
        keys, expected,
        "the task, and its status under the volume id for older clients"
    );
    assert_eq!(
        by_volume[&vol].backup_id,
        by_volume["nightly-v-1"].backup_id
    );
}

#[tokio::test]
async fn incremental_backups_transfer_less_and_chain_on_the_full_one() {
    let server = TestServer::start(&["--backup-rate", "100GiB"]);
    let mut sdk = server.sdk().await;
    let vol = sdk.create_volume("inc", 40 * GIB, 1, &[]).await;
    sdk.create_aws_credential("c", "tutorial-backups").await;
    let mut totals = Vec::new();
    for full in [false, false] {
        let task = sdk
            .backups
            .create(SdkCloudBackupCreateRequest {
                volume_id: vol.clone(),
                full,
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner()
            .task_id;
        let done = follow(&mut sdk, &task).await.pop().unwrap();
        assert!(is(&done, SdkCloudBackupStatusType::Done));
        totals.push(done.bytes_total);
    }
    assert_eq!(totals[0], 10 * GIB, "the first backup is full");
    assert!(
        totals[1] < totals[0] / 5,
        "the next is incremental: {totals:?}"
    );
    let listed = sdk
        .backups
        .enumerate_with_filters(SdkCloudBackupEnumerateWithFiltersRequest {
            src_volume_id: vol,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .backups;
    assert_eq!(listed[0].metadata["type"], "incremental");
    assert_eq!(listed[1].metadata["type"], "full");
    // The full one has a dependent: deleting it needs force.
    assert_eq!(
        code(
            sdk.backups
                .delete(SdkCloudBackupDeleteRequest {
                    backup_id: listed[1].id.clone(),
                    ..Default::default()
                })
                .await
        ),
        Code::FailedPrecondition
    );
}

#[tokio::test]
async fn stop_ends_a_backup_and_pause_and_resume_are_refused_as_upstream_does() {
    let server = TestServer::start(&["--backup-rate", "1GiB"]);
    let mut sdk = server.sdk().await;
    let vol = sdk.create_volume("slow", 400 * GIB, 1, &[]).await;
    sdk.create_aws_credential("c", "tutorial-backups").await;
    let task = sdk.start_backup(&vol).await;
    let change = |state: SdkCloudBackupRequestedState| SdkCloudBackupStateChangeRequest {
        task_id: task.clone(),
        requested_state: state as i32,
    };
    tokio::time::sleep(Duration::from_millis(600)).await;
    // Upstream's SDK layer accepts only Stop; Pause and Resume are "not supported yet".
    for (state, name) in [
        (SdkCloudBackupRequestedState::Pause, "Pause"),
        (SdkCloudBackupRequestedState::Resume, "Resume"),
    ] {
        let message = failure(
            sdk.backups.state_change(change(state)).await,
            Code::InvalidArgument,
        );
        assert_eq!(
            message,
            format!("Invalid requested state: SdkCloudBackupRequestedState{name}")
        );
    }
    let message = failure(
        sdk.backups
            .state_change(change(SdkCloudBackupRequestedState::Unknown))
            .await,
        Code::InvalidArgument,
    );
    assert_eq!(message, "Must provide requested state");
    let running = status(&mut sdk, &task).await;
    assert!(is(&running, SdkCloudBackupStatusType::Active));
    assert_eq!(
        code(
            sdk.backups
                .state_change(SdkCloudBackupStateChangeRequest {
                    requested_state: SdkCloudBackupRequestedState::Stop as i32,
                    task_id: "missing".into(),
                })
                .await
        ),
        Code::NotFound
    );
    // The volume is busy: the realistic driver refuses to delete it while its backup runs.
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
    sdk.backups
        .state_change(change(SdkCloudBackupRequestedState::Stop))
        .await
        .unwrap();
    let stopped = status(&mut sdk, &task).await;
    assert!(is(&stopped, SdkCloudBackupStatusType::Stopped));
    let message = failure(
        sdk.backups
            .state_change(change(SdkCloudBackupRequestedState::Stop))
            .await,
        Code::FailedPrecondition,
    );
    assert!(message.contains("stopped"), "{message}");
    let history = sdk
        .backups
        .history(SdkCloudBackupHistoryRequest { src_volume_id: vol })
        .await
        .unwrap()
        .into_inner()
        .history_list;
    assert_eq!(history[0].status, SdkCloudBackupStatusType::Stopped as i32);
}

#[tokio::test]
async fn injected_failures_end_failed_with_the_reason() {
    let server = TestServer::start(&[
        "--backup-rate",
        "50GiB",
        "--fail-backups-matching",
        "tier=doomed",
    ]);
    let mut sdk = server.sdk().await;
    let doomed = sdk
        .create_volume("doomed", 40 * GIB, 1, &[("tier", "doomed")])
        .await;
    let fine = sdk.create_volume("fine", 40 * GIB, 1, &[]).await;
    sdk.create_aws_credential("c", "tutorial-backups").await;
    let mut outcomes = Vec::new();
    for vol in [&doomed, &fine] {
        let task = sdk.start_backup(vol).await;
        outcomes.push(follow(&mut sdk, &task).await.pop().unwrap());
    }
    assert!(is(&outcomes[0], SdkCloudBackupStatusType::Failed));
    assert!(outcomes[0].bytes_done < outcomes[0].bytes_total);
    assert!(
        outcomes[0].info[0].contains("tier=doomed"),
        "{:?}",
        outcomes[0].info
    );
    assert!(is(&outcomes[1], SdkCloudBackupStatusType::Done));
    let failed = sdk
        .backups
        .enumerate_with_filters(SdkCloudBackupEnumerateWithFiltersRequest {
            status_filter: SdkCloudBackupStatusType::Failed as i32,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .backups;
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].src_volume_id, doomed);
    assert_eq!(
        code(
            sdk.backups
                .restore(SdkCloudBackupRestoreRequest {
                    backup_id: failed[0].id.clone(),
                    ..Default::default()
                })
                .await
        ),
        Code::FailedPrecondition
    );
}

#[tokio::test]
async fn the_catalog_filters_pages_and_deletes() {
    let server = TestServer::start(&["--backup-rate", "500GiB"]);
    let mut sdk = server.sdk().await;
    let a = sdk.create_volume("a", 8 * GIB, 1, &[]).await;
    let b = sdk.create_volume("b", 8 * GIB, 1, &[]).await;
    sdk.create_aws_credential("c", "tutorial-backups").await;
    for (vol, env) in [(&a, "prod"), (&a, "prod"), (&a, "test"), (&b, "prod")] {
        let task = sdk
            .backups
            .create(SdkCloudBackupCreateRequest {
                volume_id: vol.clone(),
                full: true,
                labels: [("env".to_string(), env.to_string())].into(),
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner()
            .task_id;
        follow(&mut sdk, &task).await;
    }
    let lister = sdk.backups.clone();
    let list = |req: SdkCloudBackupEnumerateWithFiltersRequest| {
        let mut client = lister.clone();
        async move {
            client
                .enumerate_with_filters(req)
                .await
                .unwrap()
                .into_inner()
        }
    };
    let prod = list(SdkCloudBackupEnumerateWithFiltersRequest {
        metadata_filter: [("env".to_string(), "prod".to_string())].into(),
        ..Default::default()
    })
    .await;
    assert_eq!(prod.backups.len(), 3);
    let page1 = list(SdkCloudBackupEnumerateWithFiltersRequest {
        src_volume_id: "a".into(),
        max_backups: 2,
        ..Default::default()
    })
    .await;
    assert_eq!(page1.backups.len(), 2);
    assert!(!page1.continuation_token.is_empty());
    let page2 = list(SdkCloudBackupEnumerateWithFiltersRequest {
        src_volume_id: a.clone(),
        max_backups: 2,
        continuation_token: page1.continuation_token.clone(),
        ..Default::default()
    })
    .await;
    assert_eq!(page2.backups.len(), 1);
    assert!(page2.continuation_token.is_empty());
    let newest_first =
        page1.backups[0].timestamp.unwrap().seconds >= page2.backups[0].timestamp.unwrap().seconds;
    assert!(newest_first);

    sdk.backups
        .delete(SdkCloudBackupDeleteRequest {
            backup_id: page2.backups[0].id.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        code(
            sdk.backups
                .delete(SdkCloudBackupDeleteRequest {
                    backup_id: page2.backups[0].id.clone(),
                    ..Default::default()
                })
                .await
        ),
        Code::NotFound
    );
    sdk.backups
        .delete_all(SdkCloudBackupDeleteAllRequest {
            src_volume_id: a.clone(),
            credential_id: String::new(),
        })
        .await
        .unwrap();
    let left = list(SdkCloudBackupEnumerateWithFiltersRequest::default()).await;
    assert_eq!(left.backups.len(), 1);
    assert_eq!(left.backups[0].src_volume_id, b);
}

#[tokio::test]
async fn schedules_run_backups_and_keep_only_what_they_retain() {
    let server = TestServer::start(&["--backup-rate", "500GiB"]);
    let mut sdk = server.sdk().await;
    let vol = sdk.create_volume("scheduled", 4 * GIB, 1, &[]).await;
    sdk.create_aws_credential("c", "tutorial-backups").await;
    let every_second = SdkSchedulePolicyInterval {
        retain: 2,
        period_type: Some(sdk_schedule_policy_interval::PeriodType::Periodic(
            SdkSchedulePolicyIntervalPeriodic { seconds: 1 },
        )),
    };
    // The policy service stores the same intervals by name.
    sdk.policies
        .create(SdkSchedulePolicyCreateRequest {
            schedule_policy: Some(SdkSchedulePolicy {
                name: "every-second".into(),
                schedules: vec![every_second],
            }),
        })
        .await
        .unwrap();
    let policy = sdk
        .policies
        .inspect(SdkSchedulePolicyInspectRequest {
            name: "every-second".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .policy
        .unwrap();
    let id = sdk
        .backups
        .sched_create(SdkCloudBackupSchedCreateRequest {
            cloud_sched_info: Some(SdkCloudBackupScheduleInfo {
                src_volume_id: vol.clone(),
                schedules: policy.schedules,
                max_backups: 2,
                full: true,
                ..Default::default()
            }),
        })
        .await
        .unwrap()
        .into_inner()
        .backup_schedule_id;
    let listed = sdk
        .backups
        .sched_enumerate(SdkCloudBackupSchedEnumerateRequest {})
        .await
        .unwrap()
        .into_inner()
        .cloud_sched_list;
    assert_eq!(listed[&id].src_volume_id, vol);
    assert!(
        !listed[&id].credential_id.is_empty(),
        "the only credential is used"
    );

    // Poll (as the console does) for a few seconds: backups appear and only 2 are kept.
    let mut history = 0;
    for _ in 0..24 {
        tokio::time::sleep(Duration::from_millis(250)).await;
        history = sdk
            .backups
            .history(SdkCloudBackupHistoryRequest {
                src_volume_id: vol.clone(),
            })
            .await
            .unwrap()
            .into_inner()
            .history_list
            .len();
    }
    assert!(history >= 3, "scheduled backups ran: {history}");
    let kept = sdk
        .backups
        .enumerate_with_filters(SdkCloudBackupEnumerateWithFiltersRequest {
            src_volume_id: vol.clone(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .backups;
    assert_eq!(kept.len(), 2);
    assert!(kept.iter().all(|b| b.metadata["schedule"] == id));

    sdk.backups
        .sched_delete(SdkCloudBackupSchedDeleteRequest {
            backup_schedule_id: id.clone(),
        })
        .await
        .unwrap();
    assert_eq!(
        code(
            sdk.backups
                .sched_delete(SdkCloudBackupSchedDeleteRequest {
                    backup_schedule_id: id
                })
                .await
        ),
        Code::NotFound
    );
    // Bad schedules say which field is wrong.
    let message = failure(
        sdk.backups
            .sched_create(SdkCloudBackupSchedCreateRequest {
                cloud_sched_info: Some(SdkCloudBackupScheduleInfo {
                    src_volume_id: vol,
                    schedules: vec![SdkSchedulePolicyInterval {
                        retain: 1,
                        period_type: Some(sdk_schedule_policy_interval::PeriodType::Daily(
                            SdkSchedulePolicyIntervalDaily {
                                hour: 25,
                                minute: 0,
                            },
                        )),
                    }],
                    ..Default::default()
                }),
            })
            .await,
        Code::InvalidArgument,
    );
    assert!(message.contains("daily.hour"), "{message}");
}

#[tokio::test]
async fn backup_status_works_over_grpc_web() {
    let server = TestServer::start(&["--backup-rate", RATE]);
    let mut sdk = server.sdk().await;
    let vol = sdk.create_volume("w", 100 * GIB, 1, &[]).await;
    sdk.create_aws_credential("c", "tutorial-backups").await;
    let web = server.grpc_web();
    let task = web
        .backups()
        .create(SdkCloudBackupCreateRequest {
            volume_id: vol,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .task_id;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let statuses = web
        .backups()
        .status(SdkCloudBackupStatusRequest::default())
        .await
        .unwrap()
        .into_inner()
        .statuses;
    let s = &statuses[&task];
    assert!(is(s, SdkCloudBackupStatusType::Active), "{s:?}");
    assert!(s.bytes_done > 0 && s.bytes_total == 25 * GIB);
}
