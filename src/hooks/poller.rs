//! The app's one poller. Every query on screen registers a job; a single task sleeps on a
//! gloo-timers timeout until the earliest job is due, or until something wakes it (a refresh
//! the user asked for, the tab becoming visible again, the endpoint answering again), then
//! starts what is due. A job's next call is scheduled only after its previous one finished, so
//! calls of one job never overlap. Hidden tabs make no calls.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::time::Duration;

use futures::channel::mpsc;
use futures::future::{select, Either};
use futures::StreamExt;
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser::visibility::{on_visibility_change, page_hidden};
use crate::hooks::connection::{use_connection, Reachability};

/// How a job's call ended, for scheduling the next.
#[derive(Debug, Clone, Copy)]
pub struct Outcome {
    /// How long to wait before the next call.
    pub wait: Duration,
    /// The call could not reach the endpoint: it is retried at once when another call gets
    /// through, instead of at the end of its backoff.
    pub unreachable: bool,
}

/// One call of a job.
pub type Run = Rc<dyn Fn() -> Pin<Box<dyn Future<Output = Outcome>>>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct JobId(u64);

struct Job {
    /// When the next call may start, in the browser clock's milliseconds.
    due: f64,
    running: bool,
    /// A refresh was asked for while a call ran: the next call starts when it ends.
    again: bool,
    /// The last call could not reach the endpoint.
    unreachable: bool,
    run: Run,
}

#[derive(Default)]
struct Jobs {
    next_id: u64,
    jobs: BTreeMap<JobId, Job>,
}

impl Jobs {
    /// Marks every idle job that is due as running and returns them.
    fn take_due(&mut self, now: f64) -> Vec<(JobId, Run)> {
        self.jobs
            .iter_mut()
            .filter(|(_, job)| !job.running && job.due <= now)
            .map(|(id, job)| {
                job.running = true;
                job.again = false;
                (*id, job.run.clone())
            })
            .collect()
    }

    /// Milliseconds until the next idle job is due; `None` when there is none.
    fn next_wait(&self, now: f64) -> Option<f64> {
        self.jobs
            .values()
            .filter(|job| !job.running)
            .map(|job| (job.due - now).max(0.0))
            .reduce(f64::min)
    }
}

#[derive(Clone, Copy)]
pub struct Poller {
    jobs: StoredValue<Jobs, LocalStorage>,
    wake: StoredValue<mpsc::UnboundedSender<()>, LocalStorage>,
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

impl Poller {
    /// Starts the poller for the whole app.
    pub fn provide() -> Poller {
        let (sender, wakes) = mpsc::unbounded();
        let poller = Poller {
            jobs: StoredValue::new_local(Jobs::default()),
            wake: StoredValue::new_local(sender),
        };
        provide_context(poller);
        spawn_local(poller.drive(wakes));
        on_visibility_change(move || poller.wake());

        let conn = use_connection();
        // Back online after an outage: the calls that could not get through, and now wait in
        // backoff, run now. Others keep their turn.
        Effect::new(move |was: Option<Reachability>| {
            let is = conn.reachability.get();
            if matches!(was, Some(Reachability::Unreachable { .. })) && is == Reachability::Online {
                poller.retry_unreachable();
            }
            is
        });
        // Another token or endpoint: every screen's data is read again at once.
        Effect::new(move |first: Option<()>| {
            conn.sdk.track();
            if first.is_some() {
                poller.run_all_now();
            }
        });
        poller
    }

    /// Registers a job; its first call starts at once.
    pub fn add(self, run: Run) -> JobId {
        let id = self
            .jobs
            .try_update_value(|jobs| {
                let id = JobId(jobs.next_id);
                jobs.next_id += 1;
                jobs.jobs.insert(
                    id,
                    Job {
                        due: 0.0,
                        running: false,
                        again: false,
                        unreachable: false,
                        run,
                    },
                );
                id
            })
            .unwrap_or(JobId(u64::MAX));
        self.wake();
        id
    }

    pub fn remove(self, id: JobId) {
        self.jobs.try_update_value(|jobs| jobs.jobs.remove(&id));
    }

    /// Runs the job now (or as soon as its current call ends), not at its next turn.
    pub fn run_now(self, id: JobId) {
        self.jobs.try_update_value(|jobs| {
            if let Some(job) = jobs.jobs.get_mut(&id) {
                job.due = 0.0;
                job.again = job.running;
            }
        });
        self.wake();
    }

    fn run_all_now(self) {
        self.jobs.try_update_value(|jobs| {
            for job in jobs.jobs.values_mut() {
                job.due = 0.0;
                job.again = job.running;
            }
        });
        self.wake();
    }

    fn retry_unreachable(self) {
        self.jobs.try_update_value(|jobs| {
            for job in jobs.jobs.values_mut() {
                if job.unreachable && !job.running {
                    job.due = 0.0;
                }
            }
        });
        self.wake();
    }

    fn finished(self, id: JobId, outcome: Outcome) {
        let next = outcome.wait;
        self.jobs.try_update_value(|jobs| {
            if let Some(job) = jobs.jobs.get_mut(&id) {
                job.running = false;
                job.unreachable = outcome.unreachable;
                // A refresh asked for during the call runs at once: it may be about a change
                // that call did not see.
                job.due = if job.again {
                    0.0
                } else {
                    now_ms() + next.as_millis() as f64
                };
            }
        });
        self.wake();
    }

    fn wake(self) {
        self.wake.try_with_value(|sender| sender.unbounded_send(()));
    }

    async fn drive(self, mut wakes: mpsc::UnboundedReceiver<()>) {
        loop {
            let hidden = page_hidden();
            let wait = if hidden {
                None
            } else {
                let now = now_ms();
                let Some(due) = self.jobs.try_update_value(|jobs| jobs.take_due(now)) else {
                    return;
                };
                for (id, run) in due {
                    spawn_local(async move {
                        let outcome = run().await;
                        self.finished(id, outcome);
                    });
                }
                self.jobs
                    .try_with_value(|jobs| jobs.next_wait(now))
                    .flatten()
            };
            let woken = match wait {
                // Clamped: a timer longer than i32 milliseconds fires at once in browsers.
                Some(ms) => {
                    let timer = TimeoutFuture::new(ms.ceil().min(3_600_000.0) as u32);
                    match select(timer, wakes.next()).await {
                        Either::Left(_) => true,
                        Either::Right((woken, _)) => woken.is_some(),
                    }
                }
                None => wakes.next().await.is_some(),
            };
            if !woken {
                return;
            }
        }
    }
}

pub fn use_poller() -> Poller {
    expect_context::<Poller>()
}
