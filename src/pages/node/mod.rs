//! One node: status, addresses, CPU and memory, its pools and drives with their usage, how
//! many volumes have a replica (or are attached) there with a link to them on the Volumes
//! page, and its performance over time; growing its pools (pools.rs), and diagnostics and the
//! cluster's jobs (jobs.rs).

mod jobs;
mod pools;

use std::time::Duration;

use crate::browser::cluster::here;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::capabilities::{self, SdkService};
use crate::api::metrics::Subject;
use crate::api::{overview, volumes};
use crate::components::badge::StatusBadge;
use crate::components::history_charts::{HistoryCharts, Kind};
use crate::components::polled_view::QueryError;
use crate::error::AppError;
use crate::hooks::connection::use_connection;
use crate::hooks::forecast::use_forecast;
use crate::hooks::polled::use_keyed_polled;
use crate::hooks::title::use_title_from;
use crate::logic::capacity_outlook;
use crate::logic::format;
use crate::logic::node::medium;
use crate::proto::console::ForecastResponse;
use crate::proto::StorageNode;
use console_model::order;

use jobs::NodeJobs;
use pools::PoolResize;

const REFRESH: Duration = Duration::from_secs(5);
/// How many volumes have a replica on, or are attached to, this node (one row is asked for:
/// the Volumes page lists them).
async fn node_volumes(sdk: &crate::api::Sdk, node: &str) -> Result<u64, AppError> {
    Ok(volumes::on_node(sdk, node, 1).await?.1)
}

/// A usage bar with the figures in words beside it.
#[component]
fn Usage(used: u64, total: u64) -> impl IntoView {
    view! {
        <span class="usage">
            <meter min="0" max="100" value=format::percent(used, total) aria-hidden="true"></meter>
            " " {format::usage(used, total)}
        </span>
    }
}

#[component]
pub fn NodePage() -> impl IntoView {
    let conn = use_connection();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let node = use_keyed_polled(
        move || id.get(),
        |_| REFRESH,
        move |id: String| {
            let sdk = conn.sdk.get_untracked();
            async move { overview::node(&sdk, &id).await }
        },
    );
    let volumes = use_keyed_polled(
        move || id.get(),
        |_| REFRESH,
        move |id: String| {
            let sdk = conn.sdk.get_untracked();
            async move { node_volumes(&sdk, &id).await }
        },
    );
    use_title_from(move || {
        node.data.with(|n| {
            n.as_ref()
                .map_or_else(|| "Node".to_string(), |n| format!("Node {}", n.hostname))
        })
    });
    let not_found = move || matches!(node.error.get(), Some(AppError::NotFound(_)));
    let other_error = Signal::derive(move || {
        node.error
            .get()
            .filter(|e| !matches!(e, AppError::NotFound(_)))
    });
    let subject = Signal::derive(move || Subject::Node(id.get()));
    let forecast = use_forecast(subject);
    let forecast = Signal::derive(move || forecast.data.get().flatten());
    let outlook = Signal::derive(move || forecast.get().and_then(|f| f.whole));
    view! {
        <section class="page">
            <p><A href={here("/")}>"← Overview"</A></p>
            <QueryError error=other_error/>
            {move || {
                if not_found() {
                    return view! {
                        <div class="empty" data-testid="node-not-found">
                            <h1>"Node not found"</h1>
                            <p>"The cluster has no node " <code>{id.get()}</code> ". " <A href={here("/")}>"Back to the overview"</A></p>
                        </div>
                    }.into_any();
                }
                match node.data.get() {
                    None => view! { <p class="muted" role="status">"Loading node…"</p> }.into_any(),
                    Some(n) => view! { <NodeFacts node=n forecast/> }.into_any(),
                }
            }}
            // Outside the facts, which are redrawn on every refresh: what is typed stays.
            <PoolResize pools=Signal::derive(move || node.data.with(|n| n.as_ref().map(|n| n.pools.clone()).unwrap_or_default())) refresh=Callback::new(move |_| node.refresh())/>
            <NodeJobs node=id/>
            <section class="section" aria-labelledby="node-volumes-heading">
                <h2 id="node-volumes-heading">"Volumes on this node"</h2>
                <QueryError error=volumes.error/>
                {move || volumes.data.get().map(|count| view! { <NodeVolumes node=id.get() count/> })}
            </section>
            <section class="section" aria-labelledby="node-performance-heading" data-testid="node-performance">
                <h2 id="node-performance-heading">"Performance"</h2>
                <HistoryCharts
                    subject
                    charts=&[Kind::Throughput, Kind::Iops, Kind::Cpu, Kind::Memory, Kind::Capacity]
                    outlook
                />
            </section>
        </section>
    }
}

