//! --latency slows every call; a call's grpc-timeout is honoured with DEADLINE_EXCEEDED.

mod common;

use std::time::{Duration, Instant};

use common::*;
use console_server::proto::*;
use tonic::Code;

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
