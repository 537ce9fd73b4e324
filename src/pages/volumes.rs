//! Volumes: every volume in one table, filtered by name and label, sorted by any column, a page
//! of rows at a time. Loaded with one InspectWithFilters call and refreshed every 5 s.

use std::time::Duration;

use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::volumes;
use crate::browser::clock::local_time;
use crate::components::badge::VolumeStatusBadge;
use crate::components::copy_id::CopyId;
use crate::components::field::{described_by, FieldError};
use crate::components::keyed_rows::keyed_rows;
use crate::components::polled_view::PolledView;
use crate::hooks::connection::use_connection;
use crate::hooks::query::use_query;
use crate::hooks::title::use_title;
use crate::logic::volume_table::{self, Column, Sort, VolumeRow};
use crate::logic::{format, validate};

const REFRESH: Duration = Duration::from_secs(5);
const PER_PAGE: usize = 50;

#[component]
pub fn VolumesPage() -> impl IntoView {
    use_title("Volumes");
    let conn = use_connection();
    let query = use_query(REFRESH, move || {
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
        query.data.with(|rows| {
            rows.as_ref()
                .map(|rows| volume_table::select(rows, &name.get(), label.as_ref(), sort.get()))
                .unwrap_or_default()
        })
    });
    let label_error = Signal::derive(move || label.get().err());

    view! {
        <section class="page">
            <header class="page-header">
                <h1>"Volumes"</h1>
                <A href="/volumes/new" attr:class="button button--primary">"Create volume"</A>
            </header>
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
                        aria-describedby=described_by("filter-label", false)
                        aria-invalid=move || label_error.with(Option::is_some).to_string()
                        prop:value=move || label_text.get()
                        on:input=move |ev| label_text.set(event_target_value(&ev))
                    />
                    <FieldError id="filter-label" error=label_error/>
                </div>
            </div>
            <PolledView
                query
                what="volumes"
                is_empty=Vec::is_empty
                empty=|| view! {
                    <div class="empty" data-testid="volumes-empty">
                        <h2>"No volumes yet"</h2>
                        <p>
                            "Create the first one with "
                            <A href="/volumes/new">"Create volume"</A>
                            ": give it a name and a size; everything else has a sensible default."
                        </p>
                    </div>
                }
            >
                <VolumeTable rows=query.data selection sort page/>
            </PolledView>
        </section>
    }
}

/// The table, drawn once: headers, pager and rows stay in the page while data refreshes
/// (focus on a sort button or the pager stays where it is); only changed rows are redrawn.
#[component]
fn VolumeTable(
    rows: Memo<Option<Vec<VolumeRow>>>,
    /// Indexes into `rows` that pass the filters, in sort order.
    selection: Memo<Vec<usize>>,
    sort: RwSignal<Sort>,
    page: RwSignal<usize>,
) -> impl IntoView {
    let total = Memo::new(move |_| rows.with(|r| r.as_ref().map_or(0, Vec::len)));
    let matched = Memo::new(move |_| selection.with(Vec::len));
    let layout = Memo::new(move |_| volume_table::page_range(matched.get(), page.get(), PER_PAGE));
    let current = Memo::new(move |_| layout.with(|(range, _)| range.start / PER_PAGE));
    let pages = Memo::new(move |_| layout.with(|(_, pages)| *pages));
    let visible = Memo::new(move |_| {
        let range = layout.with(|(range, _)| range.clone());
        rows.with(|rows| {
            let rows = rows.as_deref().unwrap_or_default();
            selection.with(|picked| {
                picked[range]
                    .iter()
                    .map(|&i| rows[i].clone())
                    .collect::<Vec<_>>()
            })
        })
    });
    let summary = move || {
        let (matched, total) = (matched.get(), total.get());
        if matched == total {
            format!("{total} volumes")
        } else {
            format!("{matched} of {total} volumes match")
        }
    };
    view! {
        <p class="muted" data-testid="volumes-count" role="status">{summary}</p>
        <Show when=move || matched.get() == 0>
            <p class="muted" data-testid="volumes-no-match">"No volume matches the filters."</p>
        </Show>
        <div class="table-scroll">
            <table class="table" data-testid="volumes-table" aria-label="Volumes">
                <thead>
                    <tr>
                        {Column::ALL
                            .into_iter()
                            .map(|column| view! { <SortHeader column sort/> })
                            .collect_view()}
                        <th scope="col">"Labels"</th>
                    </tr>
                </thead>
                <tbody>
                    {keyed_rows(visible, |row| row.id.clone(), |row| view! { <VolumeRowView row/> })}
                </tbody>
            </table>
        </div>
        <Show when=move || { pages.get() > 1 }>
            <nav class="pager" aria-label="Pages">
                <button
                    type="button"
                    class="button"
                    disabled=move || current.get() == 0
                    on:click=move |_| page.set(current.get_untracked().saturating_sub(1))
                >
                    "Previous page"
                </button>
                <span>{move || format!("Page {} of {}", current.get() + 1, pages.get())}</span>
                <button
                    type="button"
                    class="button"
                    disabled=move || { current.get() + 1 >= pages.get() }
                    on:click=move |_| page.set(current.get_untracked() + 1)
                >
                    "Next page"
                </button>
            </nav>
        </Show>
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

/// One row; redrawn when that volume changes.
#[component]
fn VolumeRowView(row: Memo<VolumeRow>) -> impl IntoView {
    view! { <tr>{move || volume_cells(row.get())}</tr> }
}

fn volume_cells(row: VolumeRow) -> impl IntoView {
    let href = format!("/volumes/{}", row.id);
    let attached = if row.attached_on.is_empty() {
        "—".to_string()
    } else {
        format::short_id(&row.attached_on).to_string()
    };
    view! {
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
    }
}
