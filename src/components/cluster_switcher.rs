//! The header's cluster switcher, shown when console-server serves several clusters: picking
//! another loads the same screen in that cluster (a page of one volume or node becomes its
//! list there). And the banner for an address naming a cluster this console does not serve.

use leptos::prelude::*;

use crate::browser::cluster;
use crate::hooks::fleet::use_fleet;
use crate::logic::cluster_path;

#[component]
pub fn ClusterSwitcher() -> impl IntoView {
    let fleet = use_fleet();
    let several = move || fleet.members.with(|m| m.len() > 1);
    let switch = move |ev: leptos::ev::Event| {
        let name = event_target_value(&ev);
        if Some(name.as_str()) != fleet.current_name().as_deref() {
            let screen = cluster::screen_with_query();
            let screen = if screen.starts_with(cluster_path::FLEET) {
                "/"
            } else {
                cluster_path::same_screen(&screen)
            };
            cluster::go(&cluster_path::at(Some(&name), screen));
        }
    };
    move || {
        several().then(|| {
            let selected = fleet.current_name().unwrap_or_default();
            let options = fleet.members.with(|m| {
                m.iter()
                    .map(|c| {
                        let (value, label) = (c.name.clone(), c.name.clone());
                        let is_selected = value == selected;
                        view! { <option value=value selected=is_selected>{label}</option> }
                    })
                    .collect_view()
            });
            view! {
                <label class="cluster-switcher">
                    <span>"Cluster"</span>
                    <select data-testid="cluster-switcher" on:change=switch>{options}</select>
                </label>
                <a class="topbar__fleet" href=cluster_path::FLEET data-testid="fleet-link">"All clusters"</a>
            }
        })
    }
}

/// Shown when the address names a cluster this console does not serve; it forgets that
/// cluster as the last one used, so opening the console no longer leads to it.
#[component]
pub fn UnknownClusterBanner() -> impl IntoView {
    let fleet = use_fleet();
    move || {
        fleet.unknown_current().map(|name| {
            cluster::forget_last();
            view! {
                <div class="banner banner--error" role="alert" data-testid="unknown-cluster">
                    "This console serves no cluster named " <code>{name}</code> ". "
                    <a href=cluster_path::FLEET>"Choose one of its clusters"</a>
                </div>
            }
        })
    }
}
