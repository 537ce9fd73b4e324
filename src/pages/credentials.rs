//! Cloud credentials: the list (never a secret), Validate and Delete per row, and the form to
//! add one, showing only the chosen provider's fields.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::api::credentials::{self, S3Options};
use crate::components::copy_id::CopyId;
use crate::components::error_banner::{ErrorBanner, PollError};
use crate::hooks::connection::use_connection;
use crate::hooks::mutation::Mutation;
use crate::hooks::poll::use_poll;
use crate::logic::credential_form::{self, CredentialInput, Provider};
use crate::proto::sdk_credential_inspect_response::CredentialType as Shown;
use crate::proto::SdkCredentialInspectResponse;

const REFRESH: Duration = Duration::from_secs(10);

fn provider_of(c: &SdkCredentialInspectResponse) -> &'static str {
    match c.credential_type {
        Some(Shown::AwsCredential(_)) => "S3",
        Some(Shown::AzureCredential(_)) => "Azure",
        Some(Shown::GoogleCredential(_)) => "Google",
        Some(Shown::NfsCredential(_)) => "NFS",
        None => "Unknown",
    }
}

/// Where the backups go, from the fields Inspect returns (none of them secret).
fn location_of(c: &SdkCredentialInspectResponse) -> String {
    match &c.credential_type {
        Some(Shown::AwsCredential(a)) => format!("{} ({})", a.endpoint, a.region),
        Some(Shown::AzureCredential(a)) => format!("account {}", a.account_name),
        Some(Shown::GoogleCredential(g)) => format!("project {}", g.project_id),
        Some(Shown::NfsCredential(n)) => format!(
            "{}:{}",
            n.server,
            if n.sub_path.is_empty() {
                "/"
            } else {
                &n.sub_path
            }
        ),
        None => String::new(),
    }
}

#[component]
pub fn CredentialsPage() -> impl IntoView {
    let conn = use_connection();
    let polled = use_poll(REFRESH, move || {
        let sdk = conn.sdk.get_untracked();
        async move { credentials::list(&sdk).await }
    });
    let refresh = Callback::new(move |_| polled.refresh());
    view! {
        <section class="page">
            <h1>"Cloud credentials"</h1>
            <p class="muted">"Where backups go. Secrets are sent once, when a credential is added, and never shown again."</p>
            <PollError error=polled.error/>
            {move || match polled.data.get() {
                None => view! { <p class="muted">"Loading credentials…"</p> }.into_any(),
                Some(list) if list.is_empty() => {
                    view! { <p class="empty" data-testid="credentials-empty">"No credentials yet: add one below to start backing up volumes."</p> }
                        .into_any()
                }
                Some(list) => {
                    view! {
                        <table class="table" data-testid="credentials-table">
                            <thead>
                                <tr>
                                    <th scope="col">"Name"</th>
                                    <th scope="col">"ID"</th>
                                    <th scope="col">"Provider"</th>
                                    <th scope="col">"Bucket"</th>
                                    <th scope="col">"Endpoint / location"</th>
                                    <th scope="col">"Actions"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list.into_iter().map(|c| view! { <CredentialRow credential=c refresh/> }).collect_view()}
                            </tbody>
                        </table>
                    }
                        .into_any()
                }
            }}
            <AddCredential refresh existing=Signal::derive(move || polled.data.with(|d| d.as_ref().map(|l| l.iter().map(|c| c.name.clone()).collect()).unwrap_or_default()))/>
        </section>
    }
}

