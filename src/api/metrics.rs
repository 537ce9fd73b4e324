//! The console's Metrics service: console-server's performance history (rates it computed
//! from the cluster's counters) and volume counts by state. Endpoints without it answer
//! UNIMPLEMENTED, or FAILED_PRECONDITION for callers with a token through a gateway.

use crate::proto::console::metrics_client::MetricsClient;
use crate::proto::console::*;

use super::view::ViewError;
use super::Sdk;

/// What a chart shows the history of.
#[derive(Debug, Clone, PartialEq)]
pub enum Subject {
    Cluster,
    Node(String),
    Volume(String),
}

pub async fn history(
    sdk: &Sdk,
    subject: Subject,
    range_seconds: u32,
) -> Result<HistoryResponse, ViewError> {
    let target = match subject {
        Subject::Cluster => history_request::Target::Cluster(true),
        Subject::Node(id) => history_request::Target::NodeId(id),
        Subject::Volume(id) => history_request::Target::VolumeId(id),
    };
    Ok(MetricsClient::new(sdk.channel())
        .history(sdk.request(HistoryRequest {
            target: Some(target),
            range_seconds,
        }))
        .await?
        .into_inner())
}

pub async fn volume_states(sdk: &Sdk) -> Result<VolumeStatesResponse, ViewError> {
    Ok(MetricsClient::new(sdk.channel())
        .volume_states(sdk.request(VolumeStatesRequest {}))
        .await?
        .into_inner())
}

/// Active alarms as console-server last counted them (`active` absent when unknown).
pub async fn alarms(sdk: &Sdk) -> Result<AlarmsResponse, ViewError> {
    Ok(MetricsClient::new(sdk.channel())
        .alarms(sdk.request(AlarmsRequest {}))
        .await?
        .into_inner())
}
