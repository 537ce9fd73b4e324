//! Filesystem trim, filesystem check and checksum verification: each started, watched and
//! stopped here, with the cluster's own status words and progress. A cluster that lacks one
//! (upstream's drivers answer "Operation not supported") says so and disables its buttons.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::capabilities;
use crate::api::maintenance::{self, Action, Answer, Task};
use crate::api::volumes::VolumeDetail;
use crate::components::as_code::ShowAsCode;
use crate::components::error_banner::CallError;
use crate::hooks::connection::use_connection;
use crate::hooks::mutation::Mutation;
use crate::logic::as_code::Call;

/// How often a running task's status is asked.
const WATCH: Duration = Duration::from_secs(2);

const CHECK_MODES: [(&str, &str); 3] = [
    ("check_health", "Check health only"),
    ("fix_safe", "Fix what is safe to fix"),
    ("fix_all", "Fix everything"),
];

#[component]
pub fn VolumeMaintenance(detail: ReadSignal<Option<VolumeDetail>>) -> impl IntoView {
    let mounts = Memo::new(move |_| {
        detail.with(|d| {
            d.as_ref()
                .map(|d| d.volume.attach_path.clone())
                .unwrap_or_default()
        })
    });
    view! {
        <section class="card form" aria-labelledby="maintenance-heading" data-testid="maintenance">
            <h3 id="maintenance-heading">"Maintenance"</h3>
            <MaintenanceTask detail task=Task::Trim title="Filesystem trim" mounts/>
            <MaintenanceTask detail task=Task::Check title="Filesystem check" mounts/>
            <MaintenanceTask detail task=Task::Checksum title="Checksum verification" mounts/>
        </section>
    }
}

#[component]
fn MaintenanceTask(
    detail: ReadSignal<Option<VolumeDetail>>,
    task: Task,
    title: &'static str,
    mounts: Memo<Vec<String>>,
) -> impl IntoView {
    let conn = use_connection();
    let call = Mutation::new();
    let offered = RwSignal::new(true);
    let state = RwSignal::new(None::<String>);
    let running = RwSignal::new(false);
    let mode = RwSignal::new(CHECK_MODES[0].0.to_string());
    let path = RwSignal::new(String::new());
    let id = move || {
        detail.with_untracked(|d| d.as_ref().map(|d| d.volume.id.clone()).unwrap_or_default())
    };
    let choice = move || match task {
        Task::Trim => {
            let chosen = path.get_untracked();
            if chosen.is_empty() {
                mounts.with_untracked(|m| m.first().cloned().unwrap_or_default())
            } else {
                chosen
            }
        }
        Task::Check => mode.get_untracked(),
        Task::Checksum => String::new(),
    };
    // Applies an answer; false once the card is gone or the task is not offered.
    let apply = move |answer: Answer| match answer {
        Answer::NotOffered => {
            offered.try_set(false);
            false
        }
        Answer::Progress(p) => {
            running.try_set(p.running);
            state.try_set(Some(p.words)).is_none()
        }
    };
    // Asks the status every few seconds while the task runs and the card is shown.
    let watch = move || {
        let sdk = conn.sdk.get_untracked();
        let id = id();
        let choice = choice();
        spawn_local(async move {
            while running.try_get_untracked() == Some(true) {
                gloo_timers::future::sleep(WATCH).await;
                let answer =
                    maintenance::run(&sdk, id.clone(), task, choice.clone(), Action::Status).await;
                if !answer.is_ok_and(apply) {
                    break;
                }
            }
        });
    };
    // What the cluster says now: a trim's status needs a mount path, so it waits for one.
    {
        let sdk = conn.sdk.get_untracked();
        let (id, choice) = (id(), choice());
        spawn_local(async move {
            if capabilities::lacks(&sdk, task.service()).await {
                offered.try_set(false);
                return;
            }
            if task == Task::Trim && choice.is_empty() {
                return;
            }
            if let Ok(answer) = maintenance::run(&sdk, id, task, choice, Action::Status).await {
                if apply(answer) && running.get_untracked() {
                    watch();
                }
            }
        });
    }
    let needs_mount = move || task == Task::Trim && mounts.with(Vec::is_empty);
    // The start as code, with the status read that follows it once one was started here.
    let then = RwSignal::new(None::<Call>);
    let code = Signal::derive(move || {
        path.track();
        mode.track();
        mounts.track();
        if needs_mount() {
            return Err("A trim runs on a mounted filesystem: mount the volume first.".into());
        }
        Ok(maintenance::start_call(id(), task, choice()))
    });
    let act = move |action: Action| {
        let sdk = conn.sdk.get_untracked();
        let (id, choice) = (id(), choice());
        let status = maintenance::status_call(id.clone(), task, choice.clone());
        call.run(
            async move { maintenance::run(&sdk, id, task, choice, action).await },
            move |answer| {
                if action == Action::Start {
                    then.set(Some(status));
                }
                if apply(answer) && running.get_untracked() {
                    watch();
                }
            },
        );
    };
    let idle = move || offered.get() && !call.busy.get();
    let slug = match task {
        Task::Trim => "trim",
        Task::Check => "check",
        Task::Checksum => "checksum",
    };
    view! {
        <div class="field" role="group" aria-label=title data-testid=format!("maintenance-{slug}")>
            <strong>{title}</strong>
            {match task {
                Task::Trim => view! {
                    <label for="trim-path">"Mounted at"</label>
                    <select id="trim-path" on:change=move |ev| path.set(event_target_value(&ev))>
                        {move || mounts.get().into_iter().map(|p| view! { <option value=p.clone()>{p.clone()}</option> }).collect_view()}
                    </select>
                    <Show when=needs_mount>
                        <p class="hint">"A trim runs on a mounted filesystem: mount the volume first."</p>
                    </Show>
                }.into_any(),
                Task::Check => view! {
                    <label for="check-mode">"Mode"</label>
                    <select id="check-mode" on:change=move |ev| mode.set(event_target_value(&ev))>
                        {CHECK_MODES.map(|(value, words)| view! { <option value=value>{words}</option> }).collect_view()}
                    </select>
                    <p class="hint">"A check runs on an unmounted filesystem."</p>
                }.into_any(),
                Task::Checksum => ().into_any(),
            }}
            <Show
                when=move || offered.get()
                fallback=move || view! { <p class="notice" data-testid="maintenance-not-offered">{format!("This cluster does not offer {}.", title.to_lowercase())}</p> }
            >
                <p role="status" data-testid="maintenance-state">{move || state.get()}</p>
            </Show>
            <CallError call/>
            <div class="actions">
                <button type="button" class="button" disabled=move || !idle() || running.get() || needs_mount() on:click=move |_| act(Action::Start)>
                    {format!("Start {}", title.to_lowercase())}
                </button>
                <button type="button" class="button" disabled=move || !idle() || !running.get() on:click=move |_| act(Action::Stop)>
                    {format!("Stop {}", title.to_lowercase())}
                </button>
            </div>
            <ShowAsCode call=code id=format!("{slug}-start") then label="Show the start as code"/>
        </div>
    }
}
