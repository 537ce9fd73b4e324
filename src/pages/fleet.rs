//! Every cluster this console serves, side by side: each row is asked of its own cluster with
//! the sign-in kept for it, so a cluster that is down, or that wants a token, says so in its row
//! while the others keep answering.

use std::time::Duration;

use leptos::prelude::*;

use crate::api::fleet::{self, Summary};
use crate::api::metrics::{self, Subject};
use crate::api::Sdk;
use crate::browser::clock;
use crate::components::badge::{Badge, StatusBadge};
use crate::components::table::column_heads;
use crate::error::AppError;
use crate::hooks::connection::use_connection;
use crate::hooks::fleet::use_fleet;
use crate::hooks::polled::use_polled;
use crate::hooks::title::use_title;
use crate::logic::status::Tone;
use crate::logic::{backup_task, capacity_outlook, cluster_path, format};
use crate::proto::console::{CapacityForecast, FleetCluster};

const REFRESH: Duration = Duration::from_secs(10);
/// A forecast moves with hours of history: once a minute is plenty.
const OUTLOOK_REFRESH: Duration = Duration::from_secs(60);

/// The cluster's capacity outlook; none where it keeps no history or reports no capacity.
async fn outlook(sdk: Sdk) -> Result<Option<CapacityForecast>, AppError> {
    Ok(metrics::forecast(&sdk, Subject::Cluster)
        .await?
        .and_then(|f| f.whole))
}

/// What a cluster's row says.
#[derive(Debug, Clone, PartialEq)]
enum Reach {
    Up(Box<Summary>),
    /// console-server cannot reach it (or it is too slow), and why.
    Down(String),
    /// It wants a token, or a token with more rights, for this user.
    SignIn(String),
}

async fn reach(sdk: Sdk) -> Result<Reach, AppError> {
    match fleet::summary(&sdk).await {
        Ok(summary) => Ok(Reach::Up(Box::new(summary))),
        Err(err) if err.is_connectivity() => Ok(Reach::Down(err.to_string())),
        Err(err @ (AppError::Unauthenticated(_) | AppError::PermissionDenied(_))) => {
            Ok(Reach::SignIn(err.to_string()))
        }
        Err(err) => Err(err),
    }
}

#[component]
pub fn FleetPage() -> impl IntoView {
    use_title("Clusters");
    let fleet = use_fleet();
    view! {
        <section class="page">
            <header class="page-header">
                <h1>"Clusters"</h1>
            </header>
            <p class="muted">"Every cluster this console serves. Each row is asked of its own cluster, with the sign-in kept for it."</p>
            {move || {
                let members = fleet.members.get();
                if members.is_empty() {
                    return view! { <p role="status">"Asking the console which clusters it serves…"</p> }.into_any();
                }
                view! {
                    <table class="table" data-testid="fleet-table" aria-label="Clusters">
                        {column_heads(&["Cluster", "ID", "Status", "Nodes online", "Capacity used", "Active alarms", "Volumes", "Last backup", "Reachability"])}
                        <tbody>
                            {members.into_iter().enumerate().map(|(i, member)| view! { <FleetRow member first=i == 0/> }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn FleetRow(member: FleetCluster, first: bool) -> impl IntoView {
    let conn = use_connection();
    let name = member.name.clone();
    let sdk = conn
        .sdk
        .with_untracked(|sdk| fleet::member(sdk, &name, first));
    let query = use_polled(REFRESH, {
        let sdk = sdk.clone();
        move || reach(sdk.clone())
    });
    let outlook = use_polled(OUTLOOK_REFRESH, move || outlook(sdk.clone()));
    let outlook = Signal::derive(move || outlook.data.get().flatten());
    let home = cluster_path::at(Some(&name), "/");
    let sign_in = cluster_path::at(Some(&name), "/settings");
    let kind = if member.upstream {
        "upstream"
    } else {
        "built-in mock"
    };
    let cells = move || {
        match (query.data.get(), query.error.get()) {
        (Some(Reach::Up(summary)), _) => summary_cells(*summary, outlook).into_any(),
        (Some(Reach::Down(reason)), _) => view! {
            <td colspan="7" class="muted">"—"</td>
            <td data-testid="fleet-reach"><Badge label="Unreachable" tone=Tone::Bad/> " " <span class="muted">{reason}</span></td>
        }.into_any(),
        (Some(Reach::SignIn(reason)), _) => view! {
            <td colspan="7" class="muted">{reason}</td>
            <td data-testid="fleet-reach">
                <Badge label="Sign-in needed" tone=Tone::Warning/> " "
                <a href=sign_in.clone() rel="external">"Sign in to this cluster"</a>
            </td>
        }.into_any(),
        (None, Some(err)) => view! {
            <td colspan="7" class="muted">{err.to_string()}</td>
            <td data-testid="fleet-reach"><Badge label="Error" tone=Tone::Bad/></td>
        }.into_any(),
        (None, None) => view! { <td colspan="8" role="status">"Loading…"</td> }.into_any(),
    }
    };
    let label = name.clone();
    view! {
        <tr data-testid="fleet-row" data-cluster=name>
            // Another cluster is another page: the browser loads it, not the router.
            <th scope="row"><a href=home rel="external">{label}</a> " " <span class="muted">{kind}</span></th>
            {cells}
        </tr>
    }
}

fn summary_cells(summary: Summary, outlook: Signal<Option<CapacityForecast>>) -> impl IntoView {
    let Summary {
        cluster,
        nodes,
        nodes_online,
        used,
        total,
        alarms,
        volumes,
        last_backup,
    } = summary;
    let not_offered = || {
        view! { <span class="muted" title="This cluster does not report it">"—"</span> }.into_any()
    };
    let last_backup = match last_backup {
        Some(task) => {
            let (label, tone) = backup_task::state(task.status);
            let when = clock::local_time(task.completed_time.map_or(0, |t| t.seconds));
            view! { <Badge label tone/> " " <span class="muted">{when}</span> }.into_any()
        }
        None => view! { <span class="muted">"None reported"</span> }.into_any(),
    };
    view! {
        <td><code data-testid="fleet-cluster-id">{cluster.id}</code></td>
        <td><StatusBadge status=cluster.status/></td>
        <td>{format!("{nodes_online} of {nodes}")}</td>
        <td>
            {format::usage(used, total)}
            {move || outlook.get().map(|f| view! {
                <br/><span class="muted" data-testid="fleet-outlook">{capacity_outlook::words(&f)}</span>
            })}
        </td>
        <td data-testid="fleet-alarms">{alarms.map_or_else(not_offered, |n| n.to_string().into_any())}</td>
        <td data-testid="fleet-volumes">{volumes.map_or_else(not_offered, |n| n.to_string().into_any())}</td>
        <td>{last_backup}</td>
        <td data-testid="fleet-reach"><Badge label="Reachable" tone=Tone::Good/></td>
    }
}
