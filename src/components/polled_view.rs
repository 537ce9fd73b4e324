//! How every screen shows a query: loading, failed, empty and loaded look different; an error
//! keeps the last data on screen with the error above it; and the loaded view is drawn once,
//! updating itself from the query, so refreshes never rebuild it.

use leptos::prelude::*;

use crate::components::error_banner::ErrorBanner;
use crate::error::AppError;
use crate::hooks::polled::Polled;
use crate::logic::load_state::Phase;

/// A query's error, unless it is about reaching the endpoint (the connection banner already
/// says that, once, for every screen).
#[component]
pub fn QueryError(
    /// The last call's error, if it failed.
    #[prop(into)]
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    move || {
        error
            .get()
            .filter(|e| !e.is_connectivity())
            .map(|error| view! { <ErrorBanner error/> })
    }
}

#[component]
pub fn PolledView<T, E>(
    /// The repeated call whose data, loading and errors are shown.
    query: Polled<T>,
    /// What loads, for "Loading credentials…".
    what: &'static str,
    /// Whether the data holds nothing to show.
    is_empty: E,
    /// Shown when the data is empty.
    #[prop(into)]
    empty: ViewFn,
    /// The loaded view; it reads `query.data` itself.
    children: ChildrenFn,
) -> impl IntoView
where
    T: Clone + PartialEq + Send + Sync + 'static,
    E: Fn(&T) -> bool + Send + Sync + 'static,
{
    // The type-specific part is the phase; the drawing is `PhaseView`'s, compiled once.
    let phase = Signal::derive(move || query.phase(&is_empty));
    view! { <PhaseView phase error=query.error what empty children/> }
}

#[component]
fn PhaseView(
    phase: Signal<Phase>,
    #[prop(into)] error: Signal<Option<AppError>>,
    what: &'static str,
    empty: ViewFn,
    children: ChildrenFn,
) -> impl IntoView {
    let phase = Memo::new(move |_| phase.get());
    let unreachable =
        Memo::new(move |_| error.with(|e| e.as_ref().is_some_and(AppError::is_connectivity)));
    view! {
        <QueryError error/>
        {move || match phase.get() {
            Phase::Loading => view! {
                <p class="muted" role="status" data-state="loading">{format!("Loading {what}…")}</p>
            }.into_any(),
            // The error above says what failed; when it is the connection, the banner does.
            Phase::Failed => view! {
                <p class="muted" data-state="failed">
                    {move || if unreachable.get() {
                        format!("The {what} could not be loaded: the cluster cannot be reached. The console retries by itself.")
                    } else {
                        format!("The {what} could not be loaded.")
                    }}
                </p>
            }.into_any(),
            Phase::Empty => empty.run(),
            Phase::Loaded => children(),
        }}
    }
}
