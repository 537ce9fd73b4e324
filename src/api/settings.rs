//! Connection settings kept in the browser: the endpoint and timeout in localStorage (they are
//! not secret), the token in sessionStorage, or in localStorage only when the user asks to be
//! remembered on this device. Nothing here is ever put in a URL or logged.

use std::time::Duration;

use super::{page_origin, Sdk, CALL_DEADLINE};
use crate::browser::storage::{get, set, Store};

const ENDPOINT: &str = "osc.endpoint";
const DEADLINE: &str = "osc.deadline-seconds";
const TOKEN: &str = "osc.token";

/// The settings saved in this browser, or the defaults (same origin, no token).
pub fn load() -> Sdk {
    let deadline = get(Store::Device, DEADLINE)
        .and_then(|s| s.parse::<u64>().ok())
        .filter(|s| (1..=300).contains(s))
        .map_or(CALL_DEADLINE, Duration::from_secs);
    Sdk::new(
        get(Store::Device, ENDPOINT).unwrap_or_else(page_origin),
        get(Store::Tab, TOKEN).or_else(|| get(Store::Device, TOKEN)),
        deadline,
    )
}

/// Whether the token is kept across browser restarts.
pub fn remembered() -> bool {
    get(Store::Device, TOKEN).is_some()
}

pub fn save_connection(endpoint: &str, deadline: Duration) {
    // The page's own origin is the default: store nothing for it, so a moved console follows.
    let custom = (endpoint != page_origin()).then_some(endpoint);
    set(Store::Device, ENDPOINT, custom);
    let custom_deadline = (deadline != CALL_DEADLINE).then(|| deadline.as_secs().to_string());
    set(Store::Device, DEADLINE, custom_deadline.as_deref());
}

pub fn save_token(token: Option<&str>, remember: bool) {
    set(Store::Tab, TOKEN, if remember { None } else { token });
    set(Store::Device, TOKEN, if remember { token } else { None });
}
