//! Several clusters behind one console-server: each SDK call goes to the cluster its
//! `x-openstorage-cluster` metadata names, the first without it (so existing clients keep
//! working); an unknown name is NOT_FOUND; a cluster that is down leaves the others working,
//! natively and over gRPC-Web, and /healthz says which is which.

mod common;

use std::time::Duration;

use common::*;
use console_server::proto::console::fleet_client::FleetClient;
use console_server::proto::console::ClustersRequest;
use console_server::proto::open_storage_cluster_client::OpenStorageClusterClient;
use console_server::proto::*;
use tonic::Code;

fn to(cluster: &str) -> tonic::Request<SdkClusterInspectCurrentRequest> {
    let mut request = tonic::Request::new(SdkClusterInspectCurrentRequest {});
    request
        .metadata_mut()
        .insert("x-openstorage-cluster", cluster.parse().unwrap());
    request
}

async fn cluster_named(
    client: &mut OpenStorageClusterClient<tonic::transport::Channel>,
    name: Option<&str>,
) -> Result<StorageCluster, tonic::Status> {
    let request = match name {
        Some(name) => to(name),
        None => tonic::Request::new(SdkClusterInspectCurrentRequest {}),
    };
    Ok(client
        .inspect_current(request)
        .await?
        .into_inner()
        .cluster
        .unwrap())
}

#[tokio::test]
async fn two_mocks_are_two_clusters_and_the_first_answers_unnamed_calls() {
    let log = scratch_dir("fleet-log").join("access.log");
    let server = TestServer::start(&[
        "--mock",
        "prod",
        "--mock",
        "dr",
        "--access-log",
        log.to_str().unwrap(),
    ]);
    let mut client = OpenStorageClusterClient::new(server.channel().await);
    let prod = cluster_named(&mut client, Some("prod")).await.unwrap();
    let dr = cluster_named(&mut client, Some("dr")).await.unwrap();
    assert_eq!(prod.name, "prod");
    assert_eq!(dr.name, "dr");
    assert_ne!(prod.id, dr.id);
    // An SDK client that names no cluster (the tutorial's) reaches the first one.
    assert_eq!(cluster_named(&mut client, None).await.unwrap().id, prod.id);

    let unknown = cluster_named(&mut client, Some("staging"))
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), Code::NotFound);
    assert!(unknown.message().contains("\"staging\""), "{unknown:?}");
    assert!(unknown.message().contains("prod, dr"), "{unknown:?}");

    // What is made in one cluster is not in the other.
    let mut volumes = server.sdk().await.volumes;
    let mut create = tonic::Request::new(volume_request("only-in-dr", GIB, 1, &[]));
    create
        .metadata_mut()
        .insert("x-openstorage-cluster", "dr".parse().unwrap());
    volumes.create(create).await.unwrap();
    let mut in_dr = tonic::Request::new(SdkVolumeInspectRequest {
        volume_id: "only-in-dr".into(),
        options: None,
    });
    in_dr
        .metadata_mut()
        .insert("x-openstorage-cluster", "dr".parse().unwrap());
    assert_eq!(
        volumes.inspect(in_dr).await.unwrap().into_inner().name,
        "only-in-dr"
    );
    let in_prod = volumes
        .inspect(SdkVolumeInspectRequest {
            volume_id: "only-in-dr".into(),
            options: None,
        })
        .await;
    assert_eq!(code(in_prod), Code::NotFound);

    // Browsers (gRPC-Web over HTTP/1.1) name the cluster the same way.
    let mut web = server.grpc_web().cluster();
    let mut request = tonic::Request::new(SdkClusterInspectCurrentRequest {});
    request
        .metadata_mut()
        .insert("x-openstorage-cluster", "dr".parse().unwrap());
    let answer = web.inspect_current(request).await.unwrap().into_inner();
    assert_eq!(answer.cluster.unwrap().id, dr.id);

    // The access log names the cluster each call was for (`-`: the first).
    let lines = std::fs::read_to_string(&log).unwrap();
    let inspects: Vec<&str> = lines
        .lines()
        .filter(|l| l.contains("/InspectCurrent"))
        .collect();
    assert!(inspects[0].contains(" cluster=prod "), "{lines}");
    assert!(inspects[2].contains(" cluster=- "), "{lines}");
    assert!(
        inspects[3].contains(" cluster=staging code=NotFound"),
        "{lines}"
    );
}

