//! Backups: start one, watch every task live, browse what is stored in the cloud (restore,
//! delete), and manage schedules. One section per file; the queries live in `hooks`.

mod catalog;
mod schedules;
mod start;
pub mod target;
mod tasks;

use leptos::prelude::*;

use crate::hooks::backups::use_schedules;
use crate::hooks::shared_queries::{use_credentials, use_tasks, use_volume_names};
use crate::hooks::title::use_title;
use console_model::order;

#[component]
pub fn BackupsPage() -> impl IntoView {
    use_title("Backups");
    let creds = use_credentials();
    let tasks = use_tasks();
    let schedules = use_schedules();
    // Every volume a task or a schedule is about is named, wherever it sorts.
    let named = Memo::new(move |_| {
        let mut ids: Vec<String> = tasks.data.with(|t| {
            t.iter()
                .flatten()
                .map(|(_, task)| task.src_volume_id.clone())
                .collect()
        });
        schedules.data.with(|s| {
            ids.extend(
                s.iter()
                    .flat_map(|(rows, _)| rows.iter())
                    .map(|(_, info)| info.src_volume_id.clone()),
            )
        });
        ids.retain(|id| !id.is_empty());
        order::sort_by(&mut ids, Ord::cmp);
        ids.dedup();
        ids
    });
    let names = use_volume_names(named.into());
    let refresh_tasks = Callback::new(move |_| tasks.refresh());
    view! {
        <section class="page">
            <h1>"Backups"</h1>
            <start::StartBackup names creds on_started=refresh_tasks/>
            <tasks::Tasks tasks names/>
            <catalog::Catalog names creds on_restore=refresh_tasks/>
            <schedules::Schedules query=schedules names creds/>
        </section>
    }
}
