use crate::browser::cluster::here;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::hooks::connection::{use_connection, Reachability};
use crate::logic::session::roles_text;

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
        let token = conn.sdk.with(|sdk| (sdk.claims(), sdk.expired()));
        match token {
            (Some(_), Some(_)) => "Token expired".to_string(),
            (Some(claims), None) => format!("Signed in as {}", claims.who()),
            (None, _) => match conn.sso_user() {
                Some(user) => format!("Signed in as {}", user.claims().who()),
                None => "Guest (no token)".to_string(),
            },
        }
    };
    let roles = move || conn.claims().map(|claims| roles_text(&claims.roles));
    let with_token = move || conn.sdk.with(|s| s.token.is_some());
    let sign_out = move |_| {
        if with_token() {
            conn.sign_out();
        } else {
            conn.sign_out_sso();
        }
    };
    view! {
        <details class="conn-menu">
            <summary class=move || state().0 title=move || format!("SDK endpoint: {}", conn.sdk.get().endpoint)>
                <span class="conn__dot" aria-hidden="true"></span>
                <span data-testid="connection-indicator">{move || state().1}</span>
                <span class="conn__who" data-testid="connection-who">{who}</span>
                {move || roles().map(|roles| view! { <span class="conn__roles" data-testid="connection-roles">{roles}</span> })}
            </summary>
            <div class="conn-menu__panel">
                <p>"Endpoint: " <code>{move || conn.sdk.get().endpoint}</code></p>
                <p>{who}</p>
                <A href={here("/settings")}>"Connection settings"</A>
                <Show when=move || conn.signed_in()>
                    <button type="button" class="button" on:click=sign_out>"Sign out"</button>
                </Show>
            </div>
        </details>
    }
}
