//! The capacity forecast of the cluster or a node (and its pools), asked once a minute: it
//! moves with hours of history, not seconds. `None` where console-server keeps no history.

use std::time::Duration;

use leptos::prelude::*;

use crate::api::metrics::{self, Subject};
use crate::hooks::connection::use_connection;
use crate::hooks::polled::{use_keyed_polled, Polled};
use crate::proto::console::ForecastResponse;

const REFRESH: Duration = Duration::from_secs(60);

pub fn use_forecast(subject: Signal<Subject>) -> Polled<Option<ForecastResponse>> {
    let conn = use_connection();
    use_keyed_polled(
        move || subject.get(),
        |_| REFRESH,
        move |subject| {
            let sdk = conn.sdk.get_untracked();
            async move { metrics::forecast(&sdk, subject).await }
        },
    )
}
