//! Cloud migrations to a paired cluster: started for a volume, a group or every volume, and
//! listed with their stage and progress, cancellable while they run.

use leptos::prelude::*;

use crate::api::dr::{self, Pairs};
use crate::components::as_code::ShowAsCode;
use crate::components::error_banner::CallError;
use crate::components::field::{checked, Field};
use crate::components::notice::{Notice, NoticeText};
use crate::components::table::column_heads;
use crate::hooks::connection::use_connection;
use crate::hooks::mutation::Mutation;
use crate::logic::as_code::Call;
use crate::logic::{dr as forms, format};
use crate::proto::cloud_migrate::{Stage, Status as MigrateStatus};
use crate::proto::methods::open_storage_migrate;
use crate::proto::CloudMigrateInfo;

/// A migration's destination: its pair's name, or a short id once no pair has it.
fn destination(pairs: Signal<Option<Pairs>>, cluster_id: String) -> impl IntoView {
    move || {
        let named = pairs.with(|p| {
            p.as_ref()
                .and_then(|p| p.list.iter().find(|pair| pair.id == cluster_id))
                .map(|pair| pair.name.clone())
        });
        match named {
            Some(name) => view! { <span title=cluster_id.clone()>{name}</span> }.into_any(),
            None => view! { <code>{format::short_id(&cluster_id).to_string()}</code> }.into_any(),
        }
    }
}

