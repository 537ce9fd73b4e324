//! OpenStorageAlerts: upstream's `alerts.go` over the mock's alerts. Queries are ORed, a query's
//! options ANDed; answers stream in chunks of 128.

use std::pin::Pin;
use std::sync::Arc;

use tokio_stream::Stream;
use tonic::{Request, Response, Status};

use crate::mock::ClusterState;
use crate::proto::open_storage_alerts_server::OpenStorageAlerts;
use crate::proto::sdk_alerts_option::Opt;
use crate::proto::sdk_alerts_query::Query;
use crate::proto::{
    Alert, SdkAlertsDeleteRequest, SdkAlertsDeleteResponse, SdkAlertsEnumerateWithFiltersRequest,
    SdkAlertsEnumerateWithFiltersResponse, SdkAlertsQuery, SeverityType,
};

/// Upstream's `alertChunkSize`.
const CHUNK: usize = 128;

pub struct AlertsService {
    state: Arc<ClusterState>,
}

impl AlertsService {
    pub fn new(state: Arc<ClusterState>) -> Self {
        AlertsService { state }
    }
}

/// Whether `alert` matches `query` (upstream's `filter.Match`). A query without a kind
/// matches nothing, as upstream builds no filter for it.
fn matches(query: &SdkAlertsQuery, alert: &Alert) -> Result<bool, Status> {
    let kind = match &query.query {
        Some(Query::ResourceTypeQuery(q)) => alert.resource == q.resource_type,
        Some(Query::AlertTypeQuery(q)) => {
            alert.resource == q.resource_type && alert.alert_type == q.alert_type
        }
        Some(Query::ResourceIdQuery(q)) => {
            alert.resource == q.resource_type
                && alert.alert_type == q.alert_type
                && alert.resource_id == q.resource_id
        }
        None => false,
    };
    if !kind {
        return Ok(false);
    }
    for opt in query.opts.iter().filter_map(|o| o.opt.as_ref()) {
        let hit = match opt {
            Opt::MinSeverityType(min) => {
                *min == SeverityType::None as i32
                    || (alert.severity <= *min && alert.severity != SeverityType::None as i32)
            }
            Opt::IsCleared(cleared) => alert.cleared == *cleared,
            Opt::TimeSpan(span) => {
                let at = alert.timestamp.map_or(0, |t| t.seconds);
                let start = span.start_time.map_or(0, |t| t.seconds);
                let end = span.end_time.map_or(0, |t| t.seconds);
                at >= start && at <= end
            }
            Opt::CountSpan(span) => {
                if span.min_count > span.max_count {
                    return Err(Status::internal(
                        "error enumerating alerts: incorrect filter value: count span",
                    ));
                }
                alert.count >= span.min_count && alert.count <= span.max_count
            }
        };
        if !hit {
            return Ok(false);
        }
    }
    Ok(true)
}

fn matching(queries: &[SdkAlertsQuery], alert: &Alert) -> Result<bool, Status> {
    for query in queries {
        if matches(query, alert)? {
            return Ok(true);
        }
    }
    Ok(false)
}

type AlertStream =
    Pin<Box<dyn Stream<Item = Result<SdkAlertsEnumerateWithFiltersResponse, Status>> + Send>>;

#[tonic::async_trait]
impl OpenStorageAlerts for AlertsService {
    type EnumerateWithFiltersStream = AlertStream;

    async fn enumerate_with_filters(
        &self,
        request: Request<SdkAlertsEnumerateWithFiltersRequest>,
    ) -> Result<Response<AlertStream>, Status> {
        let queries = request.into_inner().queries;
        if queries.is_empty() {
            return Err(Status::invalid_argument("Must provide at least one query"));
        }
        let found = self.state.with_store(|store, _| {
            let mut found = Vec::new();
            for alert in store.alerts.all() {
                if matching(&queries, alert)? {
                    found.push(alert.clone());
                }
            }
            Ok(found)
        })?;
        let chunks: Vec<_> = found
            .chunks(CHUNK)
            .map(|chunk| {
                Ok(SdkAlertsEnumerateWithFiltersResponse {
                    alerts: chunk.to_vec(),
                })
            })
            .collect();
        Ok(Response::new(Box::pin(tokio_stream::iter(chunks))))
    }

