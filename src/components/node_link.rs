//! A node named by its hostname and linked to its page, where the SDK names it by id.

use crate::browser::cluster::here;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::hooks::polled::Polled;
use crate::hooks::shared_queries::NodeNames;
use crate::logic::format;

/// The node `id` as its hostname (its id on hover), or the start of its id while the names
/// load or when the cluster does not list it.
#[component]
pub fn NodeLink(id: String, nodes: Polled<NodeNames>) -> impl IntoView {
    let href = format!("/nodes/{id}");
    let title = id.clone();
    let text = move || {
        nodes.data.with(|names| {
            names
                .as_deref()
                .and_then(|names| names.iter().find(|(node, _)| *node == id))
                .map_or_else(
                    || format::short_id(&id).to_string(),
                    |(_, host)| host.clone(),
                )
        })
    };
    view! { <A href={here(href)} attr:title=title>{text}</A> }
}
