//! `/metrics`, scraped as Prometheus would: on its own listener only, SDK calls by cluster,
//! method and code, each cluster's reachability, view and sampler, open watch streams; made-up
//! cluster names and methods fold into one label each.

mod common;

use std::time::Duration;

use common::*;
use console_server::proto::console::VolumeWatchRequest;
use console_server::proto::*;

async fn scrape(server: &TestServer) -> String {
    let url = server
        .metrics
        .as_ref()
        .expect("--metrics-listen printed its URL");
    let answer = http_get(url).await;
    assert_eq!(answer.status(), 200);
    let kind = answer.headers()[http::header::CONTENT_TYPE]
        .to_str()
        .unwrap();
    assert!(kind.starts_with("application/openmetrics-text"), "{kind}");
    String::from_utf8(answer.into_body()).unwrap()
}

/// The value of the sample `line` starts with (a metric name and its labels).
fn value(text: &str, sample: &str) -> f64 {
    text.lines()
        .find_map(|l| {
            l.strip_prefix(sample)
                .and_then(|rest| rest.strip_prefix(' '))
        })
        .unwrap_or_else(|| panic!("no {sample} in\n{text}"))
        .parse()
        .unwrap()
}

fn named<T>(message: T, cluster: &str) -> tonic::Request<T> {
    let mut request = tonic::Request::new(message);
    request
        .metadata_mut()
        .insert("x-openstorage-cluster", cluster.parse().unwrap());
    request
}

const INSPECT: &str = "/openstorage.api.OpenStorageCluster/InspectCurrent";

#[tokio::test]
async fn metrics_count_calls_per_cluster_and_show_each_clusters_view() {
    let server = TestServer::start(&[
        "--mock",
        "prod",
        "--mock",
        "dr",
        "--metrics-listen",
        "127.0.0.1:0",
    ]);
    let mut sdk = server.sdk().await;
    for _ in 0..2 {
        sdk.cluster
            .inspect_current(SdkClusterInspectCurrentRequest {})
            .await
            .unwrap();
    }
    sdk.cluster
        .inspect_current(named(SdkClusterInspectCurrentRequest {}, "dr"))
        .await
        .unwrap();
    for made_up in ["nope-1", "nope-2"] {
        let refused = sdk
            .cluster
            .inspect_current(named(SdkClusterInspectCurrentRequest {}, made_up))
            .await;
        assert_eq!(code(refused), tonic::Code::NotFound);
    }
    for name in ["one", "two"] {
        sdk.volumes
            .create(named(volume_request(name, GIB, 1, &[]), "dr"))
            .await
            .unwrap();
    }
    let mut watch = sdk
        .view
        .watch(named(
            VolumeWatchRequest {
                after_revision: 0,
                view_id: String::new(),
            },
            "dr",
        ))
        .await
        .unwrap()
        .into_inner();
    watch.message().await.unwrap();

    let text = scrape(&server).await;
    let calls = |cluster: &str, method: &str, code: &str| {
        value(
            &text,
            &format!(
                "console_sdk_calls_total{{cluster=\"{cluster}\",method=\"{method}\",code=\"{code}\"}}"
            ),
        )
    };
    // Unnamed calls count for the first cluster.
    assert_eq!(calls("prod", INSPECT, "Ok"), 2.0);
    assert_eq!(calls("dr", INSPECT, "Ok"), 1.0);
    assert_eq!(calls("(unknown)", "(other)", "NotFound"), 2.0);
    assert!(!text.contains("nope-1"), "made-up names are not labels");
    assert_eq!(
        value(
            &text,
            &format!(
                "console_sdk_call_duration_seconds_count{{cluster=\"prod\",method=\"{INSPECT}\"}}"
            )
        ),
        2.0
    );
    assert_eq!(value(&text, "console_cluster_up{cluster=\"prod\"}"), 1.0);
    assert_eq!(value(&text, "console_cluster_up{cluster=\"dr\"}"), 1.0);
    assert_eq!(value(&text, "console_view_volumes{cluster=\"dr\"}"), 2.0);
    assert_eq!(value(&text, "console_view_volumes{cluster=\"prod\"}"), 0.0);
    assert!(value(&text, "console_view_revision{cluster=\"dr\"}") >= 2.0);
    assert_eq!(value(&text, "console_sampler_budget_calls"), 300.0);
    assert!(value(&text, "console_watch_streams_open") >= 1.0);
    assert!(value(&text, "console_sampler_calls_total{cluster=\"prod\"}") >= 1.0);
    assert!(
        text.trim_end().ends_with("# EOF"),
        "OpenMetrics ends with # EOF"
    );

    // Not on the console's port.
    let public = http_get(&format!("{}/metrics", server.url())).await;
    let body = String::from_utf8_lossy(public.body()).to_string();
    assert!(!body.contains("console_sdk_calls"), "{body}");
    drop(watch);
}

#[tokio::test]
async fn an_upstream_that_stops_reads_as_down_and_the_rest_goes_on() {
    let upstream = TestServer::start(&["--driver", "fake"]);
    let console = TestServer::start(&[
        "--upstream",
        &format!("east={}", upstream.url()),
        "--mock",
        "demo",
        "--metrics-listen",
        "127.0.0.1:0",
    ]);
    let text = scrape(&console).await;
    assert_eq!(value(&text, "console_cluster_up{cluster=\"east\"}"), 1.0);
    drop(upstream);
    let started = std::time::Instant::now();
    let text = scrape(&console).await;
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(value(&text, "console_cluster_up{cluster=\"east\"}"), 0.0);
    assert_eq!(value(&text, "console_cluster_up{cluster=\"demo\"}"), 1.0);
}
