//! Backup schedules: the list (delete each) and the form to add one, from a schedule policy or
//! typed times.

use std::collections::{BTreeMap, HashMap};

use leptos::prelude::*;

use crate::components::keyed_rows::keyed_list;
use prost::Message;

use super::target::BackupTarget;
use crate::api::backups;
use crate::browser::document::focus_field;
use crate::components::as_code::{row_code_id, ShowAsCode};
use crate::components::confirm::ConfirmDelete;
use crate::components::error_banner::CallError;
use crate::components::field::{Field, FieldError, Input};
use crate::components::notice::{Notice, NoticeText};
use crate::components::polled_view::PolledView;
use crate::components::table::column_heads;
use crate::hooks::backups::ScheduleRows;
use crate::hooks::connection::use_connection;
use crate::hooks::mutation::Mutation;
use crate::hooks::polled::Polled;
use crate::hooks::shared_queries::VolumeNames;
use crate::logic::as_code::Call;
use crate::logic::schedule::{self, Every, ScheduleField, ScheduleForm};
use crate::proto::methods::open_storage_cloud_backup;
use crate::proto::{SdkCloudBackupScheduleInfo, SdkCredentialInspectResponse, SdkSchedulePolicy};

#[component]
pub fn Schedules(
    query: Polled<(ScheduleRows, Vec<SdkSchedulePolicy>)>,
    names: Polled<VolumeNames>,
    creds: Polled<Vec<SdkCredentialInspectResponse>>,
) -> impl IntoView {
    let refresh = Callback::new(move |_| query.refresh());
    let policies = Memo::new(move |_| query.data.get().map(|(_, p)| p).unwrap_or_default());
    let volume_names = Memo::new(move |_| {
        names
            .data
            .with(|n| n.iter().flatten().cloned().collect::<HashMap<_, _>>())
    });
    let credential_names = Memo::new(move |_| {
        creds.data.with(|c| {
            c.iter()
                .flatten()
                .map(|c| (c.credential_id.clone(), c.name.clone()))
                .collect::<HashMap<_, _>>()
        })
    });
    view! {
        <section class="section" aria-labelledby="schedules-heading">
            <h2 id="schedules-heading">"Schedules"</h2>
            <PolledView
                query
                what="schedules"
                is_empty=|(list, _): &(ScheduleRows, Vec<SdkSchedulePolicy>)| list.is_empty()
                empty=|| view! { <p class="muted" data-testid="schedules-empty">"No backup schedules."</p> }
            >
                <table class="table" data-testid="schedules-table" aria-labelledby="schedules-heading">
                    {column_heads(&["Volume", "Credential", "When", "Keeps", "Type", "Actions"])}
                    <tbody>
                        // A schedule is replaced, not edited: one row per (id, schedule).
                        {keyed_list(
                            move || query.data.get().map(|(s, _)| s).unwrap_or_default(),
                            |(id, info)| schedule_key(id, info),
                            move |(id, info)| view! { <ScheduleRow id info volume_names credential_names refresh/> }.into_any(),
                        )}
                    </tbody>
                </table>
            </PolledView>
            <AddSchedule names creds policies refresh/>
        </section>
    }
}

/// A schedule's id and every field of it, as the key of its row.
fn schedule_key(id: &str, info: &SdkCloudBackupScheduleInfo) -> String {
    info.encode_to_vec()
        .iter()
        .fold(format!("{id}\n"), |mut key, byte| {
            key.push(char::from(b'a' + (byte >> 4)));
            key.push(char::from(b'a' + (byte & 15)));
            key
        })
}

