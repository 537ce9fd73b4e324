//! Storage pool resizes, jobs and diagnostics collection: upstream's own cluster manager lacks
//! them (UNKNOWN "Not Supported", what the fake driver answers); the realistic driver resizes
//! a pool over a few seconds and runs diagnostics as a job that can be paused and resumed.

use std::time::Duration;

use crate::common::*;
use console_server::proto::job::State as JobState;
use console_server::proto::open_storage_diags_client::OpenStorageDiagsClient;
use console_server::proto::open_storage_job_client::OpenStorageJobClient;
use console_server::proto::open_storage_pool_client::OpenStoragePoolClient;
use console_server::proto::sdk_storage_pool::OperationStatus;
use console_server::proto::sdk_storage_pool_resize_request::ResizeFactor;
use console_server::proto::*;
use tonic::Code;

fn resize(uuid: &str, factor: ResizeFactor) -> SdkStoragePoolResizeRequest {
    SdkStoragePoolResizeRequest {
        uuid: uuid.into(),
        resize_factor: Some(factor),
        ..Default::default()
    }
}

fn all_nodes() -> SdkDiagsCollectRequest {
    SdkDiagsCollectRequest {
        node: Some(DiagsNodeSelector {
            all: true,
            ..Default::default()
        }),
        ..Default::default()
    }
}

async fn pools(sdk: &mut Sdk) -> Vec<StoragePool> {
    let nodes = sdk
        .nodes
        .enumerate_with_filters(SdkNodeEnumerateWithFiltersRequest::default())
        .await
        .unwrap()
        .into_inner()
        .nodes;
    nodes.into_iter().flat_map(|n| n.pools).collect()
}

#[tokio::test]
async fn upstreams_cluster_manager_lacks_them() {
    let server = TestServer::start(&["--driver", "fake"]);
    let channel = server.channel().await;
    let mut pool = OpenStoragePoolClient::new(channel.clone());
    let mut jobs = OpenStorageJobClient::new(channel.clone());
    let mut diags = OpenStorageDiagsClient::new(channel);
    let lacks = "Not Supported";
    let resized = pool.resize(resize("p", ResizeFactor::Percentage(10))).await;
    assert_eq!(failure(resized, Code::Unknown), lacks);
    let listed = jobs.enumerate(SdkEnumerateJobsRequest::default()).await;
    assert_eq!(failure(listed, Code::Unknown), lacks);
    assert_eq!(
        failure(diags.collect(all_nodes()).await, Code::Unknown),
        lacks
    );
}

#[tokio::test]
async fn a_pool_is_resized_by_size_or_percentage_and_reports_the_operation() {
    let server = TestServer::start(&[]);
    let mut sdk = server.sdk().await;
    let mut pool = OpenStoragePoolClient::new(server.channel().await);
    let before = pools(&mut sdk).await;
    let (first, second) = (&before[0], &before[1]);
    let gib = first.total_size >> 30;

    let small = pool
        .resize(resize(&first.uuid, ResizeFactor::Size(gib)))
        .await;
    assert!(failure(small, Code::InvalidArgument).contains("not larger"));
    let missing = pool
        .resize(resize("nowhere", ResizeFactor::Size(gib + 1)))
        .await;
    assert_eq!(failure(missing, Code::NotFound), "pool nowhere not found");

    pool.resize(resize(&first.uuid, ResizeFactor::Size(gib + 512)))
        .await
        .unwrap();
    let again = pool
        .resize(resize(&first.uuid, ResizeFactor::Size(gib + 1024)))
        .await;
    assert!(failure(again, Code::FailedPrecondition).contains("already in progress"));
    pool.resize(resize(&second.uuid, ResizeFactor::Percentage(50)))
        .await
        .unwrap();
    let during = pools(&mut sdk).await;
    let op = during[0].last_operation.clone().unwrap();
    assert_eq!(op.status, OperationStatus::OperationInProgress as i32);
    assert!(op.msg.contains("Resizing pool"), "{}", op.msg);
    assert_eq!(during[0].total_size, first.total_size, "not resized yet");

    tokio::time::sleep(Duration::from_millis(4200)).await;
    let after = pools(&mut sdk).await;
    assert_eq!(after[0].total_size, (gib + 512) << 30);
    assert_eq!(
        after[1].total_size,
        second.total_size + second.total_size / 2
    );
    let op = after[0].last_operation.clone().unwrap();
    assert_eq!(op.status, OperationStatus::OperationSuccessful as i32);
}

#[tokio::test]
async fn diagnostics_run_as_a_job_that_can_be_paused_resumed_and_listed() {
    let server = TestServer::start(&[]);
    let channel = server.channel().await;
    let mut jobs = OpenStorageJobClient::new(channel.clone());
    let mut diags = OpenStorageDiagsClient::new(channel);
    let status = |id: &str| SdkGetJobStatusRequest {
        id: id.into(),
        ..Default::default()
    };
    let update = |id: &str, state: JobState| SdkUpdateJobRequest {
        id: id.into(),
        state: state as i32,
        ..Default::default()
    };
    let none = diags.collect(SdkDiagsCollectRequest::default()).await;
    assert!(failure(none, Code::InvalidArgument).contains("select the nodes"));

    // Every node: one status each; cancelled.
    let everywhere = diags.collect(all_nodes()).await.unwrap().into_inner();
    let everywhere = everywhere.job.unwrap();
    let Some(job::Job::CollectDiags(collected)) = &everywhere.job else {
        panic!("a diags job");
    };
    assert_eq!(collected.statuses.len(), 3, "one status per node");
    let first_node = collected.statuses[0].node.clone();
    jobs.update(update(&everywhere.id, JobState::Cancelled))
        .await
        .unwrap();

    // One node (4 s): paused, it waits; resumed, it finishes.
    let one = SdkDiagsCollectRequest {
        node: Some(DiagsNodeSelector {
            node_ids: vec![first_node],
            ..Default::default()
        }),
        ..Default::default()
    };
    let job = diags.collect(one).await.unwrap().into_inner().job.unwrap();
    assert_eq!(job.state, JobState::Running as i32);
    jobs.update(update(&job.id, JobState::Paused))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(4200)).await;
    let paused = jobs.get_status(status(&job.id)).await.unwrap().into_inner();
    assert_eq!(
        paused.job.unwrap().state,
        JobState::Paused as i32,
        "a paused job waits"
    );
    jobs.update(update(&job.id, JobState::Running))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(4200)).await;
    let listed = jobs
        .enumerate(SdkEnumerateJobsRequest::default())
        .await
        .unwrap()
        .into_inner()
        .jobs;
    let states: Vec<i32> = listed.iter().map(|j| j.state).collect();
    assert_eq!(states, [JobState::Cancelled as i32, JobState::Done as i32]);
    let finished = jobs.update(update(&job.id, JobState::Cancelled)).await;
    assert!(failure(finished, Code::FailedPrecondition).contains("has finished"));
    let missing = jobs.get_status(status("nope")).await;
    assert_eq!(failure(missing, Code::NotFound), "job nope not found");
}

#[tokio::test]
async fn with_auth_a_user_may_not_resize_pools() {
    const SECRET: &str = "pools-secret";
    let server = TestServer::start(&["--jwt-shared-secret", SECRET]);
    let user = sdk_token(SECRET, "uma", &["system.user"], &[], 600);
    let mut pool = OpenStoragePoolClient::new(server.channel().await);
    let refused = pool
        .resize(with_token(resize("p", ResizeFactor::Percentage(10)), &user))
        .await;
    assert!(failure(refused, Code::PermissionDenied).contains("system.user"));
}
