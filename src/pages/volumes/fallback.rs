//! The volumes table from SDK calls, for endpoints without the console's view service: every
//! volume in one InspectWithFilters call every 5 s, filtered and sorted here by console-model's
//! rules (the view service's own), and paged.

use std::time::Duration;

use leptos::prelude::*;

use super::table::{Pager, VolumeTable, PER_PAGE};
use super::{no_volumes, Filters};
use crate::api::volumes;
use crate::components::polled_view::PolledView;
use crate::hooks::connection::use_connection;
use crate::hooks::polled::use_polled;
use crate::logic::volume_table::{self, Sort, VolumeRow};
use console_model::{table, volume};

const REFRESH: Duration = Duration::from_secs(5);

#[component]
pub fn FallbackVolumes(filters: Filters, sort: RwSignal<Sort>) -> impl IntoView {
    let conn = use_connection();
    let query = use_polled(REFRESH, move || {
        let sdk = conn.sdk.get_untracked();
        async move {
            let items = volumes::list(&sdk).await?;
            Ok(volume::rows(&items))
        }
    });
    let page = RwSignal::new(0usize);
    // A new filter starts from the first page.
    Effect::new(move |_| {
        filters.name.track();
        filters.label_text.track();
        filters.state.track();
        filters.status.track();
        filters.node.track();
        page.set(0);
    });
    let selection = Memo::new(move |_| {
        let filter = filters.for_view();
        let sort = sort.get().in_view();
        query.data.with(|rows| {
            rows.as_ref()
                .map(|rows| table::select(rows, &filter, sort))
                .unwrap_or_default()
        })
    });
    let total = Signal::derive(move || query.data.with(|r| r.as_ref().map_or(0, Vec::len)));
    let matched = Signal::derive(move || selection.with(Vec::len));
    let layout = Memo::new(move |_| volume_table::page_range(matched.get(), page.get(), PER_PAGE));
    let current = Signal::derive(move || layout.with(|(range, _)| range.start / PER_PAGE));
    let pages = Signal::derive(move || layout.with(|(_, pages)| *pages));
    let rows = Memo::new(move |_| {
        let range = layout.with(|(range, _)| range.clone());
        query.data.with(|rows| {
            let rows = rows.as_deref().unwrap_or_default();
            selection.with(|picked| {
                picked
                    .get(range)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|&i| rows.get(i).cloned())
                    .collect::<Vec<VolumeRow>>()
            })
        })
    });
    let pager = Pager {
        current,
        pages,
        has_previous: Signal::derive(move || current.get() > 0),
        has_next: Signal::derive(move || current.get() + 1 < pages.get()),
        previous: Callback::new(move |()| page.set(current.get_untracked().saturating_sub(1))),
        next: Callback::new(move |()| page.set(current.get_untracked() + 1)),
    };
    view! {
        <PolledView query what="volumes" is_empty=Vec::is_empty empty=no_volumes>
            <VolumeTable rows matched total sort pager/>
        </PolledView>
    }
}
