//! `openstorage.console.v1.VolumeView`: queries and a change stream over the shared view.

use std::pin::Pin;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tokio_stream::Stream;
use tonic::{Request, Response, Status};

use super::callers::{Callers, Need};
use super::query::Viewer;
use super::VolumeView;
use crate::access::ownership::owner_permits;
use crate::access::Caller;
use crate::health::Health;
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
/// A delta with more changed volumes than this is sent as a resync (the client asks for its
/// page again) rather than as one large event.
const MAX_EVENT_ROWS: usize = 1000;
/// How long a query waits for the view's first listing.
const FIRST_LISTING_WAIT: Duration = Duration::from_secs(15);

/// Where the view's data comes from, which decides whose volumes a caller sees.
#[derive(Debug, Clone)]
pub enum Source {
    /// The built-in mock: its auth layer has checked the caller, and ownership applies here
    /// as it does to InspectWithFilters.
    Mock,
    /// An upstream listed with console-server's own token: the cluster says who each caller
    /// is (`Callers`), and ownership applies as upstream applies it.
    Upstream(Arc<Callers>),
    /// An upstream listed without a token: it serves callers without one. A caller with a
    /// token is on a cluster with auth, where each user sees their own volumes, so the
    /// console calls the SDK with that token instead.
    UpstreamAsGuest,
}

impl Source {
    /// Whether the view may not hold a volume a caller may read (it learns of volumes made
    /// elsewhere at its next check): an upstream read as a guest, whose callers read all.
    pub fn may_lag(&self) -> bool {
        matches!(self, Source::UpstreamAsGuest)
    }
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

    async fn viewer<T>(&self, request: &Request<T>) -> Result<Viewer, Status> {
        viewer(&self.source, request, Need::Volumes).await
    }

    async fn ready(&self) -> Result<(), Status> {
        ready(&self.view).await
    }
}

