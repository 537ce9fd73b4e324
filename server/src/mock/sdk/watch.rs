//! OpenStorageWatch, as upstream's `api/server/sdk/watcher.go` does it: a volume event request
//! or INVALID_ARGUMENT; then every volume the caller may read; then each volume as the driver
//! reports it. The realistic driver reports volumes as they change (a deleted one once more,
//! in state DELETED); the fake driver, like upstream's, reports invented volumes.

use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tokio_stream::Stream;
use tonic::{Request, Response, Status};

use super::ownership::{caller_of, permitted};
use crate::access::Caller;
use crate::mock::store::volume_name;
use crate::mock::ClusterState;
use crate::proto::open_storage_watch_server::OpenStorageWatch;
use crate::proto::{
    ownership::AccessType, sdk_watch_request, sdk_watch_response, SdkVolumeWatchResponse,
    SdkWatchRequest, SdkWatchResponse, Volume, VolumeLocator, VolumeSpec, VolumeState,
};

#[derive(Debug)]
pub struct WatchService {
    state: Arc<ClusterState>,
}

impl WatchService {
    pub fn new(state: Arc<ClusterState>) -> WatchService {
        WatchService { state }
    }
}

type Events = Pin<Box<dyn Stream<Item = Result<SdkWatchResponse, Status>> + Send>>;
type Sender = mpsc::Sender<Result<SdkWatchResponse, Status>>;

fn event(volume: Volume) -> SdkWatchResponse {
    let name = volume_name(&volume).to_string();
    SdkWatchResponse {
        event_type: Some(sdk_watch_response::EventType::VolumeEvent(
            SdkVolumeWatchResponse {
                volume: Some(volume),
                name,
            },
        )),
    }
}

#[tonic::async_trait]
impl OpenStorageWatch for WatchService {
    type WatchStream = Events;

    async fn watch(&self, request: Request<SdkWatchRequest>) -> Result<Response<Events>, Status> {
        let caller = caller_of(&request);
        let req = request.into_inner();
        if !matches!(
            req.event_type,
            Some(sdk_watch_request::EventType::VolumeEvent(_))
        ) {
            return Err(Status::invalid_argument(format!(
                "invalid request type for watcher {req:?}"
            )));
        }
        let (tx, rx) = mpsc::channel(100);
        let state = self.state.clone();
        // Subscribed before the opening listing, so no change falls between the two.
        let revisions = state.view.subscribe();
        let from = state.view.revision();
        let current = state.with_store(|store, _| {
            Ok(store
                .volumes
                .values()
                .filter(|v| permitted(v, caller.as_ref(), AccessType::Read))
                .cloned()
                .collect::<Vec<_>>())
        })?;
        tokio::spawn(async move {
            for volume in current {
                if tx.send(Ok(event(volume))).await.is_err() {
                    return;
                }
            }
            if state.driver().watch_invents_volumes() {
                invent(tx).await;
            } else {
                follow(state, caller, revisions, from, tx).await;
            }
        });
        Ok(Response::new(Box::pin(ReceiverStream::new(rx))))
    }
}

/// The realistic driver: each changed volume as it now is.
async fn follow(
    state: Arc<ClusterState>,
    caller: Option<Caller>,
    mut revisions: tokio::sync::watch::Receiver<u64>,
    mut at: u64,
    tx: Sender,
) {
    loop {
        tokio::select! {
            changed = revisions.changed() => if changed.is_err() { return },
            _ = tx.closed() => return,
        }
        let Some(delta) = state.view.changes_since(at) else {
            // Too far behind to say what changed: like a driver that dropped events.
            at = state.view.revision();
            continue;
        };
        at = delta.revision;
        let volumes = state.with_store(|store, _| {
            Ok(delta
                .changed
                .iter()
                .map(|changed| match store.volumes.get(&changed.id) {
                    Some(v) => v.clone(),
                    // Gone: once more, in state DELETED, to those who could read it.
                    None => Volume {
                        id: changed.id.clone(),
                        state: VolumeState::Deleted as i32,
                        spec: Some(VolumeSpec {
                            ownership: changed.previous.as_ref().and_then(|p| p.ownership.clone()),
                            ..Default::default()
                        }),
                        ..Default::default()
                    },
                })
                .filter(|v| permitted(v, caller.as_ref(), AccessType::Read))
                .collect::<Vec<_>>())
        });
        for volume in volumes.unwrap_or_default() {
            if tx.send(Ok(event(volume))).await.is_err() {
                return;
            }
        }
    }
}

/// The fake driver: an invented volume every 1 to 10 s, in no store.
async fn invent(tx: Sender) {
    let mut rng = fastrand::Rng::new();
    for iteration in 0u64.. {
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(rng.u64(1..=10))) => {}
            _ = tx.closed() => return,
        }
        let volume = Volume {
            id: format!("{}-{iteration}", rng.u32(..i32::MAX as u32)),
            locator: Some(VolumeLocator {
                name: uuid::Uuid::new_v4().to_string(),
                ..Default::default()
            }),
            ..Default::default()
        };
        if tx.send(Ok(event(volume))).await.is_err() {
            return;
        }
    }
}
