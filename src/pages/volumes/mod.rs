//! Volumes: the cluster's volumes a page at a time, filtered by name, label, state and health,
//! sorted by any column. From console-server's view service when the endpoint has one (`live`:
//! one page per call, changes pushed), otherwise from SDK calls (`fallback`), with a note.

mod fallback;
mod live;
mod table;

use crate::browser::cluster::here;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::query_signal_with_options;

use crate::components::field::{described_by, FieldError};
use crate::hooks::connection::use_connection;
use crate::hooks::shared_queries::use_node_names;
use crate::hooks::title::use_title;
use crate::logic::validate;
use crate::logic::volume_table::{self, Column, Sort};
use crate::proto::console::VolumeFilter;
use crate::proto::{VolumeState, VolumeStatus};

/// The filters above the table; both sources read them.
#[derive(Clone, Copy)]
pub struct Filters {
    pub name: RwSignal<String>,
    pub label_text: RwSignal<String>,
    pub label: Memo<Result<Option<(String, String)>, String>>,
    /// A VolumeState or VolumeStatus value (None is any, as is `0`). They live in the URL
    /// (`?state=3`), so the overview's "volumes by state" can link here and a reload keeps them.
    pub state: Signal<Option<i32>>,
    pub status: Signal<Option<i32>>,
    /// A node id (`?node=`, as a node's page links here): volumes attached or with a replica
    /// there.
    pub node: Signal<Option<String>>,
    set_state: SignalSetter<Option<i32>>,
    set_status: SignalSetter<Option<i32>>,
    set_node: SignalSetter<Option<String>>,
}

impl Filters {
    fn new() -> Filters {
        let label_text = RwSignal::new(String::new());
        let in_url = || leptos_router::NavigateOptions {
            replace: true,
            scroll: false,
            // The path these navigate to is the whole address, the cluster's prefix included:
            // resolving it against the router's base would add the prefix twice.
            resolve: false,
            ..Default::default()
        };
        let (state, set_state) = query_signal_with_options::<i32>("state", in_url());
        let (status, set_status) = query_signal_with_options::<i32>("status", in_url());
        let (node, set_node) = query_signal_with_options::<String>("node", in_url());
        let any_as_none =
            |value: Memo<Option<i32>>| Signal::derive(move || value.get().filter(|v| *v != 0));
        Filters {
            name: RwSignal::new(String::new()),
            label_text,
            label: Memo::new(move |_| validate::label_filter(&label_text.get())),
            state: any_as_none(state),
            status: any_as_none(status),
            node: Signal::derive(move || node.get().filter(|n| !n.is_empty())),
            set_state,
            set_status,
            set_node,
        }
    }

    /// The label filter when it is valid (an invalid one says why beside its field).
    fn valid_label(self) -> Option<(String, String)> {
        self.label.get().ok().flatten()
    }

    /// What the table is filtered by, through the view service or not; tracked.
    fn for_view(self) -> VolumeFilter {
        VolumeFilter {
            name: self.name.get().trim().to_string(),
            labels: self.valid_label().into_iter().collect(),
            states: self.state.get().into_iter().collect(),
            statuses: self.status.get().into_iter().collect(),
            node: self.node.get().unwrap_or_default(),
        }
    }
}

/// Every state a volume can be listed in (the overview links each one here).
const STATES: [VolumeState; 9] = [
    VolumeState::Pending,
    VolumeState::Available,
    VolumeState::Attached,
    VolumeState::Detached,
    VolumeState::Detatching,
    VolumeState::TryDetaching,
    VolumeState::Restore,
    VolumeState::Error,
    VolumeState::Deleted,
];
const STATUSES: [VolumeStatus; 4] = [
    VolumeStatus::Up,
    VolumeStatus::Degraded,
    VolumeStatus::Down,
    VolumeStatus::NotPresent,
];