#[component]
fn CredentialRow(credential: SdkCredentialInspectResponse, refresh: Callback<()>) -> impl IntoView {
    let conn = use_connection();
    let check = Mutation::new();
    let remove = Mutation::new();
    let valid = RwSignal::new(false);
    let asking = RwSignal::new(false);
    let id = credential.credential_id.clone();
    let validate = {
        let id = id.clone();
        move |_| {
            valid.set(false);
            let sdk = conn.sdk.get_untracked();
            let id = id.clone();
            check.run(
                async move { credentials::validate(&sdk, &id).await },
                move |_| valid.set(true),
            );
        }
    };
    let delete = {
        let id = id.clone();
        move |_| {
            let sdk = conn.sdk.get_untracked();
            let id = id.clone();
            remove.run(
                async move { credentials::delete(&sdk, &id).await },
                move |_| refresh.run(()),
            );
        }
    };
    let name = credential.name.clone();
    let bucket = if credential.bucket.is_empty() {
        "default".to_string()
    } else {
        credential.bucket.clone()
    };
    view! {
        <tr>
            <td>{credential.name.clone()}</td>
            <td><CopyId id=credential.credential_id.clone()/></td>
            <td>{provider_of(&credential)}</td>
            <td>{bucket}</td>
            <td>{location_of(&credential)}</td>
            <td>
                <div class="actions">
                    <button type="button" class="button" disabled=move || check.busy.get() on:click=validate>
                        {move || if check.busy.get() { "Validating…" } else { "Validate" }}
                    </button>
                    <button type="button" class="button" on:click=move |_| asking.set(true)>"Delete…"</button>
                </div>
                <p class="notice" role="status">{move || valid.get().then_some("Valid: the cluster accepted these credentials.")}</p>
                {move || check.error.get().map(|error| view! { <ErrorBanner error/> })}
                {move || remove.error.get().map(|error| view! { <ErrorBanner error/> })}
                <Show when=move || asking.get()>
                    <div class="confirm">
                        <p>{format!("Delete credential {name}? Backups already in the cloud stay there.")}</p>
                        <div class="actions">
                            <button type="button" class="button button--danger" disabled=move || remove.busy.get() on:click=delete.clone()>
                                "Delete credential"
                            </button>
                            <button type="button" class="button" on:click=move |_| { remove.error.set(None); asking.set(false) }>"Cancel"</button>
                        </div>
                    </div>
                </Show>
            </td>
        </tr>
    }
}

