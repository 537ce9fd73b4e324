//! Storage policies: the list (edit, make default or release, delete each) and the form that
//! creates or edits one. On a cluster without the service the page says it is not offered.

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::api::storage_policies::{self, Policies};
use crate::browser::document::focus_field;
use crate::components::as_code::{row_code_id, ShowAsCode};
use crate::components::confirm::ConfirmDelete;
use crate::components::error_banner::CallError;
use crate::components::field::FieldError;
use crate::components::keyed_rows::keyed_rows;
use crate::components::notice::{Notice, NoticeText};
use crate::components::polled_view::PolledView;
use crate::components::table::column_heads;
use crate::hooks::connection::use_connection;
use crate::hooks::mutation::Mutation;
use crate::hooks::polled::use_polled;
use crate::hooks::title::use_title;
use crate::logic::size::SizeUnit;
use crate::logic::storage_policy::{self, PolicyField, PolicyForm, IO_PROFILES};
use crate::proto::SdkStoragePolicy;

const EVERY: std::time::Duration = std::time::Duration::from_secs(15);

/// The form, shared by the rows' Edit buttons and the form itself.
type Editor = RwSignal<PolicyForm>;

/// Errors by field id (the type the other forms use, so no new signal type is compiled).
type Errors = RwSignal<BTreeMap<&'static str, String>>;

#[component]
pub fn StoragePoliciesPage() -> impl IntoView {
    use_title("Storage policies");
    let conn = use_connection();
    let query = use_polled(EVERY, move || {
        let sdk = conn.sdk.get_untracked();
        async move { storage_policies::list(&sdk).await }
    });
    let refresh = Callback::new(move |_| query.refresh());
    let offered = Memo::new(move |_| !matches!(query.data.get(), Some(Policies::NotOffered)));
    let listed = Memo::new(move |_| match query.data.get() {
        Some(Policies::Offered { policies, default }) => policies
            .into_iter()
            .map(|p| (default.as_deref() == Some(p.name.as_str()), p))
            .collect(),
        _ => Vec::new(),
    });
    let editor: Editor = RwSignal::new(PolicyForm::default());
    view! {
        <section class="page">
            <h1>"Storage policies"</h1>
            <p class="muted">"Rules new volumes are made under. The default policy applies to every volume created without naming one. A policy that refuses makes the cluster refuse volumes that differ from it; otherwise the cluster changes them to fit."</p>
            <PolledView
                query
                what="storage policies"
                is_empty=|p: &Policies| matches!(p, Policies::Offered { policies, .. } if policies.is_empty())
                empty=|| view! { <p class="empty" data-testid="policies-empty">"No storage policies yet: add one below."</p> }
            >
                <Show
                    when=move || offered.get()
                    fallback=|| view! { <p class="notice" data-testid="policies-not-offered">"This cluster does not offer storage policies."</p> }
                >
                    <table class="table" data-testid="policies-table" aria-label="Storage policies">
                        {column_heads(&["Name", "Rules", "Volumes that differ", "Owner", "Actions"])}
                        <tbody>
                            {keyed_rows(listed, |(_, p)| p.name.clone(), move |row| view! { <PolicyRow row editor refresh/> }.into_any())}
                        </tbody>
                    </table>
                </Show>
            </PolledView>
            <PolicyEditor editor offered refresh/>
        </section>
    }
}

#[component]
fn PolicyRow(
    row: Memo<(bool, SdkStoragePolicy)>,
    editor: Editor,
    refresh: Callback<()>,
) -> impl IntoView {
    let conn = use_connection();
    let call = Mutation::new();
    let asking = RwSignal::new(false);
    // Rows are keyed by name: everything else is read from the row as it changes.
    let name = row.with_untracked(|(_, p)| p.name.clone());
    let is_default = move || row.with(|(d, _)| *d);
    let run = move |delete: bool| {
        let sdk = conn.sdk.get_untracked();
        let name = name.clone();
        let make_default = !is_default();
        call.run(
            async move {
                if delete {
                    Ok(sdk.run(storage_policies::delete_call(name)).await?)
                } else {
                    storage_policies::set_default(&sdk, make_default.then_some(name)).await
                }
            },
            move |_| refresh.run(()),
        );
    };
    let toggle_default = {
        let run = run.clone();
        move |_| run(false)
    };
    let delete = Callback::new(move |_| run(true));
    let edit = move |_| {
        editor.set(row.with_untracked(|(_, p)| storage_policy::form_of(p)));
        focus_field("policy-size");
    };
    let name = row.with_untracked(|(_, p)| p.name.clone());
    let delete_code = {
        let name = name.clone();
        Signal::derive(move || Ok(storage_policies::delete_call(name.clone())))
    };
    let delete_code_id = row_code_id("policy-delete", &name);
    view! {
        <tr data-testid="policy-row">
            <td>{name.clone()}{move || is_default().then(|| view! { " " <span class="badge" data-testid="policy-default">"default"</span> })}</td>
            <td>{move || row.with(|(_, p)| p.policy.as_ref().map(storage_policy::describe))}</td>
            <td>{move || row.with(|(_, p)| {
                let differing = if p.force { "Refused" } else { "Changed to fit" };
                let updates = if p.allow_update { "; updates not checked" } else { "" };
                format!("{differing}{updates}")
            })}</td>
            <td>{move || row.with(|(_, p)| p.ownership.as_ref().map(|o| o.owner.clone()).filter(|o| !o.is_empty()).unwrap_or_else(|| "—".into()))}</td>
            <td>
                <div class="actions">
                    <button type="button" class="button" on:click=edit aria-label=format!("Edit {name}")>"Edit"</button>
                    <button type="button" class="button" disabled=move || call.busy.get() on:click=toggle_default>
                        {move || if is_default() { "Release default" } else { "Make default" }}
                    </button>
                    <button type="button" class="button" on:click=move |_| asking.set(true)>"Delete…"</button>
                </div>
                <CallError call/>
                <ConfirmDelete
                    open=asking
                    question=format!("Delete storage policy {name}? Volumes made under it keep their spec.")
                    action="Delete policy"
                    busy=call.busy
                    on_confirm=delete
                    on_cancel=Callback::new(move |_| asking.set(false))
                    code=delete_code
                    code_id=delete_code_id
                />
            </td>
        </tr>
    }
}

