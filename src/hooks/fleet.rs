//! The clusters console-server serves, asked once per page (they change only when it
//! restarts) and retried until it answers; the header's switcher and the fleet page read it.

use std::time::Duration;

use leptos::prelude::*;

use crate::api::{fleet, Sdk};
use crate::hooks::connection::use_connection;
use crate::proto::console::FleetCluster;

const RETRY: Duration = Duration::from_secs(10);

/// Empty until console-server answers, and where the endpoint has no Fleet service.
#[derive(Debug, Clone, Copy)]
pub struct Fleet {
    pub members: ReadSignal<Vec<FleetCluster>>,
    /// The cluster this page is for (None: the console's first).
    pub current: Option<&'static str>,
}

impl Fleet {
    pub fn provide() -> Fleet {
        let conn = use_connection();
        let sdk = conn.sdk.get_untracked();
        // The list is the console's, not a cluster's: asked without a cluster and as a guest.
        let asking = Sdk::new(sdk.endpoint.clone(), None, sdk.deadline);
        // Once per page load (another cluster is another page), so kept for the page's life.
        let current = sdk.cluster.map(|name| &*name.leak());
        let members = RwSignal::new(Vec::new());
        leptos::task::spawn_local(async move {
            loop {
                if let Ok(list) = fleet::clusters(&asking).await {
                    members.try_set(list);
                    break;
                }
                gloo_timers::future::sleep(RETRY).await;
                if members.try_get_untracked().is_none() {
                    break;
                }
            }
        });
        let fleet = Fleet {
            members: members.read_only(),
            current,
        };
        provide_context(fleet);
        fleet
    }

    /// The current cluster's name once known: the one the address names, or the first.
    pub fn current_name(&self) -> Option<String> {
        self.current
            .map(str::to_string)
            .or_else(|| self.members.with(|m| m.first().map(|c| c.name.clone())))
    }

    /// The address names a cluster this console does not serve (a link from another console,
    /// or a remembered cluster since removed).
    pub fn unknown_current(&self) -> Option<&'static str> {
        let current = self.current?;
        self.members
            .with(|m| !m.is_empty() && !m.iter().any(|c| c.name == current))
            .then_some(current)
    }
}

pub fn use_fleet() -> Fleet {
    expect_context::<Fleet>()
}