/// A text field bound to a signal, with its label and error, for the form below.
#[component]
fn TextField(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    errors: RwSignal<std::collections::BTreeMap<&'static str, String>>,
    #[prop(optional)] secret: bool,
    #[prop(optional)] hint: &'static str,
) -> impl IntoView {
    let input_id = format!("cred-{id}");
    let error_id = format!("cred-{id}-error");
    view! {
        <div class="field">
            <label for=input_id.clone()>{label}</label>
            <input
                id=input_id
                type=if secret { "password" } else { "text" }
                autocomplete=if secret { "new-password" } else { "off" }
                spellcheck="false"
                aria-describedby=error_id.clone()
                aria-invalid=move || errors.with(|e| e.contains_key(id)).to_string()
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            {(!hint.is_empty()).then(|| view! { <p class="hint">{hint}</p> })}
            <p class="field-error" id=error_id>{move || errors.with(|e| e.get(id).cloned())}</p>
        </div>
    }
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
    let errors = RwSignal::new(std::collections::BTreeMap::<&'static str, String>::new());
    let done = RwSignal::new(None::<String>);
    let f = |s: &str| RwSignal::new(s.to_string());
    let (name, bucket, encryption_key) = (f(""), f(""), f(""));
    let (access_key, secret_key, endpoint, region) = (f(""), f(""), f("s3.amazonaws.com"), f(""));
    let (account_name, account_key) = (f(""), f(""));
    let (project_id, json_key) = (f(""), f(""));
    let (nfs_server, nfs_sub_path, nfs_mount_options) = (f(""), f(""), f(""));
    let disable_ssl = RwSignal::new(false);
    let path_style = RwSignal::new(true);
    let sse = f("");
    let storage_class = f("");

    let clear_secrets = move || {
        for secret in [secret_key, account_key, json_key, encryption_key] {
            secret.set(String::new());
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(None);
        let input = CredentialInput {
            name: name.get_untracked(),
            bucket: bucket.get_untracked(),
            encryption_key: encryption_key.get_untracked(),
            access_key: access_key.get_untracked(),
            secret_key: secret_key.get_untracked(),
            endpoint: endpoint.get_untracked(),
            region: region.get_untracked(),
            account_name: account_name.get_untracked(),
            account_key: account_key.get_untracked(),
            project_id: project_id.get_untracked(),
            json_key: json_key.get_untracked(),
            nfs_server: nfs_server.get_untracked(),
            nfs_sub_path: nfs_sub_path.get_untracked(),
            nfs_mount_options: nfs_mount_options.get_untracked(),
        };
        let which = provider.get_untracked();
        let problems = credential_form::check(which, &input);
        let invalid = !problems.is_empty();
        errors.set(problems);
        if invalid {
            return;
        }
        let s3 = S3Options {
            disable_ssl: disable_ssl.get_untracked(),
            path_style: path_style.get_untracked(),
            server_side_encryption: sse.get_untracked(),
            storage_class: storage_class.get_untracked(),
        };
        let request = credentials::create_request(which, input, s3);
        // Secrets leave the page with this request and are not kept in it.
        clear_secrets();
        let sdk = conn.sdk.get_untracked();
        let created_name = name.get_untracked();
        call.run(
            async move { credentials::create(&sdk, request).await },
            move |_| {
                done.set(Some(format!("Credential {created_name} added.")));
                name.set(String::new());
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

    view! {
        <form class="card form section" on:submit=submit novalidate=true aria-labelledby="add-credential-heading">
            <h2 id="add-credential-heading">"Add a credential"</h2>
            {move || call.error.get().map(|error| view! { <ErrorBanner error/> })}
            <TextField id="name" label="Name" value=name errors/>
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
                    {Provider::ALL.into_iter().map(|p| view! { <option value=p.key()>{p.label()}</option> }).collect_view()}
                </select>
            </div>
            <Show when=shown(Provider::S3)>
                <TextField id="access_key" label="Access key" value=access_key errors/>
                <TextField id="secret_key" label="Secret key" value=secret_key errors secret=true/>
                <TextField id="endpoint" label="Endpoint" value=endpoint errors hint="s3.amazonaws.com, or your S3-compatible store's host:port"/>
                <TextField id="region" label="Region" value=region errors/>
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
                        <option value="">"None"</option>
                        <option value="AES256">"AES256 (S3-managed keys)"</option>
                        <option value="aws:kms">"aws:kms (KMS-managed keys)"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="cred-storage-class">"Storage class"</label>
                    <select id="cred-storage-class" on:change=move |ev| storage_class.set(event_target_value(&ev))>
                        <option value="">"Default (STANDARD)"</option>
                        <option value="STANDARD_IA">"STANDARD_IA"</option>
                        <option value="ONEZONE_IA">"ONEZONE_IA"</option>
                        <option value="INTELLIGENT_TIERING">"INTELLIGENT_TIERING"</option>
                        <option value="GLACIER_IR">"GLACIER_IR"</option>
                    </select>
                </div>
            </Show>
            <Show when=shown(Provider::Azure)>
                <TextField id="account_name" label="Storage account name" value=account_name errors/>
                <TextField id="account_key" label="Storage account key" value=account_key errors secret=true/>
            </Show>
            <Show when=shown(Provider::Google)>
                <TextField id="project_id" label="Project ID" value=project_id errors/>
                <div class="field">
                    <label for="cred-json_key">"Service account JSON key"</label>
                    <textarea
                        id="cred-json_key"
                        class="secret-text"
                        rows="4"
                        autocomplete="off"
                        spellcheck="false"
                        aria-describedby="cred-json_key-error"
                        prop:value=move || json_key.get()
                        on:input=move |ev| json_key.set(event_target_value(&ev))
                    ></textarea>
                    <label for="cred-json-file">"…or choose the key file"</label>
                    <input id="cred-json-file" type="file" accept="application/json,.json" on:change=choose_file/>
                    <p class="field-error" id="cred-json_key-error">{move || errors.with(|e| e.get("json_key").cloned())}</p>
                </div>
            </Show>
            <Show when=shown(Provider::Nfs)>
                <TextField id="nfs_server" label="NFS server" value=nfs_server errors/>
                <TextField id="nfs_sub_path" label="Sub path" value=nfs_sub_path errors hint="e.g. /exports/backups"/>
                <TextField id="nfs_mount_options" label="Mount options" value=nfs_mount_options errors hint="e.g. nfsvers=4.1"/>
            </Show>
            <TextField id="bucket" label="Bucket (optional)" value=bucket errors/>
            <TextField id="encryption_key" label="Encryption key (optional)" value=encryption_key errors secret=true hint="Encrypts backups before upload; write-only."/>
            <div class="actions">
                <button type="submit" class="button button--primary" disabled=move || call.busy.get()>
                    {move || if call.busy.get() { "Adding…" } else { "Add credential" }}
                </button>
            </div>
            <p class="notice" role="status">{move || done.get()}</p>
        </form>
    }
}
