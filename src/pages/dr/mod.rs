//! Disaster recovery: this cluster's pairing token (shown only when asked, never kept), its
//! pairs with other clusters (check, delete, pair with another), its cluster domains, and cloud
//! migrations to a paired cluster (a volume, a group or every volume) with their progress,
//! cancellable. One section a file.

mod domains;
mod migrations;
mod pairs;

use std::time::Duration;

use leptos::prelude::*;

use crate::api::dr;
use crate::components::polled_view::QueryError;
use crate::hooks::connection::use_connection;
use crate::hooks::polled::use_polled;
use crate::hooks::title::use_title;

use domains::ClusterDomains;
use migrations::{MigrationForm, MigrationsTable};
use pairs::{PairForm, PairingToken, PairsTable};

const PAIRS_EVERY: Duration = Duration::from_secs(15);
const MIGRATIONS_EVERY: Duration = Duration::from_secs(3);

#[component]
pub fn DrPage() -> impl IntoView {
    use_title("Disaster recovery");
    let conn = use_connection();
    let pairs = use_polled(PAIRS_EVERY, move || {
        let sdk = conn.sdk.get_untracked();
        async move { dr::pairs(&sdk).await }
    });
    let migrations = use_polled(MIGRATIONS_EVERY, move || {
        let sdk = conn.sdk.get_untracked();
        async move { dr::migrations(&sdk).await }
    });
    let refresh_pairs = Callback::new(move |_| pairs.refresh());
    let refresh_migrations = Callback::new(move |_| migrations.refresh());
    let listed = Signal::derive(move || pairs.data.get().flatten());
    view! {
        <section class="page">
            <h1>"Disaster recovery"</h1>
            <p class="muted">"Pair this cluster with another, then migrate volumes to it. Pairing needs the other cluster's address and its pairing token."</p>
            <PairingToken/>
            <section class="section" aria-labelledby="pairs-heading">
                <h2 id="pairs-heading">"Cluster pairs"</h2>
                <QueryError error=pairs.error/>
                {move || match pairs.data.get() {
                    Some(None) => view! { <p class="notice" data-testid="pairs-not-offered">"This cluster does not offer cluster pairs."</p> }.into_any(),
                    Some(Some(p)) if p.list.is_empty() => view! { <p class="empty" data-testid="pairs-empty">"This cluster is not paired with another yet."</p> }.into_any(),
                    Some(Some(p)) => view! { <PairsTable pairs=p refresh=refresh_pairs/> }.into_any(),
                    None => ().into_any(),
                }}
                <PairForm offered=Signal::derive(move || !matches!(pairs.data.get(), Some(None))) refresh=refresh_pairs/>
            </section>
            <ClusterDomains/>
            <section class="section" aria-labelledby="migrations-heading">
                <h2 id="migrations-heading">"Migrations"</h2>
                <QueryError error=migrations.error/>
                <MigrationForm pairs=listed offered=Signal::derive(move || !matches!(migrations.data.get(), Some(None))) refresh=refresh_migrations/>
                {move || match migrations.data.get() {
                    Some(None) => view! { <p class="notice" data-testid="migrations-not-offered">"This cluster does not offer migrations."</p> }.into_any(),
                    Some(Some(list)) if list.is_empty() => view! { <p class="empty" data-testid="migrations-empty">"No migrations."</p> }.into_any(),
                    Some(Some(list)) => view! { <MigrationsTable list pairs=listed refresh=refresh_migrations/> }.into_any(),
                    None => ().into_any(),
                }}
            </section>
        </section>
    }
}