#[component]
pub fn VolumesPage() -> impl IntoView {
    use_title("Volumes");
    let conn = use_connection();
    let filters = Filters::new();
    let sort = RwSignal::new(Sort {
        column: Column::Name,
        ascending: true,
    });
    // Why the endpoint cannot answer from a view, once it has said so (for this endpoint and
    // token: a change of either asks the view again).
    let absent = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        conn.sdk.track();
        if absent.get_untracked().is_some() {
            absent.set(None);
        }
    });
    let label_error = Signal::derive(move || filters.label.get().err());
    let state_options = STATES
        .into_iter()
        .map(|s| view! { <option value=(s as i32).to_string() prop:selected=move || filters.state.get() == Some(s as i32)>{volume_table::volume_state(s as i32)}</option> })
        .collect_view();
    let status_options = STATUSES
        .into_iter()
        .map(|s| view! { <option value=(s as i32).to_string() prop:selected=move || filters.status.get() == Some(s as i32)>{volume_table::volume_status(s as i32).0}</option> })
        .collect_view();
    let nodes = use_node_names();
    // The chosen node stays an option while the names load, or if the cluster stops listing it.
    let node_options = move || {
        let chosen = filters.node.get();
        let mut names = nodes.data.get().unwrap_or_default();
        if let Some(id) = chosen
            .as_ref()
            .filter(|id| !names.iter().any(|(n, _)| n == *id))
        {
            names.push((id.clone(), id.clone()));
        }
        names
            .into_iter()
            .map(|(id, host)| {
                let selected = chosen.as_deref() == Some(id.as_str());
                view! { <option value=id prop:selected=selected>{host}</option> }
            })
            .collect_view()
    };
    // "Any" (0) leaves the URL without the filter.
    let any_or = |ev: leptos::ev::Event| {
        event_target_value(&ev)
            .parse::<i32>()
            .ok()
            .filter(|v| *v != 0)
    };

    view! {
        <section class="page">
            <header class="page-header">
                <h1>"Volumes"</h1>
                <A href={here("/volumes/new")} attr:class="button button--primary">"Create volume"</A>
            </header>
            <div class="filters">
                <div class="field">
                    <label for="filter-name">"Filter by name"</label>
                    <input
                        id="filter-name"
                        type="search"
                        placeholder="e.g. pvc-"
                        prop:value=move || filters.name.get()
                        on:input=move |ev| filters.name.set(event_target_value(&ev))
                    />
                </div>
                <div class="field">
                    <label for="filter-label">"Filter by label"</label>
                    <input
                        id="filter-label"
                        type="search"
                        placeholder="key=value"
                        aria-describedby=described_by("filter-label", false)
                        aria-invalid=move || label_error.with(Option::is_some).to_string()
                        prop:value=move || filters.label_text.get()
                        on:input=move |ev| filters.label_text.set(event_target_value(&ev))
                    />
                    <FieldError id="filter-label" error=label_error/>
                </div>
                <div class="field">
                    <label for="filter-state">"State"</label>
                    <select id="filter-state" on:change=move |ev| filters.set_state.set(any_or(ev))>
                        <option value="0" prop:selected=move || filters.state.get().is_none()>"Any"</option>
                        {state_options}
                    </select>
                </div>
                <div class="field">
                    <label for="filter-status">"Health"</label>
                    <select id="filter-status" on:change=move |ev| filters.set_status.set(any_or(ev))>
                        <option value="0" prop:selected=move || filters.status.get().is_none()>"Any"</option>
                        {status_options}
                    </select>
                </div>
                <div class="field">
                    <label for="filter-node">"Node"</label>
                    <select
                        id="filter-node"
                        on:change=move |ev| filters.set_node.set(Some(event_target_value(&ev)).filter(|n| !n.is_empty()))
                    >
                        <option value="" prop:selected=move || filters.node.get().is_none()>"Any"</option>
                        {node_options}
                    </select>
                </div>
            </div>
            {move || {
                conn.sdk.track();
                match absent.get() {
                    None => view! { <live::LiveVolumes filters sort absent/> }.into_any(),
                    Some(reason) => view! {
                        <p class="note" data-testid="view-absent" role="note">
                            "Listing every volume with SDK calls, refreshed every 5 s: "
                            {reason}
                            ". On large clusters, serve the console with console-server in front of the cluster for paged, live lists."
                        </p>
                        <fallback::FallbackVolumes filters sort/>
                    }.into_any(),
                }
            }}
        </section>
    }
}

/// Shown when the cluster has no volumes at all.
fn no_volumes() -> impl IntoView {
    view! {
        <div class="empty" data-testid="volumes-empty">
            <h2>"No volumes yet"</h2>
            <p>
                "Create the first one with "
                <A href={here("/volumes/new")}>"Create volume"</A>
                ": give it a name and a size; everything else has a sensible default."
            </p>
        </div>
    }
}
