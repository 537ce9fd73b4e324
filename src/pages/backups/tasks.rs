//! Every backup and restore task, live.

use std::collections::HashMap;

use leptos::prelude::*;

use crate::components::backup_tasks::TaskTable;
use crate::components::polled_view::QueryError;
use crate::hooks::polled::Polled;
use crate::hooks::shared_queries::{TaskRows, VolumeNames};

#[component]
pub fn Tasks(tasks: Polled<TaskRows>, names: Polled<VolumeNames>) -> impl IntoView {
    let names_map = Signal::derive(move || {
        names.data.with(|n| {
            n.iter()
                .flatten()
                .cloned()
                .collect::<HashMap<String, String>>()
        })
    });
    let tasks_list = Memo::new(move |_| tasks.data.get().unwrap_or_default());
    view! {
        <section class="section" aria-labelledby="tasks-heading">
            <h2 id="tasks-heading">"Tasks"</h2>
            <QueryError error=tasks.error/>
            <TaskTable tasks=tasks_list names=names_map refresh=Callback::new(move |_| tasks.refresh())/>
        </section>
    }
}
