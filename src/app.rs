//! The app: connection context, router and shell.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::api::Sdk;
use crate::components::shell::Shell;
use crate::hooks::connection::Connection;
use crate::pages::backups::BackupsPage;
use crate::pages::credentials::CredentialsPage;
use crate::pages::not_found::NotFoundPage;
use crate::pages::overview::OverviewPage;
use crate::pages::volume_create::CreateVolumePage;
use crate::pages::volume_detail::VolumeDetailPage;
use crate::pages::volumes::VolumesPage;

#[component]
pub fn App() -> impl IntoView {
    Connection::provide(Sdk::same_origin());
    view! {
        <Router>
            <Shell>
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=OverviewPage/>
                    <Route path=path!("/volumes") view=VolumesPage/>
                    <Route path=path!("/volumes/new") view=CreateVolumePage/>
                    <Route path=path!("/volumes/:id") view=VolumeDetailPage/>
                    <Route path=path!("/backups") view=BackupsPage/>
                    <Route path=path!("/credentials") view=CredentialsPage/>
                </Routes>
            </Shell>
        </Router>
    }
}
