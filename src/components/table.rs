//! Table pieces every list uses.

use leptos::prelude::*;

/// A header row of column titles, each a column header for assistive technology.
pub fn column_heads(titles: &'static [&'static str]) -> impl IntoView {
    view! {
        <thead>
            <tr>{titles.iter().map(|title| view! { <th scope="col">{*title}</th> }).collect_view()}</tr>
        </thead>
    }
}
