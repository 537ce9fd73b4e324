//! The volumes table, whichever way its rows arrive: sortable headers, one page of rows (only
//! changed rows are redrawn), the count and the pager. Drawn once: headers and pager stay in
//! the page while data refreshes, so focus on a sort button or the pager stays where it is.

use crate::browser::cluster::here;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::browser::clock::local_time;
use crate::components::badge::VolumeStatusBadge;
use crate::components::copy_id::CopyId;
use crate::components::keyed_rows::keyed_rows;
use crate::logic::format;
use crate::logic::volume_table::{self, Column, Sort, VolumeRow};

pub const PER_PAGE: usize = 50;

/// Where the table is in its rows, and how to move.
#[derive(Clone, Copy)]
pub struct Pager {
    /// 0-based page shown, and how many there are.
    pub current: Signal<usize>,
    pub pages: Signal<usize>,
    /// Whether there are rows before and after the page.
    pub has_previous: Signal<bool>,
    pub has_next: Signal<bool>,
    pub previous: Callback<()>,
    pub next: Callback<()>,
}

#[component]
pub fn VolumeTable(
    /// The page's rows, in order.
    rows: Memo<Vec<VolumeRow>>,
    /// Volumes matching the filters, and volumes in all.
    matched: Signal<usize>,
    total: Signal<usize>,
    sort: RwSignal<Sort>,
    pager: Pager,
) -> impl IntoView {
    let summary = move || {
        let (matched, total) = (matched.get(), total.get());
        if matched == total {
            format!("{total} volumes")
        } else {
            format!("{matched} of {total} volumes match")
        }
    };
    let Pager {
        current,
        pages,
        has_previous,
        has_next,
        previous,
        next,
    } = pager;
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
                    {keyed_rows(rows, |row| row.id.clone(), |row| view! { <VolumeRowView row/> }.into_any())}
                </tbody>
            </table>
        </div>
        <Show when=move || has_previous.get() || has_next.get()>
            <nav class="pager" aria-label="Pages">
                <button
                    type="button"
                    class="button"
                    disabled=move || !has_previous.get()
                    on:click=move |_| previous.run(())
                >
                    "Previous page"
                </button>
                <span>{move || format!("Page {} of {}", current.get() + 1, pages.get())}</span>
                <button
                    type="button"
                    class="button"
                    disabled=move || !has_next.get()
                    on:click=move |_| next.run(())
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
            <td><A href={here(href)}>{row.name.clone()}</A></td>
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
                    view! { <A href={here(format!("/volumes/{}", row.parent_id))}>{row.parent_name.clone()}</A> }.into_any()
                }}
            </td>
            <td>{local_time(row.created)}</td>
            <td>
                {row
                    .labels
                    .iter()
                    .collect::<std::collections::BTreeMap<_, _>>()
                    .into_iter()
                    .map(|(k, v)| view! { <span class="chip">{format!("{k}={v}")}</span> })
                    .collect_view()}
            </td>
    }
}
