use leptos::prelude::*;
use leptos_router::components::A;

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
            <a class="topbar__brand" href="/">"OpenStorage Console"</a>
            <nav class="topbar__nav" aria-label="Main">
                <A href="/" exact=true>"Overview"</A>
                <A href="/volumes">"Volumes"</A>
                <A href="/policies">"Policies"</A>
                <A href="/roles">"Roles"</A>
                <A href="/dr">"DR"</A>
                <A href="/backups">"Backups"</A>
                <A href="/credentials">"Credentials"</A>
                <A href="/alerts">
                    "Alerts"
                    {move || alarms.get().filter(|n| *n > 0).map(|n| view! {
                        " "
                        <span class="count-badge" data-testid="alarm-count" title="Active alarms">
                            {n}
                            <span class="visually-hidden">{if n == 1 { " active alarm" } else { " active alarms" }}</span>
                        </span>
                    })}
                </A>
                <A href="/settings">"Settings"</A>
            </nav>
            <ConnectionIndicator/>
        </header>
        <ConnectionBanner/>
        <main class="content">{children()}</main>
    }
}