/// Waits for the view's first listing; FAILED_PRECONDITION when the view cannot list the
/// cluster (the console then calls the SDK itself), UNAVAILABLE while it may yet.
pub async fn ready(view: &VolumeView) -> Result<(), Status> {
    let mut revisions = view.subscribe();
    let give_up = tokio::time::sleep(FIRST_LISTING_WAIT);
    tokio::pin!(give_up);
    loop {
        match view.readiness() {
            Some(Ok(())) => return Ok(()),
            // The cluster refuses the view: the console must call it itself.
            Some(Err((reason, true))) => {
                return Err(Status::failed_precondition(format!(
                    "the console's view of the cluster is not available: {reason}"
                )))
            }
            // A failure that may pass (the cluster is down or slow): try again later.
            Some(Err((reason, false))) => {
                return Err(Status::unavailable(format!(
                    "the console's view could not list the cluster yet: {reason}"
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

/// Who is asking, and what they may see: on the mock, what its auth layer decided; through an
/// upstream read with a service token, what the cluster says of the caller's token; through
/// an upstream read as a guest, callers without a token only.
/// `need` is the SDK call the answer stands for (the mock's auth layer has checked it already).
pub async fn viewer<T>(
    source: &Source,
    request: &Request<T>,
    need: Need,
) -> Result<Viewer, Status> {
    match source {
        Source::Upstream(callers) => {
            let header = request
                .metadata()
                .get("authorization")
                .and_then(|v| v.to_str().ok());
            let caller = callers.caller(header, need).await?;
            Ok(owned_by(caller))
        }
        Source::UpstreamAsGuest => {
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
            Some(caller) => Ok(owned_by(caller)),
        },
    }
}

/// A caller who sees the volumes upstream's ownership rules let them read.
fn owned_by(caller: Caller) -> Viewer {
    Viewer {
        key: format!("{caller:?}"),
        may_read: Box::new(move |entry| {
            owner_permits(entry.ownership.as_ref(), Some(&caller), AccessType::Read)
        }),
    }
}

type WatchStream = Pin<Box<dyn Stream<Item = Result<VolumeWatchEvent, Status>> + Send>>;

#[tonic::async_trait]
impl VolumeViewApi for ViewService {
    async fn query(
        &self,
        request: Request<VolumeQueryRequest>,
    ) -> Result<Response<VolumeQueryResponse>, Status> {
        let viewer = self.viewer(&request).await?;
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
        let viewer = self.viewer(&request).await?;
        self.ready().await?;
        self.view
            .names(request.get_ref(), &viewer)
            .map(Response::new)
    }

    /// Not about any volume, so answered to every caller who may ask Identity.Version (with or
    /// without a token).
    async fn health(
        &self,
        _: Request<ViewHealthRequest>,
    ) -> Result<Response<ViewHealthResponse>, Status> {
        let latest = self.health.latest().await;
        Ok(Response::new(ViewHealthResponse {
            cluster_reachable: latest.answer.is_ok(),
            reason: latest.answer.err().unwrap_or_default(),
            checked_at: latest.checked_at,
        }))
    }

    type WatchStream = WatchStream;

    async fn watch(
        &self,
        request: Request<VolumeWatchRequest>,
    ) -> Result<Response<WatchStream>, Status> {
        let viewer = self.viewer(&request).await?;
        self.ready().await?;
        let (tx, rx) = mpsc::channel(16);
        let open = OpenWatch::new();
        tokio::spawn(stream_changes(
            self.view.clone(),
            viewer,
            request.into_inner(),
            tx,
            open,
        ));
        Ok(Response::new(Box::pin(ReceiverStream::new(rx))))
    }
}

/// Watch streams open now, every cluster's (for `/metrics`).
static OPEN_WATCHES: AtomicI64 = AtomicI64::new(0);

pub fn open_watches() -> i64 {
    OPEN_WATCHES.load(Ordering::Relaxed)
}

/// Counts a stream as open for as long as it lives.
struct OpenWatch;

impl OpenWatch {
    fn new() -> OpenWatch {
        OPEN_WATCHES.fetch_add(1, Ordering::Relaxed);
        OpenWatch
    }
}

impl Drop for OpenWatch {
    fn drop(&mut self) {
        OPEN_WATCHES.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Sends the view's changes after the client's revision until the client leaves.
async fn stream_changes(
    view: Arc<VolumeView>,
    viewer: Viewer,
    request: VolumeWatchRequest,
    tx: mpsc::Sender<Result<VolumeWatchEvent, Status>>,
    _open: OpenWatch,
) {
    let mut revisions = view.subscribe();
    let mut at = request.after_revision;
    let mut resync = request.view_id != view.id();
    let mut beat_at = tokio::time::Instant::now() + HEARTBEAT;
    loop {
        let event = match (resync, view.changes_since(at)) {
            (false, Some(delta)) if delta.changed.len() <= MAX_EVENT_ROWS => {
                at = delta.revision;
                event_for(&view, &viewer, delta)
            }
            // Unknown, too old, or more than an event should carry: query again.
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
            beat_at = tokio::time::Instant::now() + HEARTBEAT;
        }
        tokio::select! {
            changed = revisions.changed() => {
                if changed.is_err() {
                    return;
                }
                tokio::time::sleep(COALESCE).await;
            }
            _ = tokio::time::sleep_until(beat_at) => {
                let beat = VolumeWatchEvent { revision: at, heartbeat: true, ..Default::default() };
                if tx.send(Ok(beat)).await.is_err() {
                    return;
                }
                beat_at = tokio::time::Instant::now() + HEARTBEAT;
            }
            _ = tx.closed() => return,
        }
    }
}

/// What a watcher hears of a delta: rows it may read now, and ids of rows it could read
/// before and no longer can (gone, no longer listed, or no longer theirs). Volumes it could
/// never read are not mentioned at all. A change to anything else (a snapshot, whose name its
/// clones show as their parent) still sends an empty event, so the client asks again.
fn event_for(view: &VolumeView, viewer: &Viewer, delta: super::Delta) -> Option<VolumeWatchEvent> {
    let readable = |e: &super::Entry| e.listed && (viewer.may_read)(e);
    let ids: Vec<String> = delta.changed.iter().map(|c| c.id.clone()).collect();
    let mut event = VolumeWatchEvent {
        revision: delta.revision,
        ..Default::default()
    };
    let mut touched = false;
    for (changed, (_, now)) in delta.changed.iter().zip(view.rows(&ids)) {
        let before = changed.previous.as_deref().is_some_and(readable);
        match now {
            Some((entry, row)) if readable(&entry) => event.changed.push(row),
            _ if before => event.removed.push(changed.id.clone()),
            Some((entry, _)) if !entry.listed && (viewer.may_read)(&entry) => touched = true,
            _ if changed
                .previous
                .as_deref()
                .is_some_and(|p| !p.listed && (viewer.may_read)(p)) =>
            {
                touched = true
            }
            _ => {}
        }
    }
    (touched || !event.changed.is_empty() || !event.removed.is_empty()).then_some(event)
}
