//! A cluster's health, known in one place: whether it answers Identity.Version. `/healthz`,
//! `/metrics` and the view's Health call all read it here rather than each asking the cluster,
//! and every fresh answer (a probe's, a scrape's or the view's own heartbeat) is the one the
//! others then see.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use crate::gateway::Upstream;
use crate::unix_time;

/// How often the heartbeat asks an upstream (`follow`).
const EVERY: Duration = Duration::from_secs(10);
/// How long `latest` waits for the first answer.
const FIRST_ANSWER: Duration = Duration::from_secs(5);

/// Who answers a cluster's SDK.
#[derive(Clone)]
pub enum Backend {
    /// The built-in mock: console-server is the cluster.
    Mock,
    Upstream(Box<Upstream>),
}

/// The latest answer: what the cluster said (its SDK version) or why it could not be reached,
/// and when it was asked (Unix seconds; 0 before the first answer).
#[derive(Clone, Debug)]
pub struct Reading {
    pub answer: Result<String, String>,
    pub checked_at: i64,
}

/// One cluster's health: ask it now (`check`), or read the latest answer (`latest`).
#[derive(Clone)]
pub struct Health {
    backend: Backend,
    latest: Arc<watch::Sender<Reading>>,
}

impl std::fmt::Debug for Health {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Health")
            .field("upstream", &self.is_upstream())
            .field("latest", &*self.latest.borrow())
            .finish()
    }
}

impl Health {
    pub fn new(backend: Backend) -> Health {
        let first = match &backend {
            Backend::Mock => Reading {
                answer: Ok(MOCK.into()),
                checked_at: unix_time::now(),
            },
            Backend::Upstream(upstream) => Reading {
                answer: Err(format!("{} has not been checked yet", upstream.url)),
                checked_at: 0,
            },
        };
        Health {
            backend,
            latest: Arc::new(watch::Sender::new(first)),
        }
    }

    /// Whether the cluster is reached through a gateway (for the Fleet service and the access
    /// log's default).
    pub fn is_upstream(&self) -> bool {
        matches!(self.backend, Backend::Upstream(_))
    }

    /// Asks the cluster now, and keeps the answer for every reader.
    pub async fn check(&self) -> Result<String, String> {
        let answer = match &self.backend {
            Backend::Mock => Ok(MOCK.to_string()),
            Backend::Upstream(upstream) => upstream
                .check()
                .await
                .map(|version| format!("upstream {} answers ({version})", upstream.url)),
        };
        self.latest.send_replace(Reading {
            answer: answer.clone(),
            checked_at: unix_time::now(),
        });
        answer
    }

    /// Asks an upstream now and every 10 s from now on: the heartbeat every tab reads through
    /// the view, so the cluster hears one check per 10 s whatever the number of tabs.
    pub fn follow(&self) {
        if !self.is_upstream() {
            return;
        }
        let health = self.clone();
        tokio::spawn(async move {
            loop {
                let _ = health.check().await;
                tokio::time::sleep(EVERY).await;
            }
        });
    }

    /// The latest answer; before the first one has come, waits for it (up to 5 s).
    pub async fn latest(&self) -> Reading {
        let mut rx = self.latest.subscribe();
        let _ = tokio::time::timeout(FIRST_ANSWER, rx.wait_for(|r| r.checked_at != 0)).await;
        let latest = rx.borrow().clone();
        latest
    }
}

const MOCK: &str = "built-in mock cluster";
