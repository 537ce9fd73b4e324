//! Backups: start one, watch every task live, browse what is stored in the cloud (restore,
//! delete), and manage schedules.

use std::collections::HashMap;
use std::time::Duration;

use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::{backups, credentials, volumes};
use crate::components::backup_tasks::{TaskRows, TaskTable};
use crate::components::copy_id::CopyId;
use crate::components::error_banner::{ErrorBanner, PollError};
use crate::components::labels_editor::{LabelRows, LabelsEditor};
use crate::components::time::local_time_seconds;
use crate::hooks::connection::use_connection;
use crate::hooks::mutation::Mutation;
use crate::hooks::poll::{use_poll, use_poll_every, Polled};
use crate::logic::{backup_task, format, schedule, validate, volume_table};
use crate::proto::{
    SdkCloudBackupScheduleInfo, SdkCloudBackupStatusType as S, SdkCredentialInspectResponse,
};

pub const FAST: Duration = Duration::from_secs(1);
pub const SLOW: Duration = Duration::from_secs(5);

/// Volumes (not snapshots) as (id, name), sorted by name.
pub type VolumeNames = Vec<(String, String)>;

pub fn use_volume_names() -> Polled<VolumeNames> {
    let conn = use_connection();
    use_poll(SLOW, move || {
        let sdk = conn.sdk.get_untracked();
        async move {
            let mut names: VolumeNames = volumes::list(&sdk)
                .await?
                .iter()
                .filter(|v| !volume_table::is_snapshot(v))
                .filter_map(|v| {
                    v.volume
                        .as_ref()
                        .map(|vol| (vol.id.clone(), v.name.clone()))
                })
                .collect();
            names.sort_by(|a, b| a.1.cmp(&b.1));
            Ok(names)
        }
    })
}

pub fn use_credentials() -> Polled<Vec<SdkCredentialInspectResponse>> {
    let conn = use_connection();
    use_poll(Duration::from_secs(10), move || {
        let sdk = conn.sdk.get_untracked();
        async move { credentials::list(&sdk).await }
    })
}

/// Every task, polled every second while one runs, every 5 s otherwise.
pub fn use_tasks() -> Polled<TaskRows> {
    let conn = use_connection();
    use_poll_every(
        |rows: &TaskRows| {
            if rows.iter().any(|(_, t)| backup_task::is_running(t.status)) {
                FAST
            } else {
                SLOW
            }
        },
        move || {
            let sdk = conn.sdk.get_untracked();
            async move { backups::statuses(&sdk).await.map(backup_task::rows) }
        },
    )
}

#[component]
pub fn BackupsPage() -> impl IntoView {
    let names = use_volume_names();
    let creds = use_credentials();
    let tasks = use_tasks();
    let refresh_tasks = Callback::new(move |_| tasks.refresh());
    let names_map = Signal::derive(move || {
        names.data.with(|n| {
            n.as_ref()
                .map(|n| n.iter().cloned().collect::<HashMap<_, _>>())
                .unwrap_or_default()
        })
    });
    let rows = Signal::derive(move || tasks.data.get().unwrap_or_default());
    view! {
        <section class="page">
            <h1>"Backups"</h1>
            <PollError error=tasks.error/>
            <StartBackup names creds on_started=refresh_tasks/>
            <section class="section" aria-labelledby="tasks-heading">
                <h2 id="tasks-heading">"Tasks"</h2>
                <TaskTable tasks=rows names=names_map refresh=refresh_tasks/>
            </section>
            <Catalog names creds on_restore=refresh_tasks/>
            <Schedules names creds/>
        </section>
    }
}

/// Keeps a select's value on one of `ids`: the first one when nothing (or something no longer
/// offered) is chosen.
pub fn keep_valid_choice(choice: RwSignal<String>, ids: impl IntoIterator<Item = String>) {
    let ids: Vec<String> = ids.into_iter().collect();
    if !ids.contains(&choice.get_untracked()) {
        choice.set(ids.into_iter().next().unwrap_or_default());
    }
}

