//! A volume's backups on its page: back it up now, its running tasks, and its history (read
//! while the page is open, so a finished backup appears without a reload).

use std::collections::HashMap;

use leptos::prelude::*;

use crate::browser::cluster::here;
use crate::components::keyed_rows::keyed_list;
use leptos_router::components::A;

use crate::api::backups;
use crate::browser::clock::local_time_seconds;
use crate::components::backup_tasks::TaskTable;
use crate::components::badge::Badge;
use crate::components::error_banner::CallError;
use crate::components::notice::{Notice, NoticeText};
use crate::components::polled_view::PolledView;
use crate::components::table::column_heads;
use crate::hooks::backups::use_history;
use crate::hooks::connection::use_connection;
use crate::hooks::mutation::Mutation;
use crate::hooks::shared_queries::{use_credentials, use_tasks};
use crate::logic::backup_task;
use crate::pages::backups::target::{credential_options, follow_credentials};

#[component]
pub fn VolumeBackups(volume_id: String, volume_name: String) -> impl IntoView {
    let conn = use_connection();
    let creds = use_credentials();
    let tasks = use_tasks();
    let history = use_history(volume_id.clone());
    let mine = {
        let volume_id = volume_id.clone();
        Memo::new(move |_| {
            tasks.data.with(|t| {
                t.iter()
                    .flatten()
                    .filter(|(_, t)| t.src_volume_id == volume_id)
                    .cloned()
                    .collect::<Vec<_>>()
            })
        })
    };
    let names = {
        let map: HashMap<String, String> = [(volume_id.clone(), volume_name)].into();
        Signal::stored(map)
    };
    let call = Mutation::new();
    let credential = RwSignal::new(String::new());
    let done = NoticeText::new();
    follow_credentials(creds, credential);
    let back_up = move |_| {
        done.clear();
        let sdk = conn.sdk.get_untracked();
        let (id, cred) = (volume_id.clone(), credential.get_untracked());
        call.run(
            async move {
                let request = backups::start_request(&id, &cred, false, HashMap::new());
                backups::start(&sdk, request).await
            },
            move |_| {
                done.show("Backup started.");
                tasks.refresh();
            },
        );
    };
    let count = move || creds.data.with(|c| c.as_ref().map_or(0, Vec::len));
    view! {
        <section class="section" aria-labelledby="volume-backups-heading">
            <h2 id="volume-backups-heading">"Backups"</h2>
            <CallError call/>
            <div class="actions">
                <Show when=move || { count() > 1 }>
                    <label for="volume-backup-credential">"Credential"</label>
                    <select id="volume-backup-credential" on:change=move |ev| credential.set(event_target_value(&ev))>
                        {credential_options(creds, credential)}
                    </select>
                </Show>
                <button type="button" class="button button--primary" disabled=move || call.busy.get() || count() == 0 on:click=back_up>
                    "Back up now"
                </button>
                <Show when=move || creds.data.get().is_some() && count() == 0>
                    <span class="muted">"No credentials yet: " <A href={here("/credentials")}>"add one"</A> " first."</span>
                </Show>
            </div>
            <Notice text=done/>
            <TaskTable tasks=mine names refresh=Callback::new(move |_| tasks.refresh())/>
            <h3 id="history-heading">"History"</h3>
            <PolledView
                query=history
                what="history"
                is_empty=Vec::is_empty
                empty=|| view! { <p class="muted" data-testid="history-empty">"No backups of this volume yet."</p> }
            >
                <table class="table" data-testid="history-table" aria-labelledby="history-heading">
                    {column_heads(&["Time", "State"])}
                    <tbody>
                        // History items never change: a row is drawn once per (place, time, state).
                        {keyed_list(
                            move || history.data.get().unwrap_or_default().into_iter().enumerate().collect::<Vec<_>>(),
                            |(i, item)| {
                                let (s, n) = item.timestamp.map_or((0, 0), |t| (t.seconds, t.nanos));
                                format!("{i} {s}.{n} {}", item.status)
                            },
                            |(_, item)| {
                                let (label, tone) = backup_task::state(item.status);
                                view! {
                                    <tr data-testid="history-row">
                                        <td>{local_time_seconds(item.timestamp.map_or(0, |t| t.seconds))}</td>
                                        <td><Badge label tone/></td>
                                    </tr>
                                }
                                .into_any()
                            },
                        )}
                    </tbody>
                </table>
            </PolledView>
        </section>
    }
}
