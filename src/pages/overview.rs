//! The cluster at a glance: identity, health, versions and nodes, refreshed every 5 s.

use std::time::Duration;

use leptos::prelude::*;

use crate::api::overview::{self, ClusterOverview};
use crate::components::badge::StatusBadge;
use crate::components::polled_view::PolledView;
use crate::components::table::column_heads;
use crate::hooks::connection::use_connection;
use crate::hooks::query::use_query;
use crate::hooks::title::use_title;
use crate::logic::format;
use crate::proto::StorageNode;

const REFRESH: Duration = Duration::from_secs(5);

#[component]
pub fn OverviewPage() -> impl IntoView {
    use_title("Cluster overview");
    let conn = use_connection();
    let query = use_query(REFRESH, move || {
        let sdk = conn.sdk.get_untracked();
        async move { overview::load(&sdk).await }
    });
    view! {
        <section class="page">
            <header class="page-header">
                <h1>"Cluster overview"</h1>
                <button type="button" class="button" on:click=move |_| query.refresh()>
                    "Refresh now"
                </button>
            </header>
            // The cluster always answers something: there is no empty state.
            <PolledView query what="cluster" is_empty=|_| false empty=|| ()>
                {move || query.data.get().map(|data| view! { <OverviewBody data/> })}
            </PolledView>
        </section>
    }
}

#[component]
fn OverviewBody(data: ClusterOverview) -> impl IntoView {
    let ClusterOverview {
        cluster,
        sdk_version,
        driver,
        nodes,
    } = data;
    let sdk_version = sdk_version
        .map(|v| v.version)
        .unwrap_or_else(|| "unknown".into());
    let driver = driver
        .map(|d| format!("{} {}", d.driver, d.version))
        .unwrap_or_else(|| "unknown".into());
    let (used, total) = nodes
        .iter()
        .map(node_capacity)
        .fold((0, 0), |(u, t), (nu, nt)| (u + nu, t + nt));
    let online = nodes
        .iter()
        .filter(|n| n.status == crate::proto::Status::Ok as i32)
        .count();
    view! {
        <div class="cards">
            <article class="card" aria-labelledby="cluster-heading">
                <h2 id="cluster-heading">"Cluster"</h2>
                <dl class="facts">
                    <dt>"Name"</dt>
                    <dd data-testid="cluster-name">{cluster.name}</dd>
                    <dt>"ID"</dt>
                    <dd><code data-testid="cluster-id">{cluster.id}</code></dd>
                    <dt>"Status"</dt>
                    <dd data-testid="cluster-status"><StatusBadge status=cluster.status/></dd>
                </dl>
            </article>
            <article class="card" aria-labelledby="versions-heading">
                <h2 id="versions-heading">"Versions"</h2>
                <dl class="facts">
                    <dt>"SDK"</dt>
                    <dd data-testid="sdk-version">{sdk_version}</dd>
                    <dt>"Driver"</dt>
                    <dd data-testid="driver-version">{driver}</dd>
                </dl>
            </article>
            <article class="card" aria-labelledby="capacity-heading">
                <h2 id="capacity-heading">"Capacity"</h2>
                <dl class="facts">
                    <dt>"Nodes online"</dt>
                    <dd data-testid="nodes-online">{format!("{online} of {}", nodes.len())}</dd>
                    <dt>"Storage used"</dt>
                    <dd>
                        {format::usage(used, total)}
                    </dd>
                </dl>
            </article>
        </div>
        <h2>"Nodes"</h2>
        <NodesTable nodes/>
    }
}

/// Used and total bytes of a node's storage pools.
fn node_capacity(node: &StorageNode) -> (u64, u64) {
    node.pools
        .iter()
        .fold((0, 0), |(u, t), p| (u + p.used, t + p.total_size))
}

#[component]
fn NodesTable(nodes: Vec<StorageNode>) -> impl IntoView {
    if nodes.is_empty() {
        return view! { <p class="muted">"The cluster reports no nodes."</p> }.into_any();
    }
    view! {
        <table class="table" data-testid="nodes-table" aria-label="Nodes">
            {column_heads(&["Hostname", "ID", "Status", "Management IP", "Data IP", "CPU", "Memory", "Storage"])}
            <tbody>
                {nodes
                    .into_iter()
                    .map(|node| {
                        let (used, total) = node_capacity(&node);
                        let id = node.id.clone();
                        view! {
                            <tr>
                                <td>{node.hostname.clone()}</td>
                                <td><code title=id.clone()>{format::short_id(&id).to_string()}</code></td>
                                <td><StatusBadge status=node.status/></td>
                                <td>{node.mgmt_ip.clone()}</td>
                                <td>{node.data_ip.clone()}</td>
                                <td>{format!("{:.0}%", node.cpu)}</td>
                                <td>{format::usage(node.mem_used, node.mem_total)}</td>
                                <td>{format::usage(used, total)}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
