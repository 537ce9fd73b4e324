//! Storage policies: the list (edit, make default or release, delete each) and the form that
//! creates or edits one. On a cluster without the service the page says it is not offered.

use leptos::prelude::*;

use crate::api::storage_policies::{self, Policies};
use crate::browser::document::focus_field;
use crate::components::confirm::Confirm;
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

/// The form being edited, shared by the rows' Edit buttons and the form.
#[derive(Clone, Copy)]
struct Editor {
    form: RwSignal<PolicyForm>,
    /// The stored policy being edited (its other rules are kept), or none for a new one.
    editing: RwSignal<Option<SdkStoragePolicy>>,
}

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
    let editor = Editor {
        form: RwSignal::new(PolicyForm::default()),
        editing: RwSignal::new(None),
    };
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
                            {keyed_rows(listed, |(default, p)| format!("{default}{}", p.name), move |row| view! { <PolicyRow row editor refresh/> }.into_any())}
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
    let (default, policy) = row.get_untracked();
    let name = policy.name.clone();
    let run = move |action: Option<Option<String>>| {
        let sdk = conn.sdk.get_untracked();
        let name = name.clone();
        call.run(
            async move {
                match action {
                    Some(default) => storage_policies::set_default(&sdk, default).await,
                    None => storage_policies::delete(&sdk, name).await,
                }
            },
            move |_| refresh.run(()),
        );
    };
    let toggle_default = {
        let run = run.clone();
        let name = policy.name.clone();
        move |_| run(Some((!default).then(|| name.clone())))
    };
    let delete = Callback::new(move |_| run(None));
    let edit = {
        let policy = policy.clone();
        move |_| {
            editor.form.set(storage_policy::form_of(&policy));
            editor.editing.set(Some(policy.clone()));
            focus_field("policy-size");
        }
    };
    let rules = policy.policy.as_ref().map(storage_policy::describe);
    let owner = policy
        .ownership
        .as_ref()
        .map(|o| o.owner.clone())
        .filter(|o| !o.is_empty());
    view! {
        <tr data-testid="policy-row">
            <td>{policy.name.clone()}{default.then(|| view! { " " <span class="badge" data-testid="policy-default">"default"</span> })}</td>
            <td>{rules}</td>
            <td>
                {if policy.force { "Refused" } else { "Changed to fit" }}
                {policy.allow_update.then_some("; updates not checked")}
            </td>
            <td>{owner.unwrap_or_else(|| "—".into())}</td>
            <td>
                <div class="actions">
                    <button type="button" class="button" on:click=edit aria-label=format!("Edit {}", policy.name)>"Edit"</button>
                    <button type="button" class="button" disabled=move || call.busy.get() on:click=toggle_default>
                        {if default { "Release default" } else { "Make default" }}
                    </button>
                    <button type="button" class="button" on:click=move |_| asking.set(true)>"Delete…"</button>
                </div>
                <CallError call/>
                <Show when=move || asking.get()>
                    <Confirm
                        question=format!("Delete storage policy {}? Volumes made under it keep their spec.", policy.name)
                        action="Delete policy"
                        busy=call.busy
                        on_confirm=delete
                        on_cancel=Callback::new(move |_| asking.set(false))
                    />
                </Show>
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
    form: RwSignal<PolicyForm>,
    errors: RwSignal<Vec<(PolicyField, String)>>,
    field: PolicyField,
    label: &'static str,
    text: Text,
    op: Choice<i32>,
    unit: bool,
) -> impl IntoView {
    let id = field.id();
    let error = Signal::derive(move || {
        errors.with(|e| e.iter().find(|(f, _)| *f == field).map(|(_, m)| m.clone()))
    });
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
    let Editor { form, editing } = editor;
    let errors = RwSignal::new(Vec::<(PolicyField, String)>::new());
    let name_error = Signal::derive(move || {
        errors.with(|e| {
            e.iter()
                .find(|(f, _)| *f == PolicyField::Name)
                .map(|(_, m)| m.clone())
        })
    });
    let reset = move || {
        form.set(PolicyForm::default());
        editing.set(None);
        errors.set(Vec::new());
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.clear();
        let base = editing.get_untracked();
        let policy = match form.with_untracked(|f| storage_policy::plan(f, base.as_ref())) {
            Ok(policy) => policy,
            Err(problems) => {
                focus_field(problems[0].0.id());
                errors.set(problems);
                return;
            }
        };
        errors.set(Vec::new());
        let sdk = conn.sdk.get_untracked();
        let name = policy.name.clone();
        let editing_now = base.is_some();
        call.run(
            async move { storage_policies::save(&sdk, policy, editing_now).await },
            move |_| {
                done.show(format!("Storage policy {name} saved."));
                reset();
                refresh.run(());
            },
        );
    };
    view! {
        <form class="card form" on:submit=submit novalidate=true aria-labelledby="policy-form-heading">
            <h2 id="policy-form-heading">{move || match editing.get() {
                Some(p) => format!("Edit storage policy {}", p.name),
                None => "Add a storage policy".to_string(),
            }}</h2>
            <CallError call/>
            <div class="field">
                <label for="policy-name">"Name"</label>
                <input
                    id="policy-name"
                    type="text"
                    autocomplete="off"
                    readonly=move || editing.with(Option::is_some)
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
                    {move || if editing.with(Option::is_some) { "Save policy" } else { "Create policy" }}
                </button>
                <Show when=move || editing.with(Option::is_some)>
                    <button type="button" class="button" on:click=move |_| reset()>"Cancel editing"</button>
                </Show>
            </div>
            <Notice text=done/>
        </form>
    }
}
