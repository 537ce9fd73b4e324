//! Coloured badges that also spell the state out, so colour is never the only signal.

use leptos::prelude::*;

use crate::logic::status::{StatusView, Tone};

/// Any badge: a label in a tone.
#[component]
pub fn Badge(
    /// What the badge says (colour is never the only signal).
    #[prop(into)]
    label: String,
    /// How it reads at a glance: its colour.
    tone: Tone,
    /// Shown on hover: e.g. the SDK's own name for the state.
    #[prop(optional, into)]
    title: Option<String>,
) -> impl IntoView {
    view! { <span class=format!("badge {}", tone.class()) title=title>{label}</span> }
}

/// An SDK `Status` value as it arrived on the wire.
#[component]
pub fn StatusBadge(
    /// A cluster's or node's `Status` value as it arrives on the wire.
    status: i32,
) -> impl IntoView {
    let view_status = StatusView(status);
    view! { <Badge label=view_status.label() tone=view_status.tone() title=view_status.sdk_name()/> }
}

/// A volume's health (`VolumeStatus`).
#[component]
pub fn VolumeStatusBadge(
    /// A volume's `VolumeStatus` value (its health).
    status: i32,
) -> impl IntoView {
    let (label, tone) = crate::logic::volume_table::volume_status(status);
    view! { <Badge label tone/> }
}
