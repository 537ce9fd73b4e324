//! The one polling hook. One request at a time (the next is scheduled only after the previous
//! finished), backoff on errors, paused while the tab is hidden, stopped when the component
//! that started it is gone.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use gloo_timers::future::sleep;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::error::AppError;
use crate::hooks::connection::{use_connection, Reachability};
use crate::hooks::visibility::page_hidden;
use crate::logic::backoff::PollSchedule;

/// How often the loop wakes to notice a refresh request, unmounting or the tab coming back.
const TICK: Duration = Duration::from_millis(250);

/// The latest result of a polled call. Copy (signals are handles), whatever `T` is.
pub struct Polled<T: Send + Sync + 'static> {
    /// Last successful value; kept while later calls fail, so the screen does not go blank.
    pub data: ReadSignal<Option<T>>,
    /// Error of the last call, cleared by the next success.
    pub error: ReadSignal<Option<AppError>>,
    refresh: RwSignal<bool>,
}

impl<T: Send + Sync + 'static> Clone for Polled<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Polled<T> {}

impl<T: Send + Sync + 'static> Polled<T> {
    /// Polls again now (after a change the user made), without waiting for the interval.
    pub fn refresh(&self) {
        self.refresh.set(true);
    }
}

pub fn use_poll<T, F, Fut>(interval: Duration, fetch: F) -> Polled<T>
where
    T: Send + Sync + 'static,
    F: Fn() -> Fut + 'static,
    Fut: Future<Output = Result<T, AppError>> + 'static,
{
    use_poll_every(move |_| interval, fetch)
}

/// Like `use_poll`, with the interval chosen from the latest data: e.g. every second while a
/// backup runs, every few seconds when nothing does.
pub fn use_poll_every<T, I, F, Fut>(interval_for: I, fetch: F) -> Polled<T>
where
    T: Send + Sync + 'static,
    I: Fn(&T) -> Duration + 'static,
    F: Fn() -> Fut + 'static,
    Fut: Future<Output = Result<T, AppError>> + 'static,
{
    let interval = Duration::from_secs(5);
    let (data, set_data) = signal(None::<T>);
    let (error, set_error) = signal(None::<AppError>);
    let refresh = RwSignal::new(false);
    let connection = use_connection();

    let alive = Arc::new(AtomicBool::new(true));
    on_cleanup({
        let alive = alive.clone();
        move || alive.store(false, Ordering::Relaxed)
    });

    spawn_local(async move {
        let mut schedule = PollSchedule::new(interval);
        while alive.load(Ordering::Relaxed) {
            if page_hidden() {
                sleep(TICK).await;
                continue;
            }
            refresh.try_set(false);
            if !schedule.begin() {
                sleep(TICK).await;
                continue;
            }
            let result = fetch().await;
            if !alive.load(Ordering::Relaxed) {
                break;
            }
            if let Ok(value) = &result {
                schedule.interval = interval_for(value);
            }
            let failed_to_connect = result.as_ref().err().is_some_and(AppError::is_connectivity);
            let wait = schedule.after(result.is_ok());
            connection.record(result.as_ref().map(|_| ()), wait);
            match result {
                Ok(value) => {
                    set_data.try_set(Some(value));
                    set_error.try_set(None);
                }
                Err(err) => {
                    set_error.try_set(Some(err));
                }
            }
            // After losing the endpoint, any other call getting through (the heartbeat, another
            // screen's poll) ends the backoff at once.
            let back_online = move || {
                failed_to_connect
                    && connection.reachability.try_get_untracked() == Some(Reachability::Online)
            };
            wait_or_refresh(wait, &alive, refresh, back_online).await;
        }
    });

    Polled {
        data,
        error,
        refresh,
    }
}

async fn wait_or_refresh(
    wait: Duration,
    alive: &AtomicBool,
    refresh: RwSignal<bool>,
    back_online: impl Fn() -> bool,
) {
    let mut waited = Duration::ZERO;
    while waited < wait && alive.load(Ordering::Relaxed) {
        if refresh.try_get_untracked().unwrap_or(false) || back_online() {
            return;
        }
        sleep(TICK).await;
        waited += TICK;
    }
}