/// A volume select's options. Each option's selectedness follows `chosen`, so options drawn
/// after the select (the list arrives later, or is refreshed) show what the form holds.
fn volume_options(names: Polled<VolumeNames>, chosen: RwSignal<String>) -> impl IntoView {
    move || {
        names
            .data
            .get()
            .unwrap_or_default()
            .into_iter()
            .map(|(id, name)| {
                let value = id.clone();
                view! { <option value=id prop:selected=move || chosen.get() == value>{name}</option> }
            })
            .collect_view()
    }
}

/// A credential select's options, selected as `chosen` says (see `volume_options`). Names may
/// repeat on a cluster, so a repeated name carries the start of its id.
pub fn credential_options(
    creds: &[SdkCredentialInspectResponse],
    chosen: RwSignal<String>,
) -> impl IntoView {
    creds
        .iter()
        .map(|c| {
            let repeated = creds.iter().filter(|o| o.name == c.name).count() > 1;
            let text = if repeated {
                format!("{} ({})", c.name, format::short_id(&c.credential_id))
            } else {
                c.name.clone()
            };
            let value = c.credential_id.clone();
            view! { <option value=c.credential_id.clone() prop:selected=move || chosen.get() == value>{text}</option> }
        })
        .collect_view()
}

/// The volume and credential a backup form sends. Both are pre-selected as their lists arrive
/// and kept on a valid choice (the credential is always sent: real clusters pick one only when
/// exactly one exists); a new choice clears an earlier "choose one" error.
#[derive(Clone, Copy)]
struct BackupTarget {
    volume: RwSignal<String>,
    credential: RwSignal<String>,
    names: Polled<VolumeNames>,
    creds: Polled<Vec<SdkCredentialInspectResponse>>,
}

impl BackupTarget {
    fn new(
        names: Polled<VolumeNames>,
        creds: Polled<Vec<SdkCredentialInspectResponse>>,
        error: RwSignal<Option<String>>,
    ) -> BackupTarget {
        let volume = RwSignal::new(String::new());
        let credential = RwSignal::new(String::new());
        Effect::new(move |_| {
            if let Some(list) = names.data.get() {
                keep_valid_choice(volume, list.into_iter().map(|(id, _)| id));
            }
        });
        Effect::new(move |_| {
            if let Some(list) = creds.data.get() {
                keep_valid_choice(credential, list.into_iter().map(|c| c.credential_id));
            }
        });
        Effect::new(move |_| {
            volume.track();
            credential.track();
            error.set(None);
        });
        BackupTarget {
            volume,
            credential,
            names,
            creds,
        }
    }

    /// Both lists have arrived. Before, the selects cannot show a choice, and submitting would
    /// act on a value the form does not show.
    fn loaded(self) -> bool {
        self.names.data.with(Option::is_some) && self.creds.data.with(Option::is_some)
    }
}