#[component]
fn NodeFacts(node: StorageNode, forecast: Signal<Option<ForecastResponse>>) -> impl IntoView {
    // A pool's outlook by its uuid; nothing where console-server keeps no history.
    let pool_outlook = move |uuid: String| {
        move || {
            forecast.with(|f| {
                f.as_ref()?
                    .pools
                    .iter()
                    .find(|p| p.pool_id == uuid)
                    .map(capacity_outlook::words)
            })
        }
    };
    let mut pools = node.pools.clone();
    order::sort_by_key(&mut pools, |p| p.id);
    let mut disks: Vec<_> = node.disks.values().cloned().collect();
    order::sort_by(&mut disks, |a, b| a.path.cmp(&b.path));
    view! {
        <h1 data-testid="node-hostname">{node.hostname.clone()}</h1>
        <dl class="facts" data-testid="node-facts">
            <dt>"Status"</dt>
            <dd><StatusBadge status=node.status/></dd>
            <dt>"ID"</dt>
            <dd><code>{node.id.clone()}</code></dd>
            <dt>"Management IP"</dt>
            <dd>{node.mgmt_ip.clone()}</dd>
            <dt>"Data IP"</dt>
            <dd>{node.data_ip.clone()}</dd>
            <dt>"CPU"</dt>
            <dd data-testid="node-cpu">{format!("{}%", format::fixed(node.cpu, 0))}</dd>
            <dt>"Memory"</dt>
            <dd><Usage used=node.mem_used total=node.mem_total/></dd>
            {move || forecast.get().and_then(|f| f.whole).map(|f| view! {
                <dt>"Storage outlook"</dt>
                <dd data-testid="node-outlook">{capacity_outlook::words(&f)}</dd>
            })}
        </dl>
        <h2>"Storage pools"</h2>
        {if pools.is_empty() {
            view! { <p class="muted">"The node reports no storage pools."</p> }.into_any()
        } else {
            view! {
                <table class="table" aria-label="Storage pools" data-testid="node-pools">
                    <thead><tr><th scope="col">"Pool"</th><th scope="col">"Medium"</th><th scope="col">"Used"</th><th scope="col">"Outlook"</th><th scope="col">"Last operation"</th></tr></thead>
                    <tbody>
                        {pools.into_iter().map(|p| view! {
                            <tr>
                                <td>{p.id} {(!p.uuid.is_empty()).then(|| view! { " " <code class="muted" title=p.uuid.clone()>{format::short_id(&p.uuid).to_string()}</code> })}</td>
                                <td>{medium(p.medium)}</td>
                                <td><Usage used=p.used total=p.total_size/></td>
                                <td data-testid="pool-outlook">{pool_outlook(p.uuid.clone())}</td>
                                <td data-testid="pool-operation">{p.last_operation.as_ref().map(pool_operation).unwrap_or_else(|| "—".into())}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        <h2>"Drives"</h2>
        {if disks.is_empty() {
            view! { <p class="muted">"The node reports no drives."</p> }.into_any()
        } else {
            view! {
                <table class="table" aria-label="Drives" data-testid="node-drives">
                    <thead><tr><th scope="col">"Drive"</th><th scope="col">"Medium"</th><th scope="col">"Online"</th><th scope="col">"Used"</th></tr></thead>
                    <tbody>
                        {disks.into_iter().map(|d| view! {
                            <tr>
                                <td><code>{d.path.clone()}</code></td>
                                <td>{medium(d.medium)}</td>
                                <td>{if d.online { "Yes" } else { "No" }}</td>
                                <td><Usage used=d.used total=d.size/></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
    }
}

/// A pool operation in words: what it does and how it stands.
fn pool_operation(op: &crate::proto::StoragePoolOperation) -> String {
    use crate::proto::sdk_storage_pool::OperationStatus as S;
    let status = match S::try_from(op.status).unwrap_or(S::OperationPending) {
        S::OperationPending => "pending",
        S::OperationInProgress => "in progress",
        S::OperationSuccessful => "done",
        S::OperationFailed => "failed",
    };
    format!("{} ({status})", op.msg)
}

#[component]
fn NodeVolumes(node: String, count: u64) -> impl IntoView {
    if count == 0 {
        return view! { <p class="muted" data-testid="node-volumes-empty">"No volume has a replica on this node."</p> }.into_any();
    }
    let noun = if count == 1 {
        "volume has"
    } else {
        "volumes have"
    };
    view! {
        <p data-testid="node-volume-count">
            {format!("{count} {noun} a replica on this node or are attached to it. ")}
            <A href={here(format!("/volumes?node={node}"))} attr:data-testid="node-volumes-link">"List them on Volumes"</A>
        </p>
    }
    .into_any()
}

/// Marks `offered` false once the connection knows the cluster lacks `service`.
fn learn_absence(offered: RwSignal<bool>, service: SdkService) {
    let sdk = use_connection().sdk.get_untracked();
    spawn_local(async move {
        if capabilities::lacks(&sdk, service).await {
            offered.try_set(false);
        }
    });
}
