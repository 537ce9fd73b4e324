//! This cluster's pairing token and its pairs: listed, checked, deleted, and made with another
//! cluster (by address and token, or picked by name among this console's clusters).

use leptos::prelude::*;

use crate::api::dr::{self, Pairs};
use crate::api::fleet;
use crate::components::as_code::{row_code_id, ShowAsCode};
use crate::components::confirm::{Confirm, ConfirmDelete};
use crate::components::error_banner::CallError;
use crate::components::field::{checked, Field, Input};
use crate::components::notice::{Notice, NoticeText};
use crate::components::table::column_heads;
use crate::hooks::connection::use_connection;
use crate::hooks::fleet::use_fleet;
use crate::hooks::mutation::Mutation;
use crate::logic::as_code::Call;
use crate::logic::{dr as forms, format};
use crate::proto::cluster_pair_mode::Mode;
use crate::proto::methods::open_storage_cluster_pair;
use crate::proto::{ClusterPairCreateRequest, ClusterPairInfo};

/// Shown only when asked: the token lets another cluster pair with this one.
#[component]
pub(super) fn PairingToken() -> impl IntoView {
    let conn = use_connection();
    let call = Mutation::new();
    let token = RwSignal::new(None::<String>);
    let asking = RwSignal::new(false);
    let fetch = move |reset: bool| {
        let sdk = conn.sdk.get_untracked();
        call.run(async move { dr::token(&sdk, reset).await }, move |t| {
            asking.set(false);
            token.set(Some(t));
        });
    };
    let copy = move |_| {
        if let (Some(window), Some(t)) = (web_sys::window(), token.get_untracked()) {
            let _ = window.navigator().clipboard().write_text(&t);
        }
    };
    view! {
        <div class="card form" data-testid="pairing-token">
            <h2>"This cluster's pairing token"</h2>
            <p class="hint">"Give it to the other cluster's admin to pair with this one. It is shown here only, never stored by the console."</p>
            <CallError call/>
            {move || token.get().map(|t| view! { <code class="secret-text" data-testid="pairing-token-value">{t}</code> })}
            <div class="actions">
                <button type="button" class="button" disabled=move || call.busy.get() on:click=move |_| fetch(false)>"Show pairing token"</button>
                <Show when=move || token.with(Option::is_some)>
                    <button type="button" class="button" on:click=copy>"Copy token"</button>
                    <button type="button" class="button" on:click=move |_| token.set(None)>"Hide token"</button>
                </Show>
                <button type="button" class="button" on:click=move |_| asking.set(true)>"Reset token…"</button>
            </div>
            <Show when=move || asking.get()>
                <Confirm
                    question="Make a new pairing token? The current one stops working for new pairs."
                    action="Reset token"
                    busy=call.busy
                    on_confirm=Callback::new(move |_| fetch(true))
                    on_cancel=Callback::new(move |_| asking.set(false))
                />
            </Show>
        </div>
    }
}

fn mode_words(mode: i32) -> &'static str {
    match Mode::try_from(mode).unwrap_or(Mode::Default) {
        Mode::Default => "Default",
        Mode::DisasterRecovery => "Disaster recovery",
        Mode::OneTimeMigration => "One-time migration",
    }
}