type Text = (
    fn(&PolicyForm) -> &String,
    fn(&mut PolicyForm) -> &mut String,
);
type Choice<T> = (fn(&PolicyForm) -> T, fn(&mut PolicyForm, T));

/// A number the policy bounds: its value and whether volumes must equal, reach or stay under it.
fn bound_field(
    form: Editor,
    errors: Errors,
    field: PolicyField,
    label: &'static str,
    text: Text,
    op: Choice<i32>,
    unit: bool,
) -> impl IntoView {
    let id = field.id();
    let error = error_of(errors, id);
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <div class="field__inline">
                <label for=format!("{id}-op") class="visually-hidden">{format!("{label}: how volumes compare")}</label>
                <select id=format!("{id}-op") on:change=move |ev| form.update(|f| op.1(f, event_target_value(&ev).parse().unwrap_or(0)))>
                    {[(0, "exactly"), (1, "at least"), (2, "at most")].map(|(v, words)| view! {
                        <option value=v.to_string() prop:selected=move || form.with(|f| op.0(f) == v)>{words}</option>
                    }).collect_view()}
                </select>
                <input
                    id=id
                    type="text"
                    inputmode="decimal"
                    autocomplete="off"
                    aria-invalid=move || error.with(Option::is_some).to_string()
                    aria-describedby=format!("{id}-error")
                    prop:value=move || form.with(|f| text.0(f).clone())
                    on:input=move |ev| form.update(|f| *text.1(f) = event_target_value(&ev))
                />
                {unit.then(|| view! {
                    <label for="policy-size-unit" class="visually-hidden">"Size unit"</label>
                    <select id="policy-size-unit" on:change=move |ev| form.update(|f| f.unit = SizeUnit::from_name(&event_target_value(&ev)))>
                        {SizeUnit::ALL.map(|u| view! {
                            <option value=u.name() prop:selected=move || form.with(|f| f.unit.unwrap_or(SizeUnit::GiB) == u)>{u.name()}</option>
                        }).collect_view()}
                    </select>
                })}
            </div>
            <FieldError id=id error/>
        </div>
    }
}

fn error_of(errors: Errors, id: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || errors.with(|e| e.get(id).cloned()))
}

/// A yes/no rule, or none ("any").
fn yes_no_field(
    form: RwSignal<PolicyForm>,
    id: &'static str,
    label: &'static str,
    rule: Choice<Option<bool>>,
) -> impl IntoView {
    let value = move |v: Option<bool>| match v {
        None => "",
        Some(true) => "yes",
        Some(false) => "no",
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id on:change=move |ev| form.update(|f| rule.1(f, match event_target_value(&ev).as_str() {
                "yes" => Some(true),
                "no" => Some(false),
                _ => None,
            }))>
                {[None, Some(true), Some(false)].map(|v| view! {
                    <option value=value(v) prop:selected=move || form.with(|f| rule.0(f) == v)>
                        {match v { None => "Any", Some(true) => "Yes", Some(false) => "No" }}
                    </option>
                }).collect_view()}
            </select>
        </div>
    }
}

