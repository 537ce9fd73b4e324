//! Alerts: what the cluster raised (OpenStorageAlerts, a server-streaming call), filtered by
//! severity, resource type, time window and whether still active; each links to its resource
//! and can be deleted.

use std::time::Duration;

use crate::browser::cluster::here;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::alerts::{self, AlertFilter, Alerts};
use crate::api::overview;
use crate::browser::clock;
use crate::components::badge::Badge;
use crate::components::confirm::ConfirmDelete;
use crate::components::polled_view::QueryError;
use crate::hooks::connection::use_connection;
use crate::hooks::mutation::Mutation;
use crate::hooks::polled::{use_keyed_polled, use_polled};
use crate::hooks::title::use_title;
use crate::logic::alerts::{resource_link, resource_name, severity};
use crate::proto::{Alert, ResourceType, SeverityType, StorageNode};

const REFRESH: Duration = Duration::from_secs(10);

const WINDOWS: [(i64, &str); 4] = [
    (0, "Any time"),
    (3600, "Last hour"),
    (86_400, "Last 24 hours"),
    (7 * 86_400, "Last 7 days"),
];

#[component]
pub fn AlertsPage() -> impl IntoView {
    use_title("Alerts");
    let conn = use_connection();
    let min_severity = RwSignal::new(0i32);
    let resource = RwSignal::new(0i32);
    let window = RwSignal::new(0i64);
    let active_only = RwSignal::new(false);
    let filter = Memo::new(move |_| AlertFilter {
        min_severity: SeverityType::try_from(min_severity.get())
            .ok()
            .filter(|s| *s != SeverityType::None),
        resource: ResourceType::try_from(resource.get())
            .ok()
            .filter(|r| *r != ResourceType::None),
        window: Some(window.get()).filter(|secs| *secs > 0),
        active_only: active_only.get(),
    });
    let query = use_keyed_polled(
        move || filter.get(),
        |_| REFRESH,
        move |filter: AlertFilter| {
            let sdk = conn.sdk.get_untracked();
            async move { alerts::enumerate(&sdk, &filter).await }
        },
    );
    // Node names for the resources (pools and drives are found on their nodes).
    let nodes = use_polled(Duration::from_secs(60), move || {
        let sdk = conn.sdk.get_untracked();
        async move { overview::nodes(&sdk).await }
    });
    let number = |ev: leptos::ev::Event| event_target_value(&ev).parse::<i64>().unwrap_or(0);
    view! {
        <section class="page">
            <header class="page-header">
                <h1>"Alerts"</h1>
                <button type="button" class="button" on:click=move |_| query.refresh()>"Refresh now"</button>
            </header>
            <div class="filters">
                <div class="field">
                    <label for="alert-severity">"Severity"</label>
                    <select id="alert-severity" on:change=move |ev| min_severity.set(number(ev) as i32)>
                        <option value="0" prop:selected=move || min_severity.get() == 0>"Any"</option>
                        <option value="1" prop:selected=move || min_severity.get() == 1>"Alarm"</option>
                        <option value="2" prop:selected=move || min_severity.get() == 2>"Warning or worse"</option>
                        <option value="3" prop:selected=move || min_severity.get() == 3>"Notice or worse"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="alert-resource">"Resource"</label>
                    <select id="alert-resource" on:change=move |ev| resource.set(number(ev) as i32)>
                        <option value="0" prop:selected=move || resource.get() == 0>"Any"</option>
                        {alerts::RESOURCE_TYPES
                            .iter()
                            .map(|r| {
                                let v = *r as i32;
                                view! { <option value=v.to_string() prop:selected=move || resource.get() == v>{resource_name(v)}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="alert-window">"Raised"</label>
                    <select id="alert-window" on:change=move |ev| window.set(number(ev))>
                        {WINDOWS
                            .iter()
                            .map(|(secs, name)| {
                                let secs = *secs;
                                view! { <option value=secs.to_string() prop:selected=move || window.get() == secs>{*name}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field field--inline">
                    <label>
                        <input
                            type="checkbox"
                            data-testid="alert-active-only"
                            prop:checked=move || active_only.get()
                            on:change=move |ev| active_only.set(event_target_checked(&ev))
                        />
                        " Active only"
                    </label>
                </div>
            </div>
            <QueryError error=query.error/>
            {move || match query.data.get() {
                None if query.error.with(Option::is_none) => Some(view! { <p class="muted" role="status">"Loading alerts…"</p> }.into_any()),
                None => None,
                Some(Alerts::NotKept(why)) => Some(view! {
                    <p class="empty" data-testid="alerts-not-kept">
                        "This cluster keeps no alerts (its SDK answers: " {why} ")."
                    </p>
                }.into_any()),
                Some(Alerts::Listed(list)) if list.is_empty() => Some(view! {
                    <p class="empty" data-testid="alerts-empty">"No alerts match."</p>
                }.into_any()),
                Some(Alerts::Listed(list)) => Some(view! {
                    <AlertTable alerts=list nodes=Signal::derive(move || nodes.data.get().unwrap_or_default()) on_deleted=Callback::new(move |_| query.refresh())/>
                }.into_any()),
            }}
        </section>
    }
}

#[component]
fn AlertTable(
    alerts: Vec<Alert>,
    #[prop(into)] nodes: Signal<Vec<StorageNode>>,
    on_deleted: Callback<()>,
) -> impl IntoView {
    view! {
        <p class="muted" data-testid="alert-count">{format!("{} alerts", alerts.len())}</p>
        <table class="table" aria-label="Alerts" data-testid="alerts-table">
            <thead>
                <tr>
                    <th scope="col">"Severity"</th>
                    <th scope="col">"Resource"</th>
                    <th scope="col">"Last raised"</th>
                    <th scope="col">"Message"</th>
                    <th scope="col">"Count"</th>
                    <th scope="col">"State"</th>
                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>
                {alerts.into_iter().map(|alert| view! { <AlertRow alert nodes on_deleted/> }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn AlertRow(
    alert: Alert,
    nodes: Signal<Vec<StorageNode>>,
    on_deleted: Callback<()>,
) -> impl IntoView {
    let conn = use_connection();
    let (label, tone) = severity(alert.severity);
    let kind = resource_name(alert.resource);
    let when = clock::local_time(alert.timestamp.map_or(0, |t| t.seconds));
    let confirming = RwSignal::new(false);
    let target = StoredValue::new(alert.clone());
    let delete = Mutation::new();
    let busy = Signal::from(delete.busy);
    let link_of = alert.clone();
    let link = move || {
        nodes
            .with(|n| resource_link(&link_of, n))
            .map(|(href, name)| view! { <A href={here(href)}>{name}</A> }.into_any())
            .unwrap_or_else(|| view! { <code>{link_of.resource_id.clone()}</code> }.into_any())
    };
    view! {
        <tr data-testid="alert-row" data-severity=label>
            <td><Badge label=label tone/></td>
            <td>{kind} " " {link}</td>
            <td>{when}</td>
            <td>{alert.message.clone()}</td>
            <td>{alert.count}</td>
            <td>{if alert.cleared { "Cleared" } else { "Active" }}</td>
            <td>
                <Show when=move || !confirming.get()>
                    <button type="button" class="button" on:click=move |_| confirming.set(true)>"Delete"</button>
                </Show>
                <ConfirmDelete
                    open=confirming
                    question="Delete this alert, and any other of its kind on the same resource?".to_string()
                    action="Delete alert"
                    busy
                    on_confirm=Callback::new(move |_| {
                        let sdk = conn.sdk.get_untracked();
                        let target = target.get_value();
                        delete.run(async move { alerts::delete(&sdk, &target).await }, move |()| {
                            confirming.set(false);
                            on_deleted.run(());
                        });
                    })
                    on_cancel=Callback::new(move |_| confirming.set(false))
                />
                {move || delete.error.get().map(|e| view! { <p class="field-error" role="alert">{e.to_string()}</p> })}
            </td>
        </tr>
    }
}
