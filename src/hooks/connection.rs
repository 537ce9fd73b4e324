//! Whether the SDK endpoint answers, shared by every screen (indicator and banner read it,
//! pollers write it).

use std::time::Duration;

use leptos::prelude::*;

use crate::api::Sdk;
use crate::browser::clock::unix_now;
use crate::error::AppError;

#[derive(Debug, Clone, PartialEq)]
pub enum Reachability {
    /// No call has finished yet.
    Connecting,
    Online,
    /// The last call could not reach the endpoint; the next try is `retry_in` away.
    Unreachable {
        reason: String,
        retry_in: Duration,
        /// It answered, but too slowly (deadline exceeded), rather than not at all.
        slow: bool,
    },
}

#[derive(Debug, Clone, Copy)]
pub struct Connection {
    pub sdk: RwSignal<Sdk>,
    pub reachability: RwSignal<Reachability>,
    /// Unix seconds, updated every second: what depends on the time (token expiry) reads it.
    pub now: RwSignal<i64>,
}

impl Connection {
    pub fn provide(sdk: Sdk) -> Connection {
        let now = RwSignal::new(unix_now());
        let conn = Connection {
            sdk: RwSignal::new(sdk),
            reachability: RwSignal::new(Reachability::Connecting),
            now,
        };
        provide_context(conn);
        leptos::task::spawn_local(async move {
            loop {
                gloo_timers::future::sleep(Duration::from_secs(1)).await;
                if now.try_set(unix_now()).is_some() {
                    break;
                }
            }
        });
        conn
    }

    /// Uses `token` for every call from now on, kept for this tab or, with `remember`, on this
    /// device.
    pub fn sign_in(&self, token: String, remember: bool) {
        let cluster = self.sdk.with_untracked(|sdk| sdk.cluster.clone());
        crate::api::settings::save_token(cluster.as_deref(), Some(&token), remember);
        self.sdk.update(|sdk| sdk.set_token(Some(token)));
    }

    /// Forgets the token everywhere; calls are made as a guest.
    pub fn sign_out(&self) {
        let cluster = self.sdk.with_untracked(|sdk| sdk.cluster.clone());
        crate::api::settings::save_token(cluster.as_deref(), None, false);
        self.sdk.update(|sdk| sdk.set_token(None));
    }

    /// Records the outcome of any call. Errors that are about the request itself (not found,
    /// permission) still prove the endpoint answers.
    pub fn record(&self, outcome: Result<(), &AppError>, retry_in: Duration) {
        let next = match outcome {
            Err(err) if err.is_connectivity() => Reachability::Unreachable {
                // The banner already says the endpoint cannot be reached: only why.
                reason: match err {
                    AppError::Unreachable(why) => why.clone(),
                    other => other.to_string(),
                },
                retry_in,
                slow: matches!(err, AppError::Timeout(_)),
            },
            _ => Reachability::Online,
        };
        if self.reachability.try_get_untracked().as_ref() != Some(&next) {
            self.reachability.try_set(next);
        }
    }
}

pub fn use_connection() -> Connection {
    expect_context::<Connection>()
}