#[tokio::test]
async fn a_cluster_that_is_down_leaves_the_other_working_and_comes_back() {
    let east = TestServer::start(&["--driver", "fake", "--cluster-name", "east"]);
    let west = TestServer::start(&["--driver", "fake", "--cluster-name", "west"]);
    let west_addr = west.addr;
    let (east_url, west_url) = (east.url(), west.url());
    let console = TestServer::start(&[
        "--upstream",
        &format!("east={east_url}"),
        "--upstream",
        &format!("west={west_url}"),
        "--view-check",
        "1s",
    ]);
    let mut client = OpenStorageClusterClient::new(console.channel().await);
    assert_eq!(
        cluster_named(&mut client, Some("west")).await.unwrap().name,
        "west"
    );
    assert_eq!(cluster_named(&mut client, None).await.unwrap().name, "east");

    let health = http_get(&format!("{}/healthz", console.url())).await;
    let body = String::from_utf8_lossy(health.body()).to_string();
    assert_eq!(health.status(), 200, "{body}");
    assert!(
        body.contains("east: ok: upstream") && body.contains("west: ok: upstream"),
        "{body}"
    );

    // West stops: its calls are UNAVAILABLE, east answers as before, and quickly.
    drop(west);
    let gone = cluster_named(&mut client, Some("west")).await.unwrap_err();
    assert_eq!(gone.code(), Code::Unavailable, "{gone:?}");
    let started = std::time::Instant::now();
    assert_eq!(
        cluster_named(&mut client, Some("east")).await.unwrap().name,
        "east"
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    let health = http_get(&format!("{}/healthz", console.url())).await;
    let body = String::from_utf8_lossy(health.body()).to_string();
    assert_eq!(
        health.status(),
        200,
        "the console still serves east: {body}"
    );
    assert!(body.contains("west: unavailable"), "{body}");
    assert!(body.contains("east: ok"), "{body}");

    // West comes back where it was: the console reaches it again by itself.
    let _west = TestServer::start_on(west_addr, &["--driver", "fake", "--cluster-name", "west"]);
    let mut back = None;
    for _ in 0..50 {
        if let Ok(cluster) = cluster_named(&mut client, Some("west")).await {
            back = Some(cluster);
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(back.expect("west answers again").name, "west");
}

#[test]
fn several_upstreams_need_names_and_per_cluster_flags_name_theirs() {
    let refused = |args: &[&str]| {
        let out = std::process::Command::new(BINARY)
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{args:?} was accepted");
        String::from_utf8_lossy(&out.stderr).to_string()
    };
    let said = refused(&[
        "--upstream",
        "http://127.0.0.1:1",
        "--upstream",
        "b=http://127.0.0.1:2",
    ]);
    assert!(said.contains("name each one as NAME=URL"), "{said}");
    let said = refused(&[
        "--upstream",
        "a=http://127.0.0.1:1",
        "--upstream-ca",
        "c=/nonexistent.pem",
    ]);
    assert!(said.contains("no --upstream is named c"), "{said}");
    let said = refused(&["--mock", "same", "--mock", "same"]);
    assert!(said.contains("two clusters are named same"), "{said}");
    let said = refused(&["--mock", "not a name"]);
    assert!(said.contains("is not a cluster name"), "{said}");
}

/// The names and kinds the Fleet service lists, in order.
fn listed(answer: console_server::proto::console::ClustersResponse) -> Vec<(String, bool)> {
    answer
        .clusters
        .into_iter()
        .map(|c| (c.name, c.upstream))
        .collect()
}

#[tokio::test]
async fn the_fleet_service_lists_every_cluster_the_default_first() {
    let upstream = TestServer::start(&["--driver", "fake"]);
    let server = TestServer::start(&[
        "--upstream",
        &format!("east={}", upstream.url()),
        "--mock",
        "lab",
    ]);
    let expected = vec![("east".to_string(), true), ("lab".to_string(), false)];
    let native = FleetClient::new(server.channel().await)
        .clusters(ClustersRequest {})
        .await
        .unwrap()
        .into_inner();
    assert_eq!(listed(native), expected);
    // As browsers ask, and whatever cluster the call names: the list is the console's.
    let mut request = tonic::Request::new(ClustersRequest {});
    request
        .metadata_mut()
        .insert("x-openstorage-cluster", "lab".parse().unwrap());
    let web = server.grpc_web().fleet().clusters(request).await.unwrap();
    assert_eq!(listed(web.into_inner()), expected);
}

#[tokio::test]
async fn one_cluster_is_listed_and_refuses_a_name_it_does_not_have() {
    let server = TestServer::start(&["--cluster-name", "solo"]);
    let answer = server.grpc_web().fleet().clusters(ClustersRequest {}).await;
    assert_eq!(
        listed(answer.unwrap().into_inner()),
        vec![("solo".into(), false)]
    );
    let mut client = OpenStorageClusterClient::new(server.channel().await);
    assert_eq!(
        cluster_named(&mut client, Some("solo")).await.unwrap().name,
        "solo"
    );
    // A link to another console's cluster must not show this one as if it were that.
    let elsewhere = cluster_named(&mut client, Some("prod")).await.unwrap_err();
    assert_eq!(elsewhere.code(), Code::NotFound, "{elsewhere:?}");
}

#[tokio::test]
async fn the_cluster_header_is_not_forwarded_to_an_upstream_console() {
    // The upstream is itself a console-server, named otherwise: it must not see "east".
    let upstream = TestServer::start(&["--cluster-name", "inner"]);
    let server = TestServer::start(&[
        "--upstream",
        &format!("east={}", upstream.url()),
        "--mock",
        "lab",
    ]);
    let mut client = OpenStorageClusterClient::new(server.channel().await);
    let east = cluster_named(&mut client, Some("east")).await.unwrap();
    assert_eq!(east.name, "inner");
}

/// `message` addressed to `cluster` of the console.
fn in_cluster<T>(cluster: &str, message: T) -> tonic::Request<T> {
    let mut request = tonic::Request::new(message);
    request
        .metadata_mut()
        .insert("x-openstorage-cluster", cluster.parse().unwrap());
    request
}

#[tokio::test]
async fn a_pair_between_two_mocks_of_one_console_names_the_other() {
    use console_server::proto::open_storage_cluster_pair_client::OpenStorageClusterPairClient;
    let server = TestServer::start(&["--mock", "prod", "--mock", "dr"]);
    let mut clusters = OpenStorageClusterClient::new(server.channel().await);
    let dr = cluster_named(&mut clusters, Some("dr")).await.unwrap();
    let mut pairs = OpenStorageClusterPairClient::new(server.channel().await);
    let token = pairs
        .get_token(in_cluster("dr", SdkClusterPairGetTokenRequest {}))
        .await
        .unwrap()
        .into_inner()
        .result
        .unwrap()
        .token;
    let made = pairs
        .create(in_cluster("prod", pair_with(&token)))
        .await
        .unwrap()
        .into_inner()
        .result
        .unwrap();
    assert_eq!(
        (made.remote_cluster_id, made.remote_cluster_name),
        (dr.id, "dr".to_string())
    );
}
