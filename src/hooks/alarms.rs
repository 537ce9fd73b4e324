//! The header's alarm count: active alerts of severity alarm. console-server counts them once
//! per sampling interval for every tab, and tabs ask it every 10 s; where it cannot (a token
//! through a gateway, a plain proxy) the tab asks the cluster itself, every 30 s.

use std::time::Duration;

use leptos::prelude::*;

use crate::api::alerts;
use crate::hooks::connection::use_connection;
use crate::hooks::polled::use_polled_every;

/// Asking console-server costs the cluster nothing; asking the cluster does.
const FROM_CONSOLE: Duration = Duration::from_secs(10);
const FROM_CLUSTER: Duration = Duration::from_secs(30);

/// The number of active alarms; `None` while unknown or where the cluster keeps no alerts.
pub fn use_alarm_count() -> Signal<Option<usize>> {
    let conn = use_connection();
    // The count, and whether console-server gave it.
    let every = |(_, from_console): &(Option<usize>, bool)| {
        if *from_console {
            FROM_CONSOLE
        } else {
            FROM_CLUSTER
        }
    };
    let query = use_polled_every(every, move || {
        let sdk = conn.sdk.get_untracked();
        async move { alerts::alarm_count(&sdk).await }
    });
    Signal::derive(move || query.data.get().and_then(|(count, _)| count))
}
