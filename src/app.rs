//! The app: connection and poller contexts, router and shell.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::shell::Shell;
use crate::hooks::connection::Connection;
use crate::hooks::poller::Poller;
use crate::pages::alerts::AlertsPage;
use crate::pages::backups::BackupsPage;
use crate::pages::credentials::CredentialsPage;
use crate::pages::dr::DrPage;
use crate::pages::node::NodePage;
use crate::pages::not_found::{CrashTestPage, NotFoundPage};
use crate::pages::overview::OverviewPage;
use crate::pages::roles::RolesPage;
use crate::pages::settings::SettingsPage;
use crate::pages::storage_policies::StoragePoliciesPage;
use crate::pages::volume::VolumeDetailPage;
use crate::pages::volume_create::CreateVolumePage;
use crate::pages::volumes::VolumesPage;

#[component]
pub fn App() -> impl IntoView {
    Connection::provide(crate::api::settings::load());
    Poller::provide();
    view! {
        <Router>
            <Shell>
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=OverviewPage/>
                    <Route path=path!("/volumes") view=VolumesPage/>
                    <Route path=path!("/volumes/new") view=CreateVolumePage/>
                    <Route path=path!("/volumes/:id") view=VolumeDetailPage/>
                    <Route path=path!("/nodes/:id") view=NodePage/>
                    <Route path=path!("/policies") view=StoragePoliciesPage/>
                    <Route path=path!("/roles") view=RolesPage/>
                    <Route path=path!("/dr") view=DrPage/>
                    <Route path=path!("/alerts") view=AlertsPage/>
                    <Route path=path!("/backups") view=BackupsPage/>
                    <Route path=path!("/credentials") view=CredentialsPage/>
                    <Route path=path!("/settings") view=SettingsPage/>
                    <Route path=path!("/debug/crash") view=CrashTestPage/>
                </Routes>
            </Shell>
        </Router>
    }
}
