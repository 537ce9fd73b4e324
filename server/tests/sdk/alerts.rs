//! OpenStorageAlerts (and the header's alarm count, console.v1.Metrics' Alarms): natively, over
//! gRPC-Web and through a gateway.

use std::time::Duration;

use crate::common::*;
use console_server::proto::console::AlarmsRequest;
use console_server::proto::sdk_alerts_option::Opt;
use console_server::proto::sdk_alerts_query::Query;
use console_server::proto::*;
use tokio_stream::StreamExt;

fn alarms_query(resource: ResourceType) -> SdkAlertsQuery {
    SdkAlertsQuery {
        query: Some(Query::ResourceTypeQuery(SdkAlertsResourceTypeQuery {
            resource_type: resource as i32,
        })),
        opts: vec![SdkAlertsOption {
            opt: Some(Opt::MinSeverityType(SeverityType::Alarm as i32)),
        }],
    }
}

fn every_resource() -> Vec<SdkAlertsQuery> {
    console_server::history::probe::RESOURCE_TYPES
        .into_iter()
        .map(|r| SdkAlertsQuery {
            query: Some(Query::ResourceTypeQuery(SdkAlertsResourceTypeQuery {
                resource_type: r as i32,
            })),
            opts: Vec::new(),
        })
        .collect()
}

async fn collect<S>(mut stream: S) -> Vec<Alert>
where
    S: tokio_stream::Stream<Item = Result<SdkAlertsEnumerateWithFiltersResponse, tonic::Status>>
        + Unpin,
{
    let mut all = Vec::new();
    while let Some(message) = stream.next().await {
        all.extend(message.unwrap().alerts);
    }
    all
}

#[tokio::test]
async fn alerts_stream_natively_over_grpc_web_and_through_a_gateway() {
    let upstream = TestServer::start(&[
        "--fail-backups-matching",
        "tier=doomed",
        "--fail-node",
        "2",
        "--backup-rate",
        "100GiB",
        "--sample-interval",
        "1s",
    ]);
    let mut sdk = upstream.sdk().await;
    let doomed = sdk
        .create_attached_volume("doomed", 20 * GIB, &[("tier", "doomed")])
        .await;
    sdk.credentials
        .create(aws_credential_request("c", "bucket"))
        .await
        .unwrap();
    sdk.backups
        .create(SdkCloudBackupCreateRequest {
            volume_id: doomed.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
    let gateway = TestServer::start(&["--upstream", &upstream.url()]);
    let failed_node = sdk
        .nodes
        .enumerate_with_filters(SdkNodeEnumerateWithFiltersRequest::default())
        .await
        .unwrap()
        .into_inner()
        .nodes
        .into_iter()
        .find(|n| n.status == Status::Offline as i32)
        .expect("--fail-node takes a node offline");
    let alarms = || SdkAlertsEnumerateWithFiltersRequest {
        queries: vec![
            alarms_query(ResourceType::Volume),
            alarms_query(ResourceType::Node),
        ],
    };
    let mut found = Vec::new();
    for _ in 0..100 {
        let stream = sdk.alerts.enumerate_with_filters(alarms()).await.unwrap();
        found = collect(stream.into_inner()).await;
        if found.iter().any(|a| a.resource_id == doomed) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let backup = found
        .iter()
        .find(|a| a.resource_id == doomed)
        .expect("the failed backup raised an alarm");
    assert_eq!(backup.resource, ResourceType::Volume as i32);
    assert!(
        backup.message.contains("doomed") && backup.message.contains("failed"),
        "{backup:?}"
    );
    assert!(!backup.cleared);
    assert!(found
        .iter()
        .any(|a| a.resource_id == failed_node.id && a.message.contains("offline")));

    // The same over gRPC-Web, and through the gateway natively and over gRPC-Web.
    let web = collect(
        upstream
            .grpc_web()
            .alerts()
            .enumerate_with_filters(alarms())
            .await
            .unwrap()
            .into_inner(),
    )
    .await;
    let mut through = gateway.sdk().await;
    let proxied = collect(
        through
            .alerts
            .enumerate_with_filters(alarms())
            .await
            .unwrap()
            .into_inner(),
    )
    .await;
    let proxied_web = collect(
        gateway
            .grpc_web()
            .alerts()
            .enumerate_with_filters(alarms())
            .await
            .unwrap()
            .into_inner(),
    )
    .await;
    assert_eq!(web, found);
    assert_eq!(proxied, found);
    assert_eq!(proxied_web, found);

    // The badge's count, from the sampler: the node's alarm and the backup's.
    let mut counted = None;
    for _ in 0..50 {
        counted = sdk
            .metrics
            .alarms(AlarmsRequest {})
            .await
            .unwrap()
            .into_inner()
            .active;
        if counted == Some(2) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(counted, Some(2));

    // Upstream's checks: at least one query.
    let empty = sdk
        .alerts
        .enumerate_with_filters(SdkAlertsEnumerateWithFiltersRequest::default())
        .await;
    assert_eq!(code(empty), tonic::Code::InvalidArgument);

    // Delete the backup alarm by resource id; the node's stays.
    through
        .alerts
        .delete(SdkAlertsDeleteRequest {
            queries: vec![SdkAlertsQuery {
                query: Some(Query::ResourceIdQuery(SdkAlertsResourceIdQuery {
                    resource_type: backup.resource,
                    alert_type: backup.alert_type,
                    resource_id: doomed.clone(),
                })),
                opts: Vec::new(),
            }],
        })
        .await
        .unwrap();
    let left = collect(
        sdk.alerts
            .enumerate_with_filters(SdkAlertsEnumerateWithFiltersRequest {
                queries: every_resource(),
            })
            .await
            .unwrap()
            .into_inner(),
    )
    .await;
    assert!(!left
        .iter()
        .any(|a| a.alert_type == backup.alert_type && a.resource_id == doomed));
    assert!(left.iter().any(|a| a.resource_id == failed_node.id));
}
