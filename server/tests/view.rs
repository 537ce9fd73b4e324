//! The console's view service (openstorage.console.v1.VolumeView) on the mock and through a
//! gateway: every filter and sort, keyset pages under inserts and deletes, watch deltas,
//! resync, ownership, and a gateway that does not believe invented watch events.

mod common;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use common::*;
use console_server::proto::console::{
    VolumeColumn, VolumeFilter, VolumeNamesRequest, VolumeQueryRequest, VolumeQueryResponse,
    VolumeRow, VolumeSort, VolumeWatchEvent, VolumeWatchRequest,
};
use console_server::proto::*;
use tonic::Code;

const COLUMNS: [VolumeColumn; 10] = [
    VolumeColumn::Name,
    VolumeColumn::Id,
    VolumeColumn::Size,
    VolumeColumn::HaLevel,
    VolumeColumn::Status,
    VolumeColumn::State,
    VolumeColumn::AttachedOn,
    VolumeColumn::Parent,
    VolumeColumn::Created,
    VolumeColumn::Usage,
];

fn request(filter: VolumeFilter, column: VolumeColumn, descending: bool) -> VolumeQueryRequest {
    VolumeQueryRequest {
        filter: Some(filter),
        sort: Some(VolumeSort {
            column: column as i32,
            descending,
        }),
        page_size: 500,
        ..Default::default()
    }
}

/// Every page of a query, following next_page_token.
async fn all_pages(sdk: &mut Sdk, mut req: VolumeQueryRequest) -> Vec<VolumeRow> {
    let mut rows = Vec::new();
    loop {
        let page = sdk.view.query(req.clone()).await.unwrap().into_inner();
        assert_eq!(page.offset as usize, rows.len(), "offsets follow the pages");
        rows.extend(page.rows);
        if page.next_page_token.is_empty() {
            assert_eq!(rows.len() as u64, page.matched);
            return rows;
        }
        req.page_token = page.next_page_token;
    }
}

/// The words the table shows, written out here (not taken from the code under test), so a
/// word that drifts fails the order checks.
fn status_word(status: i32) -> &'static str {
    match VolumeStatus::try_from(status) {
        Ok(VolumeStatus::Up) => "Up",
        Ok(VolumeStatus::Degraded) => "Degraded",
        Ok(VolumeStatus::Down) => "Down",
        Ok(VolumeStatus::NotPresent) => "Not present",
        _ => "Unknown",
    }
}

fn state_word(state: i32) -> &'static str {
    match VolumeState::try_from(state) {
        Ok(VolumeState::Pending) => "Pending",
        Ok(VolumeState::Available) => "Available",
        Ok(VolumeState::Attached) => "Attached",
        Ok(VolumeState::Detached) => "Detached",
        Ok(VolumeState::Detatching) => "Detaching",
        Ok(VolumeState::Error) => "Error",
        Ok(VolumeState::Deleted) => "Deleted",
        Ok(VolumeState::TryDetaching) => "Trying to detach",
        Ok(VolumeState::Restore) => "Restoring",
        _ => "Unknown",
    }
}

/// The order the service promises, computed here from the rows themselves.
fn expected_order(rows: &mut [VolumeRow], column: VolumeColumn, descending: bool) {
    let key = |r: &VolumeRow| -> (String, u64, i64) {
        match column {
            VolumeColumn::Name => (String::new(), 0, 0),
            VolumeColumn::Id => (r.id.clone(), 0, 0),
            VolumeColumn::Size => (String::new(), r.size, 0),
            VolumeColumn::Usage => (String::new(), r.usage, 0),
            VolumeColumn::HaLevel => (String::new(), 0, r.ha_level),
            VolumeColumn::Status => (status_word(r.status).into(), 0, 0),
            VolumeColumn::State => (state_word(r.state).into(), 0, 0),
            VolumeColumn::AttachedOn => (r.attached_on.clone(), 0, 0),
            VolumeColumn::Parent => (r.parent_name.to_lowercase(), 0, 0),
            VolumeColumn::Created => (String::new(), 0, r.created),
        }
    };
    rows.sort_by(|a, b| {
        let primary = key(a).cmp(&key(b));
        let rest = a
            .name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then_with(|| a.id.cmp(&b.id));
        match (descending, column) {
            (false, _) => primary.then(rest),
            (true, VolumeColumn::Name) => rest.reverse(),
            (true, _) => primary.reverse().then(rest),
        }
    });
}

