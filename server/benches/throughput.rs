//! Server throughput: calls per second through a real console-server on loopback, native gRPC
//! with concurrent clients. Run with `make bench`; the README records the numbers.

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

#[tokio::main]
async fn main() {
    let server = TestServer::start(&[]);
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
