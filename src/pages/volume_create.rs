//! Create volume: every field checked before anything is sent, errors next to their field,
//! server errors in the form without losing what was typed.

use std::collections::BTreeMap;

use crate::browser::cluster::here;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::api::storage_policies::{self, Policies};
use crate::api::volumes::{self, NewVolume};
use crate::browser::document::focus_first_invalid;
use crate::components::as_code::ShowAsCode;
use crate::components::error_banner::CallError;
use crate::components::field::{described_by, Field, FieldError, Input};
use crate::components::labels_editor::{LabelRows, LabelsEditor};
use crate::hooks::connection::use_connection;
use crate::hooks::mutation::Mutation;
use crate::hooks::polled::use_polled;
use crate::hooks::title::use_title;
use crate::logic::as_code::Call;
use crate::logic::size::{parse_size, SizeUnit};
use crate::logic::{storage_policy, validate};
use crate::proto::methods::open_storage_volume;
use crate::proto::{FsType, IoProfile};

const MIN_PASSPHRASE: usize = 8;

/// The form's fields, each checked: its value to send, or what is wrong with it.
struct Checked {
    name: Result<String, String>,
    size: Result<u64, String>,
    passphrase: Result<String, String>,
    labels: Result<BTreeMap<String, String>, String>,
}

/// IO profiles offered, with the SDK value each maps to.
const IO_PROFILES: [(&str, IoProfile); 6] = [
    ("Default (sequential)", IoProfile::Sequential),
    ("Random", IoProfile::Random),
    ("Database", IoProfile::Db),
    ("Database, remote", IoProfile::DbRemote),
    ("Content management", IoProfile::Cms),
    ("Auto", IoProfile::Auto),
];

const FILESYSTEMS: [(&str, FsType); 2] = [("ext4", FsType::Ext4), ("xfs", FsType::Xfs)];

/// The rules of the policy a new volume will be made under (the chosen one, or the default).
fn policy_rules(policies: Option<Policies>, chosen: String) -> String {
    let Some(Policies::Offered { policies, default }) = policies else {
        return String::new();
    };
    let applies = if chosen.is_empty() {
        default
    } else {
        Some(chosen)
    };
    match applies.and_then(|name| policies.into_iter().find(|p| p.name == name)) {
        Some(p) => format!(
            "{}: {}. {}",
            p.name,
            p.policy
                .as_ref()
                .map(storage_policy::describe)
                .unwrap_or_default(),
            if p.force {
                "The cluster refuses volumes that differ."
            } else {
                "The cluster changes what differs to fit."
            }
        ),
        None => "No policy applies.".into(),
    }
}

