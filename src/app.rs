//! The app: connection and poller contexts, router and shell. The overview and the volume
//! screens (the ones visited and linked to most) are in the main module; every other screen's
//! code loads on its first visit (`pages::on_demand`). Splitting the volume screens too made a
//! link straight to a volume's page fetch 107 small files (docs/measurements.md).

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use leptos_router::Lazy;

use crate::components::shell::Shell;
use crate::hooks::connection::Connection;
use crate::hooks::fleet::Fleet;
use crate::hooks::poller::Poller;
use crate::pages::not_found::{CrashTestPage, NotFoundPage};
use crate::pages::on_demand::{
    AlertsRoute, BackupsRoute, CredentialsRoute, DrRoute, FleetRoute, NodeRoute, PoliciesRoute,
    RolesRoute, SettingsRoute,
};
use crate::pages::overview::OverviewPage;
use crate::pages::volume::VolumeDetailPage;
use crate::pages::volume_create::CreateVolumePage;
use crate::pages::volumes::VolumesPage;

#[component]
pub fn App() -> impl IntoView {
    // The cluster this page is for: its screens are under its address (`logic::cluster_path`).
    let (cluster, _) = crate::browser::cluster::current();
    let base = crate::logic::cluster_path::base(cluster.as_deref());
    Connection::provide(crate::api::settings::load(cluster));
    Fleet::provide();
    Poller::provide();
    view! {
        <Router base>
            <Shell>
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=OverviewPage/>
                    <Route path=path!("/volumes") view=VolumesPage/>
                    <Route path=path!("/volumes/new") view=CreateVolumePage/>
                    <Route path=path!("/volumes/:id") view=VolumeDetailPage/>
                    <Route path=path!("/nodes/:id") view={Lazy::<NodeRoute>::new()}/>
                    <Route path=path!("/policies") view={Lazy::<PoliciesRoute>::new()}/>
                    <Route path=path!("/roles") view={Lazy::<RolesRoute>::new()}/>
                    <Route path=path!("/dr") view={Lazy::<DrRoute>::new()}/>
                    <Route path=path!("/alerts") view={Lazy::<AlertsRoute>::new()}/>
                    <Route path=path!("/backups") view={Lazy::<BackupsRoute>::new()}/>
                    <Route path=path!("/credentials") view={Lazy::<CredentialsRoute>::new()}/>
                    <Route path=path!("/settings") view={Lazy::<SettingsRoute>::new()}/>
                    <Route path=path!("/clusters") view={Lazy::<FleetRoute>::new()}/>
                    <Route path=path!("/debug/crash") view=CrashTestPage/>
                </Routes>
            </Shell>
        </Router>
    }
}
