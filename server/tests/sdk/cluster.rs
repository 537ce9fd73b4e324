//! OpenStorageCluster against the real server: the cluster, its id and name.

use crate::common::*;
use console_server::proto::open_storage_cluster_client::OpenStorageClusterClient;
use console_server::proto::{SdkClusterInspectCurrentRequest, Status};

#[tokio::test]
async fn cluster_id_is_stable_for_the_life_of_the_process() {
    let server = TestServer::start(&["--cluster-name", "lab-east"]);
    let mut cluster = OpenStorageClusterClient::new(server.channel().await);
    let first = cluster
        .inspect_current(SdkClusterInspectCurrentRequest {})
        .await
        .unwrap()
        .into_inner()
        .cluster
        .unwrap();
    let second = cluster
        .inspect_current(SdkClusterInspectCurrentRequest {})
        .await
        .unwrap()
        .into_inner()
        .cluster
        .unwrap();
    assert_eq!(first.id, second.id);
    assert!(uuid_like(&first.id), "{}", first.id);
    assert_eq!(first.name, "lab-east");
    assert_eq!(first.status, Status::Ok as i32);

    // Another process is another cluster.
    let other = TestServer::start(&[]);
    let other_id = OpenStorageClusterClient::new(other.channel().await)
        .inspect_current(SdkClusterInspectCurrentRequest {})
        .await
        .unwrap()
        .into_inner()
        .cluster
        .unwrap()
        .id;
    assert_ne!(first.id, other_id);
}

fn uuid_like(id: &str) -> bool {
    id.len() == 36 && id.chars().filter(|c| *c == '-').count() == 4
}
