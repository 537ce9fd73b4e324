//! Volumes: every volume in one table, filtered by name and label, sorted by any column, a page
//! of rows at a time. Loaded with one InspectWithFilters call and refreshed every 5 s.

use std::time::Duration;

use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::volumes;
use crate::components::copy_id::CopyId;
use crate::components::error_banner::PollError;
use crate::components::status_badge::VolumeStatusBadge;
use crate::components::time::local_time;
use crate::hooks::connection::use_connection;
use crate::hooks::poll::use_poll;
use crate::logic::volume_table::{self, Column, Sort, VolumeRow};
use crate::logic::{format, validate};

const REFRESH: Duration = Duration::from_secs(5);
const PER_PAGE: usize = 50;

#[component]
pub fn VolumesPage() -> impl IntoView {
    let conn = use_connection();
    let polled = use_poll(REFRESH, move || {
        let sdk = conn.sdk.get_untracked();
        async move {
            let items = volumes::list(&sdk).await?;
            Ok(volume_table::rows(&items))
        }
    });
    let name = RwSignal::new(String::new());
    let label_text = RwSignal::new(String::new());
    let label = Memo::new(move |_| validate::label_filter(&label_text.get()));
    let sort = RwSignal::new(Sort {
        column: Column::Name,
        ascending: true,
    });
    let page = RwSignal::new(0usize);
    // A new filter starts from the first page.
    Effect::new(move |_| {
        name.track();
        label_text.track();
        page.set(0);
    });
    let selection = Memo::new(move |_| {
        let label = label.get().ok().flatten();
        polled.data.with(|rows| {
            rows.as_ref()
                .map(|rows| volume_table::select(rows, &name.get(), label.as_ref(), sort.get()))
        })
    });

    view! {
        <section class="page">
            <header class="page-header">
                <h1>"Volumes"</h1>
                <A href="/volumes/new" attr:class="button button--primary">"Create volume"</A>
            </header>
            <PollError error=polled.error/>
            <div class="filters">
                <div class="field">
                    <label for="filter-name">"Filter by name"</label>
                    <input
                        id="filter-name"
                        type="search"
                        placeholder="e.g. pvc-"
                        prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))
                    />
                </div>
                <div class="field">
                    <label for="filter-label">"Filter by label"</label>
                    <input
                        id="filter-label"
                        type="search"
                        placeholder="key=value"
                        aria-describedby="filter-label-error"
                        prop:value=move || label_text.get()
                        on:input=move |ev| label_text.set(event_target_value(&ev))
                    />
                    <p class="field-error" id="filter-label-error" role="status">
                        {move || label.get().err()}
                    </p>
                </div>
            </div>
            {move || match (polled.data.with(|d| d.as_ref().map(Vec::len)), selection.get()) {
                (None, _) | (_, None) => view! { <p class="muted">"Loading volumes…"</p> }.into_any(),
                (Some(0), _) => {
                    view! {
                        <div class="empty" data-testid="volumes-empty">
                            <h2>"No volumes yet"</h2>
                            <p>
                                "Create the first one with "
                                <A href="/volumes/new">"Create volume"</A>
                                ": give it a name and a size; everything else has a sensible default."
                            </p>
                        </div>
                    }
                        .into_any()
                }
                (Some(total), Some(picked)) => {
                    let current = page.get();
                    view! { <VolumeTable rows=polled.data picked total sort page current/> }
                        .into_any()
                }
            }}
        </section>
    }
}

#[component]
fn VolumeTable(
    rows: ReadSignal<Option<Vec<VolumeRow>>>,
    picked: Vec<usize>,
    total: usize,
    sort: RwSignal<Sort>,
    page: RwSignal<usize>,
    current: usize,
) -> impl IntoView {
    let matched = picked.len();
    let (range, pages) = volume_table::page_range(matched, current, PER_PAGE);
    let current = range.start / PER_PAGE;
    let body = rows.with_untracked(|rows| {
        let rows = rows.as_deref().unwrap_or_default();
        picked[range.clone()]
            .iter()
            .map(|&i| view! { <VolumeRowView row=rows[i].clone()/> })
            .collect_view()
    });
    let summary = if matched == total {
        format!("{total} volumes")
    } else {
        format!("{matched} of {total} volumes match")
    };
    view! {
        <p class="muted" data-testid="volumes-count" role="status">{summary}</p>
        {(matched == 0)
            .then(|| view! { <p class="muted" data-testid="volumes-no-match">"No volume matches the filters."</p> })}
        <div class="table-scroll">
            <table class="table" data-testid="volumes-table">
                <thead>
                    <tr>
                        {Column::ALL
                            .into_iter()
                            .map(|column| view! { <SortHeader column sort/> })
                            .collect_view()}
                        <th scope="col">"Labels"</th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
        {(pages > 1)
            .then(|| {
                view! {
                    <nav class="pager" aria-label="Pages">
                        <button
                            type="button"
                            class="button"
                            disabled={current == 0}
                            on:click=move |_| page.set(current.saturating_sub(1))
                        >
                            "Previous page"
                        </button>
                        <span>{format!("Page {} of {pages}", current + 1)}</span>
                        <button
                            type="button"
                            class="button"
                            disabled={current + 1 >= pages}
                            on:click=move |_| page.set(current + 1)
                        >
                            "Next page"
                        </button>
                    </nav>
                }
            })}
    }
}

#[component]
fn SortHeader(column: Column, sort: RwSignal<Sort>) -> impl IntoView {
    let aria = move || {
        let s = sort.get();
        if s.column != column {
            "none"
        } else if s.ascending {
            "ascending"
        } else {
            "descending"
        }
    };
    let arrow = move || match aria() {
        "ascending" => " ▲",
        "descending" => " ▼",
        _ => "",
    };
    view! {
        <th scope="col" aria-sort=aria>
            <button
                type="button"
                class="sort"
                on:click=move |_| sort.update(|s| *s = s.toggled(column))
            >
                {column.title()}
                <span aria-hidden="true">{arrow}</span>
            </button>
        </th>
    }
}

#[component]
fn VolumeRowView(row: VolumeRow) -> impl IntoView {
    let href = format!("/volumes/{}", row.id);
    let attached = if row.attached_on.is_empty() {
        "—".to_string()
    } else {
        format::short_id(&row.attached_on).to_string()
    };
    view! {
        <tr>
            <td><A href=href>{row.name.clone()}</A></td>
            <td><CopyId id=row.id.clone()/></td>
            <td>{format::bytes(row.size)}</td>
            <td>{row.ha_level}</td>
            <td><VolumeStatusBadge status=row.status/></td>
            <td>{volume_table::volume_state(row.state)}</td>
            <td title=row.attached_on.clone()>{attached}</td>
            <td data-testid="volume-parent">
                {if row.parent_id.is_empty() {
                    "—".into_any()
                } else {
                    view! { <A href=format!("/volumes/{}", row.parent_id)>{row.parent_name.clone()}</A> }.into_any()
                }}
            </td>
            <td>{local_time(row.created)}</td>
            <td>
                {row
                    .labels
                    .iter()
                    .map(|(k, v)| view! { <span class="chip">{format!("{k}={v}")}</span> })
                    .collect_view()}
            </td>
        </tr>
    }
}
