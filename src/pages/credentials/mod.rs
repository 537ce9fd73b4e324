//! Cloud credentials: the list (never a secret), Validate and Delete per row, and the form to
//! add one (form.rs), showing only the chosen provider's fields.

mod form;

use leptos::prelude::*;

use crate::api::credentials;
use crate::components::as_code::row_code_id;
use crate::components::confirm::ConfirmDelete;
use crate::components::copy_id::CopyId;
use crate::components::error_banner::CallError;
use crate::components::keyed_rows::keyed_rows;
use crate::components::notice::{Notice, NoticeText};
use crate::components::polled_view::PolledView;
use crate::components::table::column_heads;
use crate::hooks::connection::use_connection;
use crate::hooks::mutation::Mutation;
use crate::hooks::shared_queries::use_credentials;
use crate::hooks::title::use_title;
use crate::logic::credentials::{location_of, provider_of};
use crate::proto::SdkCredentialInspectResponse;

use form::AddCredential;

#[component]
pub fn CredentialsPage() -> impl IntoView {
    use_title("Cloud credentials");
    let query = use_credentials();
    let list = Memo::new(move |_| query.data.get().unwrap_or_default());
    let refresh = Callback::new(move |_| query.refresh());
    let names = Signal::derive(move || list.with(|l| l.iter().map(|c| c.name.clone()).collect()));
    view! {
        <section class="page">
            <h1>"Cloud credentials"</h1>
            <p class="muted">"Where backups go. Secrets are sent once, when a credential is added, and never shown again."</p>
            <PolledView
                query
                what="credentials"
                is_empty=Vec::is_empty
                empty=|| view! { <p class="empty" data-testid="credentials-empty">"No credentials yet: add one below to start backing up volumes."</p> }
            >
                <table class="table" data-testid="credentials-table" aria-label="Cloud credentials">
                    {column_heads(&["Name", "ID", "Provider", "Bucket", "Endpoint / location", "Actions"])}
                    <tbody>
                        {keyed_rows(list, |c| c.credential_id.clone(), move |credential| view! { <CredentialRow credential refresh/> }.into_any())}
                    </tbody>
                </table>
            </PolledView>
            <AddCredential refresh existing=names/>
        </section>
    }
}

#[component]
fn CredentialRow(
    credential: Memo<SdkCredentialInspectResponse>,
    refresh: Callback<()>,
) -> impl IntoView {
    let conn = use_connection();
    let check = Mutation::new();
    let remove = Mutation::new();
    let valid = NoticeText::new();
    let asking = RwSignal::new(false);
    let id = move || credential.with(|c| c.credential_id.clone());
    let id_untracked = credential.with_untracked(|c| c.credential_id.clone());
    let validate = move |_| {
        valid.clear();
        let sdk = conn.sdk.get_untracked();
        let id = id();
        check.run(
            async move { credentials::validate(&sdk, &id).await },
            move |_| valid.show("Valid: the cluster accepted these credentials."),
        );
    };
    let delete = Callback::new(move |_| {
        let sdk = conn.sdk.get_untracked();
        let id = id();
        remove.run(
            async move { Ok(sdk.run(credentials::delete_call(&id)).await?) },
            move |_| refresh.run(()),
        );
    });
    let cancel = Callback::new(move |_| {
        remove.error.set(None);
        asking.set(false);
    });
    let name = move || credential.with(|c| c.name.clone());
    let delete_code = Signal::derive(move || Ok(credentials::delete_call(&id())));
    let delete_code_id = row_code_id("credential-delete", &id_untracked);
    view! {
        <tr data-testid="credential-row">
            <td>{name}</td>
            <td>{move || view! { <CopyId id=id()/> }}</td>
            <td>{move || credential.with(provider_of)}</td>
            <td>{move || credential.with(|c| if c.bucket.is_empty() { "default".to_string() } else { c.bucket.clone() })}</td>
            <td>{move || credential.with(location_of)}</td>
            <td>
                <div class="actions">
                    <button type="button" class="button" disabled=move || check.busy.get() on:click=validate>
                        {move || if check.busy.get() { "Validating…" } else { "Validate" }}
                    </button>
                    <button type="button" class="button" on:click=move |_| asking.set(true)>"Delete…"</button>
                </div>
                <Notice text=valid/>
                <CallError call=check/>
                <CallError call=remove/>
                <ConfirmDelete
                    open=asking
                    question=Signal::derive(move || format!("Delete credential {}? Backups already in the cloud stay there.", credential.with(|c| c.name.clone())))
                    action="Delete credential"
                    busy=remove.busy
                    on_confirm=delete
                    on_cancel=cancel
                    code=delete_code
                    code_id=delete_code_id
                />
            </td>
        </tr>
    }
}
