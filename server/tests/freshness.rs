//! The gateway's view stays fresh without trusting OpenStorageWatch: the upstream is a
//! `--driver fake` console-server, whose Watch invents volumes as upstream's does. A change
//! made through the gateway is in the view when the call returns; one made on the cluster
//! directly is found by the id check.

mod common;

use std::time::{Duration, Instant};

use common::*;
use console_server::proto::console::{VolumeNamesRequest, VolumeQueryRequest};
use console_server::proto::*;

/// The names the view lists (every listed volume, one page).
async fn listed(sdk: &mut Sdk) -> Vec<String> {
    let mut names: Vec<String> = sdk
        .view
        .query(VolumeQueryRequest {
            page_size: 500,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .rows
        .into_iter()
        .map(|r| r.name)
        .collect();
    names.sort();
    names
}

/// Whether the view names `id` (listed or not, a snapshot too).
async fn holds(sdk: &mut Sdk, id: &str) -> bool {
    sdk.view
        .names(VolumeNamesRequest {
            ids: vec![id.to_string()],
            contains: "\u{0}never".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .names
        .iter()
        .any(|n| n.id == id)
}

#[tokio::test]
async fn a_change_through_the_gateway_is_in_the_view_when_the_call_returns() {
    let upstream = TestServer::start(&["--driver", "fake"]);
    // Neither a listing nor an id check comes during the test: only the gateway's own news.
    let gateway = gateway_to(&upstream, &["--view-refresh", "1h", "--view-check", "1h"]);
    let mut sdk = gateway.sdk().await;
    assert_eq!(listed(&mut sdk).await, Vec::<String>::new());

    let vol = sdk.create_volume("fresh", GIB, 1, &[]).await;
    assert_eq!(listed(&mut sdk).await, ["fresh"]);
    let clone = sdk.clone_volume("fresh-clone", &vol).await;
    assert_eq!(listed(&mut sdk).await, ["fresh", "fresh-clone"]);
    let snapshot = sdk
        .volumes
        .snapshot_create(SdkVolumeSnapshotCreateRequest {
            volume_id: vol.clone(),
            name: "fresh-snap".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .snapshot_id;
    assert!(
        holds(&mut sdk, &snapshot).await,
        "the snapshot is in the view"
    );

    sdk.volumes
        .update(SdkVolumeUpdateRequest {
            volume_id: vol.clone(),
            labels: [("tier".to_string(), "gold".to_string())].into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let relabelled = sdk
        .view
        .query(VolumeQueryRequest {
            filter: Some(console_server::proto::console::VolumeFilter {
                labels: [("tier".to_string(), "gold".to_string())].into(),
                ..Default::default()
            }),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(relabelled.rows.len(), 1, "the new label is in the view");
    assert_eq!(relabelled.rows[0].id, vol);

    sdk.delete_volume(&snapshot).await;
    assert!(!holds(&mut sdk, &snapshot).await, "the snapshot has left");
    sdk.delete_volume(&clone).await;
    assert_eq!(listed(&mut sdk).await, ["fresh"]);

    // gRPC-Web, as the browser calls: the same.
    let mut web = gateway.grpc_web().volumes();
    let created = web
        .create(volume_request("from-browser", GIB, 1, &[]))
        .await
        .unwrap()
        .into_inner()
        .volume_id;
    assert_eq!(listed(&mut sdk).await, ["fresh", "from-browser"]);
    web.delete(SdkVolumeDeleteRequest { volume_id: created })
        .await
        .unwrap();
    assert_eq!(listed(&mut sdk).await, ["fresh"]);

    // A failed change changes nothing and is answered as the cluster answered it (the name
    // is taken by a volume of another size).
    let refused = sdk
        .volumes
        .create(volume_request("fresh", 2 * GIB, 1, &[]))
        .await;
    let direct = upstream
        .sdk()
        .await
        .volumes
        .create(volume_request("fresh", 2 * GIB, 1, &[]))
        .await;
    let (refused, direct) = (refused.unwrap_err(), direct.unwrap_err());
    assert_eq!(refused.code(), direct.code());
    assert_eq!(refused.message(), direct.message());
    assert_eq!(listed(&mut sdk).await, ["fresh"]);
}

#[tokio::test]
async fn a_change_made_elsewhere_is_found_by_the_id_check_within_seconds() {
    let upstream = TestServer::start(&["--driver", "fake"]);
    let mut direct = upstream.sdk().await;
    let kept = direct.create_volume("kept", GIB, 1, &[]).await;
    let gateway = gateway_to(&upstream, &["--view-refresh", "1h", "--view-check", "1s"]);
    let mut sdk = gateway.sdk().await;
    assert_eq!(listed(&mut sdk).await, ["kept"]);

    // Another client (the Python SDK, pxctl, a CSI driver) creates and deletes on the cluster.
    let other = direct.create_volume("made-elsewhere", GIB, 1, &[]).await;
    direct.delete_volume(&kept).await;
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let names = listed(&mut sdk).await;
        if names == ["made-elsewhere"] {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "after 5 s the view still lists {names:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(holds(&mut sdk, &other).await);
}
