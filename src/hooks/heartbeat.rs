//! A light call every 10 s on every screen, so the connection indicator is true even on
//! screens that do not poll (forms), and recovery is noticed wherever you are. Where the
//! endpoint is console-server, it asks console-server's own shared check of the cluster (one
//! call per 10 s to the cluster, whatever the number of tabs); elsewhere Identity.Version.

use std::time::Duration;

use leptos::prelude::*;

use crate::api::overview;
use crate::api::view::{self, ViewError};
use crate::error::AppError;
use crate::hooks::connection::use_connection;
use crate::hooks::query::use_query;

const EVERY: Duration = Duration::from_secs(10);

pub fn use_heartbeat() {
    let conn = use_connection();
    // The endpoint found to have no view service: asked with SDK calls from then on.
    let without_view = StoredValue::new(None::<String>);
    use_query(EVERY, move || {
        let sdk = conn.sdk.get_untracked();
        let plain = without_view.get_value().as_deref() == Some(sdk.endpoint.as_str());
        async move {
            if !plain {
                match view::health(&sdk).await {
                    Ok(health) if health.cluster_reachable => return Ok(()),
                    Ok(health) => return Err(AppError::Unreachable(health.reason)),
                    Err(ViewError::Failed(error)) => return Err(error),
                    Err(ViewError::Absent(_)) => {
                        without_view.try_set_value(Some(sdk.endpoint.clone()));
                    }
                }
            }
            overview::sdk_version(&sdk).await.map(|_| ())
        }
    });
}
