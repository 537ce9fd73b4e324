//! Keyed lists: table rows keyed by id. A refresh updates a row in place, adds new ones and
//! drops gone ones; every other row keeps its DOM and its own state (an open confirmation,
//! typed text, focus). Every list of the console goes through one `For` over type-erased
//! items, so its keyed-diffing code is in the wasm once, not once per row type.

use std::any::Any;
use std::sync::Arc;

use leptos::prelude::*;

type Item = Arc<dyn Any + Send + Sync>;
type Items = Arc<dyn Fn() -> Vec<(String, Item)> + Send + Sync>;
type Row = Arc<dyn Fn(Item) -> AnyView + Send + Sync>;

fn keyed(each: Items, row: Row) -> AnyView {
    view! {
        <For each=move || each() key=|(key, _)| key.clone() children=move |(_, item)| row(item)/>
    }
    .into_any()
}

/// One `row` per item of `each`, keyed by `key`: a row is drawn when its key appears and
/// kept, as drawn, while the key stays.
pub fn keyed_list<T: Clone + Send + Sync + 'static>(
    each: impl Fn() -> Vec<T> + Send + Sync + 'static,
    key: impl Fn(&T) -> String + Send + Sync + 'static,
    row: impl Fn(T) -> AnyView + Send + Sync + 'static,
) -> AnyView {
    keyed(
        Arc::new(move || {
            each()
                .into_iter()
                .map(|item| (key(&item), Arc::new(item) as Item))
                .collect()
        }),
        Arc::new(move |item: Item| match item.downcast::<T>() {
            Ok(item) => row(Arc::unwrap_or_clone(item)),
            Err(_) => ().into_any(),
        }),
    )
}

/// One `row` per item of `items`, keyed by `key`. Each row gets its item as a memo, so its
/// cells follow changes to that item only.
pub fn keyed_rows<T>(
    items: Memo<Vec<T>>,
    key: fn(&T) -> String,
    row: impl Fn(Memo<T>) -> AnyView + Send + Sync + 'static,
) -> AnyView
where
    T: Clone + Default + PartialEq + Send + Sync + 'static,
{
    keyed_list(
        move || items.with(|list| list.iter().map(key).collect::<Vec<_>>()),
        String::clone,
        move |id: String| {
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
        },
    )
}
