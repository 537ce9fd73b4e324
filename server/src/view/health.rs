//! Whether the cluster answers, checked by console-server itself every few seconds (one
//! Identity.Version call) and read by every tab: a heartbeat that costs the cluster the same
//! with one tab open or a hundred.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use super::unix_now;
use crate::gateway::Upstream;
use crate::proto::console::ViewHealthResponse;

const EVERY: Duration = Duration::from_secs(10);

#[derive(Debug, Clone)]
pub struct Health {
    latest: Arc<watch::Sender<ViewHealthResponse>>,
}

impl Health {
    /// The built-in mock: console-server is the cluster.
    pub fn always_up() -> Health {
        Health {
            latest: Arc::new(watch::Sender::new(ViewHealthResponse {
                cluster_reachable: true,
                reason: String::new(),
                checked_at: unix_now(),
            })),
        }
    }

    /// An upstream, checked now and every 10 s.
    pub fn follow(upstream: Upstream) -> Health {
        let latest = Arc::new(watch::Sender::new(ViewHealthResponse {
            cluster_reachable: false,
            reason: format!("{} has not been checked yet", upstream.url),
            checked_at: 0,
        }));
        let sender = latest.clone();
        tokio::spawn(async move {
            loop {
                let result = upstream.check_on_view_connection().await;
                sender.send_replace(ViewHealthResponse {
                    cluster_reachable: result.is_ok(),
                    reason: result.err().unwrap_or_default(),
                    checked_at: unix_now(),
                });
                tokio::time::sleep(EVERY).await;
            }
        });
        Health { latest }
    }

    /// The latest check; before the first one has finished, waits for it (up to 5 s).
    pub async fn latest(&self) -> ViewHealthResponse {
        let mut rx = self.latest.subscribe();
        let _ =
            tokio::time::timeout(Duration::from_secs(5), rx.wait_for(|h| h.checked_at != 0)).await;
        let latest = rx.borrow().clone();
        latest
    }
}
