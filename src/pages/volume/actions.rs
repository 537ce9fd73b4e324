//! What an admin can do to a volume: snapshot, clone, resize, HA level, labels, delete. Each
//! action is its own small form with its own busy state and error.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api::volumes::{self, VolumeDetail};
use crate::browser::clock::unix_now;
use crate::components::as_code::ShowAsCode;
use crate::components::confirm::TypedConfirm;
use crate::components::error_banner::CallError;
use crate::components::field::{checked, described_by, Field, FieldError};
use crate::components::labels_editor::{LabelRows, LabelsEditor};
use crate::components::notice::{Notice, NoticeText};
use crate::hooks::connection::use_connection;
use crate::hooks::mutation::Mutation;
use crate::logic::as_code::Call;
use crate::logic::format;
use crate::logic::size::{parse_size, split_size, SizeUnit};
use crate::logic::validate;
use crate::proto::methods::open_storage_volume;
use crate::proto::Volume;
use console_model::order;

/// The volume as it is now (latest refresh), read when an action runs.
#[derive(Clone, Copy)]
struct Current(ReadSignal<Option<VolumeDetail>>);

impl Current {
    fn volume(self) -> Volume {
        self.0
            .with_untracked(|d| d.as_ref().map(|d| d.volume.clone()))
            .unwrap_or_default()
    }
    fn id(self) -> String {
        self.volume().id
    }
    fn name(self) -> String {
        console_model::volume::name_of(&self.volume()).to_string()
    }
    fn size(self) -> u64 {
        self.volume().spec.map_or(0, |s| s.size)
    }
    /// Snapshots (and, on some clusters, clones) listed under the volume; tracked.
    fn children(self) -> usize {
        self.0.with(|d| d.as_ref().map_or(0, |d| d.snapshots.len()))
    }
    fn labels(self) -> HashMap<String, String> {
        self.volume()
            .locator
            .map(|l| l.volume_labels)
            .unwrap_or_default()
    }
}

#[component]
pub fn VolumeActions(
    detail: ReadSignal<Option<VolumeDetail>>,
    refresh: Callback<()>,
) -> impl IntoView {
    let current = Current(detail);
    let volume = current.volume();
    let snapshot = console_model::volume::is_snapshot(&volume);
    view! {
        <section class="section" aria-labelledby="actions-heading">
            <h2 id="actions-heading">"Actions"</h2>
            <div class="cards">
                {(!snapshot).then(|| view! { <TakeSnapshot current refresh/> })}
                <CloneVolume current/>
                {(!snapshot)
                    .then(|| {
                        view! {
                            <Resize current refresh/>
                            <HaLevel current refresh/>
                            <EditLabels current refresh/>
                        }
                    })}
                <super::attachment::VolumeAttachment detail refresh/>
                <super::maintenance::VolumeMaintenance detail/>
                <super::access::VolumeAccess detail refresh/>
                <DeleteVolume current snapshot/>
            </div>
        </section>
    }
}

#[component]
fn TakeSnapshot(current: Current, refresh: Callback<()>) -> impl IntoView {
    let conn = use_connection();
    let call = Mutation::new();
    let name = RwSignal::new(String::new());
    let name_error = RwSignal::new(None::<String>);
    let done = NoticeText::new();
    // Real clusters require a snapshot name ("Must supply a name"): make one when none is
    // typed, from the volume's name and the time.
    let snapshot_name = move |typed: String| {
        let typed = typed.trim().to_string();
        if typed.is_empty() {
            format!("{}-snap-{}", current.name(), format::utc_stamp(unix_now()))
        } else {
            typed
        }
    };
    let code = Signal::derive(move || {
        let typed = snapshot_name(name.get());
        validate::volume_name(&typed)?;
        Ok(Call::new(
            open_storage_volume::SNAPSHOT_CREATE,
            &volumes::snapshot_request(&current.id(), &typed),
        ))
    });
    // After a snapshot: how to read it back.
    let then = RwSignal::new(None::<Call>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = snapshot_name(name.get_untracked());
        let Some(()) = checked("snapshot-name", name_error, validate::volume_name(&typed)) else {
            return;
        };
        done.clear();
        let sdk = conn.sdk.get_untracked();
        let id = current.id();
        call.run(
            async move { volumes::snapshot(&sdk, &id, &typed).await },
            move |snapshot_id| {
                then.set(Some(Call::new(
                    open_storage_volume::INSPECT,
                    &volumes::inspect_request(&snapshot_id),
                )));
                name.set(String::new());
                done.show("Snapshot taken.");
                refresh.run(());
            },
        );
    };
    view! {
        <form class="card form" on:submit=submit novalidate=true>
            <h3>"Take a snapshot"</h3>
            <CallError call/>
            <Field
                id="snapshot-name"
                label="Snapshot name (optional)"
                value=name
                error=name_error
                hint="Left empty: the volume's name, -snap- and the UTC time."
            />
            <button type="submit" class="button button--primary" disabled=move || call.busy.get()>
                "Take snapshot"
            </button>
            <Notice text=done/>
            <ShowAsCode call=code id="snapshot" then/>
        </form>
    }
}

