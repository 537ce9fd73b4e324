//! Cluster pairs and cloud migrations in upstream's SDK words: a pair made from another
//! cluster's token (two mock clusters here), listed, inspected and deleted; migrations of a
//! volume or of every volume to a paired cluster, with progress, cancelled; upstream's fake
//! driver's migrations (a task id, an empty status); who may do what with auth on.

use std::time::Duration;

use crate::common::*;
use console_server::proto::cloud_migrate::Status as MigrateStatus;
use console_server::proto::open_storage_cluster_pair_client::OpenStorageClusterPairClient;
use console_server::proto::open_storage_migrate_client::OpenStorageMigrateClient;
use console_server::proto::sdk_cloud_migrate_start_request::{
    MigrateAllVolumes, MigrateVolume, Opt,
};
use console_server::proto::*;
use tonic::transport::Channel;
use tonic::Code;

async fn pairs(server: &TestServer) -> OpenStorageClusterPairClient<Channel> {
    OpenStorageClusterPairClient::new(server.channel().await)
}

async fn token_of(server: &TestServer) -> String {
    let answer = pairs(server)
        .await
        .get_token(SdkClusterPairGetTokenRequest {})
        .await;
    answer.unwrap().into_inner().result.unwrap().token
}

fn migrate(cluster: &str, opt: Opt) -> SdkCloudMigrateStartRequest {
    SdkCloudMigrateStartRequest {
        cluster_id: cluster.into(),
        opt: Some(opt),
        ..Default::default()
    }
}

fn status(task: &str) -> SdkCloudMigrateStatusRequest {
    SdkCloudMigrateStatusRequest {
        request: Some(CloudMigrateStatusRequest {
            task_id: task.into(),
            ..Default::default()
        }),
    }
}

#[tokio::test]
async fn a_pair_is_made_from_another_clusters_token_listed_and_deleted() {
    let here = TestServer::start(&[]);
    let there = TestServer::start(&["--driver", "fake"]);
    let mut p = pairs(&here).await;
    let token = token_of(&there).await;
    assert_eq!(token.len(), 128);
    assert_eq!(token, token_of(&there).await, "the same token until reset");

    let missing = p
        .create(SdkClusterPairCreateRequest { request: None })
        .await;
    assert_eq!(
        failure(missing, Code::InvalidArgument),
        "Must supply valid request"
    );
    let bad = failure(p.create(pair_with("not-a-token")).await, Code::Internal);
    assert_eq!(
        bad,
        "Cannot create cluster with remote pair 10.20.0.5 : the remote cluster refused the token"
    );
    let own = failure(
        p.create(pair_with(&token_of(&here).await)).await,
        Code::Internal,
    );
    assert!(own.contains("cannot be paired with itself"), "{own}");

    let made = p
        .create(pair_with(&token))
        .await
        .unwrap()
        .into_inner()
        .result
        .unwrap();
    let listed = p
        .enumerate(SdkClusterPairEnumerateRequest {})
        .await
        .unwrap()
        .into_inner()
        .result
        .unwrap();
    assert_eq!(
        listed.default_id, made.remote_cluster_id,
        "the first pair is the default"
    );
    let info = &listed.pairs[&made.remote_cluster_id];
    assert_eq!(
        (info.name.as_str(), info.endpoint.as_str()),
        (made.remote_cluster_name.as_str(), "10.20.0.5:9001")
    );
    let inspect = |id: &str| SdkClusterPairInspectRequest { id: id.into() };
    assert_eq!(
        failure(p.inspect(inspect("")).await, Code::InvalidArgument),
        "Must supply cluster ID"
    );
    p.inspect(inspect(&made.remote_cluster_id)).await.unwrap();

    // A reset token no longer pairs.
    let reset = p
        .reset_token(SdkClusterPairResetTokenRequest {})
        .await
        .unwrap();
    assert_ne!(
        reset.into_inner().result.unwrap().token,
        token_of(&there).await
    );

    let delete = |id: &str| SdkClusterPairDeleteRequest {
        cluster_id: id.into(),
    };
    assert_eq!(
        failure(p.delete(delete("")).await, Code::InvalidArgument),
        "Must supply valid cluster ID"
    );
    p.delete(delete(&made.remote_cluster_id)).await.unwrap();
    let gone = failure(
        p.inspect(inspect(&made.remote_cluster_id)).await,
        Code::Internal,
    );
    assert!(
        gone.starts_with("Cannot Get cluster information for"),
        "{gone}"
    );
    let web = server_web_enumerate(&here).await;
    assert!(web.pairs.is_empty());
}

async fn server_web_enumerate(server: &TestServer) -> ClusterPairsEnumerateResponse {
    let answer = server
        .grpc_web()
        .pairs()
        .enumerate(SdkClusterPairEnumerateRequest {})
        .await;
    answer.unwrap().into_inner().result.unwrap()
}

