//! Cloud credentials: the list (never a secret), Validate and Delete per row, and the form to
//! add one, showing only the chosen provider's fields.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::api::credentials::{self, S3Options};
use crate::browser::document::focus_first_invalid;
use crate::components::as_code::{row_code_id, ShowAsCode};
use crate::components::confirm::ConfirmDelete;
use crate::components::copy_id::CopyId;
use crate::components::error_banner::CallError;
use crate::components::field::{Field, FieldError, Input};
use crate::components::keyed_rows::keyed_rows;
use crate::components::notice::{Notice, NoticeText};
use crate::components::polled_view::PolledView;
use crate::components::table::column_heads;
use crate::hooks::connection::use_connection;
use crate::hooks::mutation::Mutation;
use crate::hooks::shared_queries::use_credentials;
use crate::hooks::title::use_title;
use crate::logic::as_code::Call;
use crate::logic::credential_form::{self, CredentialInput, Provider};
use crate::logic::credentials::{location_of, provider_of};
use crate::proto::methods::open_storage_credentials;
use crate::proto::{SdkCredentialInspectRequest, SdkCredentialInspectResponse};

type Errors = RwSignal<BTreeMap<&'static str, String>>;

/// The form's text fields in page order (their ids are `cred-{key}`), for focusing the first
/// invalid one.
const FIELD_ORDER: [&str; 14] = [
    "name",
    "access_key",
    "secret_key",
    "endpoint",
    "region",
    "account_name",
    "account_key",
    "project_id",
    "json_key",
    "nfs_server",
    "nfs_sub_path",
    "nfs_mount_options",
    "bucket",
    "encryption_key",
];

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
                    code_id=delete_code_id.clone()
                />
            </td>
        </tr>
    }
}

/// Everything the add form holds, so it can be read, and reset after a success, in one place.
#[derive(Clone, Copy)]
struct CredentialFields {
    name: RwSignal<String>,
    bucket: RwSignal<String>,
    encryption_key: RwSignal<String>,
    access_key: RwSignal<String>,
    secret_key: RwSignal<String>,
    endpoint: RwSignal<String>,
    region: RwSignal<String>,
    account_name: RwSignal<String>,
    account_key: RwSignal<String>,
    project_id: RwSignal<String>,
    json_key: RwSignal<String>,
    nfs_server: RwSignal<String>,
    nfs_sub_path: RwSignal<String>,
    nfs_mount_options: RwSignal<String>,
    disable_ssl: RwSignal<bool>,
    path_style: RwSignal<bool>,
    sse: RwSignal<String>,
    storage_class: RwSignal<String>,
}

const DEFAULT_ENDPOINT: &str = "s3.amazonaws.com";

impl CredentialFields {
    fn new() -> CredentialFields {
        let text = || RwSignal::new(String::new());
        CredentialFields {
            name: text(),
            bucket: text(),
            encryption_key: text(),
            access_key: text(),
            secret_key: text(),
            endpoint: RwSignal::new(DEFAULT_ENDPOINT.to_string()),
            region: text(),
            account_name: text(),
            account_key: text(),
            project_id: text(),
            json_key: text(),
            nfs_server: text(),
            nfs_sub_path: text(),
            nfs_mount_options: text(),
            disable_ssl: RwSignal::new(false),
            path_style: RwSignal::new(true),
            sse: text(),
            storage_class: text(),
        }
    }

    /// What the form holds (tracked: the form's code follows it).
    fn input(self) -> CredentialInput {
        CredentialInput {
            name: self.name.get(),
            bucket: self.bucket.get(),
            encryption_key: self.encryption_key.get(),
            access_key: self.access_key.get(),
            secret_key: self.secret_key.get(),
            endpoint: self.endpoint.get(),
            region: self.region.get(),
            account_name: self.account_name.get(),
            account_key: self.account_key.get(),
            project_id: self.project_id.get(),
            json_key: self.json_key.get(),
            nfs_server: self.nfs_server.get(),
            nfs_sub_path: self.nfs_sub_path.get(),
            nfs_mount_options: self.nfs_mount_options.get(),
        }
    }

    fn s3_options(self) -> S3Options {
        S3Options {
            disable_ssl: self.disable_ssl.get(),
            path_style: self.path_style.get(),
            server_side_encryption: self.sse.get(),
            storage_class: self.storage_class.get(),
        }
    }

    /// Secrets leave the page with the request and are not kept in it.
    fn clear_secrets(self) {
        for secret in [
            self.secret_key,
            self.account_key,
            self.json_key,
            self.encryption_key,
        ] {
            secret.set(String::new());
        }
    }

