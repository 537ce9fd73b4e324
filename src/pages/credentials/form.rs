//! The form that adds a credential: one store holds every field (`CredentialForm`), so the
//! form is read, checked, cleared of its secrets and reset in one place; only the chosen
//! provider's fields are shown.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use reactive_stores::Store;
use wasm_bindgen::JsCast;

use crate::api::credentials::{self, S3Options, S3OptionsStoreFields};
use crate::browser::document::focus_first_invalid;
use crate::components::as_code::ShowAsCode;
use crate::components::error_banner::CallError;
use crate::components::field::{Field, FieldError, Input};
use crate::components::notice::{Notice, NoticeText};
use crate::hooks::connection::use_connection;
use crate::hooks::mutation::Mutation;
use crate::logic::as_code::Call;
use crate::logic::credential_form::{self, CredentialInput, CredentialInputStoreFields, Provider};
use crate::proto::methods::open_storage_credentials;
use crate::proto::SdkCredentialInspectRequest;

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

const DEFAULT_ENDPOINT: &str = "s3.amazonaws.com";

/// Everything the add form holds: the text fields and the S3 choices.
#[derive(Clone, Store)]
struct CredentialForm {
    input: CredentialInput,
    s3: S3Options,
}

impl CredentialForm {
    /// A blank form: the common S3 endpoint and path-style addressing, everything else empty.
    /// After a credential is added the form is blank again: the next one (often of another
    /// provider) must not silently inherit this one's bucket or endpoint.
    fn blank() -> CredentialForm {
        CredentialForm {
            input: CredentialInput {
                endpoint: DEFAULT_ENDPOINT.to_string(),
                ..CredentialInput::default()
            },
            s3: S3Options {
                path_style: true,
                ..S3Options::default()
            },
        }
    }
}

/// Secrets leave the page with the request and are not kept in it.
fn clear_secrets(form: Store<CredentialForm>) {
    let input = form.input();
    for secret in [
        input.secret_key(),
        input.account_key(),
        input.json_key(),
        input.encryption_key(),
    ] {
        secret.set(String::new());
    }
}

/// A text field of the form, `cred-{key}`, with the error the check found for `key`.
fn text_field(
    key: &'static str,
    label: &'static str,
    value: impl Get<Value = String> + Set<Value = String> + Copy + Send + Sync + 'static,
    errors: Errors,
    input: Input,
    hint: &'static str,
) -> impl IntoView {
    let error = Signal::derive(move || errors.with(|e| e.get(key).cloned()));
    view! { <Field id=format!("cred-{key}") label value error input hint/> }
}

