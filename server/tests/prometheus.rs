//! The history kept in a real Prometheus (`--prometheus`, Debian's `prometheus`, scraping
//! console-server's `--metrics-listen` every second): it outlives a restart, two servers read
//! the same series, the series hold what the cluster reported, capacity forecasts on seeded
//! history, and what a chart gets when Prometheus is unreachable, silent or empty.

mod common;

use std::time::{Duration, Instant};

use common::*;
use console_server::proto::console::forecast_request::Target as ForecastTarget;
use console_server::proto::console::history_request::Target;
use console_server::proto::console::{
    ForecastRequest, ForecastResponse, HistoryRequest, HistoryResponse, HistorySource, Outlook,
};
use console_server::proto::*;

const GIB: f64 = (1u64 << 30) as f64;

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn cluster(range_seconds: u32, until: i64) -> HistoryRequest {
    HistoryRequest {
        target: Some(Target::Cluster(true)),
        range_seconds,
        until,
    }
}

/// One History call to `server`, natively.
async fn asked(server: &TestServer, request: HistoryRequest) -> HistoryResponse {
    let mut sdk = server.sdk().await;
    sdk.metrics.history(request).await.unwrap().into_inner()
}

/// A console-server exporting on a free metrics address and reading `prometheus`.
fn exporting(prometheus: &Prometheus, metrics: &str, extra: &[&str]) -> TestServer {
    let url = prometheus.url();
    let mut args = vec![
        "--sample-interval",
        "1s",
        "--metrics-listen",
        metrics,
        "--prometheus",
        url.as_str(),
    ];
    args.extend_from_slice(extra);
    TestServer::start(&args)
}

/// Asks for the cluster's last 15 minutes until Prometheus holds `points` of them.
async fn kept(sdk: &mut Sdk, points: usize) -> HistoryResponse {
    kept_through(sdk, || tonic::Request::new(cluster(900, 0)), points).await
}

#[tokio::test]
async fn the_history_outlives_a_restart_of_console_server() {
    let dir = scratch_dir("prometheus-restart");
    let mut prometheus = Prometheus::reserve(&dir);
    let metrics = format!("127.0.0.1:{}", free_port());
    let server = exporting(&prometheus, &metrics, &[]);
    prometheus.start(&[&metrics]).await;
    let before = kept(&mut server.sdk().await, 5).await;
    assert!(before.points.iter().all(|p| p.capacity_bytes > 0));
    assert_eq!(before.prometheus_note, "");

    drop(server);
    let restarted_at = now();
    let server = exporting(&prometheus, &metrics, &[]);
    let after = asked(&server, cluster(900, 0)).await;
    assert_eq!(after.source, HistorySource::Prometheus as i32);
    // Every point from before the restart is still there, with its figures (but the last,
    // which stood for "now" then).
    for point in &before.points[..before.points.len() - 1] {
        assert!(point.time <= restarted_at);
        assert!(
            after.points.iter().any(|p| p.time == point.time
                && p.capacity_bytes == point.capacity_bytes
                && p.used_bytes == point.used_bytes),
            "the point at {} is kept: {after:?}",
            point.time
        );
    }
}

#[tokio::test]
async fn two_servers_reading_one_prometheus_answer_the_same_series() {
    let dir = scratch_dir("prometheus-two");
    let mut prometheus = Prometheus::reserve(&dir);
    let metrics = format!("127.0.0.1:{}", free_port());
    let exporter = exporting(&prometheus, &metrics, &[]);
    prometheus.start(&[&metrics]).await;
    // The second serves the same cluster name and exports nothing: it reads what the first
    // exported.
    let url = prometheus.url();
    let reader = TestServer::start(&["--sample-interval", "1s", "--prometheus", &url]);
    kept(&mut exporter.sdk().await, 6).await;
    let until = now() - 1;
    let a = asked(&exporter, cluster(300, until)).await;
    let b = reader
        .grpc_web()
        .metrics()
        .history(cluster(300, until))
        .await
        .unwrap()
        .into_inner();
    assert!(a.points.len() >= 6, "{a:?}");
    assert_eq!(
        a.points, b.points,
        "natively and over gRPC-Web, from two servers"
    );
    assert_eq!(a.interval_seconds, b.interval_seconds);
}