#[component]
fn PolicyEditor(editor: Editor, offered: Memo<bool>, refresh: Callback<()>) -> impl IntoView {
    let conn = use_connection();
    let call = Mutation::new();
    let done = NoticeText::new();
    let form = editor;
    let editing = move || form.with(|f| f.base.as_ref().map(|p| p.name.clone()));
    let errors: Errors = RwSignal::new(BTreeMap::new());
    let name_error = error_of(errors, PolicyField::Name.id());
    let reset = move || {
        form.set(PolicyForm::default());
        errors.set(BTreeMap::new());
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.clear();
        let (planned, editing_now) =
            form.with_untracked(|f| (storage_policy::plan(f), f.base.is_some()));
        let policy = match planned {
            Ok(policy) => policy,
            Err(problems) => {
                focus_field(problems[0].0.id());
                errors.set(problems.into_iter().map(|(f, m)| (f.id(), m)).collect());
                return;
            }
        };
        errors.set(BTreeMap::new());
        let sdk = conn.sdk.get_untracked();
        let name = policy.name.clone();
        let save = storage_policies::save_call(policy, editing_now);
        call.run(async move { Ok(sdk.run(save).await?) }, move |_| {
            done.show(format!("Storage policy {name} saved."));
            reset();
            refresh.run(());
        });
    };
    // The form's call as it stands, or the first thing it still needs.
    let code = Signal::derive(move || {
        form.with(|f| match storage_policy::plan(f) {
            Ok(policy) => Ok(storage_policies::save_call(policy, f.base.is_some())),
            Err(problems) => Err(problems
                .into_iter()
                .next()
                .map(|(_, message)| message)
                .unwrap_or_default()),
        })
    });
    view! {
        <form class="card form" on:submit=submit novalidate=true aria-labelledby="policy-form-heading">
            <h2 id="policy-form-heading">{move || match editing() {
                Some(name) => format!("Edit storage policy {name}"),
                None => "Add a storage policy".to_string(),
            }}</h2>
            <CallError call/>
            <div class="field">
                <label for="policy-name">"Name"</label>
                <input
                    id="policy-name"
                    type="text"
                    autocomplete="off"
                    readonly=move || editing().is_some()
                    aria-invalid=move || name_error.with(Option::is_some).to_string()
                    aria-describedby="policy-name-error"
                    prop:value=move || form.with(|f| f.name.clone())
                    on:input=move |ev| form.update(|f| f.name = event_target_value(&ev))
                />
                <FieldError id="policy-name" error=name_error/>
            </div>
            <p class="hint">"Leave a field empty for no rule on it."</p>
            {bound_field(form, errors, PolicyField::Size, "Size", (|f| &f.size.value, |f| &mut f.size.value), (|f| f.size.op, |f, v| f.size.op = v), true)}
            {bound_field(form, errors, PolicyField::HaLevel, "HA level (replicas)", (|f| &f.ha_level.value, |f| &mut f.ha_level.value), (|f| f.ha_level.op, |f, v| f.ha_level.op = v), false)}
            {bound_field(form, errors, PolicyField::SnapshotInterval, "Minutes between snapshots", (|f| &f.snapshot_interval.value, |f| &mut f.snapshot_interval.value), (|f| f.snapshot_interval.op, |f, v| f.snapshot_interval.op = v), false)}
            <div class="field">
                <label for="policy-io-profile">"IO profile"</label>
                <select id="policy-io-profile" on:change=move |ev| form.update(|f| f.io_profile = event_target_value(&ev).parse().ok())>
                    <option value="" prop:selected=move || form.with(|f| f.io_profile.is_none())>"Any"</option>
                    {IO_PROFILES.iter().enumerate().map(|(i, p)| view! {
                        <option value=i.to_string() prop:selected=move || form.with(|f| f.io_profile == Some(i))>
                            {storage_policy::io_profile(*p as i32)}
                        </option>
                    }).collect_view()}
                </select>
            </div>
            {yes_no_field(form, "policy-encrypted", "Encrypted", (|f| f.encrypted, |f, v| f.encrypted = v))}
            {yes_no_field(form, "policy-shared", "Shared", (|f| f.shared, |f, v| f.shared = v))}
            {yes_no_field(form, "policy-sticky", "Sticky (cannot be deleted)", (|f| f.sticky, |f, v| f.sticky = v))}
            <div class="field field--check">
                <input id="policy-force" type="checkbox" prop:checked=move || form.with(|f| f.force) on:change=move |ev| form.update(|f| f.force = event_target_checked(&ev))/>
                <label for="policy-force">"Refuse volumes that differ (instead of changing them to fit)"</label>
            </div>
            <div class="field field--check">
                <input id="policy-allow-update" type="checkbox" prop:checked=move || form.with(|f| f.allow_update) on:change=move |ev| form.update(|f| f.allow_update = event_target_checked(&ev))/>
                <label for="policy-allow-update">"Let volumes made under it be updated without these rules"</label>
            </div>
            <div class="actions">
                <button type="submit" class="button button--primary" disabled=move || call.busy.get() || !offered.get()>
                    {move || if editing().is_some() { "Save policy" } else { "Create policy" }}
                </button>
                <Show when=move || editing().is_some()>
                    <button type="button" class="button" on:click=move |_| reset()>"Cancel editing"</button>
                </Show>
            </div>
            <Notice text=done/>
            <ShowAsCode call=code id="policy"/>
        </form>
    }
}
