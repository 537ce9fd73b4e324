//! Who may use the volume: its owner and its ACL (users, groups, everyone), changed through
//! Volume.Update as the cluster permits (the owner, an administrator, or a user with admin
//! access; only an administrator gives the volume to someone else).

use leptos::prelude::*;

use crate::api::volumes::{self, VolumeDetail};
use crate::components::as_code::ShowAsCode;
use crate::components::error_banner::CallError;
use crate::components::field::{Field, FieldError};
use crate::components::notice::{Notice, NoticeText};
use crate::hooks::connection::use_connection;
use crate::hooks::mutation::Mutation;
use crate::logic::as_code::Call;
use crate::logic::ownership;
use crate::proto::methods::open_storage_volume;
use crate::proto::SdkVolumeUpdateRequest;

#[component]
pub fn VolumeAccess(
    detail: ReadSignal<Option<VolumeDetail>>,
    refresh: Callback<()>,
) -> impl IntoView {
    let conn = use_connection();
    let call = Mutation::new();
    let done = NoticeText::new();
    let error = RwSignal::new(None::<String>);
    let stored = move || {
        detail.with_untracked(|d| {
            d.as_ref()
                .and_then(|d| d.volume.spec.as_ref()?.ownership.clone())
                .unwrap_or_default()
        })
    };
    let first = stored();
    let owner = RwSignal::new(first.owner.clone());
    let acl = RwSignal::new(ownership::acl_text(first.acls.as_ref()));
    // The Update the form sends: an unchanged owner is left out, so owners who are not
    // administrators may still share.
    let request =
        move |owner_typed: &str, acl_typed: &str| -> Result<SdkVolumeUpdateRequest, String> {
            let acls = ownership::parse_acl(acl_typed)?;
            let typed = owner_typed.trim();
            let new_owner = if typed == stored().owner {
                String::new()
            } else {
                typed.to_string()
            };
            let id = detail
                .with_untracked(|d| d.as_ref().map(|d| d.volume.id.clone()).unwrap_or_default());
            Ok(volumes::access_request(&id, new_owner, acls))
        };
    let code = Signal::derive(move || {
        detail.track();
        let request = request(&owner.get(), &acl.get())?;
        Ok(Call::new(open_storage_volume::UPDATE, &request))
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.clear();
        let request = match request(&owner.get_untracked(), &acl.get_untracked()) {
            Ok(request) => request,
            Err(e) => {
                error.set(Some(e));
                crate::browser::document::focus_field("access-acl");
                return;
            }
        };
        error.set(None);
        let sdk = conn.sdk.get_untracked();
        call.run(
            async move { volumes::update(&sdk, request).await },
            move |_| {
                done.show("Access saved.");
                refresh.run(());
            },
        );
    };
    view! {
        <form class="card form" on:submit=submit novalidate=true aria-labelledby="access-heading">
            <h3 id="access-heading">"Access"</h3>
            <CallError call/>
            <Field id="access-owner" label="Owner" value=owner hint="Only an administrator may give the volume to another user."/>
            <div class="field">
                <label for="access-acl">"Shared with"</label>
                <p class="hint" id="access-acl-hint">"One per line: user NAME ACCESS, group NAME ACCESS or everyone ACCESS, where ACCESS is read, write or admin; * is every user or group."</p>
                <textarea
                    id="access-acl"
                    rows="4"
                    aria-describedby="access-acl-hint access-acl-error"
                    aria-invalid=move || error.with(Option::is_some).to_string()
                    prop:value=move || acl.get()
                    on:input=move |ev| acl.set(event_target_value(&ev))
                ></textarea>
                <FieldError id="access-acl" error/>
            </div>
            <button type="submit" class="button button--primary" disabled=move || call.busy.get()>"Save access"</button>
            <Notice text=done/>
            <ShowAsCode call=code id="access"/>
        </form>
    }
}
