//! The cluster this page is for, read once from its address (`logic::cluster_path`), and the
//! last cluster used, remembered on this device. Another cluster is another page load: every
//! connection, cache and poller starts afresh for it, so nothing of one cluster shows in another.

use crate::browser::storage::{get, set, Store};
use crate::logic::cluster_path;

const LAST: &str = "osc.cluster";

thread_local! {
    /// This page's cluster prefix: fixed for the page's life (another cluster is another page).
    static BASE: String = cluster_path::base(current().0.as_deref());
}

/// The address of `screen` (a path from `/`) in this page's cluster, for links: the router
/// adds its base when it navigates and matches, but leaves an absolute `href` as it is.
pub fn here(screen: impl AsRef<str>) -> String {
    BASE.with(|base| format!("{base}{}", screen.as_ref()))
}

fn pathname() -> String {
    web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_else(|| "/".into())
}

/// The cluster the address names (None: the console's first), and the screen's path.
pub fn current() -> (Option<String>, String) {
    let path = pathname();
    let (cluster, screen) = cluster_path::split(&path);
    (cluster.map(str::to_string), screen.to_string())
}

/// Opening the console at `/` goes on to the last cluster used; any other address is kept
/// and becomes the last cluster used. True when the page is leaving for another address.
pub fn resume_last() -> bool {
    let (cluster, screen) = current();
    let last = get(Store::Device, LAST).filter(|name| cluster_path::is_name(name));
    match (cluster, last) {
        (None, Some(last)) if screen == "/" => {
            replace(&cluster_path::at(Some(&last), "/"));
            true
        }
        (cluster, _) if screen != cluster_path::FLEET => {
            set(Store::Device, LAST, cluster.as_deref());
            false
        }
        _ => false,
    }
}

/// Forgets the last cluster (it is no longer served).
pub fn forget_last() {
    set(Store::Device, LAST, None);
}

/// The screen a user is on, with its query.
pub fn screen_with_query() -> String {
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    format!("{}{search}", current().1)
}

/// Where "Sign in with …" goes: console-server's sign-in, returning to `return_to` (a path
/// of this console) afterwards.
pub fn sso_login(return_to: &str) -> String {
    let encoded: String = js_sys::encode_uri_component(return_to).into();
    format!("{}?return={encoded}", console_model::session::LOGIN_PATH)
}

/// This cluster's sign-in screen, returning to the screen the user is on after signing in.
pub fn sign_in_screen() -> String {
    let (_, screen) = current();
    let sign_in = here(console_model::session::SIGN_IN_SCREEN);
    if screen.starts_with(console_model::session::SIGN_IN_SCREEN) {
        return sign_in;
    }
    let encoded: String = js_sys::encode_uri_component(&here(screen_with_query())).into();
    format!("{sign_in}?return={encoded}")
}

/// Back to the sign-in screen, to return here after signing in again: the single sign-on
/// session has ended. On the sign-in screen already, it says so where it is.
pub fn back_to_sign_in() {
    if !current()
        .1
        .starts_with(console_model::session::SIGN_IN_SCREEN)
    {
        go(&sign_in_screen());
    }
}

/// Loads `address` in place of this page.
pub fn go(address: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(address);
    }
}

fn replace(address: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().replace(address);
    }
}
