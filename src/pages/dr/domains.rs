//! The cluster's domains: each listed with whether it is active, deactivated after confirming
//! and activated again.

use leptos::prelude::*;

use super::PAIRS_EVERY;
use crate::api::dr;
use crate::components::confirm::Confirm;
use crate::components::error_banner::CallError;
use crate::components::polled_view::QueryError;
use crate::components::table::column_heads;
use crate::hooks::connection::use_connection;
use crate::hooks::mutation::Mutation;
use crate::hooks::polled::use_polled;

#[component]
pub(super) fn ClusterDomains() -> impl IntoView {
    let conn = use_connection();
    let query = use_polled(PAIRS_EVERY, move || {
        let sdk = conn.sdk.get_untracked();
        async move { dr::cluster_domains(&sdk).await }
    });
    let call = Mutation::new();
    let asking = RwSignal::new(None::<String>);
    let set = move |name: String, active: bool| {
        let sdk = conn.sdk.get_untracked();
        call.run(
            async move { dr::set_domain(&sdk, name, active).await },
            move |_| {
                asking.set(None);
                query.refresh();
            },
        );
    };
    view! {
        <section class="section" aria-labelledby="domains-heading">
            <h2 id="domains-heading">"Cluster domains"</h2>
            <QueryError error=query.error/>
            <CallError call/>
            {move || match query.data.get() {
                Some(None) => view! { <p class="notice" data-testid="domains-none">"This cluster has no cluster domains."</p> }.into_any(),
                Some(Some(list)) => view! {
                    <table class="table" aria-label="Cluster domains" data-testid="domains-table">
                        {column_heads(&["Domain", "State", "Actions"])}
                        <tbody>
                            {list.into_iter().map(|(name, active)| {
                                let shown = name.clone();
                                view! {
                                    <tr data-testid="domain-row">
                                        <td>{name.clone()}</td>
                                        <td data-testid="domain-state">{if active { "Active" } else { "Inactive" }}</td>
                                        <td>{if active {
                                            view! { <button type="button" class="button" on:click=move |_| asking.set(Some(name.clone())) aria-label=format!("Deactivate {shown}")>"Deactivate…"</button> }.into_any()
                                        } else {
                                            view! { <button type="button" class="button" disabled=move || call.busy.get() on:click=move |_| set(name.clone(), true) aria-label=format!("Activate {shown}")>"Activate"</button> }.into_any()
                                        }}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
                None => ().into_any(),
            }}
            {move || asking.get().map(|name| {
                let target = name.clone();
                view! {
                    <Confirm
                        question=format!("Deactivate cluster domain {name}? Its nodes stop serving volumes until it is activated again.")
                        action="Deactivate domain"
                        busy=call.busy
                        on_confirm=Callback::new(move |_| set(target.clone(), false))
                        on_cancel=Callback::new(move |_| asking.set(None))
                    />
                }
            })}
        </section>
    }
}
