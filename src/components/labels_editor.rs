use leptos::prelude::*;

use crate::components::keyed_rows::keyed_list;

/// One editable `key=value` row.
#[derive(Debug, Clone, Copy)]
pub struct LabelRow {
    id: usize,
    pub key: RwSignal<String>,
    pub value: RwSignal<String>,
}

/// The rows of a labels editor, owned by the form that shows it.
#[derive(Debug, Clone, Copy)]
pub struct LabelRows {
    rows: RwSignal<Vec<LabelRow>>,
    next: StoredValue<usize>,
}

impl LabelRows {
    pub fn new(initial: Vec<(String, String)>) -> LabelRows {
        let rows = LabelRows {
            rows: RwSignal::new(Vec::new()),
            next: StoredValue::new(0),
        };
        for (k, v) in initial {
            rows.add(k, v);
        }
        rows
    }

    pub fn add(&self, key: String, value: String) {
        let id = self.next.get_value();
        self.next.set_value(id + 1);
        self.rows.update(|rows| {
            rows.push(LabelRow {
                id,
                key: RwSignal::new(key),
                value: RwSignal::new(value),
            })
        });
    }

    /// No rows: the form starts over.
    pub fn clear(&self) {
        self.rows.set(Vec::new());
    }

    pub fn remove(&self, id: usize) {
        self.rows.update(|rows| rows.retain(|r| r.id != id));
    }

    /// What is typed now, for validation.
    pub fn values(&self) -> Vec<(String, String)> {
        self.rows
            .get_untracked()
            .iter()
            .map(|r| (r.key.get_untracked(), r.value.get_untracked()))
            .collect()
    }

    /// The same, tracked: for what follows the rows as they are typed (a form's code).
    pub fn current(&self) -> Vec<(String, String)> {
        self.rows
            .get()
            .iter()
            .map(|r| (r.key.get(), r.value.get()))
            .collect()
    }
}

/// Add and remove `key = value` rows; every input has a visible label.
#[component]
pub fn LabelsEditor(
    /// The label rows being edited, two-way.
    rows: LabelRows,
    /// Prefix of the inputs' ids, unique on the page.
    id_prefix: &'static str,
) -> impl IntoView {
    view! {
        <fieldset class="labels-editor">
            <legend>"Labels"</legend>
            {keyed_list(
                move || rows.rows.get(),
                |row| row.id.to_string(),
                move |row| {
                    let key_id = format!("{id_prefix}-label-key-{}", row.id);
                    let value_id = format!("{id_prefix}-label-value-{}", row.id);
                    view! {
                        <div class="labels-editor__row">
                            <label for=key_id.clone()>"Key"</label>
                            <input
                                id=key_id
                                type="text"
                                autocomplete="off"
                                prop:value=move || row.key.get()
                                on:input=move |ev| row.key.set(event_target_value(&ev))
                            />
                            <label for=value_id.clone()>"Value"</label>
                            <input
                                id=value_id
                                type="text"
                                autocomplete="off"
                                prop:value=move || row.value.get()
                                on:input=move |ev| row.value.set(event_target_value(&ev))
                            />
                            <button
                                type="button"
                                class="button"
                                aria-label=move || format!("Remove label {}", row.key.get())
                                on:click=move |_| rows.remove(row.id)
                            >
                                "Remove"
                            </button>
                        </div>
                    }
                    .into_any()
                },
            )}
            <button
                type="button"
                class="button"
                on:click=move |_| rows.add(String::new(), String::new())
            >
                "Add label"
            </button>
        </fieldset>
    }
}
