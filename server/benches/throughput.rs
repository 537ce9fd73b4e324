//! Server throughput: calls per second through a real console-server on loopback, native gRPC
//! with concurrent clients, and one caller's latency. Run with `make bench`;
//! docs/measurements.md records the numbers. With `SDK_ADDR=host:port` it measures that endpoint instead (any SDK server,
//! e.g. upstream's osd): Identity.Version with 1 and with 32 callers.

#[path = "../tests/common/mod.rs"]
mod common;

use std::future::Future;
use std::time::{Duration, Instant};

use common::{Sdk, TestServer, GIB};
use console_server::proto::*;

const CLIENTS: usize = 32;
const RUN: Duration = Duration::from_secs(4);

/// Runs `call` from CLIENTS concurrent tasks for RUN; returns calls per second.
async fn measure<F, Fut>(sdk: &Sdk, call: F) -> f64
where
    F: Fn(Sdk, usize) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    let started = Instant::now();
    let workers: Vec<_> = (0..CLIENTS)
        .map(|worker| {
            let sdk = sdk.clone();
            let call = call.clone();
            tokio::spawn(async move {
                let mut n = 0usize;
                while started.elapsed() < RUN {
                    call(sdk.clone(), worker * 1_000_000 + n).await;
                    n += 1;
                }
                n
            })
        })
        .collect();
    let mut total = 0;
    for w in workers {
        total += w.await.unwrap();
    }
    total as f64 / started.elapsed().as_secs_f64()
}

/// One caller for RUN: calls per second, and the median and 99th percentile latency.
async fn one_caller(channel: tonic::transport::Channel) -> (f64, Duration, Duration) {
    let mut identity = open_storage_identity_client::OpenStorageIdentityClient::new(channel);
    let mut took = Vec::new();
    let started = Instant::now();
    while started.elapsed() < RUN {
        let t0 = Instant::now();
        identity
            .version(SdkIdentityVersionRequest {})
            .await
            .unwrap();
        took.push(t0.elapsed());
    }
    let rate = took.len() as f64 / started.elapsed().as_secs_f64();
    took.sort();
    let at = |q: f64| took[((took.len() - 1) as f64 * q) as usize];
    (rate, at(0.5), at(0.99))
}

fn print_latency(label: &str, (rate, p50, p99): (f64, Duration, Duration)) {
    println!(
        "{label}: 1 caller, Identity.Version: {rate:.0} calls/s, p50 {:.3} ms, p99 {:.3} ms",
        p50.as_secs_f64() * 1000.0,
        p99.as_secs_f64() * 1000.0
    );
}

/// Measures an endpoint given by address (`SDK_ADDR`), for comparisons with other servers.
async fn measure_endpoint(addr: &str) {
    let channel = tonic::transport::Channel::from_shared(format!("http://{addr}"))
        .unwrap()
        .connect()
        .await
        .expect("the endpoint answers");
    print_latency(addr, one_caller(channel.clone()).await);
    let sdk = Sdk::new(channel);
    let rate = measure(&sdk, |mut sdk, _| async move {
        sdk.identity
            .version(SdkIdentityVersionRequest {})
            .await
            .unwrap();
    })
    .await;
    println!("{addr}: {CLIENTS} callers, Identity.Version: {rate:.0} calls/s");
}

#[tokio::main]
async fn main() {
    if let Ok(addr) = std::env::var("SDK_ADDR") {
        return measure_endpoint(&addr).await;
    }
    let server = TestServer::start(&[]);
    print_latency("console-server", one_caller(server.channel().await).await);
    let sdk = server.sdk().await;
    let mut rows = Vec::new();

    let version = measure(&sdk, |mut sdk, _| async move {
        sdk.identity
            .version(SdkIdentityVersionRequest {})
            .await
            .unwrap();
    })
    .await;
    rows.push(("Identity.Version", version));

    let create = measure(&sdk, |mut sdk, n| async move {
        sdk.volumes
            .create(SdkVolumeCreateRequest {
                name: format!("bench-{n}"),
                spec: Some(VolumeSpec {
                    size: GIB,
                    ha_level: 1,
                    ..Default::default()
                }),
                ..Default::default()
            })
            .await
            .unwrap();
    })
    .await;
    rows.push(("Volume.Create", create));

    // Listing is the console's heaviest call: measure it with exactly 1,000 volumes.
    let server = TestServer::start(&[]);
    let sdk = server.sdk().await;
    for n in 0..1000 {
        let mut s = sdk.clone();
        s.volumes
            .create(SdkVolumeCreateRequest {
                name: format!("listed-{n}"),
                spec: Some(VolumeSpec {
                    size: GIB,
                    ha_level: 1,
                    ..Default::default()
                }),
                ..Default::default()
            })
            .await
            .unwrap();
    }
    let list = measure(&sdk, |mut sdk, _| async move {
        let all = sdk
            .volumes
            .inspect_with_filters(SdkVolumeInspectWithFiltersRequest::default())
            .await
            .unwrap();
        assert_eq!(all.into_inner().volumes.len(), 1000);
    })
    .await;
    rows.push(("Volume.InspectWithFilters (1,000 volumes)", list));

    println!(
        "console-server throughput, {CLIENTS} concurrent native gRPC clients, {} s each:",
        RUN.as_secs()
    );
    println!("| call | calls/s |");
    println!("|---|---|");
    for (name, rate) in rows {
        println!("| {name} | {rate:.0} |");
    }
}
