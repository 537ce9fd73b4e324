use leptos::prelude::*;

use crate::hooks::connection::{use_connection, Reachability};

/// A dot and a word in the header: connecting, connected or unreachable.
#[component]
pub fn ConnectionIndicator() -> impl IntoView {
    let conn = use_connection();
    let state = move || match conn.reachability.get() {
        Reachability::Connecting => ("conn conn--connecting", "Connecting…"),
        Reachability::Online => ("conn conn--online", "Connected"),
        Reachability::Unreachable { .. } => ("conn conn--offline", "Unreachable"),
    };
    view! {
        <span
            class=move || state().0
            data-testid="connection-indicator"
            title=move || format!("SDK endpoint: {}", conn.sdk.get().endpoint)
        >
            <span class="conn__dot" aria-hidden="true"></span>
            {move || state().1}
        </span>
    }
}