#[tokio::test]
async fn the_series_hold_what_the_cluster_reported() {
    let dir = scratch_dir("prometheus-figures");
    let mut prometheus = Prometheus::reserve(&dir);
    let metrics = format!("127.0.0.1:{}", free_port());
    let server = exporting(&prometheus, &metrics, &["--mock-io", "idle"]);
    prometheus.start(&[&metrics]).await;
    let mut sdk = server.sdk().await;
    let volume_id = sdk
        .volumes
        .create(volume_request("kept", 3 << 30, 1, &[]))
        .await
        .unwrap()
        .into_inner()
        .volume_id;
    // Looking at its chart has the sampler read (and so export) it every interval.
    sdk.metrics
        .history(HistoryRequest {
            target: Some(Target::VolumeId(volume_id.clone())),
            range_seconds: 900,
            until: 0,
        })
        .await
        .unwrap();
    kept(&mut sdk, 3).await;
    let nodes = sdk
        .nodes
        .enumerate_with_filters(SdkNodeEnumerateWithFiltersRequest::default())
        .await
        .unwrap()
        .into_inner()
        .nodes;
    let value = |answer: &serde_json::Value| -> Option<f64> {
        answer["data"]["result"][0]["value"][1]
            .as_str()
            .and_then(|v| v.parse().ok())
    };
    for node in &nodes {
        let total: u64 = node.pools.iter().map(|p| p.total_size).sum();
        let q = format!(
            "px_cluster_disk_total_bytes{{cluster=\"openstorage-mock\",nodeID=\"{}\"}}",
            node.id
        );
        assert_eq!(
            value(&prometheus.query(&q).await),
            Some(total as f64),
            "{q}"
        );
        let q = format!(
            "px_node_stats_total_mem{{nodeID=\"{}\",node=\"{}\"}}",
            node.id, node.hostname
        );
        assert_eq!(
            value(&prometheus.query(&q).await),
            Some(node.mem_total as f64),
            "{q}"
        );
        for pool in &node.pools {
            let q = format!("px_pool_stats_used_bytes{{pool=\"{}\"}}", pool.uuid);
            assert_eq!(
                value(&prometheus.query(&q).await),
                Some(pool.used as f64),
                "{q}"
            );
        }
    }
    // The volume's size, once the sampler has read it.
    let q = format!("px_volume_capacity_bytes{{volumeid=\"{volume_id}\",volumename=\"kept\"}}");
    let deadline = Instant::now() + Duration::from_secs(20);
    while value(&prometheus.query(&q).await).is_none() {
        assert!(Instant::now() < deadline, "{q} never kept");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    assert_eq!(
        value(&prometheus.query(&q).await),
        Some((3u64 << 30) as f64)
    );
    // And the chart: the cluster's capacity is the sum of its nodes'.
    let h = kept(&mut sdk, 3).await;
    let total: u64 = nodes
        .iter()
        .flat_map(|n| &n.pools)
        .map(|p| p.total_size)
        .sum();
    assert_eq!(h.points.last().unwrap().capacity_bytes, total);
}

/// 7 days of one node's capacity, 5 minutes apart, ending 10 minutes ago: 1000 GiB, used
/// growing 10 GiB a day to 900 GiB; one pool of 500 GiB holding a flat 100 GiB. And 12 hours
/// of a second cluster's.
fn seed() -> String {
    let end = (now() - 600) / 300 * 300;
    let week: Vec<i64> = (0..=7 * 288).rev().map(|i| end - i * 300).collect();
    let half_day: Vec<i64> = week
        .iter()
        .copied()
        .filter(|t| end - t <= 12 * 3600)
        .collect();
    // OpenMetrics wants each family's samples together.
    let mut families: std::collections::BTreeMap<&str, String> = Default::default();
    let mut add = |name, labels: &str, times: &[i64], f: &dyn Fn(i64) -> f64| {
        let lines = families.entry(name).or_default();
        for t in times {
            lines.push_str(&format!("{name}{{{labels}}} {} {t}\n", f(end - t)));
        }
    };
    let node = r#"cluster="seeded",node="host-1",nodeID="n1""#;
    let pool = r#"cluster="seeded",node="host-1",nodeID="n1",pool="p1""#;
    let short = r#"cluster="short",node="host-9",nodeID="n9""#;
    add("px_cluster_disk_total_bytes", node, &week, &|_| {
        1000.0 * GIB
    });
    add("px_cluster_disk_utilized_bytes", node, &week, &|ago| {
        900.0 * GIB - 10.0 * GIB * ago as f64 / 86_400.0
    });
    add("px_pool_stats_total_bytes", pool, &week, &|_| 500.0 * GIB);
    add("px_pool_stats_used_bytes", pool, &week, &|_| 100.0 * GIB);
    add("px_cluster_disk_total_bytes", short, &half_day, &|_| {
        100.0 * GIB
    });
    add("px_cluster_disk_utilized_bytes", short, &half_day, &|ago| {
        50.0 * GIB - GIB * ago as f64 / 3600.0
    });
    let mut text = String::new();
    for (name, lines) in families {
        text.push_str(&format!("# TYPE {name} gauge\n{lines}"));
    }
    text.push_str("# EOF\n");
    text
}

async fn forecast(sdk: &mut Sdk, target: ForecastTarget) -> ForecastResponse {
    sdk.metrics
        .forecast(ForecastRequest {
            target: Some(target),
        })
        .await
        .unwrap()
        .into_inner()
}

#[tokio::test]
async fn capacity_forecasts_on_seeded_history() {
    let dir = scratch_dir("prometheus-forecast");
    let mut prometheus = Prometheus::reserve(&dir);
    prometheus.seed(&seed());
    prometheus.start(&[]).await;
    let url = prometheus.url();
    let server = TestServer::start(&["--cluster-name", "seeded", "--prometheus", &url]);
    let mut seeded = server.sdk().await;
    let f = forecast(&mut seeded, ForecastTarget::Cluster(true)).await;
    assert!(f.from_prometheus, "{f:?}");
    let whole = f.whole.unwrap();
    assert_eq!(whole.outlook, Outlook::Filling as i32, "{whole:?}");
    assert_eq!(whole.window_seconds, 7 * 86_400);
    assert!(
        (whole.days - 10.0).abs() < 0.2,
        "full in {} days",
        whole.days
    );
    assert!((whole.bytes_per_day / GIB - 10.0).abs() < 0.1);

    let node = forecast(&mut seeded, ForecastTarget::NodeId("n1".into())).await;
    assert!((node.whole.unwrap().days - 10.0).abs() < 0.2);
    assert_eq!(node.pools.len(), 1);
    assert_eq!(node.pools[0].pool_id, "p1");
    assert_eq!(node.pools[0].outlook, Outlook::NotFilling as i32);
    assert_eq!(node.pools[0].used_bytes, (100.0 * GIB) as u64);

    // 12 hours are no trend yet, and the chart says where the history starts.
    let other = TestServer::start(&["--cluster-name", "short", "--prometheus", &url]);
    let mut short = other.sdk().await;
    let f = forecast(&mut short, ForecastTarget::Cluster(true)).await;
    let whole = f.whole.unwrap();
    assert_eq!(whole.outlook, Outlook::NotEnoughHistory as i32, "{whole:?}");
    assert!(whole.history_seconds >= 11 * 3600 && whole.history_seconds <= 13 * 3600);
    let h = short
        .metrics
        .history(cluster(7 * 86_400, 0))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(h.source, HistorySource::Prometheus as i32);
    assert!(h.points.len() <= 400, "stepped to fit: {}", h.points.len());
    let starts = now() - h.starts_at;
    assert!(
        (11 * 3600..=13 * 3600).contains(&starts),
        "the history starts about 12 h ago, not {starts} s"
    );
}

#[tokio::test]
async fn an_unreachable_silent_or_empty_prometheus_leaves_the_hour_in_memory_with_a_note() {
    // Nothing listens.
    let closed = format!("http://127.0.0.1:{}", free_port());
    // Accepts connections (the kernel does) but never answers.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_url = format!("http://{}", silent.local_addr().unwrap());
    let dir = scratch_dir("prometheus-empty");
    let mut empty = Prometheus::reserve(&dir);
    empty.start(&[]).await;
    for (url, words) in [
        (closed.as_str(), "could not be reached: Connection refused"),
        (silent_url.as_str(), "did not answer in 4 s"),
        (
            empty.url().as_str(),
            "keeps no figures of cluster openstorage-mock",
        ),
    ] {
        let server = TestServer::start(&["--sample-interval", "1s", "--prometheus", url]);
        let mut sdk = server.sdk().await;
        // Until the sampler's first reading, the hour in memory is empty too.
        let deadline = Instant::now() + Duration::from_secs(30);
        let h = loop {
            let asked = Instant::now();
            let h = sdk
                .metrics
                .history(cluster(86_400, 0))
                .await
                .unwrap()
                .into_inner();
            assert!(
                asked.elapsed() < Duration::from_secs(6),
                "{url} held the chart up"
            );
            if !h.points.is_empty() || Instant::now() > deadline {
                break h;
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        };
        assert_eq!(h.source, HistorySource::Memory as i32);
        assert!(
            h.prometheus_note.contains(words),
            "{url}: {}",
            h.prometheus_note
        );
        assert!(h
            .prometheus_note
            .ends_with("Showing the last hour kept in memory."));
        assert!(!h.points.is_empty(), "the hour in memory is shown");
        let f = forecast(&mut sdk, ForecastTarget::Cluster(true)).await;
        assert!(!f.from_prometheus);
        assert!(f.prometheus_note.contains(words), "{}", f.prometheus_note);
        assert_eq!(f.whole.unwrap().outlook, Outlook::NotEnoughHistory as i32);
    }
}

#[tokio::test]
async fn a_flag_for_a_cluster_that_is_not_served_is_refused() {
    let mut server = std::process::Command::new(BINARY)
        .args([
            "--listen",
            "127.0.0.1:0",
            "--prometheus",
            "nowhere=http://127.0.0.1:9",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let status = server.wait().unwrap();
    let mut words = String::new();
    std::io::Read::read_to_string(&mut server.stderr.take().unwrap(), &mut words).unwrap();
    assert!(!status.success());
    assert!(
        words.contains("--prometheus nowhere: no cluster is named nowhere"),
        "{words}"
    );
}

#[tokio::test]
async fn a_cluster_that_exports_its_own_metrics_is_left_out_of_the_export() {
    let scrape = |server: &TestServer| {
        let url = server.metrics.clone().expect("a metrics address");
        async move { String::from_utf8(http_get(&url).await.into_body()).unwrap() }
    };
    let exporting =
        TestServer::start(&["--sample-interval", "1s", "--metrics-listen", "127.0.0.1:0"]);
    let itself = TestServer::start(&[
        "--sample-interval",
        "1s",
        "--metrics-listen",
        "127.0.0.1:0",
        "--cluster-exports-metrics",
        "openstorage-mock",
    ]);
    // Both have sampled once the first exports a node's capacity and the second counts calls.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let text = scrape(&exporting).await;
        let sampled = scrape(&itself)
            .await
            .lines()
            .any(|l| l.starts_with("console_sampler_calls_total") && !l.ends_with(" 0"));
        let exported = text
            .lines()
            .any(|l| l.starts_with("px_cluster_disk_total_bytes{cluster=\"openstorage-mock\""));
        if sampled && exported {
            break;
        }
        assert!(Instant::now() < deadline, "nothing exported: {text}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let text = scrape(&itself).await;
    assert!(!text.lines().any(|l| l.starts_with("px_")), "{text}");
    assert!(text.contains("console_cluster_up{cluster=\"openstorage-mock\"} 1"));
}

/// Asks `request` until Prometheus answers it with `points`.
async fn kept_through(
    sdk: &mut Sdk,
    request: impl Fn() -> tonic::Request<HistoryRequest>,
    points: usize,
) -> HistoryResponse {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let h = sdk.metrics.history(request()).await.unwrap().into_inner();
        if h.source == HistorySource::Prometheus as i32 && h.points.len() >= points {
            return h;
        }
        assert!(
            Instant::now() < deadline,
            "Prometheus kept no {points} points: {h:?}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

#[tokio::test]
async fn an_upstream_behind_a_gateway_is_kept_by_the_gateways_export_with_and_without_auth() {
    const SECRET: &str = "history-secret";
    for auth in [false, true] {
        let mut upstream_args = vec!["--driver", "fake"];
        if auth {
            upstream_args.extend(["--jwt-shared-secret", SECRET]);
        }
        let upstream = TestServer::start(&upstream_args);
        let dir = scratch_dir(&format!("prometheus-gateway-{auth}"));
        let admin = sdk_token(SECRET, "admin", &["system.admin"], &["*"], 3600);
        let token_file = file_with_mode(&dir, "service-token", &admin, 0o600);
        let token_path = token_file.to_string_lossy().to_string();
        let mut prometheus = Prometheus::reserve(&dir);
        let metrics = format!("127.0.0.1:{}", free_port());
        let url = prometheus.url();
        let mut args = vec![
            "--sample-interval",
            "1s",
            "--metrics-listen",
            metrics.as_str(),
            "--prometheus",
            url.as_str(),
        ];
        if auth {
            args.extend(["--upstream-token-file", token_path.as_str()]);
        }
        let gateway = gateway_to(&upstream, &args);
        prometheus.start(&[&metrics]).await;
        // A user's call, with a token where the cluster has auth.
        let user = sdk_token(SECRET, "alice", &["system.user"], &[], 3600);
        let ask = || {
            let request = cluster(900, 0);
            if auth {
                with_token(request, &user)
            } else {
                tonic::Request::new(request)
            }
        };
        let mut sdk = gateway.sdk().await;
        let h = kept_through(&mut sdk, ask, 3).await;
        // The fake driver does no I/O: flat rates.
        assert!(h.points.iter().any(|p| p.read_iops == Some(0.0)), "{h:?}");
        let capacity = h.points.iter().any(|p| p.capacity_bytes > 0);
        let q = "px_node_stats_read_iops{cluster=\"127.0.0.1\"}";
        let answer = prometheus.query(q).await;
        assert!(
            !answer["data"]["result"].as_array().unwrap().is_empty(),
            "{q}: {answer}"
        );
        let request = ForecastRequest {
            target: Some(ForecastTarget::Cluster(true)),
        };
        let f = if auth {
            sdk.metrics.forecast(with_token(request, &user)).await
        } else {
            sdk.metrics.forecast(request).await
        }
        .unwrap()
        .into_inner();
        assert!(f.from_prometheus);
        // Seconds of history are no trend; a cluster that reports no capacity has no outlook.
        match f.whole {
            Some(whole) => assert_eq!(whole.outlook, Outlook::NotEnoughHistory as i32),
            None => assert!(!capacity, "{h:?}"),
        }
    }
}

/// bcrypt of "history-walk", for a Prometheus that asks for a password.
const WALK_HASH: &str = "$2b$04$pw9NKchqQGkaIXIKdufs0OqRPsyJGMW.oDcW/Q.RXlD8G1K/E4g0O";

#[tokio::test]
async fn a_prometheus_behind_basic_auth_is_read_with_the_password_file() {
    let dir = scratch_dir("prometheus-login");
    let mut prometheus = Prometheus::reserve(&dir);
    prometheus.require_login("console", WALK_HASH, "history-walk");
    let good = file_with_mode(&dir, "good", "console:history-walk", 0o600);
    let wrong = file_with_mode(&dir, "wrong", "console:not-it", 0o600);
    let open = file_with_mode(&dir, "open", "console:history-walk", 0o644);
    let metrics = format!("127.0.0.1:{}", free_port());
    let server = exporting(
        &prometheus,
        &metrics,
        &["--prometheus-basic-auth-file", good.to_str().unwrap()],
    );
    prometheus.start(&[&metrics]).await;
    kept(&mut server.sdk().await, 3).await;

    let url = prometheus.url();
    let refused = TestServer::start(&[
        "--sample-interval",
        "1s",
        "--prometheus",
        &url,
        "--prometheus-basic-auth-file",
        wrong.to_str().unwrap(),
    ]);
    let h = asked(&refused, cluster(900, 0)).await;
    assert_eq!(h.source, HistorySource::Memory as i32);
    assert!(
        h.prometheus_note.contains("answered 401 Unauthorized"),
        "{}",
        h.prometheus_note
    );
    assert!(!h.prometheus_note.contains("not-it"));

    // A password file others may read stops the start, saying why.
    let out = std::process::Command::new(BINARY)
        .args(["--listen", "127.0.0.1:0", "--prometheus", &url])
        .arg("--prometheus-basic-auth-file")
        .arg(&open)
        .output()
        .unwrap();
    let words = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(words.contains("other users may read it"), "{words}");
    assert!(!words.contains("history-walk"));
}
