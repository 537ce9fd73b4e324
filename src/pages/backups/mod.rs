//! Backups: start one, watch every task live, browse what is stored in the cloud (restore,
//! delete), and manage schedules. One section per file; the queries live in `hooks`.

mod catalog;
mod schedules;
mod start;
pub mod target;
mod tasks;

use leptos::prelude::*;

use crate::hooks::cluster::{use_credentials, use_tasks, use_volume_names};
use crate::hooks::title::use_title;

#[component]
pub fn BackupsPage() -> impl IntoView {
    use_title("Backups");
    let names = use_volume_names();
    let creds = use_credentials();
    let tasks = use_tasks();
    let refresh_tasks = Callback::new(move |_| tasks.refresh());
    view! {
        <section class="page">
            <h1>"Backups"</h1>
            <start::StartBackup names creds on_started=refresh_tasks/>
            <tasks::Tasks tasks names/>
            <catalog::Catalog names creds on_restore=refresh_tasks/>
            <schedules::Schedules names creds/>
        </section>
    }
}