#[component]
pub fn StartBackup(
    names: Polled<VolumeNames>,
    creds: Polled<Vec<SdkCredentialInspectResponse>>,
    on_started: Callback<()>,
) -> impl IntoView {
    let conn = use_connection();
    let call = Mutation::new();
    let full = RwSignal::new(false);
    let labels = LabelRows::new(Vec::new());
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let target = BackupTarget::new(names, creds, error);
    let (volume, credential, loaded) = (target.volume, target.credential, move || target.loaded());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(None);
        if !loaded() {
            return;
        }
        let (vol, cred) = (volume.get_untracked(), credential.get_untracked());
        let check = if vol.is_empty() {
            Err("Choose a volume.".to_string())
        } else if cred.is_empty() {
            Err("Choose a credential (add one under Credentials first).".to_string())
        } else {
            validate::labels(&labels.values())
        };
        let label_map = match check {
            Ok(map) => map,
            Err(e) => {
                error.set(Some(e));
                return;
            }
        };
        error.set(None);
        let sdk = conn.sdk.get_untracked();
        let full = full.get_untracked();
        call.run(
            async move {
                backups::start(&sdk, &vol, &cred, full, label_map.into_iter().collect()).await
            },
            move |task| {
                done.set(Some(format!(
                    "Backup started (task {}).",
                    format::short_id(&task)
                )));
                on_started.run(());
            },
        );
    };
    let no_credentials = move || creds.data.with(|c| c.as_ref().is_some_and(Vec::is_empty));
    view! {
        <form class="card form" on:submit=submit novalidate=true aria-labelledby="start-heading">
            <h2 id="start-heading">"Start a backup"</h2>
            {move || call.error.get().map(|error| view! { <ErrorBanner error/> })}
            // Without the credential list the form cannot be sent: say why.
            <PollError error=creds.error/>
            <Show when=no_credentials>
                <p class="banner banner--info">"No cloud credentials yet: " <A href="/credentials">"add one"</A> " to back up volumes."</p>
            </Show>
            <div class="field">
                <label for="backup-volume">"Volume"</label>
                <select id="backup-volume" on:change=move |ev| volume.set(event_target_value(&ev))>
                    {volume_options(names, volume)}
                </select>
            </div>
            <div class="field">
                <label for="backup-credential">"Credential"</label>
                <select id="backup-credential" on:change=move |ev| credential.set(event_target_value(&ev))>
                    {move || credential_options(&creds.data.get().unwrap_or_default(), credential)}
                </select>
            </div>
            <fieldset class="field">
                <legend>"Type"</legend>
                <div class="field--check">
                    <input id="backup-incremental" type="radio" name="backup-type" prop:checked=move || !full.get() on:change=move |_| full.set(false)/>
                    <label for="backup-incremental">"Incremental (full when there is no earlier backup)"</label>
                </div>
                <div class="field--check">
                    <input id="backup-full" type="radio" name="backup-type" prop:checked=move || full.get() on:change=move |_| full.set(true)/>
                    <label for="backup-full">"Full"</label>
                </div>
            </fieldset>
            <LabelsEditor rows=labels id_prefix="backup"/>
            <p class="field-error">{move || error.get()}</p>
            <div class="actions">
                <button type="submit" class="button button--primary" disabled=move || call.busy.get() || !loaded()>"Start backup"</button>
            </div>
            <p class="notice" role="status">{move || done.get()}</p>
        </form>
    }
}

