//! Feeds the view from an upstream cluster without trusting its OpenStorageWatch (upstream's
//! fake driver streams invented volumes there; real drivers may miss events, deletes above
//! all):
//! - the gateway names every volume a forwarded call changed, and the view looks at it again
//!   before the caller hears back (`look`);
//! - a cheap check lists the cluster's volume ids every few seconds, looks at new ones and
//!   drops gone ones, for changes made elsewhere (`listing::check_ids`);
//! - a full listing at start and every `--view-refresh` (`listing::list_every`);
//! - the Watch stream, where the cluster has one, as a hint of what to look at (`watch`).
//!
//! Every browser reads the one view, so the upstream sees the same calls with one tab open or
//! a hundred.

mod listing;
mod look;
mod watch;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, Notify};
use tonic::Code;

use super::VolumeView;
use crate::gateway::{ServiceChannel, Upstream};
use crate::proto::open_storage_volume_client::OpenStorageVolumeClient;

pub use look::Looks;

/// A full listing of a large cluster is one large message: about 240 bytes a volume, so this
/// allows some four million volumes (tonic's default of 4 MiB stops at about 17,000).
pub const LISTING_LIMIT: usize = 1 << 30;

/// How the view follows the upstream.
#[derive(Debug, Clone, Copy)]
pub struct FeedOptions {
    /// Between full listings (`--view-refresh`).
    pub refresh: Duration,
    /// Between checks of the cluster's volume ids (`--view-check`).
    pub check: Duration,
}

/// Starts feeding `view` from `upstream`; the handle looks at volumes on demand.
pub fn spawn(view: Arc<VolumeView>, upstream: Upstream, options: FeedOptions) -> Looks {
    let relist = Arc::new(Notify::new());
    let (hints, hinted) = mpsc::unbounded_channel();
    tokio::spawn(listing::list_every(
        view.clone(),
        upstream.clone(),
        options.refresh,
        relist.clone(),
    ));
    tokio::spawn(listing::check_ids(
        view.clone(),
        upstream.clone(),
        options.check,
        hints.clone(),
    ));
    tokio::spawn(watch::watch(upstream.clone(), hints.clone()));
    tokio::spawn(look::look_at_hinted(view, upstream, hinted, relist));
    Looks::new(hints)
}

fn volumes(upstream: &Upstream) -> OpenStorageVolumeClient<ServiceChannel> {
    let (channel, origin) = upstream.channel();
    OpenStorageVolumeClient::with_origin(channel, origin).max_decoding_message_size(LISTING_LIMIT)
}

/// Whether the cluster refused the view (it wants a token, or a better one): trying again
/// will not help.
fn refused(status: &tonic::Status) -> bool {
    matches!(
        status.code(),
        Code::Unauthenticated | Code::PermissionDenied
    )
}

/// Why the view could not list the cluster, for people.
fn reason(upstream: &Upstream, status: &tonic::Status) -> String {
    if refused(status) {
        let fix = if upstream.has_service_token() {
            "the --upstream-token-file token was refused"
        } else {
            "give console-server a token of its own with --upstream-token-file"
        };
        format!(
            "{} needs a token to list volumes ({}); {fix}",
            upstream.url,
            status.message()
        )
    } else {
        format!(
            "listing volumes on {} failed: {}",
            upstream.url,
            status.message()
        )
    }
}
