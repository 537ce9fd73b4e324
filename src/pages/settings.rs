//! Connection settings: which SDK endpoint to talk to, the request timeout, and the bearer
//! token (who it says you are, when it expires, and signing out).

use std::time::Duration;

use leptos::prelude::*;

use crate::api::{page_origin, settings, Sdk};
use crate::browser::clock::{local_time, unix_now};
use crate::browser::cluster::{here, sso_login};
use crate::browser::document::focus_first_invalid;
use crate::browser::token::decode;
use crate::components::field::{checked, described_by, Field, FieldError, Input};
use crate::components::notice::{Notice, NoticeText};
use crate::hooks::connection::use_connection;
use crate::hooks::title::use_title;
use crate::logic::session::{roles_text, SsoState};
use crate::logic::{format, token, validate};
use leptos_router::hooks::use_query_map;

#[component]
pub fn SettingsPage() -> impl IntoView {
    use_title("Connection settings");
    view! {
        <section class="page">
            <h1>"Connection settings"</h1>
            <SingleSignOn/>
            <ConnectionForm/>
            <TokenForm/>
        </section>
    }
}

/// "Sign in with …" when console-server offers single sign-on for this cluster, who is signed
/// in through it, or why it is unavailable; and why the last sign-in failed, once.
#[component]
fn SingleSignOn() -> impl IntoView {
    let conn = use_connection();
    let query = use_query_map();
    let cluster = conn.sdk.with_untracked(|s| s.cluster.clone());
    // Back where the user was (a path of this console), else this cluster's overview.
    let return_to = move || {
        query
            .with(|q| q.get("return"))
            .filter(|r| r.starts_with('/') && !r.starts_with("//"))
            .unwrap_or_else(|| here("/"))
    };
    let card = move |sso: SsoState| {
        let name = sso.provider.name.clone();
        let notice = sso.notice.clone().map(|notice| {
            view! { <div class="banner banner--error" role="alert" data-testid="sso-notice">{notice}</div> }
        });
        let body = if !sso.covers(cluster.as_deref()) {
            view! {
                <p class="muted">"Single sign-on with " {name} " does not serve this cluster: sign in with its own token below."</p>
            }
            .into_any()
        } else if let Some(user) = sso.user.clone() {
            let who = user.claims().who().to_string();
            view! {
                <p role="status" data-testid="sso-user">
                    "Signed in as " <strong>{who}</strong> " (" {roles_text(&user.roles)} ") through " {name} "."
                </p>
                <div class="actions">
                    <button type="button" class="button" on:click=move |_| conn.sign_out_sso()>"Sign out"</button>
                </div>
            }
            .into_any()
        } else if sso.provider.available {
            view! {
                <div class="actions">
                    <a class="button button--primary" href=sso_login(&return_to()) rel="external">"Sign in with " {name}</a>
                </div>
                <p class="muted">"Your organisation's sign-in; the console keeps the session in a cookie page scripts cannot read."</p>
            }
            .into_any()
        } else {
            let why = sso.provider.why.clone().unwrap_or_default();
            view! {
                <p role="status" data-testid="sso-unavailable">
                    "Single sign-on with " {name} " is unavailable: " {why} ". Sign in with a token below, or try again later."
                </p>
            }
            .into_any()
        };
        view! {
            <section class="card form" aria-labelledby="sso-heading">
                <h2 id="sso-heading">"Single sign-on"</h2>
                {notice}
                {body}
            </section>
        }
    };
    move || conn.sso.get().map(&card)
}

