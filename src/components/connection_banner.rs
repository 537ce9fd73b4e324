use leptos::prelude::*;

use crate::hooks::connection::{use_connection, Reachability};

/// Shown on every screen while the SDK endpoint cannot be reached; it goes away by itself when
/// a call gets through again. The alert says what is wrong once; the retry countdown beside it
/// changes at every backoff step and is not announced.
#[component]
pub fn ConnectionBanner() -> impl IntoView {
    let conn = use_connection();
    // (slow, reason) while unreachable: what the alert says, unchanged across retries.
    let problem = Memo::new(move |_| match conn.reachability.get() {
        Reachability::Unreachable { reason, slow, .. } => Some((slow, reason)),
        _ => None,
    });
    let endpoint = Memo::new(move |_| conn.sdk.with(|s| s.endpoint.clone()));
    let retry_in = move || match conn.reachability.get() {
        Reachability::Unreachable { retry_in, .. } => retry_in.as_secs().max(1),
        _ => 0,
    };
    move || {
        problem.get().map(|(slow, reason)| {
            view! {
                <div class="banner banner--error" data-testid="unreachable-banner">
                    <span role="alert">
                        <strong>
                            {if slow { "The SDK endpoint is too slow to answer: " } else { "Cannot reach the SDK endpoint " }}
                        </strong>
                        <code>{move || endpoint.get()}</code>
                        ". " {reason} "."
                    </span>
                    " "
                    <span>"Retrying in " {retry_in} " s; the console reconnects by itself."</span>
                </div>
            }
        })
    }
}
