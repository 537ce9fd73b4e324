//! OpenStorageAlerts: the cluster's alerts, enumerated with a server-streaming call (chunks
//! of up to 128), and deleted by resource. Queries are ORed, a query's options ANDed.

use crate::error::{service_absent, AppError};
use crate::proto::methods::open_storage_alerts;
use crate::proto::sdk_alerts_option::Opt;
use crate::proto::sdk_alerts_query::Query;
use crate::proto::*;

use super::view::Viewed;
use super::Sdk;
use console_model::order;

pub use console_model::alerts::RESOURCE_TYPES;

/// What the alerts page asks for.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AlertFilter {
    /// This severity or worse; all when `None`.
    pub min_severity: Option<SeverityType>,
    /// One resource type; all when `None`.
    pub resource: Option<ResourceType>,
    /// Alerts last raised in the last this many seconds.
    pub window: Option<i64>,
    /// Only alerts not cleared.
    pub active_only: bool,
}

/// The queries for a filter at `now` (Unix seconds): one per resource type (upstream has no
/// "any type" query).
pub fn queries(filter: &AlertFilter, now: i64) -> Vec<SdkAlertsQuery> {
    let mut opts = Vec::new();
    if let Some(severity) = filter.min_severity {
        opts.push(Opt::MinSeverityType(severity as i32));
    }
    if filter.active_only {
        opts.push(Opt::IsCleared(false));
    }
    if let Some(seconds) = filter.window {
        // Up to a day ahead: a cluster's clock may run ahead of the browser's.
        opts.push(Opt::TimeSpan(SdkAlertsTimeSpan {
            start_time: Some(prost_types::Timestamp {
                seconds: now - seconds,
                nanos: 0,
            }),
            end_time: Some(prost_types::Timestamp {
                seconds: now + 86_400,
                nanos: 0,
            }),
        }));
    }
    let types: Vec<ResourceType> = match filter.resource {
        Some(one) => vec![one],
        None => RESOURCE_TYPES.to_vec(),
    };
    types
        .into_iter()
        .map(|resource| SdkAlertsQuery {
            query: Some(Query::ResourceTypeQuery(SdkAlertsResourceTypeQuery {
                resource_type: resource as i32,
            })),
            opts: opts
                .iter()
                .cloned()
                .map(|opt| SdkAlertsOption { opt: Some(opt) })
                .collect(),
        })
        .collect()
}

/// What the cluster said about its alerts.
#[derive(Debug, Clone, PartialEq)]
pub enum Alerts {
    /// Matching alerts, newest first.
    Listed(Vec<Alert>),
    /// The cluster keeps no alerts (upstream's osd answers UNAVAILABLE "Resource has not been
    /// initialized"; other servers may not implement the service): the reason.
    NotKept(String),
}

/// Every alert matching the filter, newest first.
pub async fn enumerate(sdk: &Sdk, filter: &AlertFilter) -> Result<Alerts, AppError> {
    let now = crate::browser::clock::unix_now();
    let answer = sdk
        .stream(
            open_storage_alerts::ENUMERATE_WITH_FILTERS,
            SdkAlertsEnumerateWithFiltersRequest {
                queries: queries(filter, now),
            },
        )
        .await;
    let mut stream = match answer {
        Ok(stream) => stream,
        Err(status) if service_absent(&status) => {
            return Ok(Alerts::NotKept(status.message().to_string()))
        }
        Err(status) => return Err(status.into()),
    };
    let mut alerts = Vec::new();
    loop {
        match stream.message().await {
            Ok(Some(message)) => alerts.extend(message.alerts),
            Ok(None) => break,
            Err(status) if service_absent(&status) => {
                return Ok(Alerts::NotKept(status.message().to_string()))
            }
            Err(status) => return Err(status.into()),
        }
    }
    order::sort_by(&mut alerts, |a, b| {
        let at = |x: &Alert| x.timestamp.map_or(0, |t| t.seconds);
        at(b).cmp(&at(a)).then(b.id.cmp(&a.id))
    });
    Ok(Alerts::Listed(alerts))
}

/// Deletes the alerts of this type on this resource (the finest the SDK offers).
pub async fn delete(sdk: &Sdk, alert: &Alert) -> Result<(), AppError> {
    sdk.call(
        open_storage_alerts::DELETE,
        SdkAlertsDeleteRequest {
            queries: vec![SdkAlertsQuery {
                query: Some(Query::ResourceIdQuery(SdkAlertsResourceIdQuery {
                    resource_type: alert.resource,
                    alert_type: alert.alert_type,
                    resource_id: alert.resource_id.clone(),
                })),
                opts: Vec::new(),
            }],
        },
    )
    .await?;
    Ok(())
}

/// The number of active alarms (None where the cluster keeps no alerts), and whether
/// console-server counted it (its count costs the cluster nothing, so it may be asked often).
pub async fn alarm_count(sdk: &Sdk) -> Result<(Option<usize>, bool), AppError> {
    if let Viewed::Answered(answer) = super::metrics::alarms(sdk).await? {
        return Ok((answer.active.map(|n| n as usize), true));
    }
    let filter = AlertFilter {
        min_severity: Some(SeverityType::Alarm),
        active_only: true,
        ..Default::default()
    };
    let count = match enumerate(sdk, &filter).await? {
        Alerts::Listed(list) => Some(list.len()),
        Alerts::NotKept(_) => None,
    };
    Ok((count, false))
}
