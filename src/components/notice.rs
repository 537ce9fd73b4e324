//! A short success note ("Snapshot taken.") under the form that caused it. It is announced
//! politely, replaced by the next action's outcome, and gone by itself after a few seconds so it
//! never describes an older state of the cluster.

use std::time::Duration;

use leptos::prelude::*;

const SHOWN_FOR: Duration = Duration::from_secs(8);

/// The text of a notice; `Copy`, so forms and callbacks share it.
#[derive(Debug, Clone, Copy)]
pub struct NoticeText {
    text: RwSignal<Option<String>>,
    /// Bumped by every `show`, so an older timer does not clear a newer note.
    shown: RwSignal<u64>,
}

impl NoticeText {
    pub fn new() -> NoticeText {
        NoticeText {
            text: RwSignal::new(None),
            shown: RwSignal::new(0),
        }
    }

    pub fn show(self, text: impl Into<String>) {
        self.text.try_set(Some(text.into()));
        let Some(turn) = self.shown.try_update(|n| {
            *n += 1;
            *n
        }) else {
            return;
        };
        leptos::task::spawn_local(async move {
            gloo_timers::future::sleep(SHOWN_FOR).await;
            if self.shown.try_get_untracked() == Some(turn) {
                self.text.try_set(None);
            }
        });
    }

    /// Clears the note: a new action has started.
    pub fn clear(self) {
        if self.text.try_with_untracked(Option::is_some) == Some(true) {
            self.text.set(None);
        }
    }
}

#[component]
pub fn Notice(
    /// What to announce (nothing is shown while it is empty).
    text: NoticeText,
) -> impl IntoView {
    view! { <p class="notice" role="status">{move || text.text.get()}</p> }
}
