use leptos::prelude::*;

use crate::hooks::connection::{use_connection, Reachability};

/// Shown on every screen while the SDK endpoint cannot be reached; it goes away by itself when
/// a poll gets through again.
#[component]
pub fn ConnectionBanner() -> impl IntoView {
    let conn = use_connection();
    move || match conn.reachability.get() {
        Reachability::Unreachable {
            reason,
            retry_in,
            slow,
        } => Some(view! {
            <div class="banner banner--error" role="alert" data-testid="unreachable-banner">
                <strong>
                    {if slow { "The SDK endpoint is too slow to answer: " } else { "Cannot reach the SDK endpoint " }}
                </strong>
                <code>{conn.sdk.get().endpoint}</code>
                ". " {reason} ". Retrying in " {retry_in.as_secs().max(1)}
                " s; the console reconnects by itself."
            </div>
        }),
        _ => None,
    }
}
