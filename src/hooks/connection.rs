//! Whether the SDK endpoint answers, shared by every screen (indicator and banner read it,
//! pollers write it).

use std::time::Duration;

use leptos::prelude::*;

use crate::api::Sdk;
use crate::browser::clock::unix_now;
use crate::error::AppError;
use crate::logic::session::{is_session_end, SsoState, SsoUser};
use crate::logic::token::Claims;

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
    /// console-server's single sign-on, once it has said (None: it has none).
    pub sso: RwSignal<Option<SsoState>>,
}

impl Connection {
    pub fn provide(sdk: Sdk) -> Connection {
        let now = RwSignal::new(unix_now());
        let sso = RwSignal::new(None);
        let conn = Connection {
            sdk: RwSignal::new(sdk),
            reachability: RwSignal::new(Reachability::Connecting),
            now,
            sso,
        };
        provide_context(conn);
        // Calls need not wait for this: console-server puts the session on them itself.
        leptos::task::spawn_local(async move {
            let state = crate::api::session::load().await;
            // The session ended as this page asked about it: back to sign in, as a call that
            // found it ended would have done.
            let ended = state.as_ref().is_some_and(|s| {
                s.user.is_none() && s.notice.as_deref().is_some_and(is_session_end)
            });
            sso.try_set(state);
            if ended {
                crate::browser::cluster::back_to_sign_in();
            }
        });
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

    /// The single sign-on user this page's calls go as: signed in, the session serving this
    /// cluster, and no token of the page's own (a token wins: it is the break-glass way in).
    pub fn sso_user(&self) -> Option<SsoUser> {
        if self.sdk.with(|sdk| sdk.token.is_some()) {
            return None;
        }
        let cluster = self.sdk.with(|sdk| sdk.cluster.clone());
        self.sso.with(|sso| {
            sso.as_ref()
                .and_then(|s| s.user_for(cluster.as_deref()))
                .cloned()
        })
    }

    /// Who the calls go as, from the token or the session (decoded locally, not trusted).
    pub fn claims(&self) -> Option<Claims> {
        self.sdk
            .with(|sdk| sdk.claims())
            .or_else(|| self.sso_user().map(|user| user.claims()))
    }

    pub fn signed_in(&self) -> bool {
        self.claims().is_some()
    }

    /// Ends the single sign-on session (console-server's and the provider's): the page goes
    /// where console-server says. Why it could not is shown on the sign-in screen.
    pub fn sign_out_sso(&self) {
        let sso = self.sso;
        leptos::task::spawn_local(async move {
            match crate::api::session::sign_out().await {
                Ok(location) => crate::browser::cluster::go(&location),
                Err(why) => {
                    sso.try_update(|state| {
                        if let Some(state) = state {
                            state.notice = Some(format!("Could not sign out: {why}."));
                        }
                    });
                }
            }
        });
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
