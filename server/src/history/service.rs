//! The console's Metrics service: the sampler's history, and volume counts by state.

use std::sync::Arc;
use std::time::Duration;

use tonic::{Request, Response, Status};

use super::{History, Sampler, KEEP_FOR};
use crate::proto::console::history_request::Target;
use crate::proto::console::metrics_server::{Metrics as MetricsApi, MetricsServer};
use crate::proto::console::{
    AlarmsRequest, AlarmsResponse, HistoryRequest, HistoryResponse, VolumeStateCount,
    VolumeStatesRequest, VolumeStatesResponse,
};
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
    HistoryResponse {
        interval_seconds: metrics.interval().as_secs() as u32,
        points: history.points,
        coverage: history.coverage,
        last_error: history.last_error,
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
        let range = match req.range_seconds {
            0 => KEEP_FOR,
            s => Duration::from_secs(u64::from(s)).min(KEEP_FOR),
        };
        let history = match req.target {
            None => return Err(Status::invalid_argument("target is required")),
            Some(Target::Cluster(_)) => self.metrics.cluster(range),
            Some(Target::NodeId(id)) => {
                if id.is_empty() {
                    return Err(Status::invalid_argument("node_id is required"));
                }
                // A node not sampled yet (the first interval) has no points, not an error.
                self.metrics.node(&id, range).unwrap_or_default()
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
                self.metrics.volume(&id, range).await.map_err(|status| {
                    if status.code() == tonic::Code::NotFound {
                        Status::not_found(format!("volume {id} not found"))
                    } else {
                        status
                    }
                })?
            }
        };
        Ok(Response::new(answer(&self.metrics, history)))
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
