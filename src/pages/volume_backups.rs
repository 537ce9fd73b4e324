//! A volume's backups on its page: back it up now, its running tasks, and its history (polled
//! while the page is open, so a finished backup appears without a reload).

use std::collections::HashMap;
use std::time::Duration;

use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::backups;
use crate::components::backup_tasks::TaskTable;
use crate::components::error_banner::{ErrorBanner, PollError};
use crate::components::time::local_time_seconds;
use crate::hooks::connection::use_connection;
use crate::hooks::mutation::Mutation;
use crate::hooks::poll::use_poll;
use crate::logic::backup_task;
use crate::pages::backups::{credential_options, keep_valid_choice, use_credentials, use_tasks};

const HISTORY_REFRESH: Duration = Duration::from_secs(2);

#[component]
pub fn VolumeBackups(volume_id: String, volume_name: String) -> impl IntoView {
    let conn = use_connection();
    let creds = use_credentials();
    let tasks = use_tasks();
    let history = {
        let volume_id = volume_id.clone();
        use_poll(HISTORY_REFRESH, move || {
            let sdk = conn.sdk.get_untracked();
            let id = volume_id.clone();
            async move { backups::history(&sdk, &id).await }
        })
    };
    let mine = {
        let volume_id = volume_id.clone();
        Signal::derive(move || {
            tasks
                .data
                .get()
                .unwrap_or_default()
                .into_iter()
                .filter(|(_, t)| t.src_volume_id == volume_id)
                .collect::<Vec<_>>()
        })
    };
    let names = {
        let map: HashMap<String, String> = [(volume_id.clone(), volume_name)].into();
        Signal::derive(move || map.clone())
    };
    let call = Mutation::new();
    let credential = RwSignal::new(String::new());
    let done = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(list) = creds.data.get() {
            keep_valid_choice(credential, list.into_iter().map(|c| c.credential_id));
        }
    });
    let back_up = {
        let volume_id = volume_id.clone();
        move |_| {
            done.set(None);
            let sdk = conn.sdk.get_untracked();
            let (id, cred) = (volume_id.clone(), credential.get_untracked());
            call.run(
                async move { backups::start(&sdk, &id, &cred, false, HashMap::new()).await },
                move |_| {
                    done.set(Some("Backup started.".into()));
                    tasks.refresh();
                },
            );
        }
    };
    let count = move || creds.data.with(|c| c.as_ref().map_or(0, Vec::len));
    view! {
        <section class="section" aria-labelledby="volume-backups-heading">
            <h2 id="volume-backups-heading">"Backups"</h2>
            {move || call.error.get().map(|error| view! { <ErrorBanner error/> })}
            <div class="actions">
                <Show when=move || { count() > 1 }>
                    <label for="volume-backup-credential">"Credential"</label>
                    <select id="volume-backup-credential" on:change=move |ev| credential.set(event_target_value(&ev))>
                        {move || credential_options(&creds.data.get().unwrap_or_default(), credential)}
                    </select>
                </Show>
                <button type="button" class="button button--primary" disabled=move || call.busy.get() || count() == 0 on:click=back_up>
                    "Back up now"
                </button>
                <Show when=move || creds.data.get().is_some() && count() == 0>
                    <span class="muted">"No credentials yet: " <A href="/credentials">"add one"</A> " first."</span>
                </Show>
            </div>
            <p class="notice" role="status">{move || done.get()}</p>
            <TaskTable tasks=mine names refresh=Callback::new(move |_| tasks.refresh())/>
            <h3>"History"</h3>
            <PollError error=history.error/>
            {move || match history.data.get() {
                None => view! { <p class="muted">"Loading history…"</p> }.into_any(),
                Some(items) if items.is_empty() => view! { <p class="muted" data-testid="history-empty">"No backups of this volume yet."</p> }.into_any(),
                Some(items) => view! {
                    <table class="table" data-testid="history-table">
                        <thead><tr><th scope="col">"Time"</th><th scope="col">"State"</th></tr></thead>
                        <tbody>
                            {items.into_iter().map(|item| {
                                let (label, tone) = backup_task::state(item.status);
                                view! {
                                    <tr data-testid="history-row">
                                        <td>{local_time_seconds(item.timestamp.map_or(0, |t| t.seconds))}</td>
                                        <td><span class=format!("badge {}", tone.class())>{label}</span></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }}
        </section>
    }
}
