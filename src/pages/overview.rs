//! The cluster at a glance: identity, health, versions and nodes, refreshed every 5 s.

use std::time::Duration;

use leptos::prelude::*;

use crate::browser::cluster::here;
use leptos_router::components::A;

use crate::api::metrics::Subject;
use crate::api::overview::{self, ClusterOverview};
use crate::api::{backups, volumes};
use crate::browser::clock;
use crate::components::badge::StatusBadge;
use crate::components::chart::{Bar, BarList};
use crate::components::history_charts::{HistoryCharts, Kind};
use crate::components::polled_view::PolledView;
use crate::components::polled_view::QueryError;
use crate::components::table::column_heads;
use crate::hooks::connection::use_connection;
use crate::hooks::forecast::use_forecast;
use crate::hooks::polled::use_polled;
use crate::hooks::title::use_title;
use crate::logic::backup_task;
use crate::logic::capacity_outlook;
use crate::logic::format;
use crate::logic::volume_table;
use crate::proto::console::CapacityForecast;
use crate::proto::StorageNode;
use crate::proto::VolumeState;

const REFRESH: Duration = Duration::from_secs(5);
/// Counts for the bar charts change slowly; the history refreshes at its own interval.
const CHART_REFRESH: Duration = Duration::from_secs(30);

#[component]
pub fn OverviewPage() -> impl IntoView {
    use_title("Cluster overview");
    let conn = use_connection();
    let query = use_polled(REFRESH, move || {
        let sdk = conn.sdk.get_untracked();
        async move { overview::load(&sdk).await }
    });
    let forecast = use_forecast(Signal::stored(Subject::Cluster));
    let outlook = Signal::derive(move || forecast.data.get().flatten().and_then(|f| f.whole));
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
                {move || query.data.get().map(|data| view! { <OverviewBody data outlook/> })}
            </PolledView>
            <ClusterCharts outlook/>
        </section>
    }
}

#[component]
fn OverviewBody(data: ClusterOverview, outlook: Signal<Option<CapacityForecast>>) -> impl IntoView {
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
    let (used, total) = console_model::node::total_capacity(&nodes);
    let online = console_model::node::online(&nodes);
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
                    {move || outlook.get().map(|f| view! {
                        <dt>"Outlook"</dt>
                        <dd data-testid="capacity-outlook">{capacity_outlook::words(&f)}</dd>
                    })}
                </dl>
            </article>
        </div>
        <h2 id="nodes">"Nodes"</h2>
        <NodesTable nodes/>
    }
}

/// Where each cluster chart links: I/O to the volumes, capacity to the nodes' storage.
fn chart_link(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Capacity => Some("#nodes"),
        _ => Some("/volumes"),
    }
}

/// The cluster over time, volumes by state, and backups by outcome over the last day.
#[component]
fn ClusterCharts(outlook: Signal<Option<CapacityForecast>>) -> impl IntoView {
    let conn = use_connection();
    let states = use_polled(CHART_REFRESH, move || {
        let sdk = conn.sdk.get_untracked();
        async move { volumes::state_counts(&sdk).await }
    });
    let outcomes = use_polled(CHART_REFRESH, move || {
        let sdk = conn.sdk.get_untracked();
        async move {
            let statuses = backups::statuses(&sdk).await?;
            let since = clock::unix_now() - 86_400;
            Ok(backup_task::outcomes_since(statuses.values(), since))
        }
    });
    let state_bars = Signal::derive(move || {
        states.data.get().map(|counts| {
            counts
                .into_iter()
                .map(|(state, count)| Bar {
                    label: volume_table::volume_state(state).to_string(),
                    count,
                    href: if state == 0 {
                        "/volumes".to_string()
                    } else {
                        format!("/volumes?state={state}")
                    },
                    tone: if state == VolumeState::Error as i32 {
                        "bad"
                    } else {
                        "neutral"
                    },
                })
                .collect::<Vec<_>>()
        })
    });
    let outcome_bars = Signal::derive(move || {
        outcomes.data.get().map(|counts| {
            counts
                .into_iter()
                .map(|(label, count)| Bar {
                    label: label.to_string(),
                    count: count as u64,
                    href: "/backups".into(),
                    tone: match label {
                        "Done" => "good",
                        "Failed" | "Aborted" => "bad",
                        _ => "neutral",
                    },
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section class="section" aria-labelledby="cluster-performance-heading" data-testid="cluster-performance">
            <h2 id="cluster-performance-heading">"Performance"</h2>
            <HistoryCharts
                subject=Signal::stored(Subject::Cluster)
                charts=&[Kind::Throughput, Kind::Iops, Kind::Capacity]
                links=chart_link
                outlook
            />
            <div class="charts">
                <div>
                    <QueryError error=states.error/>
                    <BarList title="Volumes by state" bars=state_bars href="/volumes" testid="chart-volume-states"/>
                </div>
                <div>
                    <QueryError error=outcomes.error/>
                    <BarList title="Backups, last 24 hours" bars=outcome_bars href="/backups" testid="chart-backup-outcomes"/>
                </div>
            </div>
        </section>
    }
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
                        let (used, total) = console_model::node::capacity(&node);
                        let id = node.id.clone();
                        view! {
                            <tr>
                                <td><A href={here(format!("/nodes/{id}"))}>{node.hostname.clone()}</A></td>
                                <td><code title=id.clone()>{format::short_id(&id).to_string()}</code></td>
                                <td><StatusBadge status=node.status/></td>
                                <td>{node.mgmt_ip.clone()}</td>
                                <td>{node.data_ip.clone()}</td>
                                <td>{format!("{}%", format::fixed(node.cpu, 0))}</td>
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
