//! Connection settings kept in the browser: the endpoint and timeout in localStorage (they are
//! not secret), the token in sessionStorage, or in localStorage only when the user asks to be
//! remembered on this device. Nothing here is ever put in a URL or logged.

use std::time::Duration;

use super::{page_origin, Sdk, CALL_DEADLINE};
use crate::browser::storage::{get, set, Store};

const ENDPOINT: &str = "osc.endpoint";
const DEADLINE: &str = "osc.deadline-seconds";
const TOKEN: &str = "osc.token";

/// Sign-in is per cluster (clusters have their own issuers): each named cluster's token has
/// its own key; the unprefixed addresses (the first cluster) keep the key they always had.
fn token_key(cluster: Option<&str>) -> String {
    cluster.map_or_else(|| TOKEN.to_string(), |name| format!("{TOKEN}@{name}"))
}

/// The token saved for `cluster`, for this tab or this device.
pub fn token(cluster: Option<&str>) -> Option<String> {
    let key = token_key(cluster);
    get(Store::Tab, &key).or_else(|| get(Store::Device, &key))
}

/// The settings saved in this browser for `cluster`, or the defaults (same origin, no token).
pub fn load(cluster: Option<String>) -> Sdk {
    let deadline = get(Store::Device, DEADLINE)
        .and_then(|s| s.parse::<u64>().ok())
        .filter(|s| (1..=300).contains(s))
        .map_or(CALL_DEADLINE, Duration::from_secs);
    Sdk::new(
        get(Store::Device, ENDPOINT).unwrap_or_else(page_origin),
        token(cluster.as_deref()),
        deadline,
    )
    .in_cluster(cluster)
}

/// Whether `cluster`'s token is kept across browser restarts.
pub fn remembered(cluster: Option<&str>) -> bool {
    get(Store::Device, &token_key(cluster)).is_some()
}

pub fn save_connection(endpoint: &str, deadline: Duration) {
    // The page's own origin is the default: store nothing for it, so a moved console follows.
    let custom = (endpoint != page_origin()).then_some(endpoint);
    set(Store::Device, ENDPOINT, custom);
    let custom_deadline = (deadline != CALL_DEADLINE).then(|| deadline.as_secs().to_string());
    set(Store::Device, DEADLINE, custom_deadline.as_deref());
}

pub fn save_token(cluster: Option<&str>, token: Option<&str>, remember: bool) {
    let key = token_key(cluster);
    set(Store::Tab, &key, if remember { None } else { token });
    set(Store::Device, &key, if remember { token } else { None });
}
