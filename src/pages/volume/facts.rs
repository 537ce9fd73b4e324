//! What Inspect says about a volume: spec, state, ownership, labels.

use crate::browser::cluster::here;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::volumes::VolumeDetail;
use crate::browser::clock::local_time;
use crate::components::badge::VolumeStatusBadge;
use crate::components::copy_id::CopyId;
use crate::components::node_link::NodeLink;
use crate::hooks::shared_queries::use_node_names;
use crate::logic::{format, ownership, storage_policy, volume_table};
use crate::proto::FsType;
use console_model::order;

fn yes_no(value: bool) -> &'static str {
    if value {
        "Yes"
    } else {
        "No"
    }
}

fn filesystem(format: i32) -> String {
    match FsType::try_from(format) {
        Ok(FsType::None) | Err(_) => "none".into(),
        Ok(fs) => fs
            .as_str_name()
            .trim_start_matches("FS_TYPE_")
            .to_ascii_lowercase(),
    }
}

#[component]
pub fn VolumeFacts(detail: VolumeDetail) -> impl IntoView {
    let volume = detail.volume;
    let name = console_model::volume::name_of(&volume).to_string();
    let spec = volume.spec.clone().unwrap_or_default();
    let used = format::percent(volume.usage, spec.size);
    let snapshot = console_model::volume::is_snapshot(&volume);
    let parent = volume
        .source
        .as_ref()
        .map(|s| s.parent.clone())
        .filter(|p| !p.is_empty());
    let mut labels: Vec<(String, String)> = volume
        .locator
        .as_ref()
        .map(|l| {
            l.volume_labels
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .unwrap_or_default();
    order::sort_by(&mut labels, Ord::cmp);
    let nodes = use_node_names();
    let replica_nodes = volume
        .replica_sets
        .first()
        .map(|r| r.nodes.clone())
        .unwrap_or_default();
    let replicas = if replica_nodes.is_empty() {
        "not reported".into_any()
    } else {
        replica_nodes
            .into_iter()
            .enumerate()
            .map(|(i, id)| view! { {(i > 0).then_some(", ")} <NodeLink id nodes/> })
            .collect_view()
            .into_any()
    };
    let attached_on = if volume.attached_on.is_empty() {
        "—".into_any()
    } else {
        view! { <NodeLink id=volume.attached_on.clone() nodes/> }.into_any()
    };
    let (owner, acl) = ownership::describe(spec.ownership.as_ref());
    view! {
        <header class="page-header">
            <h1 data-testid="volume-name">{name.clone()}</h1>
            <VolumeStatusBadge status=volume.status/>
        </header>
        {snapshot.then(|| view! { <p class="muted">"This is a read-only snapshot."</p> })}
        {(!snapshot && parent.is_some()).then(|| view! {
            <p class="muted">"Made from another volume: a clone, or a snapshot of a cluster whose snapshots are writable."</p>
        })}
        <div class="cards">
            <article class="card" aria-labelledby="spec-heading">
                <h2 id="spec-heading">"Volume"</h2>
                <dl class="facts">
                    <dt>"ID"</dt>
                    <dd><CopyId id=volume.id.clone()/></dd>
                    <dt>"Size"</dt>
                    <dd data-testid="volume-size">{format::bytes(spec.size)}</dd>
                    <dt>"Used"</dt>
                    <dd>
                        <meter min="0" max="100" value=used.to_string() aria-label="Space used"></meter>
                        " " {format!("{} of {} ({used}%)", format::bytes(volume.usage), format::bytes(spec.size))}
                    </dd>
                    <dt>"HA level"</dt>
                    <dd data-testid="volume-ha">{spec.ha_level}</dd>
                    <dt>"Replicas on"</dt>
                    <dd data-testid="volume-replicas">{replicas}</dd>
                    <dt>"Filesystem"</dt>
                    <dd>{filesystem(volume.format)}</dd>
                    <dt>"IO profile"</dt>
                    <dd>{storage_policy::io_profile(spec.io_profile)}</dd>
                    <dt>"Shared"</dt>
                    <dd>{yes_no(spec.shared)}</dd>
                    <dt>"Encrypted"</dt>
                    <dd>{yes_no(spec.encrypted)}</dd>
                    {(!spec.storage_policy.is_empty()).then(|| view! { <dt>"Storage policy"</dt><dd data-testid="volume-policy">{spec.storage_policy.clone()}</dd> })}
                    <dt>"Created"</dt>
                    <dd>{local_time(volume.ctime.map_or(0, |t| t.seconds))}</dd>
                    <dt>"Owner"</dt>
                    <dd data-testid="volume-owner">{owner}</dd>
                    <dt>"Shared with"</dt>
                    <dd data-testid="volume-acl">{acl}</dd>
                    {parent
                        .map(|parent| {
                            let label = if snapshot { "Snapshot of" } else { "Made from" };
                            view! {
                                <dt>{label}</dt>
                                <dd><A href={here(format!("/volumes/{parent}"))}>{format::short_id(&parent).to_string()}</A></dd>
                            }
                        })}
                </dl>
            </article>
            <article class="card" aria-labelledby="state-heading">
                <h2 id="state-heading">"State"</h2>
                <dl class="facts">
                    <dt>"State"</dt>
                    <dd data-testid="volume-state">{volume_table::volume_state(volume.state)}</dd>
                    <dt>"Attached on"</dt>
                    <dd data-testid="volume-attached-on">{attached_on}</dd>
                    <dt>"Device"</dt>
                    <dd>{if volume.device_path.is_empty() { "—".to_string() } else { volume.device_path.clone() }}</dd>
                    <dt>"Mounted at"</dt>
                    <dd>{if volume.attach_path.is_empty() { "—".to_string() } else { volume.attach_path.join(", ") }}</dd>
                    <dt>"Labels"</dt>
                    <dd data-testid="volume-labels">
                        {if labels.is_empty() {
                            view! { "none" }.into_any()
                        } else {
                            labels
                                .iter()
                                .map(|(k, v)| view! { <span class="chip">{format!("{k}={v}")}</span> })
                                .collect_view()
                                .into_any()
                        }}
                    </dd>
                    {(!volume.error.is_empty()).then(|| view! { <dt>"Last error"</dt><dd>{volume.error.clone()}</dd> })}
                </dl>
            </article>
        </div>
    }
}
