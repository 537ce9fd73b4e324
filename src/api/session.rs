//! console-server's single sign-on, over plain HTTP on the page's own origin: who is signed in
//! (`/auth/session`, JSON read by the browser's `JSON.parse`, as `browser::token` reads a
//! token) and signing out (`/auth/logout`). The tokens themselves never reach the page.

use js_sys::{Array, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::logic::session::{SsoProvider, SsoState, SsoUser};
use console_model::session::{LOGOUT_PATH, SESSION_PATH};

/// What console-server says of single sign-on: None when it has none (no `--oidc-issuer`, or
/// not a console-server at all).
pub async fn load() -> Option<SsoState> {
    let window = web_sys::window()?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(SESSION_PATH))
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    let json_type = response
        .headers()
        .get("content-type")
        .ok()
        .flatten()
        .is_some_and(|t| t.starts_with("application/json"));
    if !response.ok() || !json_type {
        return None;
    }
    let body = JsFuture::from(response.json().ok()?).await.ok()?;
    read(&body)
}

/// Ends the session at console-server, then where it says to go (the provider's sign-out, or
/// back to the sign-in screen). A POST from this page: its `Origin` proves it is the console.
pub async fn sign_out() -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    let response: web_sys::Response =
        JsFuture::from(window.fetch_with_str_and_init(LOGOUT_PATH, &init))
            .await
            .map_err(|_| "console-server cannot be reached to sign out".to_string())?
            .dyn_into()
            .map_err(|_| "console-server answered oddly".to_string())?;
    if !response.ok() {
        return Err(format!(
            "console-server refused to sign out ({})",
            response.status()
        ));
    }
    let body = JsFuture::from(response.json().map_err(|_| "no answer".to_string())?)
        .await
        .map_err(|_| "console-server's answer is not JSON".to_string())?;
    text(&body, "location").ok_or_else(|| "console-server said nowhere to go".into())
}

fn field(object: &JsValue, name: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

fn text(object: &JsValue, name: &str) -> Option<String> {
    field(object, name).as_string()
}

fn list(object: &JsValue, name: &str) -> Vec<String> {
    let value = field(object, name);
    if !Array::is_array(&value) {
        return Vec::new();
    }
    Array::from(&value)
        .iter()
        .filter_map(|v| v.as_string())
        .collect()
}

fn read(body: &JsValue) -> Option<SsoState> {
    let provider = field(body, "provider");
    if !provider.is_object() {
        return None;
    }
    let user = field(body, "user");
    Some(SsoState {
        provider: SsoProvider {
            name: text(&provider, "name").unwrap_or_default(),
            issuer: text(&provider, "issuer").unwrap_or_default(),
            available: field(&provider, "available").as_bool().unwrap_or(false),
            why: text(&provider, "why"),
            clusters: list(&provider, "clusters"),
            default_cluster: text(&provider, "default_cluster").unwrap_or_default(),
        },
        user: user.is_object().then(|| SsoUser {
            subject: text(&user, "subject").unwrap_or_default(),
            name: text(&user, "name").unwrap_or_default(),
            email: text(&user, "email").unwrap_or_default(),
            roles: list(&user, "roles"),
            groups: list(&user, "groups"),
            expires_at: field(&user, "expires_at").as_f64().unwrap_or_default() as i64,
        }),
        notice: text(body, "notice"),
    })
}
