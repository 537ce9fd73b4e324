//! A light call every 10 s on every screen, so the connection indicator is true even on
//! screens that do not poll (forms), and recovery is noticed wherever you are (the call is
//! `overview::reachable`: console-server's shared check, or Identity.Version).

use std::time::Duration;

use leptos::prelude::*;

use crate::api::overview;
use crate::hooks::connection::use_connection;
use crate::hooks::polled::use_polled;

const EVERY: Duration = Duration::from_secs(10);

pub fn use_heartbeat() {
    let conn = use_connection();
    use_polled(EVERY, move || {
        let sdk = conn.sdk.get_untracked();
        async move { overview::reachable(&sdk).await }
    });
}