#[component]
fn ScheduleRow(
    id: String,
    info: SdkCloudBackupScheduleInfo,
    volume_names: Memo<HashMap<String, String>>,
    credential_names: Memo<HashMap<String, String>>,
    refresh: Callback<()>,
) -> impl IntoView {
    let conn = use_connection();
    let call = Mutation::new();
    let asking = RwSignal::new(false);
    let code_id = row_code_id("schedule-delete", &id);
    let code = {
        let id = id.clone();
        Signal::derive(move || Ok(backups::delete_schedule_call(&id)))
    };
    let delete = Callback::new(move |_| {
        let sdk = conn.sdk.get_untracked();
        let id = id.clone();
        call.run(
            async move { Ok(sdk.run(backups::delete_schedule_call(&id)).await?) },
            move |_| refresh.run(()),
        );
    });
    let cancel = Callback::new(move |_| {
        call.error.set(None);
        asking.set(false);
    });
    let volume_id = info.src_volume_id.clone();
    let volume = Memo::new(move |_| {
        volume_names.with(|n| {
            n.get(&volume_id)
                .cloned()
                .unwrap_or_else(|| volume_id.clone())
        })
    });
    let credential_id = info.credential_id.clone();
    let credential = move || {
        credential_names.with(|n| {
            n.get(&credential_id)
                .cloned()
                .unwrap_or_else(|| credential_id.clone())
        })
    };
    view! {
        <tr data-testid="schedule-row">
            <td>{move || volume.get()}</td>
            <td>{credential}</td>
            <td>{schedule::describe_all(&info.schedules)}</td>
            <td>{if info.max_backups == 0 { "—".to_string() } else { format!("{} backups", info.max_backups) }}</td>
            <td>{if info.full { "Full" } else { "Incremental" }}</td>
            <td>
                <button type="button" class="button" aria-label=move || format!("Delete the schedule of {}…", volume.get()) on:click=move |_| asking.set(true)>"Delete…"</button>
                <CallError call/>
                <ConfirmDelete
                    open=asking
                    question=Signal::derive(move || format!("Delete the backup schedule of {}? Backups it made stay in the cloud.", volume.get()))
                    action="Delete schedule"
                    busy=call.busy
                    on_confirm=delete
                    on_cancel=cancel
                    code=code
                    code_id=code_id.clone()
                />
            </td>
        </tr>
    }
}

type FieldErrors = RwSignal<BTreeMap<ScheduleField, String>>;

fn error_of(errors: FieldErrors, field: ScheduleField) -> Signal<Option<String>> {
    Signal::derive(move || errors.with(|e| e.get(&field).cloned()))
}

