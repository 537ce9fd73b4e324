//! The app: connection and poller contexts, router and shell. The overview is in the main
//! module; every other screen's code loads on its first visit (`pages::on_demand`).

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use leptos_router::Lazy;

use crate::components::shell::Shell;
use crate::hooks::connection::Connection;
use crate::hooks::poller::Poller;
use crate::pages::not_found::{CrashTestPage, NotFoundPage};
use crate::pages::on_demand::{
    AlertsRoute, BackupsRoute, CreateVolumeRoute, CredentialsRoute, DrRoute, NodeRoute,
    PoliciesRoute, RolesRoute, SettingsRoute, VolumeDetailRoute, VolumesRoute,
};
use crate::pages::overview::OverviewPage;

#[component]
pub fn App() -> impl IntoView {
    Connection::provide(crate::api::settings::load());
    Poller::provide();
    view! {
        <Router>
            <Shell>
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=OverviewPage/>
                    <Route path=path!("/volumes") view={Lazy::<VolumesRoute>::new()}/>
                    <Route path=path!("/volumes/new") view={Lazy::<CreateVolumeRoute>::new()}/>
                    <Route path=path!("/volumes/:id") view={Lazy::<VolumeDetailRoute>::new()}/>
                    <Route path=path!("/nodes/:id") view={Lazy::<NodeRoute>::new()}/>
                    <Route path=path!("/policies") view={Lazy::<PoliciesRoute>::new()}/>
                    <Route path=path!("/roles") view={Lazy::<RolesRoute>::new()}/>
                    <Route path=path!("/dr") view={Lazy::<DrRoute>::new()}/>
                    <Route path=path!("/alerts") view={Lazy::<AlertsRoute>::new()}/>
                    <Route path=path!("/backups") view={Lazy::<BackupsRoute>::new()}/>
                    <Route path=path!("/credentials") view={Lazy::<CredentialsRoute>::new()}/>
                    <Route path=path!("/settings") view={Lazy::<SettingsRoute>::new()}/>
                    <Route path=path!("/debug/crash") view=CrashTestPage/>
                </Routes>
            </Shell>
        </Router>
    }
}
