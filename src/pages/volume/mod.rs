//! One volume: what Inspect says about it, its snapshots, its backups, and what an admin can do
//! to it. One section per file.

mod access;
mod actions;
mod attachment;
mod backups;
mod facts;
mod maintenance;
mod performance;
mod snapshots;

use std::collections::HashMap;
use std::time::Duration;

use crate::browser::cluster::here;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::volumes;
use crate::components::as_code::ShowAsCode;
use crate::components::polled_view::QueryError;
use crate::error::AppError;
use crate::hooks::connection::use_connection;
use crate::hooks::polled::use_keyed_polled;
use crate::hooks::title::use_title_from;
use crate::logic::as_code::Call;
use crate::logic::load_state::Phase;
use crate::proto::methods::open_storage_volume;
use crate::proto::Volume;

const REFRESH: Duration = Duration::from_secs(5);

#[component]
pub fn VolumeDetailPage() -> impl IntoView {
    let conn = use_connection();
    let params = use_params_map();
    let url_query = use_query_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    // Snapshots already inspected: a snapshot does not change, so a refresh inspects only the
    // new ones instead of every snapshot every time.
    let known = StoredValue::new(HashMap::<String, Volume>::new());
    let query = use_keyed_polled(
        move || id.get(),
        |_| REFRESH,
        move |id: String| {
            let sdk = conn.sdk.get_untracked();
            let cached = known.try_get_value().unwrap_or_default();
            async move {
                let detail = volumes::detail(&sdk, &id, &cached).await?;
                known.try_set_value(
                    detail
                        .snapshots
                        .iter()
                        .map(|s| (s.id.clone(), s.clone()))
                        .collect(),
                );
                Ok(detail)
            }
        },
    );
    let detail = query.data;
    use_title_from(move || {
        detail.with(|d| {
            d.as_ref().map_or_else(
                || "Volume".to_string(),
                |d| console_model::volume::name_of(&d.volume).to_string(),
            )
        })
    });
    let existed = move || url_query.with(|q| q.get("existed").is_some());
    let phase = Memo::new(move |_| query.phase(|_| false));
    let not_found = Memo::new(move |_| matches!(query.error.get(), Some(AppError::NotFound(_))));
    let other_error = Signal::derive(move || {
        query
            .error
            .get()
            .filter(|e| !matches!(e, AppError::NotFound(_)))
    });
    let refresh = Callback::new(move |_| query.refresh());

    view! {
        <section class="page">
            <p><A href={here("/volumes")}>"← Volumes"</A></p>
            <QueryError error=other_error/>
            // Drawn once per volume (the phase changes when another id loads), so forms below
            // keep what is typed across refreshes; each section follows `detail` itself.
            {move || match (phase.get(), not_found.get()) {
                (Phase::Failed, true) => view! { <VolumeNotFound id=id.get_untracked()/> }.into_any(),
                (Phase::Failed, false) => view! { <p class="muted" data-state="failed">"The volume could not be loaded."</p> }.into_any(),
                (Phase::Loading, _) => view! { <p class="muted" role="status" data-state="loading">"Loading volume…"</p> }.into_any(),
                (Phase::Empty | Phase::Loaded, _) => {
                    let (volume_id, volume_name) = detail.with_untracked(|d| {
                        d.as_ref()
                            .map(|d| (d.volume.id.clone(), console_model::volume::name_of(&d.volume).to_string()))
                            .unwrap_or_default()
                    });
                    view! {
                        {existed()
                            .then(|| {
                                view! {
                                    <div class="banner banner--info" role="status" data-testid="volume-existed">
                                        "A volume with this name and size already existed, so no new volume was created: this is it."
                                    </div>
                                }
                            })}
                        {move || detail.get().map(|d| view! { <facts::VolumeFacts detail=d/> })}
                        // The read behind this page, to script what the user sees here (after a
                        // create, the Inspect that follows it).
                        <ShowAsCode
                            call=Signal::stored(Ok(Call::new(open_storage_volume::INSPECT, &volumes::inspect_request(&volume_id))))
                            id="inspect"
                            label="Show reading this volume as code"
                        />
                        <performance::VolumePerformance volume_id=volume_id.clone()/>
                        <snapshots::SnapshotList detail refresh/>
                        <backups::VolumeBackups volume_id volume_name/>
                        <actions::VolumeActions detail refresh/>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

#[component]
fn VolumeNotFound(id: String) -> impl IntoView {
    view! {
        <div class="empty" data-testid="volume-not-found">
            <h1>"Volume not found"</h1>
            <p>
                "The cluster has no volume with the id or name " <code>{id}</code>
                ". It may have been deleted. "
                <A href={here("/volumes")}>"Back to the volumes"</A>
            </p>
        </div>
    }
}
