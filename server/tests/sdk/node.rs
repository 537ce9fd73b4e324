//! OpenStorageNode against the real server: nodes enumerated and inspected.

use crate::common::*;
use console_server::proto::open_storage_node_client::OpenStorageNodeClient;
use console_server::proto::{
    SdkNodeEnumerateRequest, SdkNodeEnumerateWithFiltersRequest, SdkNodeInspectCurrentRequest,
    SdkNodeInspectRequest, Status,
};

#[tokio::test]
async fn nodes_enumerate_and_inspect() {
    let server = TestServer::start(&[]);
    let mut node = OpenStorageNodeClient::new(server.channel().await);

    let ids = node
        .enumerate(SdkNodeEnumerateRequest {})
        .await
        .unwrap()
        .into_inner()
        .node_ids;
    assert!(ids.len() >= 3, "{ids:?}");

    let nodes = node
        .enumerate_with_filters(SdkNodeEnumerateWithFiltersRequest::default())
        .await
        .unwrap()
        .into_inner()
        .nodes;
    assert_eq!(nodes.iter().map(|n| n.id.clone()).collect::<Vec<_>>(), ids);
    for n in &nodes {
        assert_eq!(n.status, Status::Ok as i32);
        assert!(!n.hostname.is_empty() && !n.mgmt_ip.is_empty() && !n.data_ip.is_empty());
        assert!(n.mem_total > 0 && n.mem_used <= n.mem_total);
        assert!(!n.pools.is_empty());
        assert!(n.pools.iter().all(|p| p.used <= p.total_size));
    }

    let inspected = node
        .inspect(SdkNodeInspectRequest {
            node_id: ids[1].clone(),
        })
        .await
        .unwrap()
        .into_inner()
        .node
        .unwrap();
    // The same node; its CPU, memory and pools move with the cluster's load between calls.
    assert_eq!(
        (&inspected.id, &inspected.hostname, &inspected.mgmt_ip),
        (&nodes[1].id, &nodes[1].hostname, &nodes[1].mgmt_ip)
    );
    assert_eq!(inspected.pools.len(), nodes[1].pools.len());

    let current = node
        .inspect_current(SdkNodeInspectCurrentRequest {})
        .await
        .unwrap()
        .into_inner()
        .node
        .unwrap();
    assert!(ids.contains(&current.id));

    let missing = node
        .inspect(SdkNodeInspectRequest {
            node_id: "no-such-node".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(missing.code(), tonic::Code::NotFound);
    assert!(
        missing.message().contains("no-such-node"),
        "{}",
        missing.message()
    );

    let empty = node
        .inspect(SdkNodeInspectRequest::default())
        .await
        .unwrap_err();
    assert_eq!(empty.code(), tonic::Code::InvalidArgument);
}
