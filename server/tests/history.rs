//! The performance history (console.v1.Metrics): rates, usage and capacity of volumes, nodes and
//! the cluster, natively, over gRPC-Web and through a gateway; the sampler's bounds; who may read
//! a volume's history with auth on; a `--fail-node` that names no node refused at start.

mod common;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::*;
use console_server::history::probe::{Answer, Probe};
use console_server::history::{Sampler, BUDGET, MAX_WATCHED};
use console_server::proto::console::history_request::Target;
use console_server::proto::console::{
    AlarmsRequest, HistoryRequest, HistoryResponse, VolumeStatesRequest,
};
use console_server::proto::*;
use console_server::volume_view::{Change, Entry, VolumeView};

fn target(target: Target) -> HistoryRequest {
    HistoryRequest {
        target: Some(target),
        range_seconds: 900,
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

/// A probe that records the volumes it reads and answers growing counters for any volume; its
/// driver does not do `not_cumulative`.
#[derive(Default)]
struct CountingProbe {
    stats: AtomicUsize,
    read: std::sync::Mutex<Vec<String>>,
}

impl Probe for CountingProbe {
    fn nodes(&self) -> Answer<Vec<StorageNode>> {
        Box::pin(async { Ok(Vec::new()) })
    }
    fn stats(&self, id: String) -> Answer<Stats> {
        let n = self.stats.fetch_add(1, Ordering::Relaxed) as u64;
        self.read.lock().unwrap().push(id);
        Box::pin(async move {
            Ok(Stats {
                reads: n * 10,
                writes: n * 5,
                ..Default::default()
            })
        })
    }
    fn interval_stats(&self, _: String) -> Answer<Stats> {
        Box::pin(async { Err(tonic::Status::unimplemented("no interval stats")) })
    }
    fn alarms(&self) -> Answer<u64> {
        Box::pin(async { Ok(0) })
    }
}

/// The number in a test volume's id (`v123`).
fn number(id: &str) -> usize {
    id[1..].parse().unwrap()
}

#[tokio::test]
async fn the_history_stays_bounded_with_100000_volumes() {
    let view = VolumeView::new();
    let changes: Vec<Change> = (0..100_000)
        .map(|i| {
            let volume = Volume {
                id: format!("v{i}"),
                attached_on: format!("node-{}", i % 3),
                spec: Some(VolumeSpec {
                    size: GIB,
                    ..Default::default()
                }),
                ..Default::default()
            };
            Change::Upsert(
                Entry::new(&volume, &format!("vol-{i}"), &HashMap::new()).expect("an id"),
            )
        })
        .collect();
    view.apply(changes);
    view.mark_listed(0);
    let probe = Arc::new(CountingProbe::default());
    // One sample a minute, taken when the test says.
    let metrics = Sampler::new(Duration::from_secs(60), view, probe.clone());
    tokio::time::sleep(Duration::from_millis(100)).await;
    // 300 volumes looked at: only the most recent MAX_WATCHED are kept.
    let looked = 300;
    for i in 0..looked {
        metrics
            .volume(&format!("v{i}"), Duration::from_secs(900))
            .await
            .unwrap();
    }
    assert_eq!(metrics.footprint().watched, MAX_WATCHED);
    // A sample just after a first look waits for a rate worth showing: the samples come a
    // second after the first looks.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let watched = |id: &String| (looked - MAX_WATCHED..looked).contains(&number(id));
    let mut in_turn: Vec<String> = Vec::new();
    for _ in 0..5 {
        probe.read.lock().unwrap().clear();
        metrics.sample().await;
        let read = std::mem::take(&mut *probe.read.lock().unwrap());
        assert_eq!(read.len(), BUDGET, "one sample reads the budget, no more");
        // The watched volumes every time, the others in turn.
        assert_eq!(read.iter().filter(|id| watched(id)).count(), MAX_WATCHED);
        in_turn.extend(read.into_iter().filter(|id| !watched(id)));
    }
    // No volume is read twice before every volume has been read once.
    let distinct: std::collections::HashSet<&String> = in_turn.iter().collect();
    assert_eq!(distinct.len(), in_turn.len());
    assert_eq!(in_turn.len(), 5 * (BUDGET - MAX_WATCHED));
    let footprint = metrics.footprint();
    // The cluster's series and the watched volumes', 5 points each (no nodes here); one
    // reading per volume read (those no longer watched included), no more.
    assert_eq!(footprint.points, 5 * (1 + MAX_WATCHED));
    let read: std::collections::HashSet<String> = (0..looked)
        .map(|i| format!("v{i}"))
        .chain(in_turn.iter().cloned())
        .collect();
    assert_eq!(footprint.sampled_volumes, read.len());
    // Read twice so far: the watched volumes, and those no longer watched that came up in
    // turn. The cluster's figure is estimated from them, and says so.
    let twice = MAX_WATCHED
        + in_turn
            .iter()
            .filter(|id| number(id) < looked - MAX_WATCHED)
            .count();
    let h = metrics.cluster(Duration::from_secs(3600));
    assert!(
        h.coverage.starts_with(&format!(
            "Estimated from {twice} of the 100000 attached volumes"
        )),
        "{}",
        h.coverage
    );
    assert!(
        footprint.sampled_volumes <= 5 * BUDGET + 300,
        "{footprint:?}"
    );
    // 57 more samples (62 in all): an hour at one a minute is 60 points per series.
    for _ in 0..57 {
        metrics.sample().await;
    }
    assert_eq!(metrics.footprint().points, 60 * (1 + MAX_WATCHED));
    assert!(h.points.last().unwrap().read_iops.unwrap() > 0.0);
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

/// Counters move by whole operations: a first look and a sample a few milliseconds apart would
/// read a quiet volume as 0 ops/s (or a busy one as millions). No point comes from a sample
/// closer than a second to the first look; the next sample's rate spans from the first look.
#[tokio::test]
async fn a_sample_just_after_a_first_look_waits_for_a_rate_worth_showing() {
    let view = VolumeView::new();
    let probe = Arc::new(CountingProbe::default());
    let metrics = Sampler::new(Duration::from_secs(60), view, probe.clone());
    let range = Duration::from_secs(900);
    metrics.volume("v1", range).await.unwrap();
    metrics.sample().await;
    let points = metrics.volume("v1", range).await.unwrap().points;
    assert!(
        points.is_empty(),
        "no point for a reading milliseconds after the first: {points:?}"
    );
    tokio::time::sleep(Duration::from_millis(1200)).await;
    metrics.sample().await;
    let points = metrics.volume("v1", range).await.unwrap().points;
    assert_eq!(points.len(), 1);
    let iops = points[0].read_iops.expect("a rate over a second");
    // 20 reads since the first look (the probe's third answer), over 1.2 s and a little more.
    assert!((12.0..=17.0).contains(&iops), "{iops} ops/s");
}
