//! The volumes table from console-server's view service: one call per page shown (filtered
//! and sorted there), and a change stream instead of polling. Rows a change touches update at
//! once; the page is then asked for again, so counts and order follow.

use std::collections::HashMap;
use std::time::Duration;

use leptos::prelude::*;

use super::table::{Pager, VolumeTable, PER_PAGE};
use super::{no_volumes, Filters};
use crate::api::view::{self, Position, Viewed};
use crate::components::polled_view::PolledView;
use crate::hooks::connection::use_connection;
use crate::hooks::polled::{use_keyed_polled_with_options, PollOptions};
use crate::hooks::view_watch::use_view_watch;
use crate::logic::volume_table::Sort;
use crate::proto::console::{self, VolumeQueryResponse};

/// While the change stream is open the page is asked for again only this often, in case;
/// without it, as often as SDK polling would.
const WITH_STREAM: Duration = Duration::from_secs(60);
const WITHOUT_STREAM: Duration = Duration::from_secs(5);

/// What the view service answered.
#[derive(Debug, Clone, PartialEq)]
enum Answer {
    Page(VolumeQueryResponse),
    /// The endpoint has no view for this caller, and why.
    Absent(String),
}

#[component]
pub fn LiveVolumes(
    filters: Filters,
    sort: RwSignal<Sort>,
    absent: RwSignal<Option<String>>,
) -> impl IntoView {
    let conn = use_connection();
    let position = RwSignal::new(Position::First);
    // A new filter or sort starts from the first page.
    Effect::new(move |seen: Option<()>| {
        filters.for_view();
        sort.track();
        if seen.is_some() {
            position.set(Position::First);
        }
    });
    let streaming = RwSignal::new(false);
    // The page is keyed on what it shows; the previous page stays on screen until the next one
    // arrives.
    let query = use_keyed_polled_with_options(
        move || (filters.for_view(), sort.get().in_view(), position.get()),
        move |_: &Answer| {
            if streaming.get_untracked() {
                WITH_STREAM
            } else {
                WITHOUT_STREAM
            }
        },
        move |(filter, sort, position)| {
            let sdk = conn.sdk.get_untracked();
            async move {
                Ok(
                    match view::page(&sdk, filter, sort, PER_PAGE, position).await? {
                        Viewed::Answered(page) => Answer::Page(page),
                        Viewed::Absent(reason) => Answer::Absent(reason),
                    },
                )
            }
        },
        PollOptions {
            keep_previous: true,
        },
    );
    let page = Memo::new(move |_| match query.data.get() {
        Some(Answer::Page(page)) => Some(page),
        _ => None,
    });
    // Rows the stream changed, shown until the next answer (which has them too).
    let patches = RwSignal::new(HashMap::<String, console::VolumeRow>::new());
    Effect::new(move |_| {
        if let Some(Answer::Absent(reason)) = query.data.get() {
            absent.set(Some(reason));
        }
        patches.update(HashMap::clear);
    });
    use_view_watch(
        streaming,
        move || {
            page.try_with_untracked(|p| p.as_ref().map(|p| (p.revision, p.view_id.clone())))
                .flatten()
        },
        move |event| {
            if event.resync {
                query.refresh();
                return;
            }
            patches.update(|rows| {
                for row in event.changed {
                    rows.insert(row.id.clone(), row);
                }
            });
            query.refresh();
        },
    );

    let rows = Memo::new(move |_| {
        page.with(|p| {
            patches.with(|patched| {
                p.as_ref()
                    .map(|p| {
                        p.rows
                            .iter()
                            .map(|row| patched.get(&row.id).unwrap_or(row).clone())
                            .collect()
                    })
                    .unwrap_or_default()
            })
        })
    });
    let count = move |f: fn(&VolumeQueryResponse) -> u64| {
        Signal::derive(move || page.with(|p| p.as_ref().map_or(0, |p| f(p) as usize)))
    };
    let matched = count(|p| p.matched);
    let total = count(|p| p.total);
    let has = move |f: fn(&VolumeQueryResponse) -> bool| {
        Signal::derive(move || page.with(|p| p.as_ref().is_some_and(f)))
    };
    let has_previous = has(|p| !p.previous_page_token.is_empty());
    let has_next = has(|p| !p.next_page_token.is_empty());
    // Pages follow rows, not multiples of 50: volumes created or deleted before the page move
    // its offset. The number shown is the page its rows mostly fall on.
    let current = count(|p| p.offset.div_ceil(PER_PAGE as u64));
    let pages = Signal::derive(move || {
        let after = usize::from(has_next.get());
        matched
            .get()
            .div_ceil(PER_PAGE)
            .max(current.get() + 1 + after)
    });
    let token = move |f: fn(&VolumeQueryResponse) -> &String| {
        page.with_untracked(|p| p.as_ref().map(|p| f(p).clone()).unwrap_or_default())
    };
    let pager = Pager {
        current,
        pages,
        has_previous,
        has_next,
        previous: Callback::new(move |()| {
            let before = token(|p| &p.previous_page_token);
            position.set(if before.is_empty() {
                Position::First
            } else {
                Position::Token(before)
            });
        }),
        next: Callback::new(move |()| {
            let after = token(|p| &p.next_page_token);
            position.set(if after.is_empty() {
                Position::Last
            } else {
                Position::Token(after)
            });
        }),
    };
    let stale = move || {
        page.with(|p| {
            p.as_ref()
                .map(|p| p.stale_reason.clone())
                .filter(|r| !r.is_empty())
        })
        .map(|reason| {
            view! {
                <p class="note" role="note" data-testid="view-stale">
                    "These rows may be out of date: " {reason}
                </p>
            }
        })
    };
    let is_empty = |answer: &Answer| matches!(answer, Answer::Page(p) if p.total == 0);
    view! {
        {stale}
        <PolledView query what="volumes" is_empty empty=no_volumes>
            <VolumeTable rows matched total sort pager/>
        </PolledView>
    }
}