fn ids(rows: &[VolumeRow]) -> Vec<String> {
    rows.iter().map(|r| r.id.clone()).collect()
}

#[tokio::test]
async fn every_sort_and_filter_over_a_seeded_mock() {
    let server = TestServer::start(&["--seed-volumes", "3000"]);
    let mut sdk = server.sdk().await;
    let everything = all_pages(
        &mut sdk,
        request(VolumeFilter::default(), VolumeColumn::Name, false),
    )
    .await;
    assert_eq!(everything.len(), 3000);
    // Seeded volumes vary in every column the filters look at.
    type Column = fn(&VolumeRow) -> String;
    let columns: [(&str, Column, usize); 4] = [
        ("states", |r| r.state.to_string(), 2),
        ("statuses", |r| r.status.to_string(), 3),
        ("sizes", |r| r.size.to_string(), 3),
        ("nodes", |r| r.attached_on.clone(), 3),
    ];
    for (what, value, least) in columns {
        let distinct = everything
            .iter()
            .map(value)
            .collect::<std::collections::HashSet<_>>()
            .len();
        assert!(distinct >= least, "{what}: only {distinct} distinct values");
    }

    for column in COLUMNS {
        for descending in [false, true] {
            let got = all_pages(
                &mut sdk,
                request(VolumeFilter::default(), column, descending),
            )
            .await;
            let mut want = everything.clone();
            expected_order(&mut want, column, descending);
            assert_eq!(
                ids(&got),
                ids(&want),
                "sorted by {column:?}, descending {descending}"
            );
        }
    }

    let node = everything
        .iter()
        .find(|r| !r.attached_on.is_empty())
        .unwrap()
        .attached_on
        .clone();
    type Keep = Box<dyn Fn(&VolumeRow) -> bool>;
    let filters: Vec<(&str, VolumeFilter, Keep)> = vec![
        (
            "name, any case",
            VolumeFilter {
                name: "DB-00".into(),
                ..Default::default()
            },
            Box::new(|r: &VolumeRow| r.name.to_lowercase().contains("db-00")),
        ),
        (
            "labels",
            VolumeFilter {
                labels: HashMap::from([
                    ("env".into(), "prod".into()),
                    ("tier".into(), "gold".into()),
                ]),
                ..Default::default()
            },
            Box::new(|r: &VolumeRow| {
                r.labels.get("env").map(String::as_str) == Some("prod")
                    && r.labels.get("tier").map(String::as_str) == Some("gold")
            }),
        ),
        (
            "states",
            VolumeFilter {
                states: vec![VolumeState::Attached as i32],
                ..Default::default()
            },
            Box::new(|r: &VolumeRow| r.state == VolumeState::Attached as i32),
        ),
        (
            "statuses",
            VolumeFilter {
                statuses: vec![VolumeStatus::Degraded as i32, VolumeStatus::Down as i32],
                ..Default::default()
            },
            Box::new(|r: &VolumeRow| {
                r.status == VolumeStatus::Degraded as i32 || r.status == VolumeStatus::Down as i32
            }),
        ),
        (
            "node",
            VolumeFilter {
                node: node.clone(),
                ..Default::default()
            },
            Box::new(move |r: &VolumeRow| r.attached_on == node || r.replica_nodes.contains(&node)),
        ),
    ];
    for (what, filter, keep) in filters {
        let got = all_pages(&mut sdk, request(filter, VolumeColumn::Size, true)).await;
        let mut want: Vec<VolumeRow> = everything.iter().filter(|r| keep(r)).cloned().collect();
        expected_order(&mut want, VolumeColumn::Size, true);
        assert!(
            !want.is_empty() && want.len() < everything.len(),
            "{what} narrows"
        );
        assert_eq!(ids(&got), ids(&want), "filter by {what}");
    }

    // gRPC-Web (HTTP/1.1) answers the same page as native gRPC.
    let mut req = request(VolumeFilter::default(), VolumeColumn::Created, false);
    req.page_size = 20;
    let native = sdk.view.query(req.clone()).await.unwrap().into_inner();
    let web = server
        .grpc_web()
        .view()
        .query(req)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(ids(&native.rows), ids(&web.rows));
    assert_eq!((web.matched, web.total), (3000, 3000));

    // Names for pickers: the matches by name, at most the limit, then named ids.
    let extra = everything
        .iter()
        .find(|r| r.name.starts_with("web"))
        .unwrap()
        .id
        .clone();
    let names = sdk
        .view
        .names(VolumeNamesRequest {
            contains: "CACHE".into(),
            limit: 5,
            ids: vec![extra.clone()],
        })
        .await
        .unwrap()
        .into_inner();
    let cache: Vec<&VolumeRow> = everything
        .iter()
        .filter(|r| r.name.starts_with("cache"))
        .collect();
    assert_eq!(names.matched as usize, cache.len());
    assert_eq!(names.names.len(), 6);
    assert!(names.names[..5].iter().all(|n| n.name.starts_with("cache")));
    assert_eq!(names.names[5].id, extra);

    let too_big = VolumeQueryRequest {
        page_size: 501,
        ..Default::default()
    };
    assert_eq!(code(sdk.view.query(too_big).await), Code::InvalidArgument);
    let forged = VolumeQueryRequest {
        page_token: "not-a-token".into(),
        ..Default::default()
    };
    assert_eq!(code(sdk.view.query(forged).await), Code::InvalidArgument);
}

