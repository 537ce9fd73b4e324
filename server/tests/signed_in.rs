//! Signed-in users through a gateway that reads the cluster with a token of its own
//! (`--upstream-token-file`), in front of an upstream with auth that behaves like upstream's
//! (`--driver fake --jwt-shared-secret`): each user sees through the view, the pickers, the
//! watch stream and the history exactly what the cluster shows them with their own token; a
//! token the cluster refuses gets the cluster's error; the service token is never logged and
//! never answered.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::*;
use console_server::proto::console::{
    history_request::Target, AlarmsRequest, HistoryRequest, VolumeNamesRequest, VolumeQueryRequest,
    VolumeWatchEvent, VolumeWatchRequest,
};
use console_server::proto::ownership::{AccessControl, AccessType};
use console_server::proto::*;
use tonic::Code;

const SECRET: &str = "s3cret";

fn token_file(dir: &Path, token: &str, mode: u32) -> PathBuf {
    file_with_mode(dir, "service-token", token, mode)
}

fn maybe_with_token<T>(message: T, token: Option<&str>) -> tonic::Request<T> {
    match token {
        Some(token) => with_token(message, token),
        None => tonic::Request::new(message),
    }
}

/// What the cluster itself lists for this token: sorted ids, or its error.
async fn cluster_lists(direct: &mut Sdk, token: Option<&str>) -> Result<Vec<String>, Code> {
    let answer = direct
        .volumes
        .inspect_with_filters(maybe_with_token(
            SdkVolumeInspectWithFiltersRequest::default(),
            token,
        ))
        .await
        .map_err(|s| s.code())?;
    let mut ids: Vec<String> = answer
        .into_inner()
        .volumes
        .into_iter()
        .filter_map(|v| v.volume.map(|v| v.id))
        .collect();
    ids.sort();
    Ok(ids)
}

async fn view_lists(sdk: &mut Sdk, token: Option<&str>) -> Result<Vec<String>, Code> {
    let page = sdk
        .view
        .query(maybe_with_token(
            VolumeQueryRequest {
                page_size: 500,
                ..Default::default()
            },
            token,
        ))
        .await
        .map_err(|s| s.code())?
        .into_inner();
    let mut ids: Vec<String> = page.rows.into_iter().map(|r| r.id).collect();
    ids.sort();
    Ok(ids)
}

async fn picker_lists(sdk: &mut Sdk, token: Option<&str>) -> Result<Vec<String>, Code> {
    let names = sdk
        .view
        .names(maybe_with_token(
            VolumeNamesRequest {
                limit: 1000,
                ..Default::default()
            },
            token,
        ))
        .await
        .map_err(|s| s.code())?
        .into_inner();
    let mut ids: Vec<String> = names.names.into_iter().map(|n| n.id).collect();
    ids.sort();
    Ok(ids)
}

async fn create(
    direct: &mut Sdk,
    name: &str,
    token: Option<&str>,
    acls: Option<AccessControl>,
) -> String {
    let mut request = volume_request(name, GIB, 1, &[]);
    if let Some(acls) = acls {
        request.spec.as_mut().unwrap().ownership = Some(Ownership {
            owner: String::new(),
            acls: Some(acls),
        });
    }
    direct
        .volumes
        .create(maybe_with_token(request, token))
        .await
        .unwrap()
        .into_inner()
        .volume_id
}

/// The names of the rows in the watch events `stream` sends within `wait`.
async fn rows_heard(
    stream: &mut tonic::Streaming<VolumeWatchEvent>,
    until_name: &str,
    wait: Duration,
) -> Vec<String> {
    let mut heard = Vec::new();
    let deadline = tokio::time::Instant::now() + wait;
    while !heard.iter().any(|n| n == until_name) {
        match tokio::time::timeout_at(deadline, stream.message()).await {
            Ok(Ok(Some(event))) => heard.extend(event.changed.into_iter().map(|r| r.name)),
            _ => break,
        }
    }
    heard
}