    /// Back to a blank form after a credential was added: the next one (often of another
    /// provider) must not silently inherit this one's bucket or endpoint.
    fn reset(self) {
        let blank = CredentialFields::new();
        self.name.set(String::new());
        for (field, value) in [
            (self.bucket, blank.bucket),
            (self.access_key, blank.access_key),
            (self.endpoint, blank.endpoint),
            (self.region, blank.region),
            (self.account_name, blank.account_name),
            (self.project_id, blank.project_id),
            (self.nfs_server, blank.nfs_server),
            (self.nfs_sub_path, blank.nfs_sub_path),
            (self.nfs_mount_options, blank.nfs_mount_options),
            (self.sse, blank.sse),
            (self.storage_class, blank.storage_class),
        ] {
            field.set(value.get_untracked());
        }
        self.disable_ssl.set(false);
        self.path_style.set(true);
        self.clear_secrets();
    }
}

/// A text field of the form, `cred-{key}`, with the error the check found for `key`.
fn text_field(
    key: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    errors: Errors,
    input: Input,
    hint: &'static str,
) -> impl IntoView {
    let error = Signal::derive(move || errors.with(|e| e.get(key).cloned()));
    view! { <Field id=format!("cred-{key}") label value error input hint/> }
}

#[component]
fn AddCredential(
    refresh: Callback<()>,
    /// Names already in use: a reused name is allowed (clusters tell credentials apart by id)
    /// but worth a word, since lists show names.
    existing: Signal<Vec<String>>,
) -> impl IntoView {
    let conn = use_connection();
    let call = Mutation::new();
    let provider = RwSignal::new(Provider::S3);
    let errors: Errors = RwSignal::new(BTreeMap::new());
    let done = NoticeText::new();
    let fields = CredentialFields::new();
    let CredentialFields {
        name,
        bucket,
        encryption_key,
        access_key,
        secret_key,
        endpoint,
        region,
        account_name,
        account_key,
        project_id,
        json_key,
        nfs_server,
        nfs_sub_path,
        nfs_mount_options,
        disable_ssl,
        path_style,
        sse,
        storage_class,
    } = fields;

    let code = Signal::derive(move || {
        let input = fields.input();
        let which = provider.get();
        let problems = credential_form::check(which, &input);
        if let Some(problem) = FIELD_ORDER.iter().find_map(|key| problems.get(key)) {
            return Err(problem.clone());
        }
        let request = credentials::create_request(which, input, fields.s3_options());
        Ok(Call::new(open_storage_credentials::CREATE, &request))
    });

    // After a credential is added: how to read it back.
    let then = RwSignal::new(None::<Call>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.clear();
        let input = untrack(|| fields.input());
        let which = provider.get_untracked();
        let problems = credential_form::check(which, &input);
        if !problems.is_empty() {
            let fields: Vec<(String, bool)> = FIELD_ORDER
                .iter()
                .map(|key| (format!("cred-{key}"), problems.contains_key(key)))
                .collect();
            focus_first_invalid(fields.iter().map(|(id, bad)| (id.as_str(), *bad)));
            errors.set(problems);
            return;
        }
        errors.set(problems);
        let request = credentials::create_request(which, input, untrack(|| fields.s3_options()));
        fields.clear_secrets();
        let sdk = conn.sdk.get_untracked();
        let created_name = name.get_untracked();
        call.run(
            async move { credentials::create(&sdk, request).await },
            move |credential_id| {
                then.set(Some(Call::new(
                    open_storage_credentials::INSPECT,
                    &SdkCredentialInspectRequest { credential_id },
                )));
                done.show(format!("Credential {created_name} added."));
                fields.reset();
                refresh.run(());
            },
        );
    };
    let choose_file = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        spawn_local(async move {
            if let Ok(text) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
                json_key.set(text.as_string().unwrap_or_default());
            }
        });
        // The file input keeps no copy: the key lives only in the text field until sent.
        input.set_value("");
    };
    let shown = move |p: Provider| move || provider.get() == p;
    let json_error = Signal::derive(move || errors.with(|e| e.get("json_key").cloned()));

    view! {
        <form class="card form section" on:submit=submit novalidate=true aria-labelledby="add-credential-heading">
            <h2 id="add-credential-heading">"Add a credential"</h2>
            <CallError call/>
            {text_field("name", "Name", name, errors, Input::Text, "")}
            <p class="hint" role="status" data-testid="name-reused">
                {move || {
                    let typed = name.get();
                    existing.with(|e| e.iter().any(|n| !typed.trim().is_empty() && *n == typed.trim())).then(|| {
                        format!("A credential named {} already exists. Names may repeat; lists show the start of each one's id.", typed.trim())
                    })
                }}
            </p>
            <div class="field">
                <label for="cred-provider">"Provider"</label>
                <select id="cred-provider" on:change=move |ev| {
                    if let Some(p) = Provider::from_key(&event_target_value(&ev)) {
                        provider.set(p);
                        errors.set(Default::default());
                    }
                }>
                    {Provider::ALL.into_iter().map(|p| view! { <option value=p.key() prop:selected=move || provider.get() == p>{p.label()}</option> }).collect_view()}
                </select>
            </div>
            <Show when=shown(Provider::S3)>
                {text_field("access_key", "Access key", access_key, errors, Input::Text, "")}
                {text_field("secret_key", "Secret key", secret_key, errors, Input::Secret, "")}
                {text_field("endpoint", "Endpoint", endpoint, errors, Input::Text, "s3.amazonaws.com, or your S3-compatible store's host:port")}
                {text_field("region", "Region", region, errors, Input::Text, "")}
                <div class="field field--check">
                    <input id="cred-disable-ssl" type="checkbox" prop:checked=move || disable_ssl.get() on:change=move |ev| disable_ssl.set(event_target_checked(&ev))/>
                    <label for="cred-disable-ssl">"Disable SSL (plain HTTP to the endpoint)"</label>
                </div>
                <div class="field field--check">
                    <input id="cred-path-style" type="checkbox" prop:checked=move || path_style.get() on:change=move |ev| path_style.set(event_target_checked(&ev))/>
                    <label for="cred-path-style">"Path-style bucket addressing"</label>
                </div>
                <div class="field">
                    <label for="cred-sse">"Server-side encryption"</label>
                    <select id="cred-sse" on:change=move |ev| sse.set(event_target_value(&ev))>
                        {[("", "None"), ("AES256", "AES256 (S3-managed keys)"), ("aws:kms", "aws:kms (KMS-managed keys)")]
                            .into_iter()
                            .map(|(value, text)| view! { <option value=value prop:selected=move || sse.get() == value>{text}</option> })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="cred-storage-class">"Storage class"</label>
                    <select id="cred-storage-class" on:change=move |ev| storage_class.set(event_target_value(&ev))>
                        {[("", "Default (STANDARD)"), ("STANDARD_IA", "STANDARD_IA"), ("ONEZONE_IA", "ONEZONE_IA"), ("INTELLIGENT_TIERING", "INTELLIGENT_TIERING"), ("GLACIER_IR", "GLACIER_IR")]
                            .into_iter()
                            .map(|(value, text)| view! { <option value=value prop:selected=move || storage_class.get() == value>{text}</option> })
                            .collect_view()}
                    </select>
                </div>
            </Show>
            <Show when=shown(Provider::Azure)>
                {text_field("account_name", "Storage account name", account_name, errors, Input::Text, "")}
                {text_field("account_key", "Storage account key", account_key, errors, Input::Secret, "")}
            </Show>
            <Show when=shown(Provider::Google)>
                {text_field("project_id", "Project ID", project_id, errors, Input::Text, "")}
                <div class="field">
                    <label for="cred-json_key">"Service account JSON key"</label>
                    <textarea
                        id="cred-json_key"
                        class="secret-text"
                        rows="4"
                        autocomplete="off"
                        spellcheck="false"
                        aria-describedby="cred-json_key-error"
                        aria-invalid=move || json_error.with(Option::is_some).to_string()
                        prop:value=move || json_key.get()
                        on:input=move |ev| json_key.set(event_target_value(&ev))
                    ></textarea>
                    <label for="cred-json-file">"…or choose the key file"</label>
                    <input id="cred-json-file" type="file" accept="application/json,.json" on:change=choose_file/>
                    <FieldError id="cred-json_key" error=json_error/>
                </div>
            </Show>
            <Show when=shown(Provider::Nfs)>
                {text_field("nfs_server", "NFS server", nfs_server, errors, Input::Text, "")}
                {text_field("nfs_sub_path", "Sub path", nfs_sub_path, errors, Input::Text, "e.g. /exports/backups")}
                {text_field("nfs_mount_options", "Mount options", nfs_mount_options, errors, Input::Text, "e.g. nfsvers=4.1")}
            </Show>
            {text_field("bucket", "Bucket (optional)", bucket, errors, Input::Text, "")}
            {text_field("encryption_key", "Encryption key (optional)", encryption_key, errors, Input::Secret, "Encrypts backups before upload; write-only.")}
            <div class="actions">
                <button type="submit" class="button button--primary" disabled=move || call.busy.get()>
                    {move || if call.busy.get() { "Adding…" } else { "Add credential" }}
                </button>
            </div>
            <Notice text=done/>
            <ShowAsCode call=code id="credential" then/>
        </form>
    }
}
