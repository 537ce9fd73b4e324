//! Feeds the view from an upstream cluster: a full listing at start and every interval, and
//! the SDK's OpenStorageWatch stream, where the upstream has it, as a hint of which volumes to
//! look at again. Every browser reads the one view, so the upstream sees the same calls with
//! one tab open or a hundred.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, Notify};
use tonic::Code;

use super::{unix_now, Change, Entry, VolumeView};
use crate::gateway::Upstream;
use crate::proto::open_storage_volume_client::OpenStorageVolumeClient;
use crate::proto::open_storage_watch_client::OpenStorageWatchClient;
use crate::proto::{
    sdk_watch_request, sdk_watch_response, SdkVolumeInspectRequest,
    SdkVolumeInspectWithFiltersRequest, SdkVolumeWatchRequest, SdkWatchRequest,
};

/// A full listing of a large cluster is one large message: about 240 bytes a volume, so this
/// allows some four million volumes (tonic's default of 4 MiB stops at about 17,000).
pub const LISTING_LIMIT: usize = 1 << 30;
const LISTING_DEADLINE: Duration = Duration::from_secs(120);
const INSPECT_DEADLINE: Duration = Duration::from_secs(10);
/// After a failed listing, the next try comes this soon (or at the interval, if sooner).
const RETRY_LISTING: Duration = Duration::from_secs(5);
/// Watch events arriving this close together are looked at together.
const GATHER: Duration = Duration::from_millis(200);
/// More changed volumes than this at once (a watch's opening dump of every volume) are
/// cheaper to list than to inspect one by one.
const MAX_INSPECTS: usize = 256;
const MAX_WATCH_BACKOFF: Duration = Duration::from_secs(60);

/// Starts feeding `view` from `upstream`, listing every `interval`.
pub fn spawn(view: Arc<VolumeView>, upstream: Upstream, interval: Duration) {
    let relist = Arc::new(Notify::new());
    let (hints, hinted) = mpsc::unbounded_channel();
    tokio::spawn(list_every(
        view.clone(),
        upstream.clone(),
        interval,
        relist.clone(),
    ));
    tokio::spawn(watch(upstream.clone(), hints));
    tokio::spawn(inspect_hinted(view, upstream, hinted, relist));
}

fn volumes(upstream: &Upstream) -> OpenStorageVolumeClient<crate::gateway::Channel> {
    let (channel, origin) = upstream.channel();
    OpenStorageVolumeClient::with_origin(channel, origin).max_decoding_message_size(LISTING_LIMIT)
}

/// Why the view could not list the cluster, for people.
fn reason(upstream: &Upstream, status: &tonic::Status) -> String {
    match status.code() {
        Code::Unauthenticated | Code::PermissionDenied => format!(
            "{} needs a token to list volumes ({})",
            upstream.url,
            status.message()
        ),
        _ => format!(
            "listing volumes on {} failed: {}",
            upstream.url,
            status.message()
        ),
    }
}

async fn list_every(
    view: Arc<VolumeView>,
    upstream: Upstream,
    interval: Duration,
    relist: Arc<Notify>,
) {
    let mut client = volumes(&upstream);
    loop {
        let begun = view.revision();
        let mut request = tonic::Request::new(SdkVolumeInspectWithFiltersRequest::default());
        request.set_timeout(LISTING_DEADLINE);
        let wait = match client.inspect_with_filters(request).await {
            Ok(answer) => {
                let entries: Vec<Entry> = answer
                    .into_inner()
                    .volumes
                    .iter()
                    .filter_map(Entry::from_inspect)
                    .collect();
                tracing::debug!(volumes = entries.len(), "listed the upstream's volumes");
                view.replace_all(entries, begun, unix_now());
                interval
            }
            Err(status) => {
                let why = reason(&upstream, &status);
                tracing::warn!("{why}");
                let refused = matches!(
                    status.code(),
                    Code::Unauthenticated | Code::PermissionDenied
                );
                view.mark_stale(why, refused);
                RETRY_LISTING.min(interval)
            }
        };
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = relist.notified() => {}
        }
    }
}

/// Follows the upstream's volume events, sending each volume named as the event describes it. Reconnects with
/// backoff; stops for good only when the upstream has no Watch (the listing carries on).
async fn watch(upstream: Upstream, hints: mpsc::UnboundedSender<Entry>) {
    let mut backoff = Duration::from_secs(1);
    loop {
        let (channel, origin) = upstream.channel();
        let mut client = OpenStorageWatchClient::with_origin(channel, origin)
            .max_decoding_message_size(LISTING_LIMIT);
        let request = SdkWatchRequest {
            event_type: Some(sdk_watch_request::EventType::VolumeEvent(
                SdkVolumeWatchRequest::default(),
            )),
        };
        match client.watch(request).await {
            Err(status) if status.code() == Code::Unimplemented => {
                tracing::info!(
                    upstream = %upstream.url,
                    "the upstream has no OpenStorageWatch; the view follows it by listing"
                );
                return;
            }
            Err(status) => {
                tracing::debug!(upstream = %upstream.url, error = %status.message(), "volume watch refused");
            }
            Ok(answer) => {
                backoff = Duration::from_secs(1);
                let mut events = answer.into_inner();
                loop {
                    match events.message().await {
                        Ok(Some(event)) => {
                            if let Some(sdk_watch_response::EventType::VolumeEvent(e)) =
                                event.event_type
                            {
                                let hint = e.volume.and_then(|v| {
                                    let labels = v
                                        .locator
                                        .as_ref()
                                        .map(|l| l.volume_labels.clone())
                                        .unwrap_or_default();
                                    Entry::new(&v, &e.name, &labels)
                                });
                                if let Some(hint) = hint {
                                    if hints.send(hint).is_err() {
                                        return;
                                    }
                                }
                            }
                        }
                        Ok(None) => break,
                        Err(status) => {
                            tracing::debug!(error = %status.message(), "volume watch ended");
                            break;
                        }
                    }
                }
            }
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(MAX_WATCH_BACKOFF);
    }
}

/// Looks at each hinted volume with Inspect: its answer, not the event's content, goes into
/// the view, and NOT_FOUND takes it out (an invented volume was never in). An event that
/// describes a volume exactly as the view holds it (a watch opens with every volume) needs no
/// look.
async fn inspect_hinted(
    view: Arc<VolumeView>,
    upstream: Upstream,
    mut hinted: mpsc::UnboundedReceiver<Entry>,
    relist: Arc<Notify>,
) {
    let mut client = volumes(&upstream);
    let news = |hint: Entry| {
        (view.get(hint.id()).as_deref() != Some(&hint)).then(|| hint.id().to_string())
    };
    while let Some(first) = hinted.recv().await {
        let mut ids: HashSet<String> = news(first).into_iter().collect();
        let gather = tokio::time::sleep(GATHER);
        tokio::pin!(gather);
        loop {
            tokio::select! {
                more = hinted.recv() => match more {
                    Some(hint) => ids.extend(news(hint)),
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
                    tracing::debug!(volume = %id, error = %status.message(), "inspect after a watch event failed");
                }
            }
        }
        view.apply(changes);
    }
}
