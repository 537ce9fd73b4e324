//! Start a backup: volume, credential, full or incremental, labels.

use crate::browser::cluster::here;
use leptos::prelude::*;
use leptos_router::components::A;

use super::target::BackupTarget;
use crate::api::backups;
use crate::components::as_code::ShowAsCode;
use crate::components::error_banner::CallError;
use crate::components::field::FieldError;
use crate::components::labels_editor::{LabelRows, LabelsEditor};
use crate::components::notice::{Notice, NoticeText};
use crate::components::polled_view::QueryError;
use crate::hooks::connection::use_connection;
use crate::hooks::mutation::Mutation;
use crate::hooks::polled::Polled;
use crate::hooks::shared_queries::VolumeNames;
use crate::logic::as_code::Call;
use crate::logic::{format, validate};
use crate::proto::methods::open_storage_cloud_backup;
use crate::proto::SdkCredentialInspectResponse;

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
    let done = NoticeText::new();
    let target = BackupTarget::new(names, creds, error);
    let loaded = move || target.loaded();
    let code = Signal::derive(move || {
        let (volume, credential) = target.choosing()?;
        let labels = validate::labels(&labels.current())?;
        let request = backups::start_request(
            &volume,
            &credential,
            full.get(),
            labels.into_iter().collect(),
        );
        Ok(Call::new(open_storage_cloud_backup::CREATE, &request))
    });
    // After a backup starts: how to follow it, as the SDK tutorial does.
    let then = RwSignal::new(None::<Call>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.clear();
        if !loaded() {
            return;
        }
        let checked = target
            .chosen()
            .and_then(|chosen| validate::labels(&labels.values()).map(|l| (chosen, l)));
        let ((vol, cred), label_map) = match checked {
            Ok(ok) => ok,
            Err(e) => {
                error.set(Some(e));
                return;
            }
        };
        error.set(None);
        let sdk = conn.sdk.get_untracked();
        let full_backup = full.get_untracked();
        let status_volume = vol.clone();
        call.run(
            async move {
                let request = backups::start_request(
                    &vol,
                    &cred,
                    full_backup,
                    label_map.into_iter().collect(),
                );
                backups::start(&sdk, request).await
            },
            move |task: String| {
                then.set(Some(Call::new(
                    open_storage_cloud_backup::STATUS,
                    &backups::status_request(&status_volume, &task),
                )));
                done.show(format!(
                    "Backup started (task {}).",
                    format::short_id(&task)
                ));
                // The next backup starts from the usual choice; volume and credential stay.
                full.set(false);
                labels.clear();
                on_started.run(());
            },
        );
    };
    let no_credentials = move || creds.data.with(|c| c.as_ref().is_some_and(Vec::is_empty));
    view! {
        <form class="card form" on:submit=submit novalidate=true aria-labelledby="start-heading">
            <h2 id="start-heading">"Start a backup"</h2>
            <CallError call/>
            // Without the credential list the form cannot be sent: say why.
            <QueryError error=creds.error/>
            <Show when=no_credentials>
                <p class="banner banner--info">"No cloud credentials yet: " <A href={here("/credentials")}>"add one"</A> " to back up volumes."</p>
            </Show>
            {target.pickers("backup")}
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
            <FieldError id="start" error=error/>
            <div class="actions">
                <button type="submit" class="button button--primary" disabled=move || call.busy.get() || !loaded()>"Start backup"</button>
            </div>
            <Notice text=done/>
            <ShowAsCode call=code id="backup-start" then/>
        </form>
    }
}
