//! Connection settings kept in the browser: the endpoint and timeout in localStorage (they are
//! not secret), the token in sessionStorage, or in localStorage only when the user asks to be
//! remembered on this device. Nothing here is ever put in a URL or logged.

use std::time::Duration;

use super::{page_origin, Sdk, CALL_DEADLINE};

const ENDPOINT: &str = "osc.endpoint";
const DEADLINE: &str = "osc.deadline-seconds";
const TOKEN: &str = "osc.token";

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

fn get(store: Option<web_sys::Storage>, key: &str) -> Option<String> {
    store?.get_item(key).ok()?.filter(|v| !v.is_empty())
}

fn set(store: Option<web_sys::Storage>, key: &str, value: Option<&str>) {
    if let Some(store) = store {
        let _ = match value {
            Some(v) => store.set_item(key, v),
            None => store.remove_item(key),
        };
    }
}

/// The settings saved in this browser, or the defaults (same origin, no token).
pub fn load() -> Sdk {
    let deadline = get(local(), DEADLINE)
        .and_then(|s| s.parse::<u64>().ok())
        .filter(|s| (1..=300).contains(s))
        .map_or(CALL_DEADLINE, Duration::from_secs);
    Sdk {
        endpoint: get(local(), ENDPOINT).unwrap_or_else(page_origin),
        token: get(session(), TOKEN).or_else(|| get(local(), TOKEN)),
        deadline,
    }
}

/// Whether the token is kept across browser restarts.
pub fn remembered() -> bool {
    get(local(), TOKEN).is_some()
}

pub fn save_connection(endpoint: &str, deadline: Duration) {
    // The page's own origin is the default: store nothing for it, so a moved console follows.
    let custom = (endpoint != page_origin()).then_some(endpoint);
    set(local(), ENDPOINT, custom);
    let custom_deadline = (deadline != CALL_DEADLINE).then(|| deadline.as_secs().to_string());
    set(local(), DEADLINE, custom_deadline.as_deref());
}

pub fn save_token(token: Option<&str>, remember: bool) {
    set(session(), TOKEN, if remember { None } else { token });
    set(local(), TOKEN, if remember { token } else { None });
}
