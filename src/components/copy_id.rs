use leptos::prelude::*;

use crate::logic::format;

/// An id shown short, with the full id in its title and a button that copies it.
#[component]
pub fn CopyId(
    /// The full id: shown short, copied whole.
    id: String,
) -> impl IntoView {
    let copied = RwSignal::new(false);
    let full = id.clone();
    let copy = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.navigator().clipboard().write_text(&full);
            copied.set(true);
        }
    };
    let short = format::short_id(&id).to_string();
    view! {
        <span class="copy-id">
            <code title=id.clone()>{short}</code>
            <button
                type="button"
                class="copy-id__button"
                aria-label=format!("Copy ID {id}")
                on:click=copy
            >
                {move || if copied.get() { "Copied" } else { "Copy" }}
            </button>
        </span>
    }
}
