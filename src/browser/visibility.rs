//! Whether the page is visible: polling pauses while the tab is hidden and resumes when the
//! `visibilitychange` event says it is back.

pub fn page_hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Hidden)
}

/// Calls `changed` whenever the tab is hidden or shown again, for the page's whole life.
pub fn on_visibility_change(changed: impl Fn() + 'static) {
    // The event is fired at the document and bubbles to the window.
    let _ = leptos::prelude::window_event_listener_untyped("visibilitychange", move |_| changed());
}