fn names(page: &VolumeQueryResponse) -> Vec<&str> {
    page.rows.iter().map(|r| r.name.as_str()).collect()
}

#[tokio::test]
async fn pages_stay_put_when_volumes_come_and_go_before_them() {
    let server = TestServer::start(&[]);
    let mut sdk = server.sdk().await;
    let mut made = HashMap::new();
    for i in 0..30 {
        let name = format!("v-{i:02}");
        made.insert(name.clone(), sdk.create_volume(&name, GIB, 1, &[]).await);
    }
    let first = VolumeQueryRequest {
        page_size: 10,
        ..Default::default()
    };
    let page1 = sdk.view.query(first.clone()).await.unwrap().into_inner();
    assert_eq!(names(&page1)[0], "v-00");
    assert!(page1.previous_page_token.is_empty());
    // A volume sorting first arrives and one on page 1 leaves.
    sdk.create_volume("a-new", GIB, 1, &[]).await;
    sdk.delete_volume(&made["v-05"]).await;
    let page2 = sdk
        .view
        .query(VolumeQueryRequest {
            page_token: page1.next_page_token.clone(),
            ..first.clone()
        })
        .await
        .unwrap()
        .into_inner();
    let want: Vec<String> = (10..20).map(|i| format!("v-{i}")).collect();
    assert_eq!(
        names(&page2),
        want,
        "page 2 starts after page 1's last row, not at offset 10"
    );
    assert_eq!(page2.offset, 10);
    assert_eq!((page2.matched, page2.total), (30, 30));
    let back = sdk
        .view
        .query(VolumeQueryRequest {
            page_token: page2.previous_page_token.clone(),
            ..first.clone()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        names(&back),
        ["a-new", "v-00", "v-01", "v-02", "v-03", "v-04", "v-06", "v-07", "v-08", "v-09"]
    );
    let last = sdk
        .view
        .query(VolumeQueryRequest {
            last_page: true,
            ..first.clone()
        })
        .await
        .unwrap()
        .into_inner();
    let want: Vec<String> = (20..30).map(|i| format!("v-{i}")).collect();
    assert_eq!(names(&last), want);
    assert!(last.next_page_token.is_empty());
    // A token of another sort is refused rather than misread.
    let other = VolumeQueryRequest {
        page_token: page1.next_page_token,
        sort: Some(VolumeSort {
            column: VolumeColumn::Size as i32,
            descending: false,
        }),
        ..first
    };
    assert_eq!(code(sdk.view.query(other).await), Code::InvalidArgument);
}

/// The next event that is not a heartbeat, within 10 s.
async fn next_event(stream: &mut tonic::Streaming<VolumeWatchEvent>) -> VolumeWatchEvent {
    loop {
        let event = tokio::time::timeout(Duration::from_secs(10), stream.message())
            .await
            .expect("an event within 10 s")
            .unwrap()
            .expect("the stream stays open");
        if !event.heartbeat {
            return event;
        }
    }
}

/// The first event (within 10 s each) that `wanted` accepts; others may carry other changes.
async fn event_where(
    stream: &mut tonic::Streaming<VolumeWatchEvent>,
    wanted: impl Fn(&VolumeWatchEvent) -> bool,
) -> VolumeWatchEvent {
    loop {
        let event = next_event(stream).await;
        assert!(!event.resync, "no resync expected: {event:?}");
        if wanted(&event) {
            return event;
        }
    }
}

async fn watch_from(
    sdk: &mut Sdk,
    after: u64,
    view_id: &str,
) -> tonic::Streaming<VolumeWatchEvent> {
    sdk.view
        .watch(VolumeWatchRequest {
            after_revision: after,
            view_id: view_id.into(),
        })
        .await
        .unwrap()
        .into_inner()
}

/// Watch deltas and resync, against `sdk` (the mock itself or a gateway in front of it).
async fn watch_follows_changes(sdk: &mut Sdk, writer: &mut Sdk) {
    let start = sdk
        .view
        .query(VolumeQueryRequest::default())
        .await
        .unwrap()
        .into_inner();
    // Made before the watch opens: the watch still sends it, as a change after `start`.
    let early = writer.create_volume("watched-early", GIB, 1, &[]).await;
    let mut stream = watch_from(sdk, start.revision, &start.view_id).await;
    let event = event_where(&mut stream, |e| ids(&e.changed).contains(&early)).await;
    assert!(event.revision > start.revision);

    let id = writer
        .create_volume("watched", GIB, 1, &[("team", "a")])
        .await;
    let event = event_where(&mut stream, |e| ids(&e.changed).contains(&id)).await;
    let row = event.changed.iter().find(|r| r.id == id).unwrap();
    assert_eq!(row.name, "watched");
    writer
        .volumes
        .update(SdkVolumeUpdateRequest {
            volume_id: id.clone(),
            labels: HashMap::from([("team".into(), "b".into())]),
            spec: None,
        })
        .await
        .unwrap();
    event_where(&mut stream, |e| {
        e.changed
            .iter()
            .any(|r| r.id == id && r.labels.get("team").map(String::as_str) == Some("b"))
    })
    .await;
    writer.delete_volume(&id).await;
    let event = event_where(&mut stream, |e| !e.removed.is_empty()).await;
    assert_eq!(event.removed, [id]);

    // Another life's revision, or one from the future: start over.
    let mut stale = watch_from(sdk, start.revision, "another-view").await;
    assert!(next_event(&mut stale).await.resync);
    let mut ahead = watch_from(sdk, start.revision + 1_000_000, &start.view_id).await;
    assert!(next_event(&mut ahead).await.resync);
}

#[tokio::test]
async fn watch_sends_changes_after_a_revision_and_resyncs() {
    let server = TestServer::start(&[]);
    let mut sdk = server.sdk().await;
    let mut writer = sdk.clone();
    watch_follows_changes(&mut sdk, &mut writer).await;
}

#[tokio::test]
async fn through_the_gateway_the_view_follows_the_upstream() {
    // Over 4 MiB of listing: tonic's default message limit would stop the view.
    let upstream = TestServer::start(&["--seed-volumes", "20000"]);
    let gateway = TestServer::start(&["--upstream", &upstream.url(), "--view-refresh", "1h"]);
    let mut sdk = gateway.sdk().await;
    let mut writer = upstream.sdk().await;
    let page = sdk
        .view
        .query(VolumeQueryRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert_eq!((page.matched, page.total), (20000, 20000));
    let direct = writer
        .view
        .query(VolumeQueryRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert_eq!(ids(&page.rows), ids(&direct.rows));
    assert!(page.listed_at > 0 && page.stale_reason.is_empty());
    // Changes made on the upstream by another client reach the gateway's watchers through
    // the upstream's OpenStorageWatch (the next listing is an hour away).
    watch_follows_changes(&mut sdk, &mut writer).await;
    // A browser with a token is sent to the cluster itself.
    let refused = sdk
        .view
        .query(with_token(VolumeQueryRequest::default(), "a.b.c"))
        .await;
    assert_eq!(code(refused), Code::FailedPrecondition);
    // gRPC-Web through the gateway.
    let web = gateway
        .grpc_web()
        .view()
        .query(VolumeQueryRequest::default())
        .await
        .unwrap();
    assert_eq!(web.into_inner().total, 20001);
}

#[tokio::test]
async fn invented_watch_volumes_never_enter_the_gateway_view() {
    let upstream = TestServer::start(&["--driver", "fake"]);
    let mut direct = upstream.sdk().await;
    direct.create_volume("real", GIB, 1, &[]).await;
    let gateway = TestServer::start(&["--upstream", &upstream.url(), "--view-refresh", "1h"]);
    let mut sdk = gateway.sdk().await;
    let before = sdk
        .view
        .query(VolumeQueryRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert_eq!(names(&before), ["real"]);
    // Listen to the upstream as the gateway does, until it sends a volume it does not have.
    let mut events = direct
        .watch
        .watch(SdkWatchRequest {
            event_type: Some(sdk_watch_request::EventType::VolumeEvent(Default::default())),
        })
        .await
        .unwrap()
        .into_inner();
    let deadline = Instant::now() + Duration::from_secs(25);
    let invented = loop {
        assert!(
            Instant::now() < deadline,
            "the fake driver invents a volume every 1-10 s"
        );
        let event = tokio::time::timeout(Duration::from_secs(12), events.message())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        let Some(sdk_watch_response::EventType::VolumeEvent(e)) = event.event_type else {
            continue;
        };
        let volume = e.volume.unwrap();
        if direct
            .volumes
            .inspect(SdkVolumeInspectRequest {
                volume_id: volume.id.clone(),
                options: None,
            })
            .await
            .is_err()
        {
            break volume.id;
        }
    };
    // The gateway heard the same event; give it time to look, then check it kept out.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = sdk
        .view
        .query(VolumeQueryRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert_eq!(names(&after), ["real"]);
    let named = sdk
        .view
        .names(VolumeNamesRequest {
            ids: vec![invented],
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        named.names.len(),
        1,
        "only the real volume: {:?}",
        named.names
    );
}

#[tokio::test]
async fn an_upstream_with_auth_shows_guests_what_guests_see_and_sends_tokens_to_it() {
    let upstream = TestServer::start(&["--jwt-shared-secret", "s3cret"]);
    let alice = sdk_token("s3cret", "alice", &["system.user"], &[], 3600);
    let mut direct = upstream.sdk().await;
    direct
        .volumes
        .create(with_token(volume_request("private", GIB, 1, &[]), &alice))
        .await
        .unwrap();
    let gateway = TestServer::start(&["--upstream", &upstream.url()]);
    let mut sdk = gateway.sdk().await;
    // The view lists without a token: exactly what a guest may see, and no more.
    let guest = sdk
        .view
        .query(VolumeQueryRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert_eq!((guest.matched, guest.total), (0, 0));
    // A signed-in user's calls go to the cluster with their token, never to the shared view.
    let message = failure(
        sdk.view
            .query(with_token(VolumeQueryRequest::default(), &alice))
            .await,
        Code::FailedPrecondition,
    );
    assert!(
        message.contains("calls with a token go to the cluster"),
        "{message}"
    );
}

#[tokio::test]
async fn with_auth_each_user_sees_the_volumes_they_may_read() {
    let server = TestServer::start(&["--jwt-shared-secret", "s3cret"]);
    let mut sdk = server.sdk().await;
    let alice = sdk_token("s3cret", "alice", &["system.user"], &[], 3600);
    let bob = sdk_token("s3cret", "bob", &["system.user"], &[], 3600);
    let admin = sdk_token("s3cret", "root", &["system.admin"], &["*"], 3600);
    for (token, name) in [(&alice, "alices"), (&bob, "bobs")] {
        sdk.volumes
            .create(with_token(volume_request(name, GIB, 1, &[]), token))
            .await
            .unwrap();
    }
    for (token, want) in [
        (&alice, vec!["alices"]),
        (&bob, vec!["bobs"]),
        (&admin, vec!["alices", "bobs"]),
    ] {
        let page = sdk
            .view
            .query(with_token(VolumeQueryRequest::default(), token))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(names(&page), want);
    }
    // A guest sees neither, nor how many there are.
    let guest = sdk
        .view
        .query(VolumeQueryRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert_eq!((guest.matched, guest.total), (0, 0));

    // Watching, bob hears of his own volumes only: not even the ids of alice's, made or
    // deleted. The SDK's own watch is held to the same rule.
    let start = sdk
        .view
        .query(with_token(VolumeQueryRequest::default(), &bob))
        .await
        .unwrap()
        .into_inner();
    let mut bobs_view = sdk
        .view
        .watch(with_token(
            VolumeWatchRequest {
                after_revision: start.revision,
                view_id: start.view_id.clone(),
            },
            &bob,
        ))
        .await
        .unwrap()
        .into_inner();
    // Upstream's system.user may not call OpenStorageWatch: a role that may.
    sdk.roles
        .create(with_token(
            SdkRoleCreateRequest {
                role: Some(SdkRole {
                    name: "watcher".into(),
                    rules: vec![SdkRule {
                        services: vec!["watch".into()],
                        apis: vec!["*".into()],
                    }],
                }),
            },
            &admin,
        ))
        .await
        .unwrap();
    let bob_watching = sdk_token("s3cret", "bob", &["system.user", "watcher"], &[], 3600);
    let mut bobs_sdk = sdk
        .watch
        .watch(with_token(
            SdkWatchRequest {
                event_type: Some(sdk_watch_request::EventType::VolumeEvent(Default::default())),
            },
            &bob_watching,
        ))
        .await
        .unwrap()
        .into_inner();
    let make = |name: &str, token: &str| with_token(volume_request(name, GIB, 1, &[]), token);
    let secret = sdk
        .volumes
        .create(make("alices-secret", &alice))
        .await
        .unwrap()
        .into_inner()
        .volume_id;
    sdk.volumes
        .delete(with_token(
            SdkVolumeDeleteRequest {
                volume_id: secret.clone(),
            },
            &alice,
        ))
        .await
        .unwrap();
    let mine = sdk
        .volumes
        .create(make("bobs-second", &bob))
        .await
        .unwrap()
        .into_inner()
        .volume_id;
    loop {
        let event = next_event(&mut bobs_view).await;
        assert!(
            !event.removed.contains(&secret) && !ids(&event.changed).contains(&secret),
            "bob's view watch named alice's volume: {event:?}"
        );
        if ids(&event.changed).contains(&mine) {
            break;
        }
    }
    loop {
        let event = tokio::time::timeout(Duration::from_secs(10), bobs_sdk.message())
            .await
            .expect("an SDK watch event within 10 s")
            .unwrap()
            .unwrap();
        let Some(sdk_watch_response::EventType::VolumeEvent(e)) = event.event_type else {
            continue;
        };
        let id = e.volume.unwrap().id;
        assert_ne!(id, secret, "bob's SDK watch named alice's volume");
        if id == mine {
            break;
        }
    }
}

#[tokio::test]
async fn health_is_one_shared_check_of_the_upstream_whatever_the_callers() {
    use console_server::proto::console::ViewHealthRequest;
    let log = std::env::temp_dir().join(format!("view-health-{}.log", std::process::id()));
    let _ = std::fs::remove_file(&log);
    let upstream = TestServer::start(&["--access-log", log.to_str().unwrap()]);
    let gateway = TestServer::start(&["--upstream", &upstream.url(), "--view-refresh", "1h"]);
    let mut sdk = gateway.sdk().await;
    let checks = || {
        std::fs::read_to_string(&log)
            .unwrap_or_default()
            .matches("OpenStorageIdentity/Version")
            .count()
    };
    let health = sdk
        .view
        .health(ViewHealthRequest {})
        .await
        .unwrap()
        .into_inner();
    assert!(health.cluster_reachable, "{health:?}");
    let before = checks();
    for _ in 0..50 {
        let health = sdk
            .view
            .health(ViewHealthRequest {})
            .await
            .unwrap()
            .into_inner();
        assert!(health.cluster_reachable);
    }
    // Fifty callers, at most one more check of the upstream (its own 10 s timer).
    assert!(checks() <= before + 1, "{} checks", checks() - before);
    // A token does not matter here: health is about the cluster, not about volumes.
    assert!(sdk
        .view
        .health(with_token(ViewHealthRequest {}, "a.b.c"))
        .await
        .is_ok());

    drop(upstream);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let health = sdk
            .view
            .health(ViewHealthRequest {})
            .await
            .unwrap()
            .into_inner();
        if !health.cluster_reachable {
            assert!(health.reason.contains("upstream"), "{}", health.reason);
            break;
        }
        assert!(Instant::now() < deadline, "the stopped upstream is noticed");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let _ = std::fs::remove_file(&log);
}

/// The volumes table reads the same with and without the view: what the browser does without
/// it (rows from one InspectWithFilters, filtered and sorted by console-model) gives exactly the
/// view's pages, on every column both ways, with mixed-case names and parents, ties, clones,
/// a snapshot (not listed) and a clone whose parent is gone.
#[tokio::test]
async fn the_view_and_the_sdk_fallback_filter_and_sort_alike() {
    let server = TestServer::start(&[]);
    let mut sdk = server.sdk().await;
    let mut made = HashMap::new();
    for (name, size, tier) in [
        ("alpha", 2, "gold"),
        ("Alpha-2", 2, "bronze"),
        ("BETA", 1, "gold"),
        ("beta-1", 1, "gold"),
        ("Gamma", 3, "bronze"),
        ("gamma", 3, "gold"),
        ("delta", 2, "gold"),
    ] {
        let id = sdk
            .create_volume(name, size * GIB, 1, &[("tier", tier)])
            .await;
        made.insert(name, id);
    }
    for (clone, parent) in [
        ("zeta", "Alpha-2"),
        ("Eta", "alpha"),
        ("theta", "BETA"),
        ("Iota", "beta-1"),
    ] {
        sdk.clone_volume(clone, &made[parent]).await;
    }
    let snapshot = sdk
        .volumes
        .snapshot_create(SdkVolumeSnapshotCreateRequest {
            volume_id: made["gamma"].clone(),
            name: "gamma-snap".into(),
            labels: HashMap::new(),
        })
        .await
        .unwrap()
        .into_inner()
        .snapshot_id;
    sdk.clone_volume("from-snap", &snapshot).await;
    sdk.mount
        .attach(SdkVolumeAttachRequest {
            volume_id: made["delta"].clone(),
            ..Default::default()
        })
        .await
        .unwrap();

    let items = sdk
        .volumes
        .inspect_with_filters(SdkVolumeInspectWithFiltersRequest::default())
        .await
        .unwrap()
        .into_inner()
        .volumes;
    let rows = console_model::volume::rows(&items);
    assert_eq!(rows.len(), 12, "every volume but the read-only snapshot");
    let filters = [
        VolumeFilter::default(),
        VolumeFilter {
            name: "A".into(),
            ..Default::default()
        },
        VolumeFilter {
            labels: [("tier".to_string(), "gold".to_string())].into(),
            ..Default::default()
        },
        VolumeFilter {
            states: vec![VolumeState::Detached as i32],
            statuses: vec![VolumeStatus::Up as i32],
            ..Default::default()
        },
    ];
    for filter in filters {
        for column in COLUMNS {
            for descending in [false, true] {
                let view =
                    ids(&all_pages(&mut sdk, request(filter.clone(), column, descending)).await);
                let sort = console_model::table::Sort { column, descending };
                let fallback: Vec<String> = console_model::table::select(&rows, &filter, sort)
                    .into_iter()
                    .map(|i| rows[i].id.clone())
                    .collect();
                assert!(!view.is_empty(), "{filter:?} matches something");
                assert_eq!(
                    view, fallback,
                    "{filter:?} by {column:?}, descending {descending}"
                );
            }
        }
    }
}