#[tokio::test]
async fn each_user_sees_through_the_gateway_what_the_cluster_shows_them() {
    let upstream = TestServer::start(&["--driver", "fake", "--jwt-shared-secret", SECRET]);
    let admin = sdk_token(SECRET, "admin", &["system.admin"], &["*"], 3600);
    let alice = sdk_token(SECRET, "alice", &["system.user"], &["team-a"], 3600);
    let bob = sdk_token(SECRET, "bob", &["system.user"], &[], 3600);
    let mut direct = upstream.sdk().await;
    create(&mut direct, "alice-private", Some(&alice), None).await;
    let shared = AccessControl {
        groups: [("team-a".to_string(), AccessType::Read as i32)].into(),
        ..Default::default()
    };
    create(&mut direct, "bob-shared", Some(&bob), Some(shared)).await;
    let bob_private = create(&mut direct, "bob-private", Some(&bob), None).await;
    create(&mut direct, "public", None, None).await;

    let dir = scratch_dir("signed-in");
    let file = token_file(&dir, &admin, 0o600);
    let log = dir.join("gateway.log");
    let gateway = TestServer::start_logging(
        &[
            "--upstream",
            &upstream.url(),
            "--upstream-token-file",
            file.to_str().unwrap(),
            "--view-refresh",
            "1h",
        ],
        &log,
    );
    let mut sdk = gateway.sdk().await;
    let users = [
        ("admin", Some(admin.as_str())),
        ("alice", Some(alice.as_str())),
        ("bob", Some(bob.as_str())),
        ("guest", None),
    ];
    for (who, token) in users {
        let expected = cluster_lists(&mut direct, token).await;
        assert_eq!(
            view_lists(&mut sdk, token).await,
            expected,
            "{who}: the view"
        );
        assert_eq!(
            picker_lists(&mut sdk, token).await,
            expected,
            "{who}: pickers"
        );
    }
    assert_eq!(
        cluster_lists(&mut direct, Some(&admin))
            .await
            .unwrap()
            .len(),
        4
    );
    assert_eq!(
        cluster_lists(&mut direct, Some(&alice))
            .await
            .unwrap()
            .len(),
        3
    );
    // Over gRPC-Web too, as the browser asks.
    let web = gateway
        .grpc_web()
        .view()
        .query(with_token(VolumeQueryRequest::default(), &bob))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(web.total, 3, "bob: his two and the public one");

    // Watch streams: each hears of the volumes they may read, and only those.
    let start = sdk
        .view
        .query(with_token(VolumeQueryRequest::default(), &alice))
        .await
        .unwrap()
        .into_inner();
    let watch = |token: &str| {
        with_token(
            VolumeWatchRequest {
                after_revision: start.revision,
                view_id: start.view_id.clone(),
            },
            token,
        )
    };
    let mut alice_hears = sdk.view.watch(watch(&alice)).await.unwrap().into_inner();
    let mut bob_hears = sdk.view.watch(watch(&bob)).await.unwrap().into_inner();
    let bob_later = create(&mut sdk, "bob-later", Some(&bob), None).await;
    create(&mut sdk, "alice-later", Some(&alice), None).await;
    let alice_heard = rows_heard(&mut alice_hears, "alice-later", Duration::from_secs(5)).await;
    assert!(
        alice_heard.iter().any(|n| n == "alice-later"),
        "{alice_heard:?}"
    );
    assert!(
        !alice_heard.iter().any(|n| n == "bob-later"),
        "{alice_heard:?}"
    );
    let bob_heard = rows_heard(&mut bob_hears, "bob-later", Duration::from_secs(5)).await;
    assert!(bob_heard.iter().any(|n| n == "bob-later"), "{bob_heard:?}");
    assert!(
        !bob_heard.iter().any(|n| n == "alice-later"),
        "{bob_heard:?}"
    );

    // History: another user's volume is as absent as a missing one; the owner's is there.
    let history = |id: &str, token: &str| {
        with_token(
            HistoryRequest {
                target: Some(Target::VolumeId(id.to_string())),
                range_seconds: 0,
                until: 0,
            },
            token,
        )
    };
    let hidden = sdk.metrics.history(history(&bob_private, &alice)).await;
    assert_eq!(code(hidden), Code::NotFound);
    let hidden_new = sdk.metrics.history(history(&bob_later, &alice)).await;
    assert_eq!(code(hidden_new), Code::NotFound);
    sdk.metrics
        .history(history(&bob_private, &bob))
        .await
        .expect("bob reads his own volume's history");
    // The alarm count for whoever may enumerate alerts: an admin, not a system.user (as
    // upstream's roles have it).
    sdk.metrics
        .alarms(with_token(AlarmsRequest {}, &admin))
        .await
        .expect("an admin gets the alarm count");
    let refused = sdk
        .metrics
        .alarms(with_token(AlarmsRequest {}, &alice))
        .await;
    let message = failure(refused, Code::PermissionDenied);
    assert!(
        message.contains("OpenStorageAlerts/EnumerateWithFilters"),
        "{message}"
    );

    // The service token is in no log line (everything is logged here, down to trace).
    drop(gateway);
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(logged.lines().count() > 10, "the gateway logged: {logged}");
    let signature = admin.rsplit('.').next().unwrap();
    assert!(!logged.contains(signature), "the service token was logged");
}