    async fn delete(
        &self,
        request: Request<SdkAlertsDeleteRequest>,
    ) -> Result<Response<SdkAlertsDeleteResponse>, Status> {
        let queries = request.into_inner().queries;
        if queries.is_empty() {
            return Err(Status::invalid_argument("Must provide at least one query"));
        }
        self.state.with_store(|store, _| {
            // Check every option first, so a bad query deletes nothing.
            for alert in store.alerts.all() {
                matching(&queries, alert).map_err(|e| {
                    Status::internal(e.message().replace("enumerating", "deleting"))
                })?;
            }
            store
                .alerts
                .remove(|alert| matching(&queries, alert).unwrap_or(false));
            Ok(())
        })?;
        Ok(Response::new(SdkAlertsDeleteResponse {}))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::{
        ResourceType, SdkAlertsOption, SdkAlertsResourceIdQuery, SdkAlertsResourceTypeQuery,
    };

    fn alert(resource: ResourceType, severity: SeverityType, cleared: bool) -> Alert {
        Alert {
            resource: resource as i32,
            severity: severity as i32,
            cleared,
            count: 1,
            alert_type: 35,
            resource_id: "v1".into(),
            ..Default::default()
        }
    }

    fn by_type(resource: ResourceType, opts: Vec<Opt>) -> SdkAlertsQuery {
        SdkAlertsQuery {
            query: Some(Query::ResourceTypeQuery(SdkAlertsResourceTypeQuery {
                resource_type: resource as i32,
            })),
            opts: opts
                .into_iter()
                .map(|o| SdkAlertsOption { opt: Some(o) })
                .collect(),
        }
    }

    #[test]
    fn min_severity_keeps_that_severity_and_worse() {
        let q = by_type(
            ResourceType::Volume,
            vec![Opt::MinSeverityType(SeverityType::Warning as i32)],
        );
        let hit = |s| matches(&q, &alert(ResourceType::Volume, s, false)).unwrap();
        assert!(hit(SeverityType::Alarm));
        assert!(hit(SeverityType::Warning));
        assert!(!hit(SeverityType::Notify));
        assert!(!hit(SeverityType::None));
        let any = by_type(
            ResourceType::Volume,
            vec![Opt::MinSeverityType(SeverityType::None as i32)],
        );
        assert!(matches(
            &any,
            &alert(ResourceType::Volume, SeverityType::None, false)
        )
        .unwrap());
    }

    #[test]
    fn queries_are_ored_and_options_anded() {
        let queries = vec![
            by_type(ResourceType::Node, vec![]),
            by_type(ResourceType::Volume, vec![Opt::IsCleared(false)]),
        ];
        let active = alert(ResourceType::Volume, SeverityType::Alarm, false);
        let cleared = alert(ResourceType::Volume, SeverityType::Alarm, true);
        let node = alert(ResourceType::Node, SeverityType::Alarm, true);
        assert!(matching(&queries, &active).unwrap());
        assert!(!matching(&queries, &cleared).unwrap());
        assert!(matching(&queries, &node).unwrap());
        let by_id = SdkAlertsQuery {
            query: Some(Query::ResourceIdQuery(SdkAlertsResourceIdQuery {
                resource_type: ResourceType::Volume as i32,
                alert_type: 35,
                resource_id: "v2".into(),
            })),
            opts: vec![],
        };
        assert!(!matches(&by_id, &active).unwrap());
        assert!(!matches(&SdkAlertsQuery::default(), &active).unwrap());
    }
}