#[component]
fn CloneVolume(current: Current) -> impl IntoView {
    let conn = use_connection();
    let navigate = use_navigate();
    let call = Mutation::new();
    let name = RwSignal::new(String::new());
    let name_error = RwSignal::new(None::<String>);
    let code = Signal::derive(move || {
        let typed = name.get().trim().to_string();
        validate::volume_name(&typed)?;
        Ok(Call::new(
            open_storage_volume::CLONE,
            &volumes::clone_request(&typed, &current.id()),
        ))
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = name.get_untracked().trim().to_string();
        let Some(()) = checked("clone-name", name_error, validate::volume_name(&typed)) else {
            return;
        };
        let sdk = conn.sdk.get_untracked();
        let parent = current.id();
        let navigate = navigate.clone();
        call.run(
            async move { volumes::clone_volume(&sdk, &typed, &parent).await },
            move |id| {
                navigate(&format!("/volumes/{id}"), Default::default());
            },
        );
    };
    view! {
        <form class="card form" on:submit=submit novalidate=true>
            <h3>"Clone"</h3>
            <CallError call/>
            <Field id="clone-name" label="Name of the new volume" value=name error=name_error/>
            <button type="submit" class="button button--primary" disabled=move || call.busy.get()>
                "Clone volume"
            </button>
            <ShowAsCode call=code id="clone"/>
        </form>
    }
}

#[component]
fn Resize(current: Current, refresh: Callback<()>) -> impl IntoView {
    let conn = use_connection();
    let call = Mutation::new();
    let (initial, initial_unit) = split_size(current.size());
    let size = RwSignal::new(initial);
    let unit = RwSignal::new(initial_unit);
    let size_error = RwSignal::new(None::<String>);
    let done = NoticeText::new();
    // The new size, checked (tracked: the form's code follows it).
    let wanted = move || {
        let now = current.size();
        match parse_size(&size.get(), unit.get()) {
            Err(e) => Err(e.to_string()),
            Ok(bytes) if bytes <= now => Err(format!(
                "Enter more than the current {}: volumes can only grow.",
                format::bytes(now)
            )),
            Ok(bytes) => Ok(bytes),
        }
    };
    let code = Signal::derive(move || {
        let bytes = wanted()?;
        Ok(Call::new(
            open_storage_volume::UPDATE,
            &volumes::resize_request(&current.id(), bytes),
        ))
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.clear();
        let Some(wanted) = checked("resize-size", size_error, untrack(wanted)) else {
            return;
        };
        let sdk = conn.sdk.get_untracked();
        let id = current.id();
        call.run(
            async move { volumes::update(&sdk, volumes::resize_request(&id, wanted)).await },
            move |_| {
                done.show(format!("Resized to {}.", format::bytes(wanted)));
                refresh.run(());
            },
        );
    };
    view! {
        <form class="card form" on:submit=submit novalidate=true>
            <h3>"Resize"</h3>
            <CallError call/>
            <div class="field">
                <label for="resize-size">"New size"</label>
                <div class="field__inline">
                    <input
                        id="resize-size"
                        type="text"
                        inputmode="decimal"
                        autocomplete="off"
                        aria-describedby=described_by("resize-size", false)
                        aria-invalid=move || size_error.with(Option::is_some).to_string()
                        prop:value=move || size.get()
                        on:input=move |ev| size.set(event_target_value(&ev))
                    />
                    <label for="resize-unit" class="visually-hidden">"Size unit"</label>
                    <select
                        id="resize-unit"
                        on:change=move |ev| {
                            if let Some(u) = SizeUnit::from_name(&event_target_value(&ev)) {
                                unit.set(u);
                            }
                        }
                    >
                        {SizeUnit::ALL
                            .into_iter()
                            .map(|u| view! { <option value=u.name() selected=move || unit.get() == u>{u.name()}</option> })
                            .collect_view()}
                    </select>
                </div>
                <FieldError id="resize-size" error=size_error/>
            </div>
            <button type="submit" class="button button--primary" disabled=move || call.busy.get()>
                "Resize volume"
            </button>
            <Notice text=done/>
            <ShowAsCode call=code id="resize"/>
        </form>
    }
}

#[component]
fn HaLevel(current: Current, refresh: Callback<()>) -> impl IntoView {
    let conn = use_connection();
    let call = Mutation::new();
    let level = RwSignal::new(current.volume().spec.map_or(1, |s| s.ha_level.clamp(1, 3)));
    let done = NoticeText::new();
    let code = Signal::derive(move || {
        Ok(Call::new(
            open_storage_volume::UPDATE,
            &volumes::ha_level_request(&current.id(), level.get()),
        ))
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.clear();
        let sdk = conn.sdk.get_untracked();
        let id = current.id();
        let wanted = level.get_untracked();
        call.run(
            async move { volumes::update(&sdk, volumes::ha_level_request(&id, wanted)).await },
            move |_| {
                done.show(format!("HA level is now {wanted}."));
                refresh.run(());
            },
        );
    };
    view! {
        <form class="card form" on:submit=submit novalidate=true>
            <h3>"HA level"</h3>
            <CallError call/>
            <div class="field">
                <label for="ha-level">"Replicas"</label>
                <select id="ha-level" on:change=move |ev| level.set(event_target_value(&ev).parse().unwrap_or(1))>
                    {[1i64, 2, 3]
                        .into_iter()
                        .map(|n| view! { <option value=n.to_string() selected=move || level.get() == n>{n.to_string()}</option> })
                        .collect_view()}
                </select>
            </div>
            <button type="submit" class="button button--primary" disabled=move || call.busy.get()>
                "Change HA level"
            </button>
            <Notice text=done/>
            <ShowAsCode call=code id="ha-level"/>
        </form>
    }
}

#[component]
fn EditLabels(current: Current, refresh: Callback<()>) -> impl IntoView {
    let conn = use_connection();
    let call = Mutation::new();
    let mut initial: Vec<(String, String)> = current.labels().into_iter().collect();
    order::sort_by(&mut initial, Ord::cmp);
    let rows = LabelRows::new(initial);
    let error = RwSignal::new(None::<String>);
    let done = NoticeText::new();
    let code = Signal::derive(move || {
        let wanted = validate::labels(&rows.current())?;
        Ok(Call::new(
            open_storage_volume::UPDATE,
            &volumes::labels_request(&current.id(), &current.labels(), wanted),
        ))
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.clear();
        let wanted = match validate::labels(&rows.values()) {
            Ok(map) => map,
            Err(e) => {
                error.set(Some(e));
                return;
            }
        };
        error.set(None);
        let sdk = conn.sdk.get_untracked();
        let (id, now) = (current.id(), current.labels());
        call.run(
            async move { volumes::update(&sdk, volumes::labels_request(&id, &now, wanted)).await },
            move |_| {
                done.show("Labels saved.");
                refresh.run(());
            },
        );
    };
    view! {
        <form class="card form" on:submit=submit novalidate=true>
            <h3>"Labels"</h3>
            <CallError call/>
            <LabelsEditor rows id_prefix="edit"/>
            <FieldError id="edit-labels" error/>
            <button type="submit" class="button button--primary" disabled=move || call.busy.get()>
                "Save labels"
            </button>
            <Notice text=done/>
            <ShowAsCode call=code id="labels"/>
        </form>
    }
}

#[component]
fn DeleteVolume(current: Current, snapshot: bool) -> impl IntoView {
    let conn = use_connection();
    let navigate = use_navigate();
    let call = Mutation::new();
    let asking = RwSignal::new(false);
    let what = if snapshot { "snapshot" } else { "volume" };
    let action = if snapshot {
        "Delete snapshot"
    } else {
        "Delete volume"
    };
    let code = Signal::derive(move || Ok(volumes::delete_call(&current.id())));
    let confirm = Callback::new(move |_| {
        let sdk = conn.sdk.get_untracked();
        let id = current.id();
        let navigate = navigate.clone();
        call.run(
            async move { Ok(sdk.run(volumes::delete_call(&id)).await?) },
            move |_| {
                navigate("/volumes", Default::default());
            },
        );
    });
    view! {
        <div class="card form card--danger">
            <h3>{format!("Delete this {what}")}</h3>
            <CallError call/>
            <p class="muted">"Deleting cannot be undone. A cluster refuses while the volume is attached to a node."</p>
            // Clusters differ: some refuse while snapshots exist, others delete the volume and
            // keep its snapshots. Say so instead of claiming either.
            {move || {
                let n = current.children();
                (!snapshot && n > 0).then(|| view! {
                    <p class="banner banner--warning" data-testid="delete-has-snapshots">
                        {format!(
                            "This volume has {n} snapshot{} (or clone{}). Depending on the cluster they stay after the volume is deleted, or the cluster refuses until they are deleted.",
                            if n == 1 { "" } else { "s" },
                            if n == 1 { "" } else { "s" },
                        )}
                    </p>
                })
            }}
            <Show
                when=move || asking.get()
                fallback=move || {
                    view! {
                        <button type="button" class="button button--danger" on:click=move |_| asking.set(true)>
                            {action}
                        </button>
                    }
                }
            >
                <TypedConfirm
                    expected=current.name()
                    action
                    busy=call.busy
                    on_confirm=confirm
                    on_cancel=Callback::new(move |_| {
                        call.error.set(None);
                        asking.set(false)
                    })
                />
            </Show>
            <ShowAsCode call=code id="delete"/>
        </div>
    }
}
