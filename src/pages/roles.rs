//! Roles: every role with its rules (system roles read-only, the guest role editable as the
//! cluster allows), and the form that creates or edits a custom role. The rules are checked
//! before sending; on a cluster without the service the page says it is not offered.

use leptos::prelude::*;

use crate::api::roles::{self, Roles};
use crate::browser::document::focus_field;
use crate::components::as_code::{row_code_id, ShowAsCode};
use crate::components::confirm::ConfirmDelete;
use crate::components::error_banner::CallError;
use crate::components::field::{Field, FieldError};
use crate::components::notice::{Notice, NoticeText};
use crate::components::polled_view::PolledView;
use crate::components::table::column_heads;
use crate::hooks::connection::use_connection;
use crate::hooks::mutation::Mutation;
use crate::hooks::polled::use_polled;
use crate::hooks::title::use_title;
use crate::logic::roles as rules;
use crate::proto::SdkRole;

const EVERY: std::time::Duration = std::time::Duration::from_secs(30);

/// What the form holds: the role being edited (None: a new one), its name and its rules.
#[derive(Clone, Copy)]
struct Editor {
    editing: RwSignal<Option<String>>,
    name: RwSignal<String>,
    rules: RwSignal<String>,
}

#[component]
pub fn RolesPage() -> impl IntoView {
    use_title("Roles");
    let conn = use_connection();
    let query = use_polled(EVERY, move || {
        let sdk = conn.sdk.get_untracked();
        async move { roles::list(&sdk).await }
    });
    let refresh = Callback::new(move |_| query.refresh());
    let offered = Memo::new(move |_| !matches!(query.data.get(), Some(Roles::NotOffered)));
    let listed = Memo::new(move |_| match query.data.get() {
        Some(Roles::Offered(roles)) => roles,
        _ => Vec::new(),
    });
    let editor = Editor {
        editing: RwSignal::new(None),
        name: RwSignal::new(String::new()),
        rules: RwSignal::new(String::new()),
    };
    view! {
        <section class="page">
            <h1>"Roles"</h1>
            <p class="muted">"What a token's roles let it call. Each rule names services and APIs: * matches any, inspect* any API starting with inspect, and !delete denies. Denials are checked first; any of a token's roles allowing a call is enough."</p>
            <PolledView
                query
                what="roles"
                is_empty=|r: &Roles| matches!(r, Roles::Offered(roles) if roles.is_empty())
                empty=|| view! { <p class="empty">"The cluster lists no roles."</p> }
            >
                <Show
                    when=move || offered.get()
                    fallback=|| view! { <p class="notice" data-testid="roles-not-offered">"This cluster does not offer roles."</p> }
                >
                    <table class="table" data-testid="roles-table" aria-label="Roles">
                        {column_heads(&["Name", "Rules", "Actions"])}
                        <tbody>
                            // Redrawn only when the roles change (a handful of rows).
                            {move || listed.get().into_iter().map(|role| view! { <RoleRow role editor refresh/> }).collect_view()}
                        </tbody>
                    </table>
                </Show>
            </PolledView>
            <RoleEditor editor offered refresh/>
        </section>
    }
}