#[component]
pub fn CreateVolumePage() -> impl IntoView {
    use_title("Create volume");
    let conn = use_connection();
    let navigate = use_navigate();
    let name = RwSignal::new(String::new());
    let size = RwSignal::new(String::new());
    let unit = RwSignal::new(SizeUnit::GiB);
    let ha_level = RwSignal::new(1i64);
    let format = RwSignal::new(0usize);
    let io_profile = RwSignal::new(0usize);
    let shared = RwSignal::new(false);
    let encrypted = RwSignal::new(false);
    let passphrase = RwSignal::new(String::new());
    let labels = LabelRows::new(Vec::new());
    // "" asks for the cluster's default policy, if it has one.
    let policy = RwSignal::new(String::new());
    let policies = use_polled(std::time::Duration::from_secs(60), move || {
        let sdk = conn.sdk.get_untracked();
        async move { storage_policies::list(&sdk).await }
    });
    // The volume just made, when a policy changed it: stay and say what changed.
    let adjusted = RwSignal::new(None::<String>);
    let made_id = RwSignal::new(String::new());

    let name_error = RwSignal::new(None::<String>);
    let size_error = RwSignal::new(None::<String>);
    let passphrase_error = RwSignal::new(None::<String>);
    let labels_error = RwSignal::new(None::<String>);
    let create = Mutation::new();

    // Every field checked (tracked, so the form's code follows what is typed).
    let checked = move || Checked {
        name: {
            let value = name.get().trim().to_string();
            validate::volume_name(&value).map(|()| value)
        },
        size: parse_size(&size.get(), unit.get()).map_err(|e| e.to_string()),
        passphrase: {
            let pass = passphrase.get();
            if encrypted.get() && pass.chars().count() < MIN_PASSPHRASE {
                Err(format!(
                    "Enter a passphrase of at least {MIN_PASSPHRASE} characters."
                ))
            } else {
                Ok(pass)
            }
        },
        labels: validate::labels(&labels.current()),
    };
    let new_volume = move |name, size, passphrase, labels| NewVolume {
        name,
        size,
        ha_level: ha_level.get(),
        format: FILESYSTEMS[format.get()].1,
        io_profile: IO_PROFILES[io_profile.get()].1,
        labels,
        shared: shared.get(),
        encrypted: encrypted.get(),
        passphrase,
        storage_policy: policy.get(),
    };
    let code = Signal::derive(move || {
        let Checked {
            name,
            size,
            passphrase,
            labels,
        } = checked();
        let new = new_volume(name?, size?, passphrase?, labels?);
        Ok(Call::new(
            open_storage_volume::CREATE,
            &volumes::create_request(&new),
        ))
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Checked {
            name: name_check,
            size: size_check,
            passphrase: pass_check,
            labels: labels_check,
        } = untrack(checked);
        name_error.set(name_check.clone().err());
        size_error.set(size_check.clone().err());
        passphrase_error.set(pass_check.clone().err());
        labels_error.set(labels_check.clone().err());
        focus_first_invalid([
            ("volume-name", name_check.is_err()),
            ("volume-size", size_check.is_err()),
            ("volume-passphrase", pass_check.is_err()),
        ]);
        let (Ok(name_value), Ok(bytes), Ok(pass), Ok(label_map)) =
            (name_check, size_check, pass_check, labels_check)
        else {
            return;
        };
        let new = untrack(|| new_volume(name_value, bytes, pass, label_map));
        // The passphrase is write-only: gone from the page once sent.
        passphrase.set(String::new());
        let sdk = conn.sdk.get_untracked();
        let navigate = navigate.clone();
        create.run(
            async move { volumes::create(&sdk, new).await },
            move |created| {
                if !created.changed.is_empty() {
                    made_id.set(created.id);
                    adjusted.set(Some(format!(
                        "Volume created under storage policy {}, which changed: {}.",
                        created.policy,
                        created.changed.join(", ")
                    )));
                    return;
                }
                let query = if created.existed { "?existed=1" } else { "" };
                navigate(
                    &format!("/volumes/{}{query}", created.id),
                    Default::default(),
                );
            },
        );
    };

    view! {
        <section class="page">
            <p><A href={here("/volumes")}>"← Volumes"</A></p>
            <h1>"Create volume"</h1>
            {move || adjusted.get().map(|text| view! {
                <div class="banner banner--info" role="status" data-testid="volume-adjusted">
                    {text} " " <A href={here(format!("/volumes/{}", made_id.get_untracked()))}>"Open the volume"</A>
                </div>
            })}
            <form class="form" on:submit=submit novalidate=true>
                <CallError call=create/>
                <div class="field">
                    <label for="volume-name">"Name"</label>
                    <input
                        id="volume-name"
                        type="text"
                        autocomplete="off"
                        required=true
                        aria-invalid=move || name_error.get().is_some().to_string()
                        aria-describedby=described_by("volume-name", true)
                        prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))
                    />
                    <p class="hint" id="volume-name-hint">"Letters, digits, \".\", \"_\" and \"-\"; unique in the cluster."</p>
                    <FieldError id="volume-name" error=name_error/>
                </div>
                <div class="field">
                    <label for="volume-size">"Size"</label>
                    <div class="field__inline">
                        <input
                            id="volume-size"
                            type="text"
                            inputmode="decimal"
                            autocomplete="off"
                            aria-invalid=move || size_error.get().is_some().to_string()
                            aria-describedby=described_by("volume-size", false)
                            prop:value=move || size.get()
                            on:input=move |ev| size.set(event_target_value(&ev))
                        />
                        <label for="volume-size-unit" class="visually-hidden">"Size unit"</label>
                        <select
                            id="volume-size-unit"
                            on:change=move |ev| {
                                if let Some(u) = SizeUnit::from_name(&event_target_value(&ev)) {
                                    unit.set(u);
                                }
                            }
                        >
                            {SizeUnit::ALL
                                .into_iter()
                                .map(|u| {
                                    view! {
                                        <option value=u.name() selected=move || unit.get() == u>
                                            {u.name()}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    </div>
                    <FieldError id="volume-size" error=size_error/>
                </div>
                <div class="field">
                    <label for="volume-ha">"HA level (replicas)"</label>
                    <select
                        id="volume-ha"
                        on:change=move |ev| {
                            ha_level.set(event_target_value(&ev).parse().unwrap_or(1))
                        }
                    >
                        {[1i64, 2, 3]
                            .into_iter()
                            .map(|n| view! { <option value=n.to_string()>{n.to_string()}</option> })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="volume-format">"Filesystem"</label>
                    <select
                        id="volume-format"
                        on:change=move |ev| format.set(event_target_value(&ev).parse().unwrap_or(0))
                    >
                        {FILESYSTEMS
                            .iter()
                            .enumerate()
                            .map(|(i, (label, _))| view! { <option value=i.to_string()>{*label}</option> })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="volume-io-profile">"IO profile"</label>
                    <select
                        id="volume-io-profile"
                        on:change=move |ev| {
                            io_profile.set(event_target_value(&ev).parse().unwrap_or(0))
                        }
                    >
                        {IO_PROFILES
                            .iter()
                            .enumerate()
                            .map(|(i, (label, _))| view! { <option value=i.to_string()>{*label}</option> })
                            .collect_view()}
                    </select>
                </div>
                {move || match policies.data.get() {
                    Some(Policies::Offered { policies: listed, default }) if !listed.is_empty() => view! {
                        <div class="field">
                            <label for="volume-policy">"Storage policy"</label>
                            <select id="volume-policy" aria-describedby="volume-policy-hint" on:change=move |ev| policy.set(event_target_value(&ev))>
                                <option value="">{match default { Some(d) => format!("The cluster's default ({d})"), None => "None".into() }}</option>
                                {listed.into_iter().map(|p| {
                                    let selected = policy.get_untracked() == p.name;
                                    view! { <option value=p.name.clone() selected=selected>{p.name.clone()}</option> }
                                }).collect_view()}
                            </select>
                            <p class="hint" id="volume-policy-hint" data-testid="volume-policy-rules">{move || policy_rules(policies.data.get(), policy.get())}</p>
                        </div>
                    }.into_any(),
                    _ => ().into_any(),
                }}
                <LabelsEditor rows=labels id_prefix="create"/>
                <FieldError id="create-labels" error=labels_error/>
                <div class="field field--check">
                    <input
                        id="volume-shared"
                        type="checkbox"
                        prop:checked=move || shared.get()
                        on:change=move |ev| shared.set(event_target_checked(&ev))
                    />
                    <label for="volume-shared">"Shared (accessible from several nodes at once)"</label>
                </div>
                <div class="field field--check">
                    <input
                        id="volume-encrypted"
                        type="checkbox"
                        prop:checked=move || encrypted.get()
                        on:change=move |ev| encrypted.set(event_target_checked(&ev))
                    />
                    <label for="volume-encrypted">"Encrypted"</label>
                </div>
                <Show when=move || encrypted.get()>
                    <Field
                        id="volume-passphrase"
                        label="Passphrase"
                        value=passphrase
                        error=passphrase_error
                        input=Input::Secret
                        hint="Write-only: the cluster never shows it again."
                    />
                </Show>
                <div class="actions">
                    <button type="submit" class="button button--primary" disabled=move || create.busy.get()>
                        {move || if create.busy.get() { "Creating…" } else { "Create volume" }}
                    </button>
                    <A href={here("/volumes")} attr:class="button">"Cancel"</A>
                </div>
                <ShowAsCode call=code id="volume-create"/>
            </form>
        </section>
    }
}