#[component]
pub(super) fn MigrationForm(
    pairs: Signal<Option<Pairs>>,
    offered: Signal<bool>,
    refresh: Callback<()>,
) -> impl IntoView {
    let conn = use_connection();
    let call = Mutation::new();
    let done = NoticeText::new();
    let target = RwSignal::new(String::new());
    let kind = RwSignal::new("volume".to_string());
    let name = RwSignal::new(String::new());
    let name_error = RwSignal::new(None::<String>);
    // The status read that follows a started migration.
    let then = RwSignal::new(None::<Call>);
    let destination = move || {
        let chosen = target.get_untracked();
        pairs.with_untracked(|p| {
            let list = p.as_ref().map(|p| p.list.as_slice()).unwrap_or_default();
            list.iter()
                .find(|x| x.id == chosen)
                .or_else(|| list.first())
                .map(|x| x.id.clone())
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.clear();
        let Some(cluster) = destination() else { return };
        let Some(moves) = checked(
            "migrate-name",
            name_error,
            forms::moves(&kind.get_untracked(), &name.get_untracked()),
        ) else {
            return;
        };
        let sdk = conn.sdk.get_untracked();
        let request = dr::migration_request(cluster, moves);
        call.run(
            async move { dr::start_migration(&sdk, request).await },
            move |task| {
                then.set(Some(dr::migration_status_call(task.clone())));
                name.set(String::new());
                done.show(if task.is_empty() {
                    "Migration started.".to_string()
                } else {
                    format!("Migration {task} started.")
                });
                refresh.run(());
            },
        );
    };
    let code = Signal::derive(move || {
        target.track();
        pairs.track();
        let cluster =
            destination().ok_or_else(|| "Pair with another cluster first.".to_string())?;
        let moves = forms::moves(&kind.get(), &name.get())?;
        Ok(Call::new(
            open_storage_migrate::START,
            &dr::migration_request(cluster, moves),
        ))
    });
    let no_pairs = move || pairs.with(|p| p.as_ref().is_none_or(|p| p.list.is_empty()));
    view! {
        <form class="card form" on:submit=submit novalidate=true aria-labelledby="migrate-heading" data-testid="migration-form">
            <h3 id="migrate-heading">"Migrate to a paired cluster"</h3>
            <Show when=no_pairs>
                <p class="hint" data-testid="migrate-needs-pair">"Pair with another cluster first: migrations go to a paired cluster."</p>
            </Show>
            <CallError call/>
            <div class="field">
                <label for="migrate-to">"To"</label>
                <select id="migrate-to" on:change=move |ev| target.set(event_target_value(&ev))>
                    {move || pairs.get().map(|p| p.list).unwrap_or_default().into_iter().map(|p| view! {
                        <option value=p.id.clone()>{p.name.clone()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="migrate-what">"What"</label>
                <select id="migrate-what" on:change=move |ev| kind.set(event_target_value(&ev))>
                    <option value="volume">"A volume"</option>
                    <option value="group">"A volume group"</option>
                    <option value="all">"Every volume"</option>
                </select>
            </div>
            <Show when=move || kind.with(|k| k != "all")>
                <Field id="migrate-name" label="Volume name or id, or group id" value=name error=name_error/>
            </Show>
            <button type="submit" class="button button--primary" disabled=move || call.busy.get() || !offered.get() || no_pairs()>"Start migration"</button>
            <Notice text=done/>
            <ShowAsCode call=code id="migrate" then/>
        </form>
    }
}

fn stage_words(info: &CloudMigrateInfo) -> String {
    let stage = match Stage::try_from(info.current_stage).unwrap_or(Stage::InvalidStage) {
        Stage::Backup => "backup",
        Stage::Restore => "restore",
        Stage::VolumeUpdate => "volume update",
        Stage::Done => "done",
        Stage::InvalidStage => "—",
    };
    let status = match MigrateStatus::try_from(info.status).unwrap_or(MigrateStatus::InvalidStatus)
    {
        MigrateStatus::Queued => "Queued",
        MigrateStatus::Initialized => "Initialized",
        MigrateStatus::InProgress => "In progress",
        MigrateStatus::Failed => "Failed",
        MigrateStatus::Complete => "Complete",
        MigrateStatus::Canceled => "Cancelled",
        MigrateStatus::InvalidStatus => "Unknown",
    };
    format!("{status} ({stage})")
}

#[component]
pub(super) fn MigrationsTable(
    list: Vec<CloudMigrateInfo>,
    /// The pairs, to name each migration's destination (an id where it is no longer paired).
    pairs: Signal<Option<Pairs>>,
    refresh: Callback<()>,
) -> impl IntoView {
    let conn = use_connection();
    let call = Mutation::new();
    let cancel = move |task: String| {
        let sdk = conn.sdk.get_untracked();
        call.run(
            async move { dr::cancel_migration(&sdk, task).await },
            move |_| refresh.run(()),
        );
    };
    view! {
        <CallError call/>
        <table class="table" aria-label="Migrations" data-testid="migrations-table">
            {column_heads(&["Task", "Volume", "To", "Status", "Progress", "Actions"])}
            <tbody>
                {list.into_iter().map(|m| {
                    let running = m.status == MigrateStatus::InProgress as i32 || m.status == MigrateStatus::Queued as i32;
                    let task = m.task_id.clone();
                    let progress = if m.bytes_total > 0 {
                        let eta = if m.eta_seconds > 0 { format!(", {} left", format::eta(m.eta_seconds)) } else { String::new() };
                        format!("{} of {}{eta}", format::bytes(m.bytes_done), format::bytes(m.bytes_total))
                    } else {
                        "—".to_string()
                    };
                    let reason = (!m.error_reason.is_empty()).then(|| m.error_reason.clone());
                    view! {
                        <tr data-testid="migration-row">
                            <td><code>{m.task_id.clone()}</code></td>
                            <td>{m.local_volume_name.clone()}</td>
                            <td>{destination(pairs, m.cluster_id.clone())}</td>
                            <td data-testid="migration-status">{stage_words(&m)}{reason.map(|r| format!(": {r}"))}</td>
                            <td>{progress}</td>
                            <td>{running.then(|| view! {
                                <button type="button" class="button" disabled=move || call.busy.get() on:click=move |_| cancel(task.clone())>"Cancel"</button>
                            })}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
