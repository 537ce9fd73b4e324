//! Load: 500 concurrent native gRPC clients and 500 gRPC-Web clients (each its own connection)
//! calling for 30 s, against the mock and through a gateway (`--upstream`) to a second
//! console-server. Loopback only, bounded in time. Prints calls/s, p50/p99 latency and failures
//! per kind; any failed call fails the run. `make bench` runs it; docs/measurements.md records
//! the figures.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::TestServer;
use console_server::proto::open_storage_identity_client::OpenStorageIdentityClient;
use console_server::proto::SdkIdentityVersionRequest;

const CLIENTS: usize = 500;

fn run_for() -> Duration {
    let seconds = std::env::var("LOAD_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    Duration::from_secs(seconds)
}

/// Latencies of the successful calls and the count of failed ones, of one client.
type Outcome = (Vec<Duration>, usize);

/// Calls `call` back to back until `until`, timing each success.
async fn call_until<F, Fut>(until: Instant, mut call: F) -> Outcome
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<(), tonic::Status>>,
{
    let (mut took, mut failed) = (Vec::new(), 0);
    while Instant::now() < until {
        let t0 = Instant::now();
        match call().await {
            Ok(()) => took.push(t0.elapsed()),
            Err(_) => failed += 1,
        }
    }
    (took, failed)
}

async fn native_client(server: &TestServer, until: Instant) -> tokio::task::JoinHandle<Outcome> {
    let identity = OpenStorageIdentityClient::new(server.channel().await);
    tokio::spawn(call_until(until, move || {
        let mut identity = identity.clone();
        async move {
            identity
                .version(SdkIdentityVersionRequest {})
                .await
                .map(drop)
        }
    }))
}

fn web_client(server: &TestServer, until: Instant) -> tokio::task::JoinHandle<Outcome> {
    let identity = server.grpc_web().identity();
    tokio::spawn(call_until(until, move || {
        let mut identity = identity.clone();
        async move {
            identity
                .version(SdkIdentityVersionRequest {})
                .await
                .map(drop)
        }
    }))
}

struct Row {
    target: &'static str,
    kind: &'static str,
    calls_per_s: f64,
    p50: Duration,
    p99: Duration,
    failed: usize,
}

async fn summarise(
    target: &'static str,
    kind: &'static str,
    clients: Vec<tokio::task::JoinHandle<Outcome>>,
    run: Duration,
) -> Row {
    let (mut all, mut failed) = (Vec::new(), 0);
    for client in clients {
        let (took, bad) = client.await.expect("a client task");
        all.extend(took);
        failed += bad;
    }
    all.sort();
    let at = |q: f64| {
        all.get(((all.len().max(1) - 1) as f64 * q) as usize)
            .copied()
            .unwrap_or_default()
    };
    Row {
        target,
        kind,
        calls_per_s: all.len() as f64 / run.as_secs_f64(),
        p50: at(0.5),
        p99: at(0.99),
        failed,
    }
}

async fn load(target: &'static str, server: &TestServer) -> Vec<Row> {
    let run = run_for();
    // Every connection is made before the clock starts, so all 1,000 call for the whole run.
    let until = Instant::now() + run + Duration::from_secs(5);
    let mut native = Vec::with_capacity(CLIENTS);
    for _ in 0..CLIENTS {
        native.push(native_client(server, until).await);
    }
    let web: Vec<_> = (0..CLIENTS).map(|_| web_client(server, until)).collect();
    vec![
        summarise(target, "native gRPC", native, run + Duration::from_secs(5)).await,
        summarise(target, "gRPC-Web", web, run + Duration::from_secs(5)).await,
    ]
}

#[tokio::main]
async fn main() {
    let mock = TestServer::start(&[]);
    let mut rows = load("mock", &mock).await;
    let upstream = TestServer::start(&[]);
    let gateway = TestServer::start(&["--upstream", &upstream.url(), "--access-log", "off"]);
    rows.extend(load("gateway", &gateway).await);

    println!(
        "{CLIENTS} native + {CLIENTS} gRPC-Web clients, Identity.Version, {} s:",
        run_for().as_secs()
    );
    println!("| target | clients | calls/s | p50 | p99 | failed |");
    println!("|---|---|---|---|---|---|");
    for r in &rows {
        println!(
            "| {} | {} | {:.0} | {:.1} ms | {:.1} ms | {} |",
            r.target,
            r.kind,
            r.calls_per_s,
            r.p50.as_secs_f64() * 1000.0,
            r.p99.as_secs_f64() * 1000.0,
            r.failed
        );
    }
    let failed: usize = rows.iter().map(|r| r.failed).sum();
    assert_eq!(failed, 0, "calls failed under load");
}