#[component]
fn ConnectionForm() -> impl IntoView {
    let conn = use_connection();
    let current = conn.sdk.get_untracked();
    let endpoint = RwSignal::new(current.endpoint.clone());
    let timeout = RwSignal::new(current.deadline.as_secs().to_string());
    let endpoint_error = RwSignal::new(None::<String>);
    let timeout_error = RwSignal::new(None::<String>);
    let done = NoticeText::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.clear();
        let url = validate::endpoint(&endpoint.get_untracked());
        let secs = validate::timeout_seconds(&timeout.get_untracked());
        endpoint_error.set(url.clone().err());
        timeout_error.set(secs.clone().err());
        focus_first_invalid([
            ("settings-endpoint", url.is_err()),
            ("settings-timeout", secs.is_err()),
        ]);
        let (Ok(url), Ok(secs)) = (url, secs) else {
            return;
        };
        let deadline = Duration::from_secs(secs);
        settings::save_connection(&url, deadline);
        endpoint.set(url.clone());
        conn.sdk
            .update(|sdk| sdk.set_endpoint(url.clone(), deadline));
        done.show(format!("Saved: the console now talks to {url}."));
    };
    view! {
        <form class="card form" on:submit=submit novalidate=true aria-labelledby="endpoint-heading">
            <h2 id="endpoint-heading">"SDK endpoint"</h2>
            <p class="muted">
                "The console talks gRPC-Web. By default it uses the address it was loaded from (console-server serves both); any other gRPC-Web endpoint, such as another console-server or an Envoy in front of a cluster, works too."
            </p>
            <div class="field">
                <label for="settings-endpoint">"Endpoint URL"</label>
                <input id="settings-endpoint" type="url" autocomplete="url" spellcheck="false"
                    aria-describedby=described_by("settings-endpoint", false)
                    aria-invalid=move || endpoint_error.with(Option::is_some).to_string()
                    prop:value=move || endpoint.get() on:input=move |ev| endpoint.set(event_target_value(&ev))/>
                <FieldError id="settings-endpoint" error=endpoint_error/>
                <div class="actions">
                    <button type="button" class="button" on:click=move |_| endpoint.set(page_origin())>"Use this page's address"</button>
                </div>
            </div>
            <Field id="settings-timeout" label="Request timeout (seconds)" value=timeout error=timeout_error input=Input::Whole/>
            <div class="actions">
                <button type="submit" class="button button--primary">"Save connection"</button>
            </div>
            <Notice text=done/>
        </form>
    }
}

/// Who the token says its holder is, and until when.
fn describe(sdk: &Sdk) -> String {
    let Some(claims) = sdk.claims() else {
        return "Not signed in: calls are made as a guest, which may only read the cluster, nodes and volumes on clusters with auth on.".into();
    };
    let roles = if claims.roles.is_empty() {
        "no roles".to_string()
    } else {
        claims.roles.join(", ")
    };
    let now = unix_now();
    let expiry = match claims.exp {
        None => "does not expire".to_string(),
        Some(exp) if exp <= now => format!("expired at {}", local_time(exp)),
        Some(exp) => format!(
            "expires at {} (in {})",
            local_time(exp),
            format::duration_secs((exp - now) as u64)
        ),
    };
    format!(
        "Signed in as {} ({roles}); the token {expiry}.",
        claims.who()
    )
}

#[component]
fn TokenForm() -> impl IntoView {
    let conn = use_connection();
    let typed = RwSignal::new(String::new());
    let cluster = conn.sdk.with_untracked(|sdk| sdk.cluster.clone());
    let remember = RwSignal::new(settings::remembered(cluster.as_deref()));
    let error = RwSignal::new(None::<String>);
    let sign_in = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = token::bare(&typed.get_untracked()).to_string();
        let check = decode(&value)
            .map_err(|e| e.to_string())
            .and_then(|claims| match claims.exp {
                Some(exp) if claims.expired(unix_now()) => Err(format!(
                    "This token expired at {}; ask for a new one.",
                    local_time(exp)
                )),
                _ => Ok(()),
            });
        let Some(()) = checked("settings-token", error, check) else {
            return;
        };
        conn.sign_in(value, remember.get_untracked());
        // The field does not keep the token once it is in use.
        typed.set(String::new());
    };
    let sign_out = move |_| conn.sign_out();
    let signed_in = move || conn.sdk.with(|s| s.token.is_some());
    view! {
        <form class="card form section" on:submit=sign_in novalidate=true aria-labelledby="token-heading">
            <h2 id="token-heading">"Sign in with an SDK token"</h2>
            <p data-testid="signed-in-as" role="status">{move || match (conn.sdk.with(|s| s.token.is_some()), conn.sso_user()) {
                (false, Some(user)) => format!(
                    "No token: calls go as {} through single sign-on. A token entered here is used instead.",
                    user.claims().who()
                ),
                _ => conn.sdk.with(describe),
            }}</p>
            <p class="muted">"The token is sent as " <code>"authorization: bearer …"</code> " on every call. It is kept for this browser tab only, unless you tick “Remember on this device”."</p>
            <div class="field">
                <label for="settings-token">"Token"</label>
                <input id="settings-token" type="password" autocomplete="off" spellcheck="false"
                    aria-describedby=described_by("settings-token", false)
                    aria-invalid=move || error.with(Option::is_some).to_string()
                    prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev))/>
                <FieldError id="settings-token" error/>
            </div>
            <div class="field field--check">
                <input id="settings-remember" type="checkbox" prop:checked=move || remember.get() on:change=move |ev| remember.set(event_target_checked(&ev))/>
                <label for="settings-remember">"Remember on this device"</label>
            </div>
            <div class="actions">
                <button type="submit" class="button button--primary">"Sign in"</button>
                <Show when=signed_in>
                    <button type="button" class="button" on:click=sign_out>"Sign out"</button>
                </Show>
            </div>
        </form>
    }
}
