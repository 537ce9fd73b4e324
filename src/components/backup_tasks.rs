//! The live table of backup and restore tasks, shared by the Backups page and a volume's page.
//! Rows are keyed by task id, so buttons stay put while progress updates every second.

use std::collections::HashMap;

use leptos::prelude::*;

use crate::browser::cluster::here;
use crate::components::keyed_rows::keyed_list;
use leptos_router::components::A;

use crate::api::backups;
use crate::browser::clock::{local_time_seconds, unix_now};
use crate::components::badge::Badge;
use crate::components::error_banner::CallError;
use crate::components::table::column_heads;
use crate::hooks::connection::use_connection;
use crate::hooks::mutation::Mutation;
use crate::hooks::shared_queries::TaskRows;
use crate::logic::{backup_task, format};
use crate::proto::{SdkCloudBackupRequestedState as Requested, SdkCloudBackupStatusType as S};

#[component]
pub fn TaskTable(
    /// The tasks to list, as (task id, status).
    #[prop(into)]
    tasks: Signal<TaskRows>,
    /// Volume id → name, for readable rows.
    names: Signal<HashMap<String, String>>,
    /// Asks for the tasks again, after a task was stopped here.
    refresh: Callback<()>,
) -> impl IntoView {
    view! {
        <Show
            when=move || tasks.with(|t| !t.is_empty())
            fallback=|| view! { <p class="muted" data-testid="no-tasks">"No backup or restore tasks."</p> }
        >
            <table class="table" data-testid="tasks-table" aria-label="Backup and restore tasks">
                {column_heads(&["Volume", "Type", "State", "Progress", "Rate", "ETA", "Started", "Actions"])}
                <tbody>
                    {keyed_list(
                        move || tasks.get().into_iter().map(|(id, _)| id).collect::<Vec<_>>(),
                        String::clone,
                        move |id| view! { <TaskRow id tasks names refresh/> }.into_any(),
                    )}
                </tbody>
            </table>
        </Show>
    }
}

#[component]
fn TaskRow(
    /// The task this row shows.
    id: String,
    /// Every task, from which the row reads its own (so it redraws only when it changes).
    tasks: Signal<TaskRows>,
    /// Volume id → name, for readable rows.
    names: Signal<HashMap<String, String>>,
    /// Asks for the tasks again, after this one was stopped.
    refresh: Callback<()>,
) -> impl IntoView {
    let conn = use_connection();
    let call = Mutation::new();
    let task = {
        let id = id.clone();
        Memo::new(move |_| {
            tasks.with(|t| {
                t.iter()
                    .find(|(k, _)| *k == id)
                    .map(|(_, s)| s.clone())
                    .unwrap_or_default()
            })
        })
    };
    let status = move || task.with(|t| t.status);
    // Stop is the one state change the SDK accepts (Pause and Resume are refused by every
    // real cluster's SDK layer), so it is the one offered.
    let stop = {
        let id = id.clone();
        move |_| {
            let sdk = conn.sdk.get_untracked();
            let id = id.clone();
            call.run(
                async move { backups::change_state(&sdk, &id, Requested::Stop).await },
                move |_| refresh.run(()),
            );
        }
    };
    let volume = move || {
        task.with(|t| {
            let name = names
                .with(|n| n.get(&t.src_volume_id).cloned())
                .unwrap_or_else(|| format::short_id(&t.src_volume_id).to_string());
            (t.src_volume_id.clone(), name)
        })
    };
    let progress = Memo::new(move |_| task.with(backup_task::progress));
    let rate = move || {
        task.with(|t| {
            backup_task::average_rate(t, unix_now()).map_or_else(|| "—".to_string(), format::rate)
        })
    };
    let eta = move || {
        task.with(|t| backup_task::eta_seconds(t).map_or_else(|| "—".to_string(), format::eta))
    };
    view! {
        <tr data-testid="task-row" data-task=id.clone() data-state=move || backup_task::state(status()).0>
            <td>
                {move || {
                    let (vid, name) = volume();
                    view! { <A href={here(format!("/volumes/{vid}"))}>{name}</A> }
                }}
            </td>
            <td>{move || task.with(|t| backup_task::kind(t.optype))}</td>
            <td>
                {move || {
                    let (label, tone) = backup_task::state(status());
                    view! { <span data-testid="task-state"><Badge label tone/></span> }
                }}
                {move || {
                    task.with(|t| {
                        (!t.info.is_empty() && status() == S::Failed as i32)
                            .then(|| view! { <p class="task-reason" data-testid="task-reason">{t.info.join("; ")}</p> })
                    })
                }}
            </td>
            <td class="progress-cell">
                <progress max="100" value=move || progress.with(|p| p.percent.map(|p| p.to_string())) aria-label="Progress"></progress>
                <span data-testid="task-progress">{move || progress.with(|p| p.text.clone())}</span>
            </td>
            <td data-testid="task-rate">{rate}</td>
            <td data-testid="task-eta">{eta}</td>
            <td>{move || local_time_seconds(task.with(|t| t.start_time.map_or(0, |s| s.seconds)))}</td>
            <td>
                <div class="actions">
                    <Show when=move || backup_task::is_running(status())>
                        <button type="button" class="button button--danger" disabled=move || call.busy.get() on:click=stop.clone()>"Stop"</button>
                    </Show>
                </div>
                <CallError call/>
            </td>
        </tr>
    }
}
