//! The console's Metrics service: console-server's performance history (rates it computed
//! from the cluster's counters, or Prometheus'), capacity forecasts, volume counts by state
//! and the alarm count. Endpoints without
//! it answer UNIMPLEMENTED, or FAILED_PRECONDITION for callers with a token through a gateway
//! (see `view::ask`).

use crate::error::AppError;
use crate::proto::console::*;
use crate::proto::methods::metrics;

use super::view::{ask, Service, Viewed};
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
) -> Result<Viewed<HistoryResponse>, AppError> {
    let target = match subject {
        Subject::Cluster => history_request::Target::Cluster(true),
        Subject::Node(id) => history_request::Target::NodeId(id),
        Subject::Volume(id) => history_request::Target::VolumeId(id),
    };
    let request = HistoryRequest {
        target: Some(target),
        range_seconds,
        until: 0,
    };
    ask(sdk, Service::Metrics, sdk.call(metrics::HISTORY, request)).await
}

/// When the cluster (or a node and its pools) will be full at the rate it has been filling;
/// `None` where console-server keeps no history (no Metrics service).
pub async fn forecast(sdk: &Sdk, subject: Subject) -> Result<Option<ForecastResponse>, AppError> {
    let target = match subject {
        Subject::Node(id) => forecast_request::Target::NodeId(id),
        _ => forecast_request::Target::Cluster(true),
    };
    let request = ForecastRequest {
        target: Some(target),
    };
    Ok(
        match ask(sdk, Service::Metrics, sdk.call(metrics::FORECAST, request)).await? {
            Viewed::Answered(f) => Some(f),
            Viewed::Absent(_) => None,
        },
    )
}

pub(super) async fn volume_states(sdk: &Sdk) -> Result<Viewed<VolumeStatesResponse>, AppError> {
    let call = sdk.call(metrics::VOLUME_STATES, VolumeStatesRequest {});
    ask(sdk, Service::Metrics, call).await
}

/// Active alarms as console-server last counted them (`active` absent when unknown).
pub(super) async fn alarms(sdk: &Sdk) -> Result<Viewed<AlarmsResponse>, AppError> {
    let call = sdk.call(metrics::ALARMS, AlarmsRequest {});
    ask(sdk, Service::Metrics, call).await
}
