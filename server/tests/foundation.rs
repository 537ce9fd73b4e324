//! The server's foundation: Identity, Cluster and Node over native gRPC and gRPC-Web/HTTP1.1,
//! the console's static files, and start-up failures.

mod common;

use std::time::Duration;

use common::{http_get, http_request, scratch_dir, TestServer};
use console_server::proto::open_storage_cluster_client::OpenStorageClusterClient;
use console_server::proto::open_storage_identity_client::OpenStorageIdentityClient;
use console_server::proto::open_storage_node_client::OpenStorageNodeClient;
use console_server::proto::sdk_service_capability::open_storage_service::Type as ServiceType;
use console_server::proto::{
    sdk_service_capability, SdkClusterInspectCurrentRequest, SdkIdentityCapabilitiesRequest,
    SdkIdentityVersionRequest, SdkNodeEnumerateRequest, SdkNodeEnumerateWithFiltersRequest,
    SdkNodeInspectCurrentRequest, SdkNodeInspectRequest, Status,
};

#[tokio::test]
async fn identity_reports_sdk_version_and_capabilities() {
    let server = TestServer::start(&[]);
    let mut identity = OpenStorageIdentityClient::new(server.channel().await);

    let version = identity
        .version(SdkIdentityVersionRequest {})
        .await
        .unwrap()
        .into_inner();
    let sdk = version.sdk_version.expect("sdk version");
    assert_eq!((sdk.major, sdk.minor, sdk.patch), (0, 186, 0));
    assert_eq!(sdk.version, "0.186.0");
    let driver = version.version.expect("driver version");
    assert!(!driver.driver.is_empty() && !driver.version.is_empty());

    let caps = identity
        .capabilities(SdkIdentityCapabilitiesRequest {})
        .await
        .unwrap()
        .into_inner()
        .capabilities;
    let services: Vec<i32> = caps
        .iter()
        .filter_map(|c| {
            c.r#type
                .as_ref()
                .map(|sdk_service_capability::Type::Service(s)| s.r#type)
        })
        .collect();
    for wanted in [ServiceType::Cluster, ServiceType::Node] {
        assert!(
            services.contains(&(wanted as i32)),
            "{wanted:?} missing from {services:?}"
        );
    }
}

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

#[tokio::test]
async fn grpc_web_over_http1_reaches_the_same_cluster() {
    let server = TestServer::start(&[]);
    let native_id = OpenStorageClusterClient::new(server.channel().await)
        .inspect_current(SdkClusterInspectCurrentRequest {})
        .await
        .unwrap()
        .into_inner()
        .cluster
        .unwrap()
        .id;

    let web = server.grpc_web();
    let web_cluster = web
        .cluster()
        .inspect_current(SdkClusterInspectCurrentRequest {})
        .await
        .unwrap()
        .into_inner()
        .cluster
        .unwrap();
    assert_eq!(web_cluster.id, native_id);
    let version = web
        .identity()
        .version(SdkIdentityVersionRequest {})
        .await
        .unwrap()
        .into_inner();
    assert_eq!(version.sdk_version.unwrap().minor, 186);
    // Errors travel in gRPC-Web trailers too.
    let missing = web
        .node()
        .inspect(SdkNodeInspectRequest {
            node_id: "nope".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(missing.code(), tonic::Code::NotFound);
}

#[tokio::test]
async fn unknown_grpc_method_is_unimplemented_not_html() {
    let server = TestServer::start(&[]);
    let req = http::Request::post(format!(
        "{}/openstorage.api.OpenStorageNope/Get",
        server.url()
    ))
    .header("content-type", "application/grpc-web+proto")
    .header("x-grpc-web", "1")
    .body(String::from_utf8(vec![0, 0, 0, 0, 0]).unwrap())
    .unwrap();
    let res = http_request(req).await;
    let status = res
        .headers()
        .get("grpc-status")
        .map(|v| v.to_str().unwrap().to_string());
    assert_eq!(status.as_deref(), Some("12"), "{:?}", res.headers());
}

#[tokio::test]
async fn serves_the_console_with_content_types_and_route_fallback() {
    let dir = scratch_dir("ui");
    std::fs::write(
        dir.join("index.html"),
        "<!DOCTYPE html><title>console</title>",
    )
    .unwrap();
    std::fs::write(dir.join("app-1a2b.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(dir.join("app-1a2b.js"), "export {}").unwrap();
    let server = TestServer::start(&["--ui", dir.to_str().unwrap()]);

    let index = http_get(&server.url()).await;
    assert_eq!(index.status(), 200);
    assert!(String::from_utf8_lossy(index.body()).contains("<title>console</title>"));
    assert_eq!(index.headers()["cache-control"], "no-cache");

    let wasm = http_get(&format!("{}/app-1a2b.wasm", server.url())).await;
    assert_eq!(wasm.status(), 200);
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    let js = http_get(&format!("{}/app-1a2b.js", server.url())).await;
    assert!(js.headers()["content-type"]
        .to_str()
        .unwrap()
        .contains("javascript"));

    // Client-side routes get the app shell, missing files a real 404.
    let route = http_get(&format!("{}/volumes/9b64012f", server.url())).await;
    assert_eq!(route.status(), 200);
    assert!(String::from_utf8_lossy(route.body()).contains("<title>console</title>"));
    let missing = http_get(&format!("{}/missing-file.wasm", server.url())).await;
    assert_eq!(missing.status(), 404);
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn without_a_built_console_the_sdk_is_still_served() {
    let empty = scratch_dir("no-dist");
    let server = TestServer::start_in(&[], &empty);
    let page = http_get(&server.url()).await;
    assert_eq!(page.status(), 404);
    assert!(String::from_utf8_lossy(page.body()).contains("make build"));
    let mut cluster = OpenStorageClusterClient::new(server.channel().await);
    assert!(cluster
        .inspect_current(SdkClusterInspectCurrentRequest {})
        .await
        .is_ok());
    drop(server);
    std::fs::remove_dir_all(empty).unwrap();
}

#[test]
fn a_port_in_use_is_a_one_line_error() {
    let holder = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = holder.local_addr().unwrap().to_string();
    let out = std::process::Command::new(common::BINARY)
        .args(["--listen", &addr])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{addr} is already in use")),
        "{stderr}"
    );
    assert!(stderr.contains("--listen"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_ui_folder_without_index_is_refused() {
    let dir = scratch_dir("ui-empty");
    let out = std::process::Command::new(common::BINARY)
        .args(["--listen", "127.0.0.1:0", "--ui", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("has no index.html"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn sigterm_stops_the_server_cleanly() {
    let mut server = TestServer::start(&[]);
    let status = std::process::Command::new("kill")
        .args(["-TERM", &server.pid().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = server
        .wait_exit(Duration::from_secs(10))
        .expect("server exits after SIGTERM");
    assert!(exit.success(), "{exit:?}");
}

fn uuid_like(id: &str) -> bool {
    id.len() == 36 && id.chars().filter(|c| *c == '-').count() == 4
}
