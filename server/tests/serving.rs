//! Serving itself: gRPC-Web over HTTP/1.1 to the same cluster, unknown methods, the console's
//! static files (and the SDK without a built console), `--latency` and deadlines, start-up
//! failures (a port in use, a UI folder without index, bad TLS files) and SIGTERM.

mod common;

use std::time::{Duration, Instant};

use common::{failure, http_get, http_request, scratch_dir, TestServer, BINARY};
use console_server::proto::open_storage_cluster_client::OpenStorageClusterClient;
use console_server::proto::{
    SdkClusterInspectCurrentRequest, SdkIdentityVersionRequest, SdkNodeInspectRequest,
};
use tonic::Code;

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

#[test]
fn bad_tls_files_are_a_one_line_error() {
    let output = std::process::Command::new(BINARY)
        .args([
            "--listen",
            "127.0.0.1:0",
            "--tls-cert",
            "/nonexistent/cert.pem",
            "--tls-key",
            "/nonexistent/key.pem",
        ])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("console-server: error: cannot load the TLS certificate"),
        "{stderr}"
    );
}

#[tokio::test]
async fn latency_delays_calls_and_deadlines_cut_them_off() {
    let server = TestServer::start(&["--latency", "1200"]);
    let mut sdk = server.sdk().await;

    let started = Instant::now();
    sdk.cluster
        .inspect_current(SdkClusterInspectCurrentRequest {})
        .await
        .unwrap();
    assert!(started.elapsed() >= Duration::from_millis(1200));

    // The server enforces the deadline itself (seen over gRPC-Web, whose client does not).
    let mut hurried = tonic::Request::new(SdkIdentityVersionRequest {});
    hurried
        .metadata_mut()
        .insert("grpc-timeout", "300m".parse().unwrap());
    let started = Instant::now();
    let message = failure(
        server.grpc_web().identity().version(hurried).await,
        Code::DeadlineExceeded,
    );
    assert!(
        started.elapsed() < Duration::from_millis(1100),
        "cut off at the deadline"
    );
    assert!(message.contains("deadline of 300 ms"), "{message}");

    // A native tonic client with a timeout gives up on its side as well.
    let mut hurried = tonic::Request::new(SdkClusterInspectCurrentRequest {});
    hurried.set_timeout(Duration::from_millis(300));
    assert!(sdk.cluster.inspect_current(hurried).await.is_err());
}

#[test]
fn a_fail_node_that_names_no_node_is_refused_at_start() {
    let output = std::process::Command::new(BINARY)
        .args(["--listen", "127.0.0.1:0", "--fail-node", "storage-node-9"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "console-server: error: --fail-node storage-node-9: the mock has nodes 1 to 3"
        ),
        "{stderr}"
    );
}