/// Upstream's own `osd` keeps no alerts: its SDK answers UNAVAILABLE "Resource has not been
/// initialized", past its token and role checks. A signed-in user it lets through gets the
/// note "keeps no alerts", never UNAVAILABLE, which the console reads as a cluster out of reach.
#[tokio::test]
async fn a_cluster_that_keeps_no_alerts_is_reachable_for_signed_in_users_too() {
    let upstream = TestServer::start(&[
        "--driver",
        "fake",
        "--jwt-shared-secret",
        SECRET,
        "--not-supported",
        "alerts",
    ]);
    let admin = sdk_token(SECRET, "admin", &["system.admin"], &["*"], 3600);
    let mut direct = upstream.sdk().await;
    let absent = direct
        .alerts
        .enumerate_with_filters(with_token(
            SdkAlertsEnumerateWithFiltersRequest::default(),
            &admin,
        ))
        .await;
    assert_eq!(
        failure(absent, Code::Unavailable),
        "Resource has not been initialized"
    );
    let dir = scratch_dir("no-alerts");
    let file = token_file(&dir, &admin, 0o600);
    let gateway = gateway_to(
        &upstream,
        &[
            "--upstream-token-file",
            file.to_str().unwrap(),
            "--sample-interval",
            "1s",
        ],
    );
    let mut sdk = gateway.sdk().await;
    let mut note = String::new();
    for _ in 0..50 {
        let answer = sdk
            .metrics
            .alarms(with_token(AlarmsRequest {}, &admin))
            .await
            .expect("a signed-in admin is let through")
            .into_inner();
        assert_eq!(
            answer.active, None,
            "no count from a cluster without alerts"
        );
        note = answer.note;
        if note.contains("keeps no alerts") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(note.contains("keeps no alerts"), "{note}");
    // A guest may not enumerate alerts on a cluster with auth: still the cluster's refusal.
    assert_eq!(
        code(sdk.metrics.alarms(AlarmsRequest {}).await),
        Code::PermissionDenied
    );
}

#[tokio::test]
async fn tokens_the_cluster_refuses_are_refused_with_its_words() {
    let upstream = TestServer::start(&["--driver", "fake", "--jwt-shared-secret", SECRET]);
    let admin = sdk_token(SECRET, "admin", &["system.admin"], &["*"], 3600);
    let mut direct = upstream.sdk().await;
    let dir = scratch_dir("refused-tokens");
    let file = token_file(&dir, &admin, 0o600);
    let gateway = gateway_to(
        &upstream,
        &[
            "--upstream-token-file",
            file.to_str().unwrap(),
            "--token-recheck",
            "1s",
        ],
    );
    let mut sdk = gateway.sdk().await;

    let signature = admin.rsplit('.').next().unwrap().to_string();
    let same_refusal = |through: Result<(), tonic::Status>, cluster: Result<(), tonic::Status>| {
        let (through, cluster) = (through.unwrap_err(), cluster.unwrap_err());
        assert_eq!(through.code(), cluster.code(), "{}", through.message());
        assert_eq!(through.message(), cluster.message());
        assert!(!through.message().contains(&signature));
    };
    // Expired, and signed with another secret.
    for token in [
        sdk_token(SECRET, "alice", &["system.user"], &[], -60),
        sdk_token("not-the-secret", "alice", &["system.user"], &[], 3600),
    ] {
        same_refusal(
            sdk.view
                .query(with_token(VolumeQueryRequest::default(), &token))
                .await
                .map(drop),
            direct
                .volumes
                .inspect_with_filters(with_token(Default::default(), &token))
                .await
                .map(drop),
        );
    }

    // A role the cluster removes stops working here within --token-recheck.
    let reader = SdkRole {
        name: "reader".into(),
        rules: vec![SdkRule {
            services: vec!["volume".into()],
            apis: vec!["inspect*".into(), "enumerate*".into()],
        }],
    };
    direct
        .roles
        .create(with_token(
            SdkRoleCreateRequest { role: Some(reader) },
            &admin,
        ))
        .await
        .unwrap();
    let carol = sdk_token(SECRET, "carol", &["reader"], &[], 3600);
    sdk.view
        .query(with_token(VolumeQueryRequest::default(), &carol))
        .await
        .expect("a custom role that may list volumes");
    // ... but not read stats: no history, in the cluster's words.
    let volume = create(&mut direct, "some-volume", Some(&admin), None).await;
    let history = sdk
        .metrics
        .history(with_token(
            HistoryRequest {
                target: Some(Target::VolumeId(volume.clone())),
                range_seconds: 0,
                until: 0,
            },
            &carol,
        ))
        .await;
    let stats = direct
        .volumes
        .stats(with_token(
            SdkVolumeStatsRequest {
                volume_id: volume,
                not_cumulative: false,
            },
            &carol,
        ))
        .await;
    same_refusal(history.map(drop), stats.map(drop));
    direct
        .roles
        .delete(with_token(
            SdkRoleDeleteRequest {
                name: "reader".into(),
            },
            &admin,
        ))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    same_refusal(
        sdk.view
            .query(with_token(VolumeQueryRequest::default(), &carol))
            .await
            .map(drop),
        direct
            .volumes
            .inspect_with_filters(with_token(Default::default(), &carol))
            .await
            .map(drop),
    );
}

#[test]
fn a_token_file_others_may_read_is_refused_at_start() {
    let dir = scratch_dir("open-token-file");
    let token = sdk_token(SECRET, "admin", &["system.admin"], &["*"], 3600);
    let file = token_file(&dir, &token, 0o644);
    let out = std::process::Command::new(BINARY)
        .args([
            "--listen",
            "127.0.0.1:0",
            "--upstream",
            "http://127.0.0.1:9",
            "--upstream-token-file",
            file.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("chmod 600"), "{said}");
    assert!(!said.contains(&token), "{said}");
}

/// The listings the upstream's access log shows for this subject, once it shows `expected`
/// (the log is written as calls end) and a moment longer, in case more come.
async fn listings_by(log: &Path, subject: &str, expected: usize) -> usize {
    let count = || {
        std::fs::read_to_string(log)
            .unwrap_or_default()
            .lines()
            .filter(|l| l.contains("method=/openstorage.api.OpenStorageVolume/InspectWithFilters "))
            .filter(|l| l.contains(&format!("claimed_sub={subject} ")))
            .count()
    };
    let deadline = tokio::time::Instant::now() + Duration::from_secs(3);
    while count() < expected && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    count()
}

#[tokio::test]
async fn without_a_service_token_the_tabs_of_one_user_share_one_listing() {
    let dir = scratch_dir("shared-listing");
    let log = dir.join("upstream-access.log");
    let upstream = TestServer::start(&[
        "--driver",
        "fake",
        "--jwt-shared-secret",
        SECRET,
        "--access-log",
        log.to_str().unwrap(),
    ]);
    let alice = sdk_token(SECRET, "alice", &["system.user"], &[], 3600);
    let bob = sdk_token(SECRET, "bob", &["system.user"], &[], 3600);
    let mut direct = upstream.sdk().await;
    create(&mut direct, "alices", Some(&alice), None).await;
    create(&mut direct, "bobs", Some(&bob), None).await;
    let gateway = gateway_to(&upstream, &[]);
    // Ten tabs, each on its own connection, list at once with alice's token.
    let mut tabs = Vec::new();
    for _ in 0..10 {
        tabs.push(gateway.sdk().await);
    }
    let listings = futures::future::join_all(
        tabs.iter_mut()
            .map(|tab| cluster_lists(tab, Some(alice.as_str()))),
    )
    .await;
    let expected = cluster_lists(&mut direct, Some(&alice)).await;
    assert!(listings.iter().all(|l| *l == expected), "{listings:?}");
    assert_eq!(
        listings_by(&log, "alice", 2).await,
        2,
        "one for ten tabs, one direct"
    );
    // Another user's listing is their own.
    let bobs = cluster_lists(&mut tabs[0], Some(&bob)).await.unwrap();
    assert_eq!(bobs.len(), 1);
    assert_eq!(listings_by(&log, "bob", 1).await, 1);
    // A change through the gateway ends the sharing: her next listing has her new volume.
    let new = create(&mut tabs[1], "alices-new", Some(&alice), None).await;
    let after = cluster_lists(&mut tabs[2], Some(&alice)).await.unwrap();
    assert!(after.contains(&new), "{after:?}");
    assert_eq!(listings_by(&log, "alice", 3).await, 3);
}
