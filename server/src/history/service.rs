//! The console's Metrics service: the history (from Prometheus, or the sampler's hour in
//! memory), capacity forecasts, and volume counts by state.

use std::sync::Arc;
use std::time::Duration;

use tonic::{Request, Response, Status};

use super::forecast;
use super::prometheus::{Subject, MAX_RANGE};
use super::{History, Sampler, KEEP_FOR};
use crate::proto::console::history_request::Target;
use crate::proto::console::metrics_server::{Metrics as MetricsApi, MetricsServer};
use crate::proto::console::{
    forecast_request, AlarmsRequest, AlarmsResponse, CapacityForecast, ForecastRequest,
    ForecastResponse, HistoryRequest, HistoryResponse, HistorySource, VolumeStateCount,
    VolumeStatesRequest, VolumeStatesResponse,
};
use crate::unix_time;
use crate::volume_view::callers::Need;
use crate::volume_view::service::{ready, viewer, Source};
use crate::volume_view::VolumeView;

pub struct MetricsService {
    metrics: Arc<Sampler>,
    view: Arc<VolumeView>,
    source: Source,
}

impl MetricsService {
    pub fn new(metrics: Arc<Sampler>, view: Arc<VolumeView>, source: Source) -> MetricsService {
        MetricsService {
            metrics,
            view,
            source,
        }
    }

    pub fn server(self) -> MetricsServer<MetricsService> {
        MetricsServer::new(self)
    }
}

fn answer(metrics: &Sampler, history: History) -> HistoryResponse {
    let interval = metrics.interval().as_secs() as i64;
    let range_start = unix_time::now() - history.range as i64;
    // The sampler started after the range did (a restart, a volume looked at just now).
    let starts_at = history
        .points
        .first()
        .map(|p| p.time)
        .filter(|t| *t > range_start + interval * 2)
        .unwrap_or_default();
    HistoryResponse {
        interval_seconds: interval as u32,
        points: history.points,
        coverage: history.coverage,
        last_error: history.last_error,
        source: HistorySource::Memory as i32,
        starts_at,
        prometheus_note: String::new(),
    }
}

/// Why a chart shows the hour kept in memory although the cluster has a Prometheus.
fn fallback_note(url: &str, why: &str) -> String {
    format!("Prometheus ({url}) {why}. Showing the last hour kept in memory.")
}

/// The outlooks of the cluster or a node and of its pools. The whole has none where it
/// reports no capacity (nodes without pools or drives, as upstream's fake driver), rather than
/// "not enough history" forever. `memory_note` is why the hour in memory was used (`None`:
/// Prometheus answered).
fn forecasts(
    whole: Vec<forecast::Sample>,
    pools: impl IntoIterator<Item = (String, Vec<forecast::Sample>)>,
    memory_note: Option<String>,
) -> ForecastResponse {
    ForecastResponse {
        whole: (!whole.is_empty()).then(|| forecast::outlook(&whole)),
        pools: pools
            .into_iter()
            .map(|(pool, samples)| CapacityForecast {
                pool_id: pool,
                ..forecast::outlook(&samples)
            })
            .collect(),
        from_prometheus: memory_note.is_none(),
        prometheus_note: memory_note.unwrap_or_default(),
    }
}