#[component]
pub(super) fn AddCredential(
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
    let form = Store::new(CredentialForm::blank());
    let (fields, s3) = (form.input(), form.s3());

    let code = Signal::derive(move || {
        let input = fields.get();
        let which = provider.get();
        let problems = credential_form::check(which, &input);
        if let Some(problem) = FIELD_ORDER.iter().find_map(|key| problems.get(key)) {
            return Err(problem.clone());
        }
        let request = credentials::create_request(which, input, s3.get());
        Ok(Call::new(open_storage_credentials::CREATE, &request))
    });

    // After a credential is added: how to read it back.
    let then = RwSignal::new(None::<Call>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.clear();
        let input = fields.get_untracked();
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
        let request = credentials::create_request(which, input, s3.get_untracked());
        clear_secrets(form);
        let sdk = conn.sdk.get_untracked();
        let created_name = fields.name().get_untracked();
        call.run(
            async move { credentials::create(&sdk, request).await },
            move |credential_id| {
                then.set(Some(Call::new(
                    open_storage_credentials::INSPECT,
                    &SdkCredentialInspectRequest { credential_id },
                )));
                done.show(format!("Credential {created_name} added."));
                form.set(CredentialForm::blank());
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
                fields.json_key().set(text.as_string().unwrap_or_default());
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
            {text_field("name", "Name", fields.name(), errors, Input::Text, "")}
            <p class="hint" role="status" data-testid="name-reused">
                {move || {
                    let typed = fields.name().get();
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
                {text_field("access_key", "Access key", fields.access_key(), errors, Input::Text, "")}
                {text_field("secret_key", "Secret key", fields.secret_key(), errors, Input::Secret, "")}
                {text_field("endpoint", "Endpoint", fields.endpoint(), errors, Input::Text, "s3.amazonaws.com, or your S3-compatible store's host:port")}
                {text_field("region", "Region", fields.region(), errors, Input::Text, "")}
                <div class="field field--check">
                    <input id="cred-disable-ssl" type="checkbox" prop:checked=move || s3.disable_ssl().get() on:change=move |ev| s3.disable_ssl().set(event_target_checked(&ev))/>
                    <label for="cred-disable-ssl">"Disable SSL (plain HTTP to the endpoint)"</label>
                </div>
                <div class="field field--check">
                    <input id="cred-path-style" type="checkbox" prop:checked=move || s3.path_style().get() on:change=move |ev| s3.path_style().set(event_target_checked(&ev))/>
                    <label for="cred-path-style">"Path-style bucket addressing"</label>
                </div>
                <div class="field">
                    <label for="cred-sse">"Server-side encryption"</label>
                    <select id="cred-sse" on:change=move |ev| s3.server_side_encryption().set(event_target_value(&ev))>
                        {[("", "None"), ("AES256", "AES256 (S3-managed keys)"), ("aws:kms", "aws:kms (KMS-managed keys)")]
                            .into_iter()
                            .map(|(value, text)| view! { <option value=value prop:selected=move || s3.server_side_encryption().get() == value>{text}</option> })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="cred-storage-class">"Storage class"</label>
                    <select id="cred-storage-class" on:change=move |ev| s3.storage_class().set(event_target_value(&ev))>
                        {[("", "Default (STANDARD)"), ("STANDARD_IA", "STANDARD_IA"), ("ONEZONE_IA", "ONEZONE_IA"), ("INTELLIGENT_TIERING", "INTELLIGENT_TIERING"), ("GLACIER_IR", "GLACIER_IR")]
                            .into_iter()
                            .map(|(value, text)| view! { <option value=value prop:selected=move || s3.storage_class().get() == value>{text}</option> })
                            .collect_view()}
                    </select>
                </div>
            </Show>
            <Show when=shown(Provider::Azure)>
                {text_field("account_name", "Storage account name", fields.account_name(), errors, Input::Text, "")}
                {text_field("account_key", "Storage account key", fields.account_key(), errors, Input::Secret, "")}
            </Show>
            <Show when=shown(Provider::Google)>
                {text_field("project_id", "Project ID", fields.project_id(), errors, Input::Text, "")}
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
                        prop:value=move || fields.json_key().get()
                        on:input=move |ev| fields.json_key().set(event_target_value(&ev))
                    ></textarea>
                    <label for="cred-json-file">"…or choose the key file"</label>
                    <input id="cred-json-file" type="file" accept="application/json,.json" on:change=choose_file/>
                    <FieldError id="cred-json_key" error=json_error/>
                </div>
            </Show>
            <Show when=shown(Provider::Nfs)>
                {text_field("nfs_server", "NFS server", fields.nfs_server(), errors, Input::Text, "")}
                {text_field("nfs_sub_path", "Sub path", fields.nfs_sub_path(), errors, Input::Text, "e.g. /exports/backups")}
                {text_field("nfs_mount_options", "Mount options", fields.nfs_mount_options(), errors, Input::Text, "e.g. nfsvers=4.1")}
            </Show>
            {text_field("bucket", "Bucket (optional)", fields.bucket(), errors, Input::Text, "")}
            {text_field("encryption_key", "Encryption key (optional)", fields.encryption_key(), errors, Input::Secret, "Encrypts backups before upload; write-only.")}
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
