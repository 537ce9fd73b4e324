use crate::browser::cluster::here;
use leptos::prelude::*;
use leptos_router::components::A;

use super::cluster_switcher::{ClusterSwitcher, UnknownClusterBanner};
use super::connection_banner::ConnectionBanner;
use super::connection_indicator::ConnectionIndicator;

/// Header with navigation and the connection indicator, the connection banner, then the page.
#[component]
pub fn Shell(
    /// The routed page.
    children: Children,
) -> impl IntoView {
    crate::hooks::heartbeat::use_heartbeat();
    let alarms = crate::hooks::alarms::use_alarm_count();
    view! {
        <header class="topbar">
            <a class="topbar__brand" href=here("/")>"OpenStorage Console"</a>
            <nav class="topbar__nav" aria-label="Main">
                <A href={here("/")} exact=true>"Overview"</A>
                <A href={here("/volumes")}>"Volumes"</A>
                <A href={here("/policies")}>"Policies"</A>
                <A href={here("/roles")}>"Roles"</A>
                <A href={here("/dr")}>"DR"</A>
                <A href={here("/backups")}>"Backups"</A>
                <A href={here("/credentials")}>"Credentials"</A>
                <A href={here("/alerts")}>
                    "Alerts"
                    {move || alarms.get().filter(|n| *n > 0).map(|n| view! {
                        " "
                        <span class="count-badge" data-testid="alarm-count" title="Active alarms">
                            {n}
                            <span class="visually-hidden">{if n == 1 { " active alarm" } else { " active alarms" }}</span>
                        </span>
                    })}
                </A>
                <A href={here("/settings")}>"Settings"</A>
            </nav>
            <ClusterSwitcher/>
            <ConnectionIndicator/>
        </header>
        <UnknownClusterBanner/>
        <ConnectionBanner/>
        <main class="content">{children()}</main>
    }
}
