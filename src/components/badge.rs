//! Coloured badges that also spell the state out, so colour is never the only signal.

use leptos::prelude::*;

use crate::logic::status::{StatusView, Tone};

/// Any badge: a label in a tone.
#[component]
pub fn Badge(
    #[prop(into)] label: String,
    tone: Tone,
    /// Shown on hover: e.g. the SDK's own name for the state.
    #[prop(optional, into)]
    title: Option<String>,
) -> impl IntoView {
    view! { <span class=format!("badge {}", tone.class()) title=title>{label}</span> }
}

/// An SDK `Status` value as it arrived on the wire.
#[component]
pub fn StatusBadge(status: i32) -> impl IntoView {
    let view_status = StatusView(status);
    view! { <Badge label=view_status.label() tone=view_status.tone() title=view_status.sdk_name()/> }
}

/// A volume's health (`VolumeStatus`).
#[component]
pub fn VolumeStatusBadge(status: i32) -> impl IntoView {
    let (label, tone) = crate::logic::volume_table::volume_status(status);
    view! { <Badge label tone/> }
}
