//! Follows the console view's change stream while a screen shows view data: each event is
//! handed to the screen, and a stream that ends is reopened (with backoff) from the revision
//! the screen last loaded, so nothing is missed in between.

use std::time::Duration;

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::view::{self, Viewed};
use crate::hooks::connection::use_connection;
use crate::logic::backoff::PollSchedule;
use crate::proto::console::VolumeWatchEvent;

/// Events closer together than this are handed over one after another, after a pause, so a
/// burst of changes costs the screen a few reloads, not one per change.
const PACE: u32 = 300;

/// Watches from `from()` (revision and view id of the data on screen, once there is some);
/// calls `on_event` for every change. Keeps `live` true while the stream is open: then the
/// screen need not poll.
pub fn use_view_watch(
    live: RwSignal<bool>,
    from: impl Fn() -> Option<(u64, String)> + 'static,
    on_event: impl Fn(VolumeWatchEvent) + 'static,
) {
    let conn = use_connection();
    let (task, handle) = futures::future::abortable(async move {
        // Reopening backs off as polling does (1 s, doubling to 30 s), from the start again
        // once a stream has opened.
        let mut retry = PollSchedule::new(Duration::ZERO);
        loop {
            let Some((revision, view_id)) = from() else {
                TimeoutFuture::new(500).await;
                continue;
            };
            let Some(sdk) = conn.sdk.try_get_untracked() else {
                return;
            };
            if let Ok(Viewed::Answered(mut stream)) = view::watch(&sdk, revision, &view_id).await {
                live.try_set(true);
                retry.after(true);
                while let Ok(Some(event)) = stream.message().await {
                    if !event.heartbeat {
                        on_event(event);
                        TimeoutFuture::new(PACE).await;
                    }
                }
                live.try_set(false);
            }
            TimeoutFuture::new(retry.after(false).as_millis() as u32).await;
        }
    });
    spawn_local(async move {
        let _ = task.await;
    });
    // Leaving the screen closes the stream (dropping it aborts the fetch).
    on_cleanup(move || handle.abort());
}