#[component]
fn RoleRow(role: SdkRole, editor: Editor, refresh: Callback<()>) -> impl IntoView {
    let conn = use_connection();
    let call = Mutation::new();
    let asking = RwSignal::new(false);
    let name = role.name.clone();
    let text = rules::rules_text(&role.rules);
    let delete = {
        let name = name.clone();
        Callback::new(move |_| {
            let sdk = conn.sdk.get_untracked();
            let name = name.clone();
            let delete = roles::delete_call(name.clone());
            call.run(async move { Ok(sdk.run(delete).await?) }, move |_| {
                refresh.run(())
            });
        })
    };
    let edit = {
        let name = name.clone();
        move |_| {
            editor.editing.set(Some(name.clone()));
            editor.name.set(name.clone());
            editor.rules.set(rules::rules_text(&role.rules));
            focus_field("role-rules");
        }
    };
    let system = rules::is_system(&name);
    let delete_code = {
        let name = name.clone();
        Signal::derive(move || Ok(roles::delete_call(name.clone())))
    };
    let delete_code_id = row_code_id("role-delete", &name);
    view! {
        <tr data-testid="role-row">
            <td>{name.clone()}{system.then(|| view! { " " <span class="badge">"system"</span> })}</td>
            <td><pre class="role-rules">{text}</pre></td>
            <td>
                <div class="actions">
                    {rules::editable(&name).then(|| view! {
                        <button type="button" class="button" on:click=edit.clone() aria-label=format!("Edit {name}")>"Edit"</button>
                    })}
                    {(!system).then(|| view! {
                        <button type="button" class="button" on:click=move |_| asking.set(true) aria-label=format!("Delete {name}")>"Delete…"</button>
                    })}
                    {(system && !rules::editable(&name)).then(|| view! { <span class="muted">"Fixed"</span> })}
                </div>
                <CallError call/>
                <ConfirmDelete
                    open=asking
                    question=format!("Delete role {name}? Tokens that carry it lose what it allowed.")
                    action="Delete role"
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

#[component]
fn RoleEditor(editor: Editor, offered: Memo<bool>, refresh: Callback<()>) -> impl IntoView {
    let conn = use_connection();
    let call = Mutation::new();
    let done = NoticeText::new();
    let name_error = RwSignal::new(None::<String>);
    let rules_error = RwSignal::new(None::<String>);
    let editing = move || editor.editing.get();
    let reset = move || {
        editor.editing.set(None);
        editor.name.set(String::new());
        editor.rules.set(String::new());
        name_error.set(None);
        rules_error.set(None);
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.clear();
        let is_edit = editor.editing.get_untracked().is_some();
        let planned = rules::plan(
            &editor.name.get_untracked(),
            &editor.rules.get_untracked(),
            is_edit,
        );
        let role = match planned {
            Ok(role) => role,
            Err([name, rules]) => {
                focus_field(if name.is_some() {
                    "role-name"
                } else {
                    "role-rules"
                });
                name_error.set(name);
                rules_error.set(rules);
                return;
            }
        };
        name_error.set(None);
        rules_error.set(None);
        let sdk = conn.sdk.get_untracked();
        let name = role.name.clone();
        let save = roles::save_call(role, is_edit);
        call.run(async move { Ok(sdk.run(save).await?) }, move |_| {
            done.show(format!("Role {name} saved."));
            reset();
            refresh.run(());
        });
    };
    // The form's call as it stands, or the first thing it still needs.
    let code = Signal::derive(move || {
        let is_edit = editor.editing.with(Option::is_some);
        match rules::plan(&editor.name.get(), &editor.rules.get(), is_edit) {
            Ok(role) => Ok(roles::save_call(role, is_edit)),
            Err(problems) => Err(problems.into_iter().flatten().next().unwrap_or_default()),
        }
    });
    view! {
        <form class="card form" on:submit=submit novalidate=true aria-labelledby="role-form-heading">
            <h2 id="role-form-heading">{move || match editing() {
                Some(name) => format!("Edit role {name}"),
                None => "Add a role".to_string(),
            }}</h2>
            <CallError call/>
            {move || editing().is_none().then(|| view! {
                <Field id="role-name" label="Name" value=editor.name error=name_error placeholder="volume.reader"/>
            })}
            <div class="field">
                <label for="role-rules">"Rules"</label>
                <p class="hint" id="role-rules-hint">"One per line: services, a colon, then APIs, each a comma list, such as volume, cloudbackup: inspect*, enumerate*"</p>
                <textarea
                    id="role-rules"
                    rows="4"
                    aria-describedby="role-rules-hint role-rules-error"
                    aria-invalid=move || rules_error.with(Option::is_some).to_string()
                    prop:value=move || editor.rules.get()
                    on:input=move |ev| editor.rules.set(event_target_value(&ev))
                ></textarea>
                <FieldError id="role-rules" error=rules_error/>
            </div>
            <div class="actions">
                <button type="submit" class="button button--primary" disabled=move || call.busy.get() || !offered.get()>
                    {move || if editing().is_some() { "Save role" } else { "Create role" }}
                </button>
                <Show when=move || editing().is_some()>
                    <button type="button" class="button" on:click=move |_| reset()>"Cancel editing"</button>
                </Show>
            </div>
            <Notice text=done/>
            <ShowAsCode call=code id="role"/>
        </form>
    }
}
