use leptos::prelude::*;

use crate::logic::status::StatusView;

/// A coloured badge that also spells the status out, so colour is never the only signal.
#[component]
pub fn StatusBadge(
    /// The SDK `Status` value as it arrived on the wire.
    status: i32,
) -> impl IntoView {
    let view_status = StatusView(status);
    view! {
        <span class=format!("badge {}", view_status.tone().class()) title=view_status.sdk_name()>
            {view_status.label()}
        </span>
    }
}

/// A volume's health (`VolumeStatus`), spelled out and coloured.
#[component]
pub fn VolumeStatusBadge(status: i32) -> impl IntoView {
    let (label, tone) = crate::logic::volume_table::volume_status(status);
    view! { <span class=format!("badge {}", tone.class())>{label}</span> }
}