#[component]
fn Catalog(
    names: Polled<VolumeNames>,
    creds: Polled<Vec<SdkCredentialInspectResponse>>,
    on_restore: Callback<()>,
) -> impl IntoView {
    let conn = use_connection();
    let volume = RwSignal::new(String::new());
    let credential = RwSignal::new(String::new());
    let state = RwSignal::new(0i32);
    let polled = use_poll(SLOW, move || {
        let sdk = conn.sdk.get_untracked();
        let (v, c) = (volume.get_untracked(), credential.get_untracked());
        let s = S::try_from(state.get_untracked()).unwrap_or(S::Unknown);
        async move {
            // Every credential in turn: a real cluster lists backups without a credential only
            // when exactly one exists.
            let through = if c.is_empty() {
                credentials::ids(&sdk).await?
            } else {
                vec![c.clone()]
            };
            backups::catalog(&sdk, &v, &through, s)
                .await
                .map(|list| (v, c, s as i32, list))
        }
    });
    Effect::new(move |_| {
        volume.track();
        credential.track();
        state.track();
        polled.refresh();
    });
    let shown = Memo::new(move |_| {
        let wanted = (volume.get(), credential.get(), state.get());
        polled.data.with(|d| {
            d.as_ref()
                .filter(|(v, c, s, _)| (v.clone(), c.clone(), *s) == wanted)
                .map(|(_, _, _, list)| list.clone())
        })
    });
    let refresh = Callback::new(move |_| polled.refresh());
    view! {
        <section class="section" aria-labelledby="catalog-heading">
            <h2 id="catalog-heading">"Backups in the cloud"</h2>
            <PollError error=polled.error/>
            <div class="filters">
                <div class="field">
                    <label for="catalog-volume">"Volume"</label>
                    <select id="catalog-volume" on:change=move |ev| volume.set(event_target_value(&ev))>
                        <option value="">"All volumes"</option>
                        {volume_options(names, volume)}
                    </select>
                </div>
                <div class="field">
                    <label for="catalog-credential">"Credential"</label>
                    <select id="catalog-credential" on:change=move |ev| credential.set(event_target_value(&ev))>
                        <option value="">"All credentials"</option>
                        {move || credential_options(&creds.data.get().unwrap_or_default(), credential)}
                    </select>
                </div>
                <div class="field">
                    <label for="catalog-state">"State"</label>
                    <select id="catalog-state" on:change=move |ev| state.set(event_target_value(&ev).parse().unwrap_or(0))>
                        <option value="0">"Any"</option>
                        <option value=(S::Done as i32).to_string()>"Done"</option>
                        <option value=(S::Failed as i32).to_string()>"Failed"</option>
                    </select>
                </div>
            </div>
            {move || match shown.get() {
                // The error is shown above; "Loading" would be a claim the page cannot keep.
                None if polled.error.with(Option::is_some) => ().into_any(),
                None => view! { <p class="muted">"Loading backups…"</p> }.into_any(),
                Some(list) if list.is_empty() => view! { <p class="muted" data-testid="catalog-empty">"No backups match."</p> }.into_any(),
                Some(list) => view! {
                    <table class="table" data-testid="catalog-table">
                        <thead>
                            <tr>
                                <th scope="col">"Time"</th>
                                <th scope="col">"Volume"</th>
                                <th scope="col">"Type"</th>
                                <th scope="col">"State"</th>
                                <th scope="col">"Backup ID"</th>
                                <th scope="col">"Actions"</th>
                            </tr>
                        </thead>
                        <tbody>
                            <For each=move || list.clone() key=|b| (b.info.id.clone(), b.info.status, b.credential_id.clone()) children=move |backup| view! { <CatalogRow backup refresh on_restore/> }/>
                        </tbody>
                    </table>
                }.into_any(),
            }}
        </section>
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Restore,
    Delete,
}

#[component]
fn CatalogRow(
    backup: backups::StoredBackup,
    refresh: Callback<()>,
    on_restore: Callback<()>,
) -> impl IntoView {
    let backups::StoredBackup {
        info: backup,
        credential_id,
    } = backup;
    let conn = use_connection();
    let call = Mutation::new();
    let open = RwSignal::new(None::<Open>);
    let restore_name = RwSignal::new(format!("{}-restored", backup.src_volume_name));
    let name_error = RwSignal::new(None::<String>);
    let restored = RwSignal::new(None::<(String, String)>);
    let (label, tone) = backup_task::state(backup.status);
    // Clusters that record no type (upstream's fake) get a dash, not a guess.
    let kind = backup
        .metadata
        .get("type")
        .map_or("—".to_string(), |t| backup_task::backup_type(t));
    let restorable = backup.status == S::Done as i32;
    let id = backup.id.clone();
    let restore = {
        let (id, credential_id) = (id.clone(), credential_id.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let name = restore_name.get_untracked().trim().to_string();
            if let Err(e) = validate::volume_name(&name) {
                name_error.set(Some(e));
                return;
            }
            name_error.set(None);
            let sdk = conn.sdk.get_untracked();
            let (id, credential_id) = (id.clone(), credential_id.clone());
            call.run(
                async move {
                    backups::restore(&sdk, &id, &name, &credential_id)
                        .await
                        .map(|r| (r, name))
                },
                move |(r, name)| {
                    open.set(None);
                    restored.set(Some((r.restore_volume_id, name)));
                    on_restore.run(());
                },
            );
        }
    };
    let delete = {
        let (id, credential_id) = (id.clone(), credential_id.clone());
        move |_| {
            let sdk = conn.sdk.get_untracked();
            let (id, credential_id) = (id.clone(), credential_id.clone());
            call.run(
                async move { backups::delete(&sdk, &id, &credential_id).await },
                move |_| {
                    open.set(None);
                    refresh.run(());
                },
            );
        }
    };
    let toggle = move |which: Open| {
        call.error.set(None);
        open.update(|o| *o = if *o == Some(which) { None } else { Some(which) });
    };
    let input_id = format!(
        "restore-name-{}",
        id.replace(|c: char| !c.is_ascii_alphanumeric(), "-")
    );
    view! {
        <tr data-testid="catalog-row">
            <td>{local_time_seconds(backup.timestamp.map_or(0, |t| t.seconds))}</td>
            <td><A href=format!("/volumes/{}", backup.src_volume_id)>{backup.src_volume_name.clone()}</A></td>
            <td>{kind}</td>
            <td><span class=format!("badge {}", tone.class())>{label}</span></td>
            <td><CopyId id=backup.id.clone()/></td>
            <td>
                <div class="actions">
                    {restorable.then(|| view! { <button type="button" class="button" on:click=move |_| toggle(Open::Restore)>"Restore…"</button> })}
                    <button type="button" class="button" on:click=move |_| toggle(Open::Delete)>"Delete…"</button>
                </div>
                {move || call.error.get().map(|error| view! { <ErrorBanner error/> })}
                {move || restored.get().map(|(vid, name)| view! {
                    <p class="notice" role="status">"Restoring into " <A href=format!("/volumes/{vid}")>{name}</A> "; follow it under Tasks."</p>
                })}
                <Show when=move || open.get() == Some(Open::Restore)>
                    <form class="confirm" on:submit=restore.clone() novalidate=true>
                        <label for=input_id.clone()>"Name of the restored volume"</label>
                        <input id=input_id.clone() type="text" autocomplete="off" prop:value=move || restore_name.get() on:input=move |ev| restore_name.set(event_target_value(&ev))/>
                        <p class="field-error">{move || name_error.get()}</p>
                        <div class="actions">
                            <button type="submit" class="button button--primary" disabled=move || call.busy.get()>"Restore backup"</button>
                            <button type="button" class="button" on:click=move |_| open.set(None)>"Cancel"</button>
                        </div>
                    </form>
                </Show>
                <Show when=move || open.get() == Some(Open::Delete)>
                    <div class="confirm">
                        <p>"Delete this backup from the cloud? This cannot be undone."</p>
                        <div class="actions">
                            <button type="button" class="button button--danger" disabled=move || call.busy.get() on:click=delete.clone()>"Delete backup"</button>
                            <button type="button" class="button" on:click=move |_| open.set(None)>"Cancel"</button>
                        </div>
                    </div>
                </Show>
            </td>
        </tr>
    }
}

#[component]
fn Schedules(
    names: Polled<VolumeNames>,
    creds: Polled<Vec<SdkCredentialInspectResponse>>,
) -> impl IntoView {
    let conn = use_connection();
    let polled = use_poll(Duration::from_secs(10), move || {
        let sdk = conn.sdk.get_untracked();
        async move {
            let schedules = backups::schedules(&sdk).await?;
            // Policies only offer templates; a caller who may not read them (a guest on a real
            // cluster) still sees and manages schedules.
            let policies = backups::policies(&sdk).await.unwrap_or_default();
            Ok((schedules, policies))
        }
    });
    let refresh = Callback::new(move |_| polled.refresh());
    let names_map = move || {
        names.data.with(|n| {
            n.as_ref()
                .map(|n| n.iter().cloned().collect::<HashMap<_, _>>())
                .unwrap_or_default()
        })
    };
    let cred_names = move || {
        creds.data.with(|c| {
            c.as_ref()
                .map(|c| {
                    c.iter()
                        .map(|c| (c.credential_id.clone(), c.name.clone()))
                        .collect::<HashMap<_, _>>()
                })
                .unwrap_or_default()
        })
    };
    view! {
        <section class="section" aria-labelledby="schedules-heading">
            <h2 id="schedules-heading">"Schedules"</h2>
            <PollError error=polled.error/>
            {move || match polled.data.get() {
                None => view! { <p class="muted">"Loading schedules…"</p> }.into_any(),
                Some((list, _)) if list.is_empty() => view! { <p class="muted" data-testid="schedules-empty">"No backup schedules."</p> }.into_any(),
                Some((list, _)) => {
                    let (names, creds) = (names_map(), cred_names());
                    view! {
                        <table class="table" data-testid="schedules-table">
                            <thead>
                                <tr>
                                    <th scope="col">"Volume"</th>
                                    <th scope="col">"Credential"</th>
                                    <th scope="col">"When"</th>
                                    <th scope="col">"Keeps"</th>
                                    <th scope="col">"Type"</th>
                                    <th scope="col">"Actions"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list.into_iter().map(|(id, info)| {
                                    let volume = names.get(&info.src_volume_id).cloned().unwrap_or_else(|| info.src_volume_id.clone());
                                    let credential = creds.get(&info.credential_id).cloned().unwrap_or_else(|| info.credential_id.clone());
                                    view! { <ScheduleRow id info volume credential refresh/> }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }
            }}
            <AddSchedule names creds policies=Signal::derive(move || polled.data.get().map(|(_, p)| p).unwrap_or_default()) refresh/>
        </section>
    }
}

#[component]
fn ScheduleRow(
    id: String,
    info: SdkCloudBackupScheduleInfo,
    volume: String,
    credential: String,
    refresh: Callback<()>,
) -> impl IntoView {
    let conn = use_connection();
    let call = Mutation::new();
    let delete = move |_| {
        let sdk = conn.sdk.get_untracked();
        let id = id.clone();
        call.run(
            async move { backups::delete_schedule(&sdk, &id).await },
            move |_| refresh.run(()),
        );
    };
    view! {
        <tr data-testid="schedule-row">
            <td>{volume.clone()}</td>
            <td>{credential}</td>
            <td>{schedule::describe_all(&info.schedules)}</td>
            <td>{if info.max_backups == 0 { "—".to_string() } else { format!("{} backups", info.max_backups) }}</td>
            <td>{if info.full { "Full" } else { "Incremental" }}</td>
            <td>
                <button type="button" class="button" aria-label=format!("Delete the schedule of {volume}") disabled=move || call.busy.get() on:click=delete>"Delete"</button>
                {move || call.error.get().map(|error| view! { <ErrorBanner error/> })}
            </td>
        </tr>
    }
}

#[component]
fn AddSchedule(
    names: Polled<VolumeNames>,
    creds: Polled<Vec<SdkCredentialInspectResponse>>,
    policies: Signal<Vec<crate::proto::SdkSchedulePolicy>>,
    refresh: Callback<()>,
) -> impl IntoView {
    let conn = use_connection();
    let call = Mutation::new();
    let policy = RwSignal::new(String::new());
    let every = RwSignal::new(schedule::Every::Day);
    let minutes = RwSignal::new("60".to_string());
    let time = RwSignal::new("02:00".to_string());
    let weekday = RwSignal::new(0i32);
    let keep = RwSignal::new("7".to_string());
    let full = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let target = BackupTarget::new(names, creds, error);
    let (volume, credential, loaded) = (target.volume, target.credential, move || target.loaded());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(None);
        if !loaded() {
            return;
        }
        let vol = volume.get_untracked();
        let cred = credential.get_untracked();
        let result = (|| {
            if vol.is_empty() {
                return Err("Create a volume first.".to_string());
            }
            if cred.is_empty() {
                return Err("Choose a credential (add one under Credentials first).".to_string());
            }
            let max = schedule::retention(&keep.get_untracked())?;
            let intervals = match policies
                .get_untracked()
                .into_iter()
                .find(|p| p.name == policy.get_untracked())
            {
                Some(p) => p.schedules,
                None => vec![schedule::interval(
                    every.get_untracked(),
                    &minutes.get_untracked(),
                    &time.get_untracked(),
                    weekday.get_untracked(),
                    max as i64,
                )?],
            };
            Ok(SdkCloudBackupScheduleInfo {
                src_volume_id: vol.clone(),
                credential_id: cred.clone(),
                schedules: intervals,
                max_backups: max,
                full: full.get_untracked(),
                ..Default::default()
            })
        })();
        let info = match result {
            Ok(info) => info,
            Err(e) => {
                error.set(Some(e));
                return;
            }
        };
        error.set(None);
        let sdk = conn.sdk.get_untracked();
        call.run(
            async move { backups::create_schedule(&sdk, info).await },
            move |_| {
                done.set(Some("Schedule created.".into()));
                refresh.run(());
            },
        );
    };
    view! {
        <form class="card form" on:submit=submit novalidate=true aria-labelledby="add-schedule-heading">
            <h3 id="add-schedule-heading">"Add a schedule"</h3>
            {move || call.error.get().map(|error| view! { <ErrorBanner error/> })}
            <div class="field">
                <label for="schedule-volume">"Volume"</label>
                <select id="schedule-volume" on:change=move |ev| volume.set(event_target_value(&ev))>
                    {volume_options(names, volume)}
                </select>
            </div>
            <div class="field">
                <label for="schedule-credential">"Credential"</label>
                <select id="schedule-credential" on:change=move |ev| credential.set(event_target_value(&ev))>
                    {move || credential_options(&creds.data.get().unwrap_or_default(), credential)}
                </select>
            </div>
            <div class="field">
                <label for="schedule-policy">"Use a schedule policy"</label>
                <select id="schedule-policy" on:change=move |ev| policy.set(event_target_value(&ev))>
                    <option value="">"No, set the times below"</option>
                    {move || policies.get().into_iter().map(|p| {
                        let text = format!("{} ({})", p.name, schedule::describe_all(&p.schedules));
                        view! { <option value=p.name.clone()>{text}</option> }
                    }).collect_view()}
                </select>
            </div>
            <Show when=move || policy.get().is_empty()>
                <div class="field">
                    <label for="schedule-every">"Runs"</label>
                    <select id="schedule-every" on:change=move |ev| every.set(schedule::Every::from_key(&event_target_value(&ev)))>
                        <option value="day" selected=true>"Daily"</option>
                        <option value="week">"Weekly"</option>
                        <option value="minutes">"Every N minutes"</option>
                    </select>
                </div>
                <Show when=move || every.get() == schedule::Every::Minutes>
                    <div class="field">
                        <label for="schedule-minutes">"Minutes between backups"</label>
                        <input id="schedule-minutes" type="text" inputmode="numeric" prop:value=move || minutes.get() on:input=move |ev| minutes.set(event_target_value(&ev))/>
                    </div>
                </Show>
                <Show when=move || every.get() == schedule::Every::Week>
                    <div class="field">
                        <label for="schedule-weekday">"Day"</label>
                        <select id="schedule-weekday" on:change=move |ev| weekday.set(event_target_value(&ev).parse().unwrap_or(0))>
                            {schedule::weekdays().map(|(i, d)| view! { <option value=i.to_string()>{d}</option> }).collect_view()}
                        </select>
                    </div>
                </Show>
                <Show when=move || every.get() != schedule::Every::Minutes>
                    <div class="field">
                        <label for="schedule-time">"Time (UTC, HH:MM)"</label>
                        <input id="schedule-time" type="text" prop:value=move || time.get() on:input=move |ev| time.set(event_target_value(&ev))/>
                    </div>
                </Show>
            </Show>
            <div class="field">
                <label for="schedule-keep">"Backups to keep"</label>
                <input id="schedule-keep" type="text" inputmode="numeric" prop:value=move || keep.get() on:input=move |ev| keep.set(event_target_value(&ev))/>
            </div>
            <div class="field field--check">
                <input id="schedule-full" type="checkbox" prop:checked=move || full.get() on:change=move |ev| full.set(event_target_checked(&ev))/>
                <label for="schedule-full">"Always full backups"</label>
            </div>
            <p class="field-error">{move || error.get()}</p>
            <div class="actions">
                <button type="submit" class="button button--primary" disabled=move || call.busy.get() || !loaded()>"Create schedule"</button>
            </div>
            <p class="notice" role="status">{move || done.get()}</p>
        </form>
    }
}
