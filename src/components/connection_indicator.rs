use crate::browser::cluster::here;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::hooks::connection::{use_connection, Reachability};

/// A dot and a word in the header (connecting, connected, unreachable), opening a small menu:
/// the endpoint, who is signed in, connection settings and sign out.
#[component]
pub fn ConnectionIndicator() -> impl IntoView {
    let conn = use_connection();
    let state = move || match conn.reachability.get() {
        Reachability::Connecting => ("conn conn--connecting", "Connecting…"),
        Reachability::Online => ("conn conn--online", "Connected"),
        Reachability::Unreachable { slow: true, .. } => ("conn conn--offline", "Too slow"),
        Reachability::Unreachable { .. } => ("conn conn--offline", "Unreachable"),
    };
    let who = move || {
        conn.now.track();
        conn.sdk.with(|sdk| match (sdk.claims(), sdk.expired()) {
            (Some(_), Some(_)) => "Token expired".to_string(),
            (Some(claims), None) => format!("Signed in as {}", claims.who()),
            (None, _) => "Guest (no token)".to_string(),
        })
    };
    let sign_out = move |_| conn.sign_out();
    view! {
        <details class="conn-menu">
            <summary class=move || state().0 title=move || format!("SDK endpoint: {}", conn.sdk.get().endpoint)>
                <span class="conn__dot" aria-hidden="true"></span>
                <span data-testid="connection-indicator">{move || state().1}</span>
                <span class="conn__who" data-testid="connection-who">{who}</span>
            </summary>
            <div class="conn-menu__panel">
                <p>"Endpoint: " <code>{move || conn.sdk.get().endpoint}</code></p>
                <p>{who}</p>
                <A href={here("/settings")}>"Connection settings"</A>
                <Show when=move || conn.sdk.with(|s| s.token.is_some())>
                    <button type="button" class="button" on:click=sign_out>"Sign out"</button>
                </Show>
            </div>
        </details>
    }
}