#[component]
fn AddSchedule(
    names: Polled<VolumeNames>,
    creds: Polled<Vec<SdkCredentialInspectResponse>>,
    policies: Memo<Vec<SdkSchedulePolicy>>,
    refresh: Callback<()>,
) -> impl IntoView {
    let conn = use_connection();
    let call = Mutation::new();
    let policy = RwSignal::new(String::new());
    let every = RwSignal::new(Every::Day);
    let minutes = RwSignal::new("60".to_string());
    let time = RwSignal::new("02:00".to_string());
    let weekday = RwSignal::new(0i32);
    let keep = RwSignal::new("7".to_string());
    let full = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let field_errors: FieldErrors = RwSignal::new(BTreeMap::new());
    let done = NoticeText::new();
    let target = BackupTarget::new(names, creds, error);
    let loaded = move || target.loaded();
    // What the form holds (tracked: the form's code follows it).
    let form = move |volume, credential| ScheduleForm {
        volume,
        credential,
        policy: policy.get(),
        every: every.get(),
        minutes: minutes.get(),
        time: time.get(),
        weekday: weekday.get(),
        keep: keep.get(),
        full: full.get(),
    };
    let code = Signal::derive(move || {
        let (volume, credential) = target.choosing()?;
        let form = form(volume, credential);
        let info = policies
            .with(|p| schedule::plan(&form, p))
            .map_err(|(_, message)| message)?;
        Ok(Call::new(
            open_storage_cloud_backup::SCHED_CREATE,
            &backups::schedule_request(info),
        ))
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.clear();
        field_errors.set(BTreeMap::new());
        if !loaded() {
            return;
        }
        let (volume, credential) = match target.chosen() {
            Ok(chosen) => chosen,
            Err(e) => {
                error.set(Some(e));
                return;
            }
        };
        error.set(None);
        let form = untrack(|| form(volume, credential));
        let info = match policies.with_untracked(|p| schedule::plan(&form, p)) {
            Ok(info) => info,
            Err((field, message)) => {
                field_errors.set(BTreeMap::from([(field, message)]));
                focus_field(match field {
                    ScheduleField::Minutes => "schedule-minutes",
                    ScheduleField::Time => "schedule-time",
                    ScheduleField::Keep => "schedule-keep",
                });
                return;
            }
        };
        let sdk = conn.sdk.get_untracked();
        call.run(
            async move { backups::create_schedule(&sdk, info).await },
            move |_| {
                done.show("Schedule created.");
                // The next schedule starts from the defaults; volume and credential stay.
                policy.set(String::new());
                every.set(Every::Day);
                minutes.set("60".into());
                time.set("02:00".into());
                weekday.set(0);
                keep.set("7".into());
                full.set(false);
                refresh.run(());
            },
        );
    };
    view! {
        <form class="card form" on:submit=submit novalidate=true aria-labelledby="add-schedule-heading">
            <h3 id="add-schedule-heading">"Add a schedule"</h3>
            <CallError call/>
            {target.pickers("schedule")}
            <div class="field">
                <label for="schedule-policy">"Use a schedule policy"</label>
                <select id="schedule-policy" on:change=move |ev| policy.set(event_target_value(&ev))>
                    <option value="" prop:selected=move || policy.get().is_empty()>"No, set the times below"</option>
                    {move || policies.get().into_iter().map(|p| {
                        let text = format!("{} ({})", p.name, schedule::describe_all(&p.schedules));
                        let name = p.name.clone();
                        view! { <option value=p.name.clone() prop:selected=move || policy.get() == name>{text}</option> }
                    }).collect_view()}
                </select>
            </div>
            <Show when=move || policy.get().is_empty()>
                <div class="field">
                    <label for="schedule-every">"Runs"</label>
                    <select id="schedule-every" on:change=move |ev| every.set(Every::from_key(&event_target_value(&ev)))>
                        <option value="day" prop:selected=move || every.get() == Every::Day>"Daily"</option>
                        <option value="week" prop:selected=move || every.get() == Every::Week>"Weekly"</option>
                        <option value="minutes" prop:selected=move || every.get() == Every::Minutes>"Every N minutes"</option>
                    </select>
                </div>
                <Show when=move || every.get() == Every::Minutes>
                    <Field id="schedule-minutes" label="Minutes between backups" value=minutes input=Input::Whole error=error_of(field_errors, ScheduleField::Minutes)/>
                </Show>
                <Show when=move || every.get() == Every::Week>
                    <div class="field">
                        <label for="schedule-weekday">"Day"</label>
                        <select id="schedule-weekday" on:change=move |ev| weekday.set(event_target_value(&ev).parse().unwrap_or(0))>
                            {schedule::weekdays().map(|(i, d)| view! { <option value=i.to_string() prop:selected=move || weekday.get() == i>{d}</option> }).collect_view()}
                        </select>
                    </div>
                </Show>
                <Show when=move || every.get() != Every::Minutes>
                    <Field id="schedule-time" label="Time (UTC, HH:MM)" value=time error=error_of(field_errors, ScheduleField::Time)/>
                </Show>
            </Show>
            <Field id="schedule-keep" label="Backups to keep" value=keep input=Input::Whole error=error_of(field_errors, ScheduleField::Keep)/>
            <div class="field field--check">
                <input id="schedule-full" type="checkbox" prop:checked=move || full.get() on:change=move |ev| full.set(event_target_checked(&ev))/>
                <label for="schedule-full">"Always full backups"</label>
            </div>
            <FieldError id="schedule" error=error/>
            <div class="actions">
                <button type="submit" class="button button--primary" disabled=move || call.busy.get() || !loaded()>"Create schedule"</button>
            </div>
            <Notice text=done/>
            <ShowAsCode call=code id="schedule"/>
        </form>
    }
}
