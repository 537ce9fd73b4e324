//! Calls that change something (create, delete, resize...): one at a time per button, with the
//! error kept for the form to show. No double submits: a second click while busy does nothing.

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::error::AppError;

/// A call under way; on success, what to do with its value.
type Pending = Pin<Box<dyn Future<Output = Result<Box<dyn FnOnce()>, AppError>>>>;

#[derive(Debug, Clone, Copy)]
pub struct Mutation {
    pub busy: RwSignal<bool>,
    pub error: RwSignal<Option<AppError>>,
}

impl Mutation {
    pub fn new() -> Mutation {
        Mutation {
            busy: RwSignal::new(false),
            error: RwSignal::new(None),
        }
    }

    /// Runs `call` unless this mutation is already running; `done` gets the value on success
    /// while the screen that started it is still open, a failure is kept in `error`.
    pub fn run<T: 'static>(
        self,
        call: impl Future<Output = Result<T, AppError>> + 'static,
        done: impl FnOnce(T) + 'static,
    ) {
        // Per call site only the wrapping: the rest is `start`, compiled once.
        self.start(Box::pin(async move {
            let value = call.await?;
            Ok(Box::new(move || done(value)) as Box<dyn FnOnce()>)
        }));
    }

    fn start(self, call: Pending) {
        if self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        self.error.set(None);
        spawn_local(async move {
            let result = call.await;
            // The screen may be gone by now (the user moved on): then nothing is left to tell,
            // and `done` (which updates that screen) must not run.
            if self.busy.try_set(false).is_some() {
                return;
            }
            match result {
                Ok(done) => done(),
                Err(err) => {
                    self.error.try_set(Some(err));
                }
            }
        });
    }
}