#[component]
pub(super) fn PairsTable(pairs: Pairs, refresh: Callback<()>) -> impl IntoView {
    let default = pairs.default.clone();
    view! {
        <table class="table" aria-label="Cluster pairs" data-testid="pairs-table">
            {column_heads(&["Cluster", "ID", "Endpoint", "Mode", "Actions"])}
            <tbody>
                {pairs.list.into_iter().map(|p| {
                    let is_default = p.id == default;
                    view! { <PairRow pair=p is_default refresh/> }
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn PairRow(pair: ClusterPairInfo, is_default: bool, refresh: Callback<()>) -> impl IntoView {
    let conn = use_connection();
    let call = Mutation::new();
    let done = NoticeText::new();
    let asking = RwSignal::new(false);
    let id = pair.id.clone();
    let name = pair.name.clone();
    let check = {
        let id = id.clone();
        move |_| {
            let sdk = conn.sdk.get_untracked();
            let id = id.clone();
            call.run(async move { dr::check_pair(&sdk, id).await }, move |info| {
                done.show(format!(
                    "The cluster knows the pair with {} at {}.",
                    info.name, info.endpoint
                ));
            });
        }
    };
    let delete_code = {
        let id = id.clone();
        Signal::derive(move || Ok(dr::delete_pair_call(id.clone())))
    };
    let delete_code_id = row_code_id("pair-delete", &id);
    let delete = Callback::new(move |_| {
        let sdk = conn.sdk.get_untracked();
        let delete = dr::delete_pair_call(id.clone());
        call.run(async move { Ok(sdk.run(delete).await?) }, move |_| {
            refresh.run(())
        });
    });
    view! {
        <tr data-testid="pair-row">
            <td>{pair.name.clone()}{is_default.then(|| view! { " " <span class="badge">"default"</span> })}</td>
            <td><code>{format::short_id(&pair.id).to_string()}</code></td>
            <td>{pair.endpoint.clone()}</td>
            <td>{mode_words(pair.mode)}</td>
            <td>
                <div class="actions">
                    <button type="button" class="button" disabled=move || call.busy.get() on:click=check aria-label=format!("Check pair {name}")>"Check"</button>
                    <button type="button" class="button" on:click=move |_| asking.set(true) aria-label=format!("Delete pair {}", pair.name)>"Delete…"</button>
                </div>
                <CallError call/>
                <Notice text=done/>
                <ConfirmDelete
                    open=asking
                    question=format!("Delete the pair with {}? Migrations to it stop being possible.", pair.name)
                    action="Delete pair"
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
pub(super) fn PairForm(offered: Signal<bool>, refresh: Callback<()>) -> impl IntoView {
    let conn = use_connection();
    let call = Mutation::new();
    let done = NoticeText::new();
    let address = RwSignal::new(String::new());
    let port = RwSignal::new(String::new());
    let token = RwSignal::new(String::new());
    let mode = RwSignal::new(Mode::Default as i32);
    let set_default = RwSignal::new(false);
    let address_error = RwSignal::new(None::<String>);
    let port_error = RwSignal::new(None::<String>);
    let token_error = RwSignal::new(None::<String>);
    let fill_from = move |(ip, other_token): (String, String)| {
        address.set(ip);
        port.set(String::new());
        token.set(other_token);
        address_error.set(None);
        token_error.set(None);
    };
    // The pair's fields once they are valid, as sent and as shown as code.
    let request = move |(ip, port_number): (String, u32), remote_cluster_token: String| {
        ClusterPairCreateRequest {
            remote_cluster_ip: ip,
            remote_cluster_port: port_number,
            remote_cluster_token,
            set_default: set_default.get(),
            mode: mode.get(),
            ..Default::default()
        }
    };
    let code = Signal::derive(move || {
        let remote = forms::remote(&address.get(), &port.get())
            .map_err(|problems| problems.into_iter().flatten().next().unwrap_or_default())?;
        let typed = forms::token(&token.get())?;
        Ok(Call::new(
            open_storage_cluster_pair::CREATE,
            &dr::create_pair_request(request(remote, typed)),
        ))
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.clear();
        let remote = forms::remote(&address.get_untracked(), &port.get_untracked());
        let (a, p) = match &remote {
            Ok(_) => (None, None),
            Err([a, p]) => (a.clone(), p.clone()),
        };
        address_error.set(a);
        port_error.set(p);
        let typed = checked(
            "pair-token",
            token_error,
            forms::token(&token.get_untracked()),
        );
        if remote.is_err() {
            crate::browser::document::focus_field(if address_error.get_untracked().is_some() {
                "pair-address"
            } else {
                "pair-port"
            });
            return;
        }
        let (Ok(remote), Some(remote_token)) = (remote, typed) else {
            return;
        };
        let request = untrack(|| request(remote, remote_token));
        let sdk = conn.sdk.get_untracked();
        call.run(
            async move { dr::create_pair(&sdk, request).await },
            move |made| {
                // The token is a secret: gone from the form once used.
                token.set(String::new());
                done.show(format!(
                    "Paired with {} ({}).",
                    made.remote_cluster_name, made.remote_cluster_id
                ));
                refresh.run(());
            },
        );
    };
    view! {
        <form class="card form" on:submit=submit novalidate=true aria-labelledby="pair-form-heading">
            <h3 id="pair-form-heading">"Pair with another cluster"</h3>
            <CallError call/>
            <FleetPick fill=Callback::new(fill_from)/>
            <Field id="pair-address" label="Other cluster's address" value=address error=address_error placeholder="10.0.0.5"/>
            <Field id="pair-port" label="Port (empty: 9001)" value=port error=port_error/>
            <Field id="pair-token" label="Its pairing token" value=token error=token_error input=Input::Secret/>
            <div class="field">
                <label for="pair-mode">"Mode"</label>
                <select id="pair-mode" on:change=move |ev| mode.set(event_target_value(&ev).parse().unwrap_or(0))>
                    {[Mode::Default, Mode::DisasterRecovery, Mode::OneTimeMigration].map(|m| view! {
                        <option value=(m as i32).to_string()>{mode_words(m as i32)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field field--check">
                <input id="pair-default" type="checkbox" prop:checked=move || set_default.get() on:change=move |ev| set_default.set(event_target_checked(&ev))/>
                <label for="pair-default">"Make it the default pair"</label>
            </div>
            <button type="submit" class="button button--primary" disabled=move || call.busy.get() || !offered.get()>"Pair clusters"</button>
            <Notice text=done/>
            <ShowAsCode call=code id="pair"/>
        </form>
    }
}

/// With several clusters behind this console, the other cluster is picked by name: its node
/// address and pairing token are asked of it (with the sign-in kept for it) and filled in.
#[component]
fn FleetPick(fill: Callback<(String, String)>) -> impl IntoView {
    let conn = use_connection();
    let fleet = use_fleet();
    let asking = Mutation::new();
    let done = NoticeText::new();
    let others = move || {
        let current = fleet.current_name();
        fleet.members.with(|m| {
            m.iter()
                .enumerate()
                .filter(|(_, c)| Some(&c.name) != current.as_ref())
                .map(|(i, c)| (c.name.clone(), i == 0))
                .collect::<Vec<_>>()
        })
    };
    let pick = move |ev: leptos::ev::Event| {
        done.clear();
        let name = event_target_value(&ev);
        let Some(first) = others()
            .into_iter()
            .find(|(n, _)| *n == name)
            .map(|(_, f)| f)
        else {
            return;
        };
        let other = fleet::member(&conn.sdk.get_untracked(), &name, first);
        asking.run(async move { fleet::pairing(&other).await }, move |found| {
            done.show(format!(
                "Filled in from {name}: the address of one of its nodes ({}) and its pairing token.",
                found.0
            ));
            fill.run(found);
        });
    };
    move || {
        let others = others();
        (!others.is_empty()).then(|| view! {
            <div class="field">
                <label for="pair-fleet">"A cluster of this console"</label>
                <select id="pair-fleet" on:change=pick disabled=move || asking.busy.get()>
                    <option value="">"None: enter another cluster's address and token"</option>
                    {others.into_iter().map(|(name, _)| view! { <option value=name.clone()>{name.clone()}</option> }).collect_view()}
                </select>
                <CallError call=asking/>
                <Notice text=done/>
            </div>
        })
    }
}