#[tonic::async_trait]
impl MetricsApi for MetricsService {
    async fn history(
        &self,
        request: Request<HistoryRequest>,
    ) -> Result<Response<HistoryResponse>, Status> {
        let viewer = viewer(&self.source, &request, Need::Stats).await?;
        let req = request.into_inner();
        let prometheus = self.metrics.prometheus().cloned();
        let longest = if prometheus.is_some() {
            MAX_RANGE
        } else {
            KEEP_FOR
        };
        let range = match req.range_seconds {
            0 => KEEP_FOR,
            s => Duration::from_secs(u64::from(s)).min(longest),
        };
        let in_memory = range.min(KEEP_FOR);
        let (target, history) = match req.target {
            None => return Err(Status::invalid_argument("target is required")),
            Some(Target::Cluster(_)) => (Subject::Cluster, self.metrics.cluster(in_memory)),
            Some(Target::NodeId(id)) => {
                if id.is_empty() {
                    return Err(Status::invalid_argument("node_id is required"));
                }
                // A node not sampled yet (the first interval) has no points, not an error.
                let history = self.metrics.node(&id, in_memory).unwrap_or_default();
                (Subject::Node(id), history)
            }
            Some(Target::VolumeId(id)) => {
                if id.is_empty() {
                    return Err(Status::invalid_argument("volume_id is required"));
                }
                ready(&self.view).await?;
                let readable = match self.view.get(&id) {
                    Some(entry) => (viewer.may_read)(&entry),
                    // An upstream read as a guest may not hold a volume made elsewhere yet,
                    // and its callers (no token) may read every volume: the first reading
                    // says whether the volume exists. Other views hold every volume.
                    None => self.source.may_lag(),
                };
                // Volumes the caller may not read are as absent as missing ones.
                if !readable {
                    return Err(Status::not_found(format!("volume {id} not found")));
                }
                // Asked of the sampler even with Prometheus: the volume is then read every
                // interval, and so exported.
                let history = self
                    .metrics
                    .volume(&id, in_memory)
                    .await
                    .map_err(|status| {
                        if status.code() == tonic::Code::NotFound {
                            Status::not_found(format!("volume {id} not found"))
                        } else {
                            status
                        }
                    })?;
                (Subject::Volume(id), history)
            }
        };
        let Some(prometheus) = prometheus else {
            return Ok(Response::new(answer(&self.metrics, history)));
        };
        // A range that ends in the future is a range that ends now.
        let now = unix_time::now();
        let until = if req.until > 0 {
            req.until.min(now)
        } else {
            now
        };
        let charted = prometheus
            .history(&target, range.as_secs() as i64, until)
            .await;
        Ok(Response::new(match charted {
            Ok(charted) => HistoryResponse {
                interval_seconds: charted.step as u32,
                points: charted.points,
                coverage: history.coverage,
                last_error: history.last_error,
                source: HistorySource::Prometheus as i32,
                starts_at: charted.starts_at.unwrap_or_default(),
                prometheus_note: String::new(),
            },
            Err(why) => {
                tracing::debug!(url = prometheus.url(), "history from memory: {why}");
                HistoryResponse {
                    prometheus_note: fallback_note(prometheus.url(), &why),
                    ..answer(&self.metrics, history)
                }
            }
        }))
    }

    async fn forecast(
        &self,
        request: Request<ForecastRequest>,
    ) -> Result<Response<ForecastResponse>, Status> {
        viewer(&self.source, &request, Need::Stats).await?;
        let target = match request.into_inner().target {
            None => return Err(Status::invalid_argument("target is required")),
            Some(forecast_request::Target::Cluster(_)) => Subject::Cluster,
            Some(forecast_request::Target::NodeId(id)) if id.is_empty() => {
                return Err(Status::invalid_argument("node_id is required"))
            }
            Some(forecast_request::Target::NodeId(id)) => Subject::Node(id),
        };
        let mut note = String::new();
        if let Some(prometheus) = self.metrics.prometheus().cloned() {
            match prometheus.capacity(&target, unix_time::now()).await {
                Ok((whole, pools)) => return Ok(Response::new(forecasts(whole, pools, None))),
                Err(why) => {
                    note = format!(
                        "Prometheus ({}) {why}. Forecasting from the last hour kept in memory.",
                        prometheus.url(),
                    )
                }
            }
        }
        let (whole, pools) = self.metrics.capacity_in_memory(&target);
        Ok(Response::new(forecasts(whole, pools, Some(note))))
    }

    async fn alarms(
        &self,
        request: Request<AlarmsRequest>,
    ) -> Result<Response<AlarmsResponse>, Status> {
        viewer(&self.source, &request, Need::Alarms).await?;
        Ok(Response::new(match self.metrics.alarms() {
            Ok(active) => AlarmsResponse {
                active: Some(active),
                note: String::new(),
            },
            Err(note) => AlarmsResponse { active: None, note },
        }))
    }

    async fn volume_states(
        &self,
        request: Request<VolumeStatesRequest>,
    ) -> Result<Response<VolumeStatesResponse>, Status> {
        let viewer = viewer(&self.source, &request, Need::Volumes).await?;
        ready(&self.view).await?;
        let (counts, total) = self.view.state_counts(viewer.may_read.as_ref());
        Ok(Response::new(VolumeStatesResponse {
            states: counts
                .into_iter()
                .map(|(state, count)| VolumeStateCount { state, count })
                .collect(),
            total,
        }))
    }
}
