//! Where the volume is attached and mounted, and the steps that change it: attach, mount at a
//! path, unmount, detach. The SDK attaches on the node that answers the call, so the card says
//! which node that is not; Inspect (the facts above) shows where it is attached.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::mount_attach::{self, Done, Step};
use crate::api::volumes::VolumeDetail;
use crate::components::as_code::ShowAsCode;
use crate::components::error_banner::CallError;
use crate::components::field::{checked, Field};
use crate::components::notice::{Notice, NoticeText};
use crate::hooks::connection::use_connection;
use crate::hooks::mutation::Mutation;
use crate::logic::as_code::Call;
use crate::logic::validate;
use crate::proto::methods::open_storage_mount_attach;

#[component]
pub fn VolumeAttachment(
    detail: ReadSignal<Option<VolumeDetail>>,
    refresh: Callback<()>,
) -> impl IntoView {
    let conn = use_connection();
    let call = Mutation::new();
    let done = NoticeText::new();
    let offered = RwSignal::new(true);
    let path = RwSignal::new(String::new());
    let path_error = RwSignal::new(None::<String>);
    let unmount_first = RwSignal::new(false);
    {
        let sdk = conn.sdk.get_untracked();
        spawn_local(async move {
            if !mount_attach::offered(&sdk).await {
                offered.try_set(false);
            }
        });
    }
    let mounts = move || {
        detail.with(|d| {
            d.as_ref()
                .map(|d| d.volume.attach_path.clone())
                .unwrap_or_default()
        })
    };
    let run = move |step: Step| {
        done.clear();
        let sdk = conn.sdk.get_untracked();
        let id =
            detail.with_untracked(|d| d.as_ref().map(|d| d.volume.id.clone()).unwrap_or_default());
        let said = match &step {
            Step::Attach => String::new(),
            Step::Detach { .. } => "Detached.".to_string(),
            Step::Mount(p) => format!("Mounted at {p}."),
            Step::Unmount(p) => format!("Unmounted from {p}."),
        };
        call.run(
            async move { mount_attach::run(&sdk, id, step).await },
            move |answer| match answer {
                Done::NotOffered => offered.set(false),
                Done::Attached(device) => {
                    done.show(format!("Attached as {device}."));
                    refresh.run(());
                }
                Done::Changed => {
                    path.set(String::new());
                    done.show(said);
                    refresh.run(());
                }
            },
        );
    };
    let mount = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let check = validate::mount_path(&path.get_untracked());
        if let Some(p) = checked("mount-path", path_error, check) {
            run(Step::Mount(p));
        }
    };
    let idle = move || offered.get() && !call.busy.get();
    let code = Signal::derive(move || {
        let path = validate::mount_path(&path.get())?;
        let id = detail.with(|d| d.as_ref().map(|d| d.volume.id.clone()).unwrap_or_default());
        Ok(Call::new(
            open_storage_mount_attach::MOUNT,
            &mount_attach::mount_request(id, path),
        ))
    });
    view! {
        <form class="card form" on:submit=mount novalidate=true aria-labelledby="attachment-heading" data-testid="attachment">
            <h3 id="attachment-heading">"Attach and mount"</h3>
            <Show
                when=move || offered.get()
                fallback=|| view! { <p class="notice" data-testid="attachment-not-offered">"This cluster does not offer attaching and mounting volumes."</p> }
            >
                <p class="hint">"The cluster attaches a volume on the node that answers this console."</p>
            </Show>
            <CallError call/>
            <div class="actions">
                <button type="button" class="button" disabled=move || !idle() on:click=move |_| run(Step::Attach)>"Attach"</button>
                <button type="button" class="button" disabled=move || !idle() on:click=move |_| run(Step::Detach { unmount_first: unmount_first.get_untracked() })>"Detach"</button>
                <span class="field--check">
                    <input id="detach-unmount" type="checkbox" prop:checked=move || unmount_first.get() on:change=move |ev| unmount_first.set(event_target_checked(&ev))/>
                    <label for="detach-unmount">"Unmount first"</label>
                </span>
            </div>
            <ul class="actions" aria-label="Mounted at" data-testid="mount-paths">
                {move || {
                    mounts()
                        .into_iter()
                        .map(|p| {
                            let shown = p.clone();
                            view! {
                                <li data-testid="mount-path-row">
                                    <code>{shown.clone()}</code>" "
                                    <button type="button" class="button" aria-label=format!("Unmount {shown}") disabled=move || !idle() on:click=move |_| run(Step::Unmount(p.clone()))>"Unmount"</button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            <Field id="mount-path" label="Mount at" value=path error=path_error placeholder="/mnt/data"/>
            <button type="submit" class="button button--primary" disabled=move || !idle()>"Mount"</button>
            <Notice text=done/>
            <ShowAsCode call=code id="mount" label="Show mount as code"/>
        </form>
    }
}
