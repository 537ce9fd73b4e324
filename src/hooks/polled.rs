//! The one way screens load data: a query is a call the app's poller repeats while the screen
//! that uses it is open. A refresh that returns what is already shown changes nothing, so the
//! DOM (open confirmations, typed text, focus) is left alone; an error keeps the last good data;
//! a query keyed on its inputs (the volume id, a filter) never shows one key's data for another.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
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
    pub data: ReadSignal<Option<T>>,
    /// The error of the last call for the current key, cleared by the next success.
    pub error: ReadSignal<Option<AppError>>,
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
    use_polled_every(move |_| interval, fetch)
}

/// A query whose interval depends on what came back: e.g. every second while a backup runs.
pub fn use_polled_every<T, I, F, Fut>(interval_for: I, fetch: F) -> Polled<T>
where
    T: Clone + PartialEq + Send + Sync + 'static,
    I: Fn(&T) -> Duration + 'static,
    F: Fn() -> Fut + 'static,
    Fut: Future<Output = Result<T, AppError>> + 'static,
{
    // No key: nothing to track, so no memo of one (a memo is compiled per use in the wasm).
    let call: Call = Rc::new(move || Some(erase(fetch())));
    polled(call, None, interval_for, PollOptions::default())
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
    // Only this much is compiled per query: the key, where the value is kept, and a call that
    // turns the answer into "store it". Scheduling, backoff, errors and keys changing are
    // `Query`'s, compiled once (each query used to be a full copy of them in the wasm).
    let key = Memo::new(move |_| key());
    let call: Call = Rc::new(move || Some(erase(fetch(key.try_get_untracked()?))));
    polled(
        call,
        Some(Rc::new(move || key.track())),
        interval_for,
        options,
    )
}

/// A call's answer as any type (read back by `store`, which knows it).
fn erase<T: 'static>(call: impl Future<Output = Result<T, AppError>> + 'static) -> Pending {
    Box::pin(async move { Ok(Box::new(call.await?) as Box<dyn Any>) })
}

/// Where a query's value is kept, and the rest (`Query`).
fn polled<T, I>(
    call: Call,
    track_key: Option<Rc<dyn Fn()>>,
    interval_for: I,
    options: PollOptions,
) -> Polled<T>
where
    T: Clone + PartialEq + Send + Sync + 'static,
    I: Fn(&T) -> Duration + 'static,
{
    let data = RwSignal::new(None::<T>);
    let store: Store = Rc::new(move |value: Box<dyn Any>| {
        let value = *value.downcast::<T>().ok()?;
        let next = interval_for(&value);
        data.try_maybe_update(|slot| (load_state::replace_if_changed(slot, value), ()));
        Some(next)
    });
    let forget: Rc<dyn Fn()> = Rc::new(move || {
        if !options.keep_previous {
            data.try_set(None);
        }
    });
    let query = Query::start(call, store, track_key, forget);
    Polled {
        data: data.read_only(),
        error: query.error,
        job: query.job,
        poller: query.poller,
    }
}

/// A call under way, its answer as any type.
type Pending = Pin<Box<dyn Future<Output = Result<Box<dyn Any>, AppError>>>>;
/// A call of the current key, or `None` when the screen is gone.
type Call = Rc<dyn Fn() -> Option<Pending>>;
/// Keeps a value that arrived and says when to call next (`None`: not this query's type).
type Store = Rc<dyn Fn(Box<dyn Any>) -> Option<Duration>>;

/// The type-free part of a query: the poller's job, the backoff, the error, and what a new key
/// does (drops the previous key's error, and its data unless kept, and calls at once).
struct Query {
    error: ReadSignal<Option<AppError>>,
    job: JobId,
    poller: Poller,
}

impl Query {
    fn start(
        call: Call,
        store: Store,
        track_key: Option<Rc<dyn Fn()>>,
        forget: Rc<dyn Fn()>,
    ) -> Query {
        let poller = use_poller();
        let connection = use_connection();
        let error = RwSignal::new(None::<AppError>);
        // Bumped when the key changes: an answer for an earlier key is dropped.
        let generation = Rc::new(Cell::new(0u64));
        let schedule = Rc::new(RefCell::new(PollSchedule::new(Duration::from_secs(5))));

        let asked_generation = generation.clone();
        let run: Run = Rc::new(move || {
            let Some(pending) = call() else {
                return Box::pin(async {
                    Outcome {
                        wait: Duration::from_secs(3600),
                        unreachable: false,
                    }
                });
            };
            let (store, schedule, generation) =
                (store.clone(), schedule.clone(), asked_generation.clone());
            let asked = generation.get();
            Box::pin(async move {
                let (value, failed) = match pending.await {
                    Ok(value) => (Some(value), None),
                    Err(err) => (None, Some(err)),
                };
                let current = generation.get() == asked;
                let unreachable = failed.as_ref().is_some_and(AppError::is_connectivity);
                let next = value.filter(|_| current).and_then(|value| store(value));
                let wait = {
                    let mut schedule = schedule.borrow_mut();
                    if let Some(interval) = next {
                        schedule.interval = interval;
                    }
                    schedule.after(failed.is_none())
                };
                connection.record(failed.as_ref().map_or(Ok(()), Err), wait);
                if current {
                    error.try_maybe_update(|slot| (load_state::set_if_changed(slot, failed), ()));
                }
                Outcome { wait, unreachable }
            })
        });
        let job = poller.add(run);
        on_cleanup(move || poller.remove(job));
        if let Some(track_key) = track_key {
            Effect::new(move |first: Option<()>| {
                track_key();
                if first.is_some() {
                    generation.set(generation.get() + 1);
                    error.try_set(None);
                    forget();
                    poller.run_now(job);
                }
            });
        }
        Query {
            error: error.read_only(),
            job,
            poller,
        }
    }
}
