//! Listing the cluster: every volume at start and every `--view-refresh`, and between those
//! only the volume ids every `--view-check` (a new id is looked at, a gone one dropped).

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, Notify};

use super::look::Hint;
use super::{reason, refused, volumes, Upstream};
use crate::proto::{SdkVolumeEnumerateRequest, SdkVolumeInspectWithFiltersRequest};
use crate::unix_time;
use crate::volume_view::{Change, Entry, VolumeView};

const LISTING_DEADLINE: Duration = Duration::from_secs(120);
/// After a failed listing, the next try comes this soon (or at the interval, if sooner).
const RETRY_LISTING: Duration = Duration::from_secs(5);

pub(super) async fn list_every(
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
                view.replace_all(entries, begun, unix_time::now());
                interval
            }
            Err(status) => {
                let why = reason(&upstream, &status);
                tracing::warn!("{why}");
                view.mark_stale(why, refused(&status));
                RETRY_LISTING.min(interval)
            }
        };
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = relist.notified() => {}
        }
    }
}

/// Every `interval`, the cluster's volume ids (about 40 bytes a volume, a sixth of a full
/// listing): ids the view does not hold are looked at, ids it holds that the cluster no
/// longer has are dropped. Only once the view holds a listing, and never over a change the
/// view heard of after the ids were asked for.
pub(super) async fn check_ids(
    view: Arc<VolumeView>,
    upstream: Upstream,
    interval: Duration,
    hints: mpsc::UnboundedSender<Hint>,
) {
    let mut client = volumes(&upstream);
    loop {
        tokio::time::sleep(interval).await;
        if view.readiness() != Some(Ok(())) {
            continue;
        }
        let begun = view.revision();
        let mut request = tonic::Request::new(SdkVolumeEnumerateRequest {});
        request.set_timeout(LISTING_DEADLINE);
        let ids: HashSet<String> = match client.enumerate(request).await {
            Ok(answer) => answer.into_inner().volume_ids.into_iter().collect(),
            Err(status) => {
                tracing::debug!(error = %status.message(), "checking the upstream's volume ids failed");
                continue;
            }
        };
        let (new, gone) = view.differences(&ids, begun);
        if !gone.is_empty() {
            tracing::debug!(volumes = gone.len(), "volumes gone from the upstream");
            view.apply(gone.into_iter().map(Change::Remove));
        }
        for id in new {
            if hints.send(Hint::Look { id, done: None }).is_err() {
                return;
            }
        }
    }
}
