//! Diagnostics collection from this node or every node, and the cluster's jobs with their
//! state (pause, resume, cancel); each says when the cluster does not offer it.

use std::time::Duration;

use leptos::prelude::*;

use crate::api::capabilities::SdkService;
use crate::api::node_ops;
use crate::browser::clock::local_time;
use crate::components::as_code::ShowAsCode;
use crate::components::error_banner::CallError;
use crate::components::notice::{Notice, NoticeText};
use crate::components::polled_view::QueryError;
use crate::components::table::column_heads;
use crate::hooks::connection::use_connection;
use crate::hooks::mutation::Mutation;
use crate::hooks::polled::use_polled;
use crate::logic::as_code::Call;
use crate::proto::job::{Job as JobKind, State as JobState, Type as JobType};
use crate::proto::methods::open_storage_diags;
use crate::proto::Job;

use super::learn_absence;

const JOBS_EVERY: Duration = Duration::from_secs(5);

fn job_state(state: i32) -> &'static str {
    match JobState::try_from(state).unwrap_or(JobState::UnspecifiedState) {
        JobState::Pending => "Pending",
        JobState::Running => "Running",
        JobState::Done => "Done",
        JobState::Paused => "Paused",
        JobState::Cancelled => "Cancelled",
        JobState::Failed => "Failed",
        JobState::UnspecifiedState => "Unknown",
    }
}

fn job_type(kind: i32) -> &'static str {
    match JobType::try_from(kind).unwrap_or(JobType::UnspecifiedType) {
        JobType::CollectDiags => "Diagnostics",
        JobType::DrainAttachments => "Drain attachments",
        JobType::CloudDriveTransfer => "Cloud drive transfer",
        JobType::Defrag => "Defragmentation",
        _ => "Other",
    }
}

/// Each node's part of a diagnostics job, in words.
fn job_detail(job: &Job) -> String {
    match &job.job {
        Some(JobKind::CollectDiags(d)) => d
            .statuses
            .iter()
            .map(|s| {
                if s.message.is_empty() {
                    format!("{}: pending", s.node)
                } else {
                    s.message.clone()
                }
            })
            .collect::<Vec<_>>()
            .join("; "),
        None => String::new(),
    }
}

#[component]
pub fn NodeJobs(node: Memo<String>) -> impl IntoView {
    let conn = use_connection();
    let query = use_polled(JOBS_EVERY, move || {
        let sdk = conn.sdk.get_untracked();
        async move { node_ops::jobs(&sdk).await }
    });
    let collect = Mutation::new();
    let diags_offered = RwSignal::new(true);
    learn_absence(diags_offered, SdkService::Diags);
    let done = NoticeText::new();
    let start = move |one: bool| {
        done.clear();
        let sdk = conn.sdk.get_untracked();
        let target = one.then(|| node.get_untracked());
        collect.run(
            async move { node_ops::collect_diags(&sdk, target).await },
            move |job| match job {
                None => diags_offered.set(false),
                Some(job) => {
                    done.show(format!("Diagnostics job {} started.", job.id));
                    query.refresh();
                }
            },
        );
    };
    let diags_code = Signal::derive(move || {
        Ok(Call::new(
            open_storage_diags::COLLECT,
            &node_ops::diags_request(Some(node.get())),
        ))
    });
    let jobs_offered = move || !matches!(query.data.get(), Some(None));
    let rows = move || query.data.get().flatten().unwrap_or_default();
    view! {
        <section class="section" aria-labelledby="jobs-heading" data-testid="node-jobs">
            <h2 id="jobs-heading">"Diagnostics and jobs"</h2>
            <Show
                when=move || diags_offered.get()
                fallback=|| view! { <p class="notice" data-testid="diags-not-offered">"This cluster does not offer diagnostics collection."</p> }
            >
                ""
            </Show>
            <CallError call=collect/>
            <div class="actions">
                <button type="button" class="button" disabled=move || collect.busy.get() || !diags_offered.get() on:click=move |_| start(true)>"Collect diagnostics from this node"</button>
                <button type="button" class="button" disabled=move || collect.busy.get() || !diags_offered.get() on:click=move |_| start(false)>"Collect from every node"</button>
            </div>
            <Notice text=done/>
            <ShowAsCode call=diags_code id="diags" label="Show collecting from this node as code"/>
            <QueryError error=query.error/>
            <Show
                when=jobs_offered
                fallback=|| view! { <p class="notice" data-testid="jobs-not-offered">"This cluster does not offer jobs."</p> }
            >
                // "No jobs" only once the cluster said so: not while loading, nor under a refusal.
                <Show when=move || !rows().is_empty() fallback=move || query.data.with(|d| matches!(d, Some(Some(jobs)) if jobs.is_empty())).then(|| view! { <p class="muted" data-testid="jobs-empty">"The cluster has no jobs."</p> })>
                    <table class="table" aria-label="Jobs" data-testid="jobs-table">
                        {column_heads(&["Job", "Type", "State", "Progress", "Created", "Actions"])}
                        <tbody>
                            {move || rows().into_iter().map(|job| view! { <JobRow job refresh=Callback::new(move |_| query.refresh())/> }).collect_view()}
                        </tbody>
                    </table>
                </Show>
            </Show>
        </section>
    }
}

#[component]
fn JobRow(job: Job, refresh: Callback<()>) -> impl IntoView {
    let conn = use_connection();
    let call = Mutation::new();
    let id = job.id.clone();
    let set = move |state: JobState| {
        let sdk = conn.sdk.get_untracked();
        let id = id.clone();
        call.run(
            async move { node_ops::update_job(&sdk, id, state as i32).await },
            move |_| refresh.run(()),
        );
    };
    let running = job.state == JobState::Running as i32;
    let paused = job.state == JobState::Paused as i32;
    let created = job
        .create_time
        .map(|t| local_time(t.seconds))
        .unwrap_or_default();
    let (pause, resume, cancel) = (set.clone(), set.clone(), set);
    view! {
        <tr data-testid="job-row">
            <td><code>{job.id.clone()}</code></td>
            <td>{job_type(job.r#type)}</td>
            <td data-testid="job-state">{job_state(job.state)}</td>
            <td>{job_detail(&job)}</td>
            <td>{created}</td>
            <td>
                <div class="actions">
                    {running.then(|| view! { <button type="button" class="button" on:click=move |_| pause(JobState::Paused)>"Pause"</button> })}
                    {paused.then(|| view! { <button type="button" class="button" on:click=move |_| resume(JobState::Running)>"Resume"</button> })}
                    {(running || paused).then(|| view! { <button type="button" class="button" on:click=move |_| cancel(JobState::Cancelled)>"Cancel"</button> })}
                </div>
                <CallError call/>
            </td>
        </tr>
    }
}
