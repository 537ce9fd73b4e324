//! `openstorage.console.v1.VolumeView`: queries and a change stream over the shared view.

use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tokio_stream::Stream;
use tonic::{Request, Response, Status};

use super::health::Health;
use super::query::Viewer;
use super::VolumeView;
use crate::auth::Caller;
use crate::mock::sdk::ownership::owner_permits;
use crate::proto::console::volume_view_server::{VolumeView as VolumeViewApi, VolumeViewServer};
use crate::proto::console::{
    ViewHealthRequest, ViewHealthResponse, VolumeNamesRequest, VolumeNamesResponse,
    VolumeQueryRequest, VolumeQueryResponse, VolumeWatchEvent, VolumeWatchRequest,
};
use crate::proto::ownership::AccessType;

/// Changes arriving this close together go out in one event.
const COALESCE: Duration = Duration::from_millis(100);
/// An idle stream still says something this often, so proxies keep it open.
const HEARTBEAT: Duration = Duration::from_secs(30);
/// How long a query waits for the view's first listing.
const FIRST_LISTING_WAIT: Duration = Duration::from_secs(15);

/// The SDK method whose permission a view method needs: it shows what InspectWithFilters
/// would, so callers may use it exactly when they may list volumes.
pub fn sdk_equivalent(path: &str) -> Option<&'static str> {
    path.starts_with("/openstorage.console.v1.VolumeView/")
        .then_some("/openstorage.api.OpenStorageVolume/InspectWithFilters")
}

/// Where the view's data comes from, which decides whose volumes a caller sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The built-in mock: its auth layer has checked the caller, and ownership applies here
    /// as it does to InspectWithFilters.
    Mock,
    /// An upstream, listed without a token: it serves callers without one. A caller with a
    /// token is on a cluster with auth, where each user sees their own volumes, so the
    /// console calls the SDK with that token instead.
    Upstream,
}

#[derive(Debug, Clone)]
pub struct ViewService {
    view: Arc<VolumeView>,
    source: Source,
    health: Health,
}

impl ViewService {
    pub fn new(view: Arc<VolumeView>, source: Source, health: Health) -> ViewService {
        ViewService {
            view,
            source,
            health,
        }
    }

    pub fn server(self) -> VolumeViewServer<ViewService> {
        VolumeViewServer::new(self)
    }

    fn viewer<T>(&self, request: &Request<T>) -> Result<Viewer, Status> {
        match self.source {
            Source::Upstream => {
                if request.metadata().contains_key("authorization") {
                    return Err(Status::failed_precondition(
                        "the console's shared view serves clusters without auth; calls with a \
                         token go to the cluster itself",
                    ));
                }
                Ok(Viewer::everyone())
            }
            Source::Mock => match request.extensions().get::<Caller>().cloned() {
                None => Ok(Viewer::everyone()),
                Some(caller) => Ok(Viewer {
                    key: format!("{caller:?}"),
                    may_read: Box::new(move |entry| {
                        owner_permits(entry.ownership.as_ref(), Some(&caller), AccessType::Read)
                    }),
                }),
            },
        }
    }

    /// Waits for the first listing; FAILED_PRECONDITION when the view cannot list the
    /// cluster (the console then calls the SDK itself).
    async fn ready(&self) -> Result<(), Status> {
        let mut revisions = self.view.subscribe();
        let give_up = tokio::time::sleep(FIRST_LISTING_WAIT);
        tokio::pin!(give_up);
        loop {
            match self.view.readiness() {
                Some(Ok(())) => return Ok(()),
                Some(Err(reason)) => {
                    return Err(Status::failed_precondition(format!(
                        "the console's view of the cluster is not available: {reason}"
                    )))
                }
                None => {}
            }
            tokio::select! {
                changed = revisions.changed() => {
                    if changed.is_err() {
                        return Err(Status::unavailable("the console's view has stopped"));
                    }
                }
                _ = &mut give_up => {
                    return Err(Status::unavailable(
                        "the console's view is still listing the cluster's volumes; try again",
                    ))
                }
            }
        }
    }
}

