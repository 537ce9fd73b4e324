//! Looking at volumes again: each one named (by the gateway after a change, by the id check,
//! by a watch event) is inspected, and its answer, not the hint, goes into the view;
//! NOT_FOUND takes it out.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot, Notify};
use tonic::Code;

use super::{volumes, Upstream};
use crate::proto::SdkVolumeInspectRequest;
use crate::volume_view::{Change, Entry, VolumeView};

const INSPECT_DEADLINE: Duration = Duration::from_secs(10);
/// Hints arriving this close together are looked at together.
const GATHER: Duration = Duration::from_millis(50);
/// More volumes than this at once (a watch's opening dump of every volume) are cheaper to
/// list than to inspect one by one.
const MAX_INSPECTS: usize = 256;
/// How long a caller's change waits for the view to take it in before it is answered anyway.
const LOOK_WAIT: Duration = Duration::from_secs(2);

/// Why a volume should be looked at.
pub(super) enum Hint {
    /// A watch event describing it (no look when the view already holds exactly that).
    Event(Box<Entry>),
    /// It changed, or may have (the gateway, the id check); `done` hears when the view has
    /// taken in the answer.
    Look {
        id: String,
        done: Option<oneshot::Sender<()>>,
    },
}

/// Looks at volumes on demand (the gateway's after-change hook).
#[derive(Clone)]
pub struct Looks {
    hints: mpsc::UnboundedSender<Hint>,
}

impl Looks {
    pub(super) fn new(hints: mpsc::UnboundedSender<Hint>) -> Looks {
        Looks { hints }
    }

    /// Looks at volume `id` again and waits (up to 2 s) until the view holds the answer.
    pub async fn look(&self, id: String) {
        let (done, heard) = oneshot::channel();
        if self
            .hints
            .send(Hint::Look {
                id,
                done: Some(done),
            })
            .is_ok()
        {
            let _ = tokio::time::timeout(LOOK_WAIT, heard).await;
        }
    }
}

pub(super) async fn look_at_hinted(
    view: Arc<VolumeView>,
    upstream: Upstream,
    mut hinted: mpsc::UnboundedReceiver<Hint>,
    relist: Arc<Notify>,
) {
    let mut client = volumes(&upstream);
    while let Some(first) = hinted.recv().await {
        let mut ids = HashSet::new();
        let mut waiting = Vec::new();
        let mut take = |hint: Hint| match hint {
            Hint::Event(entry) => {
                if view.get(entry.id()).as_deref() != Some(&entry) {
                    ids.insert(entry.id().to_string());
                }
            }
            Hint::Look { id, done } => {
                ids.insert(id);
                waiting.extend(done);
            }
        };
        take(first);
        let gather = tokio::time::sleep(GATHER);
        tokio::pin!(gather);
        loop {
            tokio::select! {
                more = hinted.recv() => match more {
                    Some(hint) => take(hint),
                    None => break,
                },
                _ = &mut gather => break,
            }
        }
        if ids.len() > MAX_INSPECTS {
            relist.notify_one();
            continue;
        }
        let mut changes = Vec::new();
        for id in ids {
            let mut request = tonic::Request::new(SdkVolumeInspectRequest {
                volume_id: id.clone(),
                options: None,
            });
            request.set_timeout(INSPECT_DEADLINE);
            match client.inspect(request).await {
                Ok(answer) => {
                    let answer = answer.into_inner();
                    let entry = answer
                        .volume
                        .as_ref()
                        .filter(|v| v.id == id)
                        .and_then(|v| Entry::new(v, &answer.name, &answer.labels));
                    if let Some(entry) = entry {
                        changes.push(Change::Upsert(entry));
                    }
                }
                Err(status) if status.code() == Code::NotFound => {
                    changes.push(Change::Remove(id));
                }
                Err(status) => {
                    tracing::debug!(volume = %id, error = %status.message(), "looking at a volume again failed");
                }
            }
        }
        view.apply(changes);
        for done in waiting {
            let _ = done.send(());
        }
    }
}
