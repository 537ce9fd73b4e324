//! The screens whose code loads on demand: each `#[lazy_route]` view becomes its own wasm
//! module (scripts/build-wasm.mjs splits the build), fetched on the first visit to the screen,
//! so a new screen costs the console's first visit nothing (the size budget, docs/measurements.md). The
//! overview and the volume screens are not here: they are in the main module (see `app`).

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

use super::alerts::AlertsPage;
use super::backups::BackupsPage;
use super::credentials::CredentialsPage;
use super::dr::DrPage;
use super::fleet::FleetPage;
use super::node::NodePage;
use super::roles::RolesPage;
use super::settings::SettingsPage;
use super::storage_policies::StoragePoliciesPage;

/// A route whose view is the page, loaded when first visited. The pages read their route's
/// parameters themselves, so the route carries no data.
macro_rules! on_demand {
    ($($route:ident => $page:ident,)*) => {$(
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_route: Self) -> AnyView {
                view! { <$page/> }.into_any()
            }
        }
    )*};
}

on_demand! {
    PoliciesRoute => StoragePoliciesPage,
    NodeRoute => NodePage,
    RolesRoute => RolesPage,
    DrRoute => DrPage,
    AlertsRoute => AlertsPage,
    BackupsRoute => BackupsPage,
    CredentialsRoute => CredentialsPage,
    SettingsRoute => SettingsPage,
    FleetRoute => FleetPage,
}
