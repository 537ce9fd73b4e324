//! The performance history (console.v1.Metrics): rates, usage and capacity of volumes, nodes and
//! the cluster, natively, over gRPC-Web and through a gateway; who may read a volume's history
//! with auth on. The sampler's bounds are unit tests beside it (`history/sampler_tests.rs`).

mod common;

use std::time::Duration;

use common::*;
use console_server::proto::console::history_request::Target;
use console_server::proto::console::{
    AlarmsRequest, HistoryRequest, HistoryResponse, VolumeStatesRequest,
};
use console_server::proto::*;

fn target(target: Target) -> HistoryRequest {
    HistoryRequest {
        target: Some(target),
        range_seconds: 900,
        until: 0,
    }
}

async fn history(sdk: &mut Sdk, t: Target) -> HistoryResponse {
    sdk.metrics.history(target(t)).await.unwrap().into_inner()
}

/// Asks until some point has a read rate (the first question starts a volume's sampling).
async fn history_with_rates(sdk: &mut Sdk, t: Target) -> HistoryResponse {
    for _ in 0..100 {
        let h = history(sdk, t.clone()).await;
        if h.points.iter().any(|p| p.read_iops.is_some()) {
            return h;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("no rates for {t:?}");
}

#[tokio::test]
async fn an_attached_volume_has_rates_usage_and_capacity_and_so_do_its_node_and_the_cluster() {
    let server = TestServer::start(&["--sample-interval", "1s"]);
    let mut sdk = server.sdk().await;
    let id = sdk.create_attached_volume("busy", 20 * GIB, &[]).await;
    let idle = sdk
        .volumes
        .create(volume_request("idle", GIB, 1, &[]))
        .await
        .unwrap()
        .into_inner()
        .volume_id;

    let h = history_with_rates(&mut sdk, Target::VolumeId(id.clone())).await;
    assert_eq!(h.interval_seconds, 1);
    let p = h
        .points
        .iter()
        .rev()
        .find(|p| p.read_iops.is_some())
        .unwrap();
    assert!(
        p.read_iops.unwrap() > 1.0 && p.write_iops.unwrap() > 1.0,
        "{p:?}"
    );
    assert!(p.read_bytes_per_second.unwrap() >= 4096.0 * p.read_iops.unwrap() * 0.99);
    assert!(
        p.latency_ms.unwrap() > 0.1 && p.latency_ms.unwrap() < 10.0,
        "{p:?}"
    );
    assert_eq!(p.capacity_bytes, 20 * GIB);
    assert!(p.used_bytes.is_some());

    // A detached volume is sampled too, and does nothing.
    let h = history_with_rates(&mut sdk, Target::VolumeId(idle)).await;
    let p = h
        .points
        .iter()
        .rev()
        .find(|p| p.read_iops.is_some())
        .unwrap();
    assert_eq!(
        (p.read_iops, p.write_iops, p.latency_ms),
        (Some(0.0), Some(0.0), None)
    );

    let cluster = history_with_rates(&mut sdk, Target::Cluster(true)).await;
    let last = cluster.points.last().unwrap();
    assert!(last.read_iops.unwrap() > 1.0, "{last:?}");
    assert!(last.capacity_bytes > 0 && last.used_bytes.unwrap() > 0);

    let node = sdk
        .nodes
        .inspect_current(SdkNodeInspectCurrentRequest {})
        .await
        .unwrap()
        .into_inner()
        .node
        .unwrap();
    let h = history_with_rates(&mut sdk, Target::NodeId(node.id.clone())).await;
    let last = h.points.last().unwrap();
    assert!(last.cpu_percent.unwrap() > 0.0 && last.memory_total_bytes > 0);
    assert!(
        last.read_iops.unwrap() > 1.0,
        "the volume is attached here: {last:?}"
    );

    // Unknown volumes are not found; a request without a target is refused.
    let missing = sdk
        .metrics
        .history(target(Target::VolumeId("nope".into())))
        .await;
    assert_eq!(code(missing), tonic::Code::NotFound);
    let none = sdk.metrics.history(HistoryRequest::default()).await;
    assert_eq!(code(none), tonic::Code::InvalidArgument);

    // Counts by state, over gRPC-Web as well.
    let states = server
        .grpc_web()
        .metrics()
        .volume_states(VolumeStatesRequest {})
        .await
        .unwrap()
        .into_inner();
    assert_eq!(states.total, 2);
    let attached = states
        .states
        .iter()
        .find(|s| s.state == VolumeState::Attached as i32)
        .unwrap();
    assert_eq!(attached.count, 1);
}

#[tokio::test]
async fn an_idle_mock_has_flat_zero_rates() {
    let server = TestServer::start(&["--sample-interval", "1s", "--mock-io", "idle"]);
    let mut sdk = server.sdk().await;
    let id = sdk.create_attached_volume("quiet", 20 * GIB, &[]).await;
    let mut web = server.grpc_web().metrics();
    for _ in 0..100 {
        let h = web
            .history(target(Target::VolumeId(id.clone())))
            .await
            .unwrap()
            .into_inner();
        if h.points.iter().filter(|p| p.read_iops.is_some()).count() >= 2 {
            for p in h.points.iter().filter(|p| p.read_iops.is_some()) {
                assert_eq!(p.read_iops, Some(0.0));
                assert_eq!(p.write_bytes_per_second, Some(0.0));
                assert_eq!(p.latency_ms, None);
            }
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("no rates");
}

#[tokio::test]
async fn through_a_gateway_many_tabs_cost_the_upstream_no_more_calls() {
    let log = std::env::temp_dir().join(format!("metrics-calls-{}.log", std::process::id()));
    let _ = std::fs::remove_file(&log);
    let upstream = TestServer::start(&["--access-log", log.to_str().unwrap()]);
    let mut up = upstream.sdk().await;
    let id = up.create_attached_volume("watched", 20 * GIB, &[]).await;
    let gateway = TestServer::start(&["--upstream", &upstream.url(), "--sample-interval", "1s"]);
    let mut sdk = gateway.sdk().await;
    let calls = |what: &str| {
        std::fs::read_to_string(&log)
            .unwrap_or_default()
            .matches(what)
            .count()
    };
    history_with_rates(&mut sdk, Target::VolumeId(id.clone())).await;
    // Twenty tabs ask every 100 ms for 4 s.
    let stats_before = calls("OpenStorageVolume/Stats");
    let nodes_before = calls("OpenStorageNode/EnumerateWithFilters");
    let alarms_before = calls("OpenStorageAlerts/EnumerateWithFilters");
    let started = std::time::Instant::now();
    let mut tabs = Vec::new();
    for _ in 0..20 {
        let mut metrics = sdk.metrics.clone();
        let id = id.clone();
        tabs.push(tokio::spawn(async move {
            let mut asked = 0;
            while started.elapsed() < Duration::from_secs(4) {
                for t in [Target::VolumeId(id.clone()), Target::Cluster(true)] {
                    metrics.history(target(t)).await.unwrap();
                    asked += 1;
                }
                // The header's alarm badge, on every screen.
                let alarms = metrics.alarms(AlarmsRequest {}).await.unwrap().into_inner();
                assert_eq!(alarms.active, Some(0), "{alarms:?}");
                asked += 1;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            asked
        }));
    }
    let mut asked = 0;
    for tab in tabs {
        asked += tab.await.unwrap();
    }
    let seconds = started.elapsed().as_secs_f64();
    let stats = calls("OpenStorageVolume/Stats") - stats_before;
    let nodes = calls("OpenStorageNode/EnumerateWithFilters") - nodes_before;
    let alarm_counts = calls("OpenStorageAlerts/EnumerateWithFilters") - alarms_before;
    assert!(asked > 600, "{asked} questions");
    // One reading of the volume and one node listing per second, whoever asks.
    assert!(
        stats as f64 <= seconds + 2.0,
        "{stats} Stats calls in {seconds:.1} s"
    );
    assert!(
        nodes as f64 <= seconds + 2.0,
        "{nodes} node listings in {seconds:.1} s"
    );
    assert!(
        alarm_counts as f64 <= seconds + 2.0,
        "{alarm_counts} alarm counts in {seconds:.1} s"
    );
    assert!(stats >= 2, "the sampler kept reading: {stats}");
    // The gateway's figures come from the upstream's counters.
    let h = history(&mut sdk, Target::Cluster(true)).await;
    assert!(
        h.points.iter().any(|p| p.read_iops.unwrap_or(0.0) > 1.0),
        "{h:?}"
    );
    // A volume the upstream does not have is not found (and not sampled).
    let made_up = sdk
        .metrics
        .history(target(Target::VolumeId("made-up".into())))
        .await;
    assert_eq!(code(made_up), tonic::Code::NotFound);
    // A caller with a token is on its own (the sampler calls without one).
    let refused = sdk
        .metrics
        .history(with_token(target(Target::Cluster(true)), "some.jwt.token"))
        .await;
    assert_eq!(code(refused), tonic::Code::FailedPrecondition);
}

#[tokio::test]
async fn with_auth_a_volume_history_is_for_those_who_may_read_the_volume() {
    const SECRET: &str = "metrics-secret";
    let server = TestServer::start(&["--jwt-shared-secret", SECRET, "--sample-interval", "1s"]);
    let mut sdk = server.sdk().await;
    let alice = sdk_token(SECRET, "alice", &["system.user"], &[], 600);
    let bob = sdk_token(SECRET, "bob", &["system.user"], &[], 600);
    let id = sdk
        .volumes
        .create(with_token(volume_request("alices", GIB, 1, &[]), &alice))
        .await
        .unwrap()
        .into_inner()
        .volume_id;
    let ask = |token: &str| with_token(target(Target::VolumeId(id.clone())), token);
    sdk.metrics.history(ask(&alice)).await.unwrap();
    // Bob hears nothing of it: not found, as for a volume that does not exist.
    let status = sdk.metrics.history(ask(&bob)).await.unwrap_err();
    assert_eq!(status.code(), tonic::Code::NotFound);
    assert!(!status.message().contains("alices"));
}