#[tokio::test]
async fn volumes_migrate_to_a_paired_cluster_with_progress_and_can_be_cancelled() {
    let here = TestServer::start(&[]);
    let there = TestServer::start(&[]);
    let mut sdk = here.sdk().await;
    let vol = sdk.create_volume("web", GIB, 1, &[]).await;
    let mut m = OpenStorageMigrateClient::new(here.channel().await);
    let none = SdkCloudMigrateStartRequest::default();
    assert_eq!(
        failure(m.start(none).await, Code::InvalidArgument),
        "Unknown operation request"
    );
    let one = || {
        Opt::Volume(MigrateVolume {
            volume_id: vol.clone(),
        })
    };
    let unpaired = failure(m.start(migrate("elsewhere", one())).await, Code::Internal);
    assert!(
        unpaired.contains("is not paired with this cluster"),
        "{unpaired}"
    );

    let made = pairs(&here)
        .await
        .create(pair_with(&token_of(&there).await))
        .await
        .unwrap();
    let remote = made.into_inner().result.unwrap().remote_cluster_id;
    let task = m
        .start(migrate(&remote, one()))
        .await
        .unwrap()
        .into_inner()
        .result
        .unwrap()
        .task_id;
    let info =
        |answer: SdkCloudMigrateStatusResponse| answer.result.unwrap().info[&remote].list.clone();
    let running = info(m.status(status(&task)).await.unwrap().into_inner());
    assert_eq!(running.len(), 1);
    assert_eq!(running[0].local_volume_id, vol);
    assert_eq!(running[0].status, MigrateStatus::InProgress as i32);
    assert!(running[0].bytes_total > 0);
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let done = info(m.status(status(&task)).await.unwrap().into_inner());
    assert_eq!(done[0].status, MigrateStatus::Complete as i32);
    assert_eq!(done[0].bytes_done, done[0].bytes_total);

    // Every volume: cancelled while it runs.
    let all = m
        .start(migrate(&remote, Opt::AllVolumes(MigrateAllVolumes {})))
        .await
        .unwrap()
        .into_inner()
        .result
        .unwrap()
        .task_id;
    let cancel = |task: &str| SdkCloudMigrateCancelRequest {
        request: Some(CloudMigrateCancelRequest {
            task_id: task.into(),
        }),
    };
    assert_eq!(
        failure(m.cancel(cancel("")).await, Code::InvalidArgument),
        "Must supply valid Task ID"
    );
    m.cancel(cancel(&all)).await.unwrap();
    let cancelled = info(m.status(status(&all)).await.unwrap().into_inner());
    assert!(cancelled
        .iter()
        .all(|i| i.status == MigrateStatus::Canceled as i32));
    let again = failure(m.cancel(cancel(&all)).await, Code::Internal);
    assert!(
        again.starts_with(&format!("Cannot stop migration for {all}")),
        "{again}"
    );
}

#[tokio::test]
async fn the_fake_driver_migrates_as_upstreams_fake() {
    let server = TestServer::start(&["--driver", "fake"]);
    let mut sdk = server.sdk().await;
    let vol = sdk.create_volume("web", GIB, 1, &[]).await;
    let mut m = OpenStorageMigrateClient::new(server.channel().await);
    let mut request = migrate("anywhere", Opt::Volume(MigrateVolume { volume_id: vol }));
    request.task_id = "t1".into();
    let task = m
        .start(request)
        .await
        .unwrap()
        .into_inner()
        .result
        .unwrap()
        .task_id;
    assert_eq!(task, "t1");
    let answer = m
        .status(status("t1"))
        .await
        .unwrap()
        .into_inner()
        .result
        .unwrap();
    assert_eq!(answer.info.keys().collect::<Vec<_>>(), ["result"]);
    assert!(answer.info["result"].list.is_empty());
}

#[tokio::test]
async fn with_auth_only_administrators_see_the_token_and_roles_decide_pairing() {
    const SECRET: &str = "dr-secret";
    let server = TestServer::start(&["--jwt-shared-secret", SECRET]);
    let mut p = pairs(&server).await;
    let ops = sdk_token(SECRET, "ops", &["system.admin"], &["ops"], 600);
    let root = sdk_token(SECRET, "root", &["system.admin"], &["*"], 600);
    let user = sdk_token(SECRET, "uma", &["system.user"], &[], 600);
    let refused = p
        .get_token(with_token(SdkClusterPairGetTokenRequest {}, &ops))
        .await;
    assert_eq!(
        failure(refused, Code::Unauthenticated),
        "Must be system admin to get pair token"
    );
    p.get_token(with_token(SdkClusterPairGetTokenRequest {}, &root))
        .await
        .unwrap();
    let by_role = p
        .enumerate(with_token(SdkClusterPairEnumerateRequest {}, &user))
        .await;
    assert!(failure(by_role, Code::PermissionDenied).contains("system.user"));
}