type WatchStream = Pin<Box<dyn Stream<Item = Result<VolumeWatchEvent, Status>> + Send>>;

#[tonic::async_trait]
impl VolumeViewApi for ViewService {
    async fn query(
        &self,
        request: Request<VolumeQueryRequest>,
    ) -> Result<Response<VolumeQueryResponse>, Status> {
        let viewer = self.viewer(&request)?;
        self.ready().await?;
        let view = self.view.clone();
        let request = request.into_inner();
        // Sorting 100,000 rows is CPU work: off the async workers.
        tokio::task::spawn_blocking(move || view.query(&request, &viewer))
            .await
            .map_err(|e| Status::internal(format!("query failed: {e}")))?
            .map(Response::new)
    }

    async fn names(
        &self,
        request: Request<VolumeNamesRequest>,
    ) -> Result<Response<VolumeNamesResponse>, Status> {
        let viewer = self.viewer(&request)?;
        self.ready().await?;
        self.view
            .names(request.get_ref(), &viewer)
            .map(Response::new)
    }

    /// Not about any volume, so answered to every caller (with or without a token).
    async fn health(
        &self,
        _: Request<ViewHealthRequest>,
    ) -> Result<Response<ViewHealthResponse>, Status> {
        Ok(Response::new(self.health.latest().await))
    }

    type WatchStream = WatchStream;

    async fn watch(
        &self,
        request: Request<VolumeWatchRequest>,
    ) -> Result<Response<WatchStream>, Status> {
        let viewer = self.viewer(&request)?;
        self.ready().await?;
        let (tx, rx) = mpsc::channel(16);
        tokio::spawn(stream_changes(
            self.view.clone(),
            viewer,
            request.into_inner(),
            tx,
        ));
        Ok(Response::new(Box::pin(ReceiverStream::new(rx))))
    }
}

/// Sends the view's changes after the client's revision until the client leaves.
async fn stream_changes(
    view: Arc<VolumeView>,
    viewer: Viewer,
    request: VolumeWatchRequest,
    tx: mpsc::Sender<Result<VolumeWatchEvent, Status>>,
) {
    let mut revisions = view.subscribe();
    let mut at = request.after_revision;
    let mut resync = request.view_id != view.id();
    loop {
        let event = match (resync, view.changes_since(at)) {
            (false, Some(delta)) => {
                at = delta.revision;
                let listed: Vec<String> = delta
                    .ids
                    .into_iter()
                    .filter(|(_, listed)| *listed)
                    .map(|(id, _)| id)
                    .collect();
                let mut event = VolumeWatchEvent {
                    revision: at,
                    ..Default::default()
                };
                for (id, entry) in view.rows(&listed) {
                    match entry.filter(|(e, _)| e.listed && (viewer.may_read)(e)) {
                        Some((_, row)) => event.changed.push(row),
                        None => event.removed.push(id),
                    }
                }
                (!event.changed.is_empty() || !event.removed.is_empty()).then_some(event)
            }
            _ => {
                resync = false;
                at = view.revision();
                Some(VolumeWatchEvent {
                    revision: at,
                    resync: true,
                    ..Default::default()
                })
            }
        };
        if let Some(event) = event {
            if tx.send(Ok(event)).await.is_err() {
                return;
            }
        }
        tokio::select! {
            changed = revisions.changed() => {
                if changed.is_err() {
                    return;
                }
                tokio::time::sleep(COALESCE).await;
            }
            _ = tokio::time::sleep(HEARTBEAT) => {
                let beat = VolumeWatchEvent { revision: at, heartbeat: true, ..Default::default() };
                if tx.send(Ok(beat)).await.is_err() {
                    return;
                }
            }
            _ = tx.closed() => return,
        }
    }
}
