//! Backups stored in the cloud, narrowed by volume, credential and state; restore or delete each
//! with the credential it was listed through.

use leptos::prelude::*;

use crate::browser::cluster::here;
use crate::components::keyed_rows::keyed_list;
use leptos_router::components::A;

use super::target::{credential_options, volume_options, VolumeChoices};
use crate::api::backups::{self, StoredBackup};
use crate::browser::clock::local_time_seconds;
use crate::components::as_code::{row_code_id, ShowAsCode};
use crate::components::badge::Badge;
use crate::components::confirm::ConfirmDelete;
use crate::components::copy_id::CopyId;
use crate::components::error_banner::CallError;
use crate::components::field::{checked, Field};
use crate::components::polled_view::PolledView;
use crate::components::table::column_heads;
use crate::hooks::backups::{use_catalog, CatalogFilter};
use crate::hooks::connection::use_connection;
use crate::hooks::mutation::Mutation;
use crate::hooks::polled::Polled;
use crate::hooks::shared_queries::VolumeNames;
use crate::logic::as_code::Call;
use crate::logic::{backup_task, validate};
use crate::proto::methods::open_storage_cloud_backup;
use crate::proto::{SdkCloudBackupStatusType as S, SdkCredentialInspectResponse};

#[component]
pub fn Catalog(
    names: Polled<VolumeNames>,
    creds: Polled<Vec<SdkCredentialInspectResponse>>,
    on_restore: Callback<()>,
) -> impl IntoView {
    let volume = RwSignal::new(String::new());
    let credential = RwSignal::new(String::new());
    let state = RwSignal::new(0i32);
    let choices = VolumeChoices::new(names);
    let query = use_catalog(move || CatalogFilter {
        volume: volume.get(),
        credential: credential.get(),
        state: S::try_from(state.get()).unwrap_or(S::Unknown),
    });
    let refresh = Callback::new(move |_| query.refresh());
    view! {
        <section class="section" aria-labelledby="catalog-heading">
            <h2 id="catalog-heading">"Backups in the cloud"</h2>
            <div class="filters">
                {choices.search_field("catalog-volume-search".to_string())}
                <div class="field">
                    <label for="catalog-volume">"Volume"</label>
                    <select id="catalog-volume" on:change=move |ev| volume.set(event_target_value(&ev))>
                        <option value="" prop:selected=move || volume.get().is_empty()>"All volumes"</option>
                        {volume_options(choices, volume)}
                    </select>
                </div>
                <div class="field">
                    <label for="catalog-credential">"Credential"</label>
                    <select id="catalog-credential" on:change=move |ev| credential.set(event_target_value(&ev))>
                        <option value="" prop:selected=move || credential.get().is_empty()>"All credentials"</option>
                        {credential_options(creds, credential)}
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
            <PolledView
                query
                what="backups"
                is_empty=Vec::is_empty
                empty=|| view! { <p class="muted" data-testid="catalog-empty">"No backups match."</p> }
            >
                <table class="table" data-testid="catalog-table" aria-labelledby="catalog-heading">
                    {column_heads(&["Time", "Volume", "Type", "State", "Backup ID", "Actions"])}
                    <tbody>
                        // A stored backup does not change except its state, so a row is
                        // drawn once per (backup, state, credential).
                        {keyed_list(
                            move || query.data.get().unwrap_or_default(),
                            |b| format!("{}\n{}\n{}", b.info.id, b.info.status, b.credential_id),
                            move |backup| view! { <CatalogRow backup refresh on_restore/> }.into_any(),
                        )}
                    </tbody>
                </table>
            </PolledView>
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
    backup: StoredBackup,
    refresh: Callback<()>,
    on_restore: Callback<()>,
) -> impl IntoView {
    let StoredBackup {
        info: backup,
        credential_id,
    } = backup;
    let conn = use_connection();
    let call = Mutation::new();
    let open = RwSignal::new(None::<Open>);
    let restore_name = RwSignal::new(format!("{}-restored", backup.src_volume_name));
    let name_error = RwSignal::new(None::<String>);
    let restored = RwSignal::new(None::<(String, String)>);
    let then = RwSignal::new(None::<Call>);
    let (label, tone) = backup_task::state(backup.status);
    // Clusters that record no type (upstream's fake) get a dash, not a guess.
    let kind = backup
        .metadata
        .get("type")
        .map_or("—".to_string(), |t| backup_task::backup_type(t));
    let restorable = backup.status == S::Done as i32;
    let id = backup.id.clone();
    // A backup reachable through two credentials has a row for each.
    let input_id = format!("restore-name-{id}-{credential_id}")
        .replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "-");
    let restore = {
        let (id, credential_id, input_id) = (id.clone(), credential_id.clone(), input_id.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let name = restore_name.get_untracked().trim().to_string();
            let Some(()) = checked(&input_id, name_error, validate::volume_name(&name)) else {
                return;
            };
            let sdk = conn.sdk.get_untracked();
            let (id, credential_id) = (id.clone(), credential_id.clone());
            let request = backups::restore_request(&id, &name, &credential_id);
            call.run(
                async move { backups::restore(&sdk, request).await.map(|r| (r, name)) },
                move |(r, name)| {
                    open.set(None);
                    // What follows a restore: its task's Status.
                    then.set(Some(Call::new(
                        open_storage_cloud_backup::STATUS,
                        &backups::status_request("", &r.task_id),
                    )));
                    restored.set(Some((r.restore_volume_id, name)));
                    on_restore.run(());
                },
            );
        }
    };
    let restore_code = {
        let (id, credential_id) = (id.clone(), credential_id.clone());
        Signal::derive(move || {
            let name = restore_name.get().trim().to_string();
            validate::volume_name(&name)?;
            Ok(Call::new(
                open_storage_cloud_backup::RESTORE,
                &backups::restore_request(&id, &name, &credential_id),
            ))
        })
    };
    let delete_code = {
        let (id, credential_id) = (id.clone(), credential_id.clone());
        Signal::derive(move || Ok(backups::delete_call(&id, &credential_id)))
    };
    let row_key = format!("{id}-{credential_id}");
    let (restore_code_id, delete_code_id) = (
        row_code_id("backup-restore", &row_key),
        row_code_id("backup-delete", &row_key),
    );
    let status_code_id = row_code_id("backup-restore-status", &row_key);
    let delete = {
        let (id, credential_id) = (id.clone(), credential_id.clone());
        Callback::new(move |_| {
            let sdk = conn.sdk.get_untracked();
            let (id, credential_id) = (id.clone(), credential_id.clone());
            call.run(
                async move { Ok(sdk.run(backups::delete_call(&id, &credential_id)).await?) },
                move |_| {
                    open.set(None);
                    refresh.run(());
                },
            );
        })
    };
    let toggle = move |which: Open| {
        call.error.set(None);
        restored.set(None);
        open.update(|o| *o = if *o == Some(which) { None } else { Some(which) });
    };
    view! {
        <tr data-testid="catalog-row">
            <td>{local_time_seconds(backup.timestamp.map_or(0, |t| t.seconds))}</td>
            <td><A href={here(format!("/volumes/{}", backup.src_volume_id))}>{backup.src_volume_name.clone()}</A></td>
            <td>{kind}</td>
            <td><Badge label tone/></td>
            <td><CopyId id=backup.id.clone()/></td>
            <td>
                <div class="actions">
                    {restorable.then(|| view! {
                        <button type="button" class="button" on:click=move |_| toggle(Open::Restore)>"Restore…"</button>
                    })}
                    <button type="button" class="button" on:click=move |_| toggle(Open::Delete)>"Delete…"</button>
                </div>
                <CallError call/>
                {move || restored.get().map(|(vid, name)| view! {
                    <p class="notice" role="status">"Restoring into " <A href={here(format!("/volumes/{vid}"))}>{name}</A> "; follow it under Tasks."</p>
                    // The form closed with the restore: the read that follows it stands here.
                    <ShowAsCode
                        call=Signal::derive(move || then.get().ok_or_else(String::new))
                        id=status_code_id.clone()
                        label="Show its status call as code"
                    />
                })}
                <Show when=move || open.get() == Some(Open::Restore)>
                    <form class="confirm" on:submit=restore.clone() novalidate=true>
                        <Field id=input_id.clone() label="Name of the restored volume" value=restore_name error=name_error/>
                        <div class="actions">
                            <button type="submit" class="button button--primary" disabled=move || call.busy.get()>"Restore backup"</button>
                            <button type="button" class="button" on:click=move |_| open.set(None)>"Cancel"</button>
                        </div>
                        <ShowAsCode call=restore_code id=restore_code_id.clone()/>
                    </form>
                </Show>
                <ConfirmDelete
                    open=Signal::derive(move || open.get() == Some(Open::Delete))
                    question="Delete this backup from the cloud? This cannot be undone.".to_string()
                    action="Delete backup"
                    busy=call.busy
                    on_confirm=delete
                    on_cancel=Callback::new(move |_| open.set(None))
                    code=delete_code
                    code_id=delete_code_id
                />
            </td>
        </tr>
    }
}
