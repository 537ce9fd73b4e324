//! Table rows keyed by id. A refresh updates a row in place, adds new ones and drops gone ones;
//! every other row keeps its DOM and its own state (an open confirmation, typed text, focus).

use leptos::prelude::*;

/// One `row` per item of `items`, keyed by `key`. Each row gets its item as a memo, so its
/// cells follow changes to that item only.
pub fn keyed_rows<T, R, V>(items: Memo<Vec<T>>, key: fn(&T) -> String, row: R) -> impl IntoView
where
    T: Clone + Default + PartialEq + Send + Sync + 'static,
    R: Fn(Memo<T>) -> V + Clone + Send + 'static,
    V: IntoView + 'static,
{
    view! {
        <For
            each=move || items.with(|list| list.iter().map(key).collect::<Vec<_>>())
            key=|id: &String| id.clone()
            children=move |id: String| {
                let first = items.with_untracked(|list| list.iter().find(|i| key(i) == id).cloned());
                let item = Memo::new(move |previous: Option<&T>| {
                    items
                        .with(|list| list.iter().find(|i| key(i) == id).cloned())
                        // Gone: keep the last value until the row itself is removed.
                        .or_else(|| previous.cloned())
                        .or_else(|| first.clone())
                        .unwrap_or_default()
                });
                row(item)
            }
        />
    }
}
