//! The one way screens load data: a query is a call the app's poller repeats while the screen
//! that uses it is open. A refresh that returns what is already shown changes nothing, so the
//! DOM (open confirmations, typed text, focus) is left alone; an error keeps the last good data;
//! a query keyed on its inputs (the volume id, a filter) never shows one key's data for another.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;

use crate::error::AppError;
use crate::hooks::connection::use_connection;
use crate::hooks::poller::{use_poller, JobId, Outcome, Poller, Run};
use crate::logic::backoff::PollSchedule;
use crate::logic::load_state::{self, Phase};

/// The latest result of a repeated call. Copy (signals are handles), whatever `T` is.
pub struct Polled<T: Send + Sync + 'static> {
    /// The last value that arrived for the current key; kept while later calls fail.
    pub data: Memo<Option<T>>,
    /// The error of the last call for the current key, cleared by the next success.
    pub error: Memo<Option<AppError>>,
    job: JobId,
    poller: Poller,
}

impl<T: Send + Sync + 'static> Clone for Polled<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Polled<T> {}

impl<T: Send + Sync + 'static> Polled<T> {
    /// Calls again now (after a change the user made), without waiting for the interval.
    pub fn refresh(&self) {
        self.poller.run_now(self.job);
    }

    /// Which of the four states the data is in; tracked.
    pub fn phase(&self, is_empty: impl Fn(&T) -> bool) -> Phase {
        let failed = self.error.with(Option::is_some);
        self.data
            .with(|d| load_state::phase(d.as_ref().map(is_empty), failed))
    }
}

/// A query repeated every `interval`.
pub fn use_polled<T, F, Fut>(interval: Duration, fetch: F) -> Polled<T>
where
    T: Clone + PartialEq + Send + Sync + 'static,
    F: Fn() -> Fut + 'static,
    Fut: Future<Output = Result<T, AppError>> + 'static,
{
    use_keyed_polled(|| (), move |_| interval, move |()| fetch())
}

/// A query whose interval depends on what came back: e.g. every second while a backup runs.
pub fn use_polled_every<T, I, F, Fut>(interval_for: I, fetch: F) -> Polled<T>
where
    T: Clone + PartialEq + Send + Sync + 'static,
    I: Fn(&T) -> Duration + 'static,
    F: Fn() -> Fut + 'static,
    Fut: Future<Output = Result<T, AppError>> + 'static,
{
    use_keyed_polled(|| (), interval_for, move |()| fetch())
}

/// A query on inputs that change (tracked in `key`): a new key is fetched at once, and until
/// its answer arrives the query is loading rather than showing the previous key's data.
pub fn use_keyed_polled<K, T, I, F, Fut>(
    key: impl Fn() -> K + Send + Sync + 'static,
    interval_for: I,
    fetch: F,
) -> Polled<T>
where
    K: Clone + PartialEq + Send + Sync + 'static,
    T: Clone + PartialEq + Send + Sync + 'static,
    I: Fn(&T) -> Duration + 'static,
    F: Fn(K) -> Fut + 'static,
    Fut: Future<Output = Result<T, AppError>> + 'static,
{
    use_keyed_polled_with_options(key, interval_for, fetch, PollOptions::default())
}

/// How a keyed query behaves between keys.
#[derive(Debug, Clone, Copy, Default)]
pub struct PollOptions {
    /// Keep showing the previous key's data until the new key's answer arrives (pages of a
    /// table: no "Loading" between them, and focus on the pager stays put).
    pub keep_previous: bool,
}

/// `use_keyed_polled` with options.
pub fn use_keyed_polled_with_options<K, T, I, F, Fut>(
    key: impl Fn() -> K + Send + Sync + 'static,
    interval_for: I,
    fetch: F,
    options: PollOptions,
) -> Polled<T>
where
    K: Clone + PartialEq + Send + Sync + 'static,
    T: Clone + PartialEq + Send + Sync + 'static,
    I: Fn(&T) -> Duration + 'static,
    F: Fn(K) -> Fut + 'static,
    Fut: Future<Output = Result<T, AppError>> + 'static,
{
    let poller = use_poller();
    let connection = use_connection();
    let key = Memo::new(move |_| key());
    let answer = RwSignal::new(None::<(K, T)>);
    let failure = RwSignal::new(None::<(K, AppError)>);
    let schedule = Rc::new(RefCell::new(PollSchedule::new(Duration::from_secs(5))));
    let interval_for = Rc::new(interval_for);

    let run: Run = Rc::new(move || {
        let Some(asked) = key.try_get_untracked() else {
            return Box::pin(async {
                Outcome {
                    wait: Duration::from_secs(3600),
                    unreachable: false,
                }
            });
        };
        let call = fetch(asked.clone());
        let (schedule, interval_for) = (schedule.clone(), interval_for.clone());
        Box::pin(async move {
            let result = call.await;
            if let Ok(value) = &result {
                schedule.borrow_mut().interval = interval_for(value);
            }
            let wait = schedule.borrow_mut().after(result.is_ok());
            let unreachable = result.as_ref().err().is_some_and(AppError::is_connectivity);
            connection.record(result.as_ref().map(|_| ()), wait);
            match result {
                Ok(value) => {
                    answer.try_maybe_update(|slot| {
                        (load_state::replace_if_changed(slot, (asked, value)), ())
                    });
                    failure.try_maybe_update(|slot| (load_state::set_if_changed(slot, None), ()));
                }
                Err(err) => {
                    failure.try_maybe_update(|slot| {
                        (load_state::set_if_changed(slot, Some((asked, err))), ())
                    });
                }
            }
            Outcome { wait, unreachable }
        })
    });
    let job = poller.add(run);
    on_cleanup(move || poller.remove(job));
    Effect::new(move |first: Option<()>| {
        key.track();
        if first.is_some() {
            poller.run_now(job);
        }
    });

    let data = Memo::new(move |_| {
        let current = key.get();
        answer.with(|a| {
            a.as_ref()
                .filter(|(k, _)| options.keep_previous || *k == current)
                .map(|(_, v)| v.clone())
        })
    });
    let error = Memo::new(move |_| {
        let current = key.get();
        failure.with(|f| {
            f.as_ref()
                .filter(|(k, _)| *k == current)
                .map(|(_, e)| e.clone())
        })
    });
    Polled {
        data,
        error,
        job,
        poller,
    }
}
