//! One listing for every tab of a user. Where console-server has no token of its own on a
//! cluster with auth, a signed-in browser lists every volume itself (InspectWithFilters every
//! 5 s per tab). The same call with the same token and the same request, while one is under
//! way or answered less than `SHARE_FOR` ago, gets that answer instead of going up again: ten
//! tabs of one user cost the cluster one listing. Answers are forgotten as soon as a call
//! through the gateway changes a volume, so nobody's own change is hidden by a shared answer.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use tokio::sync::OnceCell;

/// How long an answer is shared: less than the browser's 5 s between listings, so each tab
/// still sees a listing at least as new as its last one.
const SHARE_FOR: Duration = Duration::from_secs(4);
/// Different (token, request) pairs remembered at most.
const MOST: usize = 64;

/// The calls whose answers are shared: the SDK listing the console's fallback makes.
pub fn shared(path: &str) -> bool {
    path == "/openstorage.api.OpenStorageVolume/InspectWithFilters"
}

/// An answer as it came: status line, headers, the message frames and the trailers.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub data: Bytes,
    pub trailers: Option<HeaderMap>,
}

/// Who asked what: the `authorization` header and the request's bytes.
type Key = (Option<http::HeaderValue>, Bytes);
type Slot = Arc<OnceCell<Answer>>;

#[derive(Default)]
pub struct SharedReads {
    slots: Mutex<HashMap<Key, (Instant, Slot)>>,
}

impl SharedReads {
    /// The slot for this call: one asked less than `SHARE_FOR` ago, or a new one.
    pub fn slot(&self, authorization: Option<http::HeaderValue>, request: Bytes) -> Slot {
        let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        slots.retain(|_, (at, _)| now.duration_since(*at) < SHARE_FOR);
        if slots.len() >= MOST {
            slots.clear();
        }
        slots
            .entry((authorization, request))
            .or_insert_with(|| (now, Arc::default()))
            .1
            .clone()
    }

    /// Something changed: no answer given before is shared again.
    pub fn forget(&self) {
        self.slots.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }
}
