//! A volume's snapshots: list, restore the volume to one, clone one, delete one.

use leptos::prelude::*;

use crate::components::keyed_rows::keyed_list;
use leptos_router::hooks::use_navigate;

use crate::api::volumes::{self, VolumeDetail};
use crate::browser::clock::local_time;
use crate::components::as_code::{row_code_id, ShowAsCode};
use crate::components::confirm::{Confirm, ConfirmDelete};
use crate::components::copy_id::CopyId;
use crate::components::error_banner::CallError;
use crate::components::field::{checked, Field};
use crate::components::notice::{Notice, NoticeText};
use crate::components::table::column_heads;
use crate::hooks::connection::use_connection;
use crate::hooks::mutation::Mutation;
use crate::logic::as_code::Call;
use crate::logic::validate;
use crate::proto::methods::open_storage_volume;
use crate::proto::Volume;
use console_model::volume::{is_snapshot as is_snapshot_volume, name_of};

#[component]
pub fn SnapshotList(
    detail: ReadSignal<Option<VolumeDetail>>,
    refresh: Callback<()>,
) -> impl IntoView {
    let is_snapshot =
        move || detail.with(|d| d.as_ref().is_some_and(|d| is_snapshot_volume(&d.volume)));
    let snapshots =
        move || detail.with(|d| d.as_ref().map(|d| d.snapshots.clone()).unwrap_or_default());
    let notice = NoticeText::new();
    view! {
        <Show when=move || !is_snapshot()>
            <section class="section" aria-labelledby="snapshots-heading">
                <h2 id="snapshots-heading">"Snapshots"</h2>
                <Notice text=notice/>
                <Show
                    when=move || !snapshots().is_empty()
                    fallback=|| view! { <p class="muted" data-testid="no-snapshots">"No snapshots yet: take one under Actions."</p> }
                >
                    <table class="table" data-testid="snapshots-table" aria-labelledby="snapshots-heading">
                        {column_heads(&["Name", "ID", "Kind", "Created", "Actions"])}
                        <tbody>
                            {keyed_list(
                                snapshots,
                                |snap| snap.id.clone(),
                                move |snap| view! { <SnapshotRow snap detail refresh notice/> }.into_any(),
                            )}
                        </tbody>
                    </table>
                </Show>
            </section>
        </Show>
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Restore,
    Clone,
    Delete,
}

#[component]
fn SnapshotRow(
    snap: Volume,
    detail: ReadSignal<Option<VolumeDetail>>,
    refresh: Callback<()>,
    notice: NoticeText,
) -> impl IntoView {
    let conn = use_connection();
    let navigate = use_navigate();
    let open = RwSignal::new(None::<Open>);
    let call = Mutation::new();
    let clone_name = RwSignal::new(String::new());
    let clone_error = RwSignal::new(None::<String>);
    let name = name_of(&snap).to_string();
    let snap_id = snap.id.clone();
    let volume = move || {
        detail.with_untracked(|d| {
            d.as_ref()
                .map(|d| (d.volume.id.clone(), name_of(&d.volume).to_string()))
                .unwrap_or_default()
        })
    };

    let restore = {
        let (snap_id, name) = (snap_id.clone(), name.clone());
        Callback::new(move |_| {
            let (volume_id, volume_name) = volume();
            let sdk = conn.sdk.get_untracked();
            let (snap_id, name) = (snap_id.clone(), name.clone());
            call.run(
                async move { Ok(sdk.run(volumes::restore_call(&volume_id, &snap_id)).await?) },
                move |_| {
                    open.set(None);
                    notice.show(format!(
                        "Volume {volume_name} was restored to snapshot {name}."
                    ));
                    refresh.run(());
                },
            );
        })
    };
    let clone_input = format!("clone-name-{}", snap.id);
    let clone = {
        let (snap_id, clone_input) = (snap_id.clone(), clone_input.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let new_name = clone_name.get_untracked().trim().to_string();
            let Some(()) = checked(&clone_input, clone_error, validate::volume_name(&new_name))
            else {
                return;
            };
            let sdk = conn.sdk.get_untracked();
            let snap_id = snap_id.clone();
            let navigate = navigate.clone();
            call.run(
                async move { volumes::clone_volume(&sdk, &new_name, &snap_id).await },
                move |id| {
                    navigate(&format!("/volumes/{id}"), Default::default());
                },
            );
        }
    };
    let delete = {
        let (snap_id, name) = (snap_id.clone(), name.clone());
        Callback::new(move |_| {
            let sdk = conn.sdk.get_untracked();
            let (snap_id, name) = (snap_id.clone(), name.clone());
            call.run(
                async move { Ok(sdk.run(volumes::delete_call(&snap_id)).await?) },
                move |_| {
                    open.set(None);
                    notice.show(format!("Snapshot {name} was deleted."));
                    refresh.run(());
                },
            );
        })
    };
    let toggle = move |which: Open| {
        call.error.set(None);
        notice.clear();
        open.update(|o| *o = if *o == Some(which) { None } else { Some(which) });
    };
    let cancel = Callback::new(move |_| open.set(None));
    // Each action's call as code, built by the request functions the calls use.
    let restore_code = {
        let snap_id = snap_id.clone();
        Signal::derive(move || {
            let volume_id = detail.with(|d| d.as_ref().map(|d| d.volume.id.clone()));
            Ok(volumes::restore_call(
                &volume_id.unwrap_or_default(),
                &snap_id,
            ))
        })
    };
    let clone_code = {
        let snap_id = snap_id.clone();
        Signal::derive(move || {
            let typed = clone_name.get().trim().to_string();
            validate::volume_name(&typed)?;
            Ok(Call::new(
                open_storage_volume::CLONE,
                &volumes::clone_request(&typed, &snap_id),
            ))
        })
    };
    let delete_code = {
        let snap_id = snap_id.clone();
        Signal::derive(move || Ok(volumes::delete_call(&snap_id)))
    };
    let restore_code_id = row_code_id("snapshot-restore", &snap_id);
    let clone_code_id = row_code_id("snapshot-clone", &snap_id);
    let delete_code_id = row_code_id("snapshot-delete", &snap_id);
    let restore_text = format!(
        "Restore volume {} to snapshot {name}? Its current data is replaced by the snapshot's.",
        volume().1
    );
    let delete_text = format!("Delete snapshot {name}? This cannot be undone.");
    let created = local_time(snap.ctime.map_or(0, |t| t.seconds));
    // What the data says: a read-only child is a snapshot; a writable one may be a clone or a
    // snapshot of a cluster whose snapshots are writable (upstream's fake driver).
    let kind = if snap.readonly {
        "Snapshot (read-only)"
    } else {
        "Writable (clone or snapshot)"
    };
    view! {
        <tr>
            <td>{name.clone()}</td>
            <td><CopyId id=snap.id.clone()/></td>
            <td data-testid="snapshot-kind">{kind}</td>
            <td>{created}</td>
            <td>
                <div class="actions">
                    <button type="button" class="button" on:click=move |_| toggle(Open::Restore)>"Restore…"</button>
                    <button type="button" class="button" on:click=move |_| toggle(Open::Clone)>"Clone…"</button>
                    <button type="button" class="button" on:click=move |_| toggle(Open::Delete)>"Delete…"</button>
                </div>
                <CallError call/>
                <Show when=move || open.get() == Some(Open::Restore)>
                    <Confirm
                        question=restore_text.clone()
                        action="Restore volume"
                        busy=call.busy
                        on_confirm=restore
                        on_cancel=cancel
                    />
                    <ShowAsCode call=restore_code id=restore_code_id.clone()/>
                </Show>
                <Show when=move || open.get() == Some(Open::Clone)>
                    <form class="confirm" on:submit=clone.clone() novalidate=true>
                        <Field id=clone_input.clone() label="Name of the new volume" value=clone_name error=clone_error/>
                        <div class="actions">
                            <button type="submit" class="button button--primary" disabled=move || call.busy.get()>
                                "Clone snapshot"
                            </button>
                            <button type="button" class="button" on:click=move |_| open.set(None)>"Cancel"</button>
                        </div>
                        <ShowAsCode call=clone_code id=clone_code_id.clone()/>
                    </form>
                </Show>
                <ConfirmDelete
                    open=Signal::derive(move || open.get() == Some(Open::Delete))
                    question=delete_text.clone()
                    action="Delete snapshot"
                    busy=call.busy
                    on_confirm=delete
                    on_cancel=cancel
                    code=delete_code
                    code_id=delete_code_id
                />
            </td>
        </tr>
    }
}
