//! Disaster recovery: this cluster's pairing token (shown only when asked, never kept), its
//! pairs with other clusters (check, delete, pair with another), and cloud migrations to a
//! paired cluster (a volume, a group or every volume) with their progress, cancellable.

use std::time::Duration;

use leptos::prelude::*;

use crate::api::dr::{self, Pairs};
use crate::api::fleet;
use crate::components::as_code::{row_code_id, ShowAsCode};
use crate::components::confirm::Confirm;
use crate::components::error_banner::CallError;
use crate::components::field::{checked, Field, Input};
use crate::components::notice::{Notice, NoticeText};
use crate::components::polled_view::QueryError;
use crate::components::table::column_heads;
use crate::hooks::connection::use_connection;
use crate::hooks::fleet::use_fleet;
use crate::hooks::mutation::Mutation;
use crate::hooks::polled::use_polled;
use crate::hooks::title::use_title;
use crate::logic::as_code::Call;
use crate::logic::{dr as forms, format};
use crate::proto::cloud_migrate::{Stage, Status as MigrateStatus};
use crate::proto::cluster_pair_mode::Mode;
use crate::proto::methods::{open_storage_cluster_pair, open_storage_migrate};
use crate::proto::{CloudMigrateInfo, ClusterPairCreateRequest, ClusterPairInfo};

const PAIRS_EVERY: Duration = Duration::from_secs(15);
const MIGRATIONS_EVERY: Duration = Duration::from_secs(3);

#[component]
pub fn DrPage() -> impl IntoView {
    use_title("Disaster recovery");
    let conn = use_connection();
    let pairs = use_polled(PAIRS_EVERY, move || {
        let sdk = conn.sdk.get_untracked();
        async move { dr::pairs(&sdk).await }
    });
    let migrations = use_polled(MIGRATIONS_EVERY, move || {
        let sdk = conn.sdk.get_untracked();
        async move { dr::migrations(&sdk).await }
    });
    let refresh_pairs = Callback::new(move |_| pairs.refresh());
    let refresh_migrations = Callback::new(move |_| migrations.refresh());
    let listed = Signal::derive(move || pairs.data.get().flatten());
    view! {
        <section class="page">
            <h1>"Disaster recovery"</h1>
            <p class="muted">"Pair this cluster with another, then migrate volumes to it. Pairing needs the other cluster's address and its pairing token."</p>
            <PairingToken/>
            <section class="section" aria-labelledby="pairs-heading">
                <h2 id="pairs-heading">"Cluster pairs"</h2>
                <QueryError error=pairs.error/>
                {move || match pairs.data.get() {
                    Some(None) => view! { <p class="notice" data-testid="pairs-not-offered">"This cluster does not offer cluster pairs."</p> }.into_any(),
                    Some(Some(p)) if p.list.is_empty() => view! { <p class="empty" data-testid="pairs-empty">"This cluster is not paired with another yet."</p> }.into_any(),
                    Some(Some(p)) => view! { <PairsTable pairs=p refresh=refresh_pairs/> }.into_any(),
                    None => ().into_any(),
                }}
                <PairForm offered=Signal::derive(move || !matches!(pairs.data.get(), Some(None))) refresh=refresh_pairs/>
            </section>
            <ClusterDomains/>
            <section class="section" aria-labelledby="migrations-heading">
                <h2 id="migrations-heading">"Migrations"</h2>
                <QueryError error=migrations.error/>
                <MigrationForm pairs=listed offered=Signal::derive(move || !matches!(migrations.data.get(), Some(None))) refresh=refresh_migrations/>
                {move || match migrations.data.get() {
                    Some(None) => view! { <p class="notice" data-testid="migrations-not-offered">"This cluster does not offer migrations."</p> }.into_any(),
                    Some(Some(list)) if list.is_empty() => view! { <p class="empty" data-testid="migrations-empty">"No migrations."</p> }.into_any(),
                    Some(Some(list)) => view! { <MigrationsTable list pairs=listed refresh=refresh_migrations/> }.into_any(),
                    None => ().into_any(),
                }}
            </section>
        </section>
    }
}

/// Shown only when asked: the token lets another cluster pair with this one.
#[component]
fn PairingToken() -> impl IntoView {
    let conn = use_connection();
    let call = Mutation::new();
    let token = RwSignal::new(None::<String>);
    let asking = RwSignal::new(false);
    let fetch = move |reset: bool| {
        let sdk = conn.sdk.get_untracked();
        call.run(async move { dr::token(&sdk, reset).await }, move |t| {
            asking.set(false);
            token.set(Some(t));
        });
    };
    let copy = move |_| {
        if let (Some(window), Some(t)) = (web_sys::window(), token.get_untracked()) {
            let _ = window.navigator().clipboard().write_text(&t);
        }
    };
    view! {
        <div class="card form" data-testid="pairing-token">
            <h2>"This cluster's pairing token"</h2>
            <p class="hint">"Give it to the other cluster's admin to pair with this one. It is shown here only, never stored by the console."</p>
            <CallError call/>
            {move || token.get().map(|t| view! { <code class="secret-text" data-testid="pairing-token-value">{t}</code> })}
            <div class="actions">
                <button type="button" class="button" disabled=move || call.busy.get() on:click=move |_| fetch(false)>"Show pairing token"</button>
                <Show when=move || token.with(Option::is_some)>
                    <button type="button" class="button" on:click=copy>"Copy token"</button>
                    <button type="button" class="button" on:click=move |_| token.set(None)>"Hide token"</button>
                </Show>
                <button type="button" class="button" on:click=move |_| asking.set(true)>"Reset token…"</button>
            </div>
            <Show when=move || asking.get()>
                <Confirm
                    question="Make a new pairing token? The current one stops working for new pairs."
                    action="Reset token"
                    busy=call.busy
                    on_confirm=Callback::new(move |_| fetch(true))
                    on_cancel=Callback::new(move |_| asking.set(false))
                />
            </Show>
        </div>
    }
}

fn mode_words(mode: i32) -> &'static str {
    match Mode::try_from(mode).unwrap_or(Mode::Default) {
        Mode::Default => "Default",
        Mode::DisasterRecovery => "Disaster recovery",
        Mode::OneTimeMigration => "One-time migration",
    }
}

#[component]
fn PairsTable(pairs: Pairs, refresh: Callback<()>) -> impl IntoView {
    let default = pairs.default.clone();
    view! {
        <table class="table" aria-label="Cluster pairs" data-testid="pairs-table">
            {column_heads(&["Cluster", "ID", "Endpoint", "Mode", "Actions"])}
            <tbody>
                {pairs.list.into_iter().map(|p| {
                    let is_default = p.id == default;
                    view! { <PairRow pair=p is_default refresh/> }
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn PairRow(pair: ClusterPairInfo, is_default: bool, refresh: Callback<()>) -> impl IntoView {
    let conn = use_connection();
    let call = Mutation::new();
    let done = NoticeText::new();
    let asking = RwSignal::new(false);
    let id = pair.id.clone();
    let name = pair.name.clone();
    let check = {
        let id = id.clone();
        move |_| {
            let sdk = conn.sdk.get_untracked();
            let id = id.clone();
            call.run(async move { dr::check_pair(&sdk, id).await }, move |info| {
                done.show(format!(
                    "The cluster knows the pair with {} at {}.",
                    info.name, info.endpoint
                ));
            });
        }
    };
    let delete_code = {
        let id = id.clone();
        Signal::derive(move || Ok(dr::delete_pair_call(id.clone())))
    };
    let delete_code_id = row_code_id("pair-delete", &id);
    let delete = Callback::new(move |_| {
        let sdk = conn.sdk.get_untracked();
        let delete = dr::delete_pair_call(id.clone());
        call.run(async move { Ok(sdk.run(delete).await?) }, move |_| {
            refresh.run(())
        });
    });
    view! {
        <tr data-testid="pair-row">
            <td>{pair.name.clone()}{is_default.then(|| view! { " " <span class="badge">"default"</span> })}</td>
            <td><code>{format::short_id(&pair.id).to_string()}</code></td>
            <td>{pair.endpoint.clone()}</td>
            <td>{mode_words(pair.mode)}</td>
            <td>
                <div class="actions">
                    <button type="button" class="button" disabled=move || call.busy.get() on:click=check aria-label=format!("Check pair {name}")>"Check"</button>
                    <button type="button" class="button" on:click=move |_| asking.set(true) aria-label=format!("Delete pair {}", pair.name)>"Delete…"</button>
                </div>
                <CallError call/>
                <Notice text=done/>
                <Show when=move || asking.get()>
                    <Confirm
                        question=format!("Delete the pair with {}? Migrations to it stop being possible.", pair.name)
                        action="Delete pair"
                        busy=call.busy
                        on_confirm=delete
                        on_cancel=Callback::new(move |_| asking.set(false))
                    />
                    <ShowAsCode call=delete_code id=delete_code_id.clone()/>
                </Show>
            </td>
        </tr>
    }
}

#[component]
fn PairForm(offered: Signal<bool>, refresh: Callback<()>) -> impl IntoView {
    let conn = use_connection();
    let call = Mutation::new();
    let done = NoticeText::new();
    let address = RwSignal::new(String::new());
    let port = RwSignal::new(String::new());
    let token = RwSignal::new(String::new());
    let mode = RwSignal::new(Mode::Default as i32);
    let set_default = RwSignal::new(false);
    let address_error = RwSignal::new(None::<String>);
    let port_error = RwSignal::new(None::<String>);
    let token_error = RwSignal::new(None::<String>);
    let fill_from = move |(ip, other_token): (String, String)| {
        address.set(ip);
        port.set(String::new());
        token.set(other_token);
        address_error.set(None);
        token_error.set(None);
    };
    // The pair's fields once they are valid, as sent and as shown as code.
    let request = move |(ip, port_number): (String, u32), remote_cluster_token: String| {
        ClusterPairCreateRequest {
            remote_cluster_ip: ip,
            remote_cluster_port: port_number,
            remote_cluster_token,
            set_default: set_default.get(),
            mode: mode.get(),
            ..Default::default()
        }
    };
    let code = Signal::derive(move || {
        let remote = forms::remote(&address.get(), &port.get())
            .map_err(|problems| problems.into_iter().flatten().next().unwrap_or_default())?;
        let typed = forms::token(&token.get())?;
        Ok(Call::new(
            open_storage_cluster_pair::CREATE,
            &dr::create_pair_request(request(remote, typed)),
        ))
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.clear();
        let remote = forms::remote(&address.get_untracked(), &port.get_untracked());
        let (a, p) = match &remote {
            Ok(_) => (None, None),
            Err([a, p]) => (a.clone(), p.clone()),
        };
        address_error.set(a);
        port_error.set(p);
        let typed = checked(
            "pair-token",
            token_error,
            forms::token(&token.get_untracked()),
        );
        if remote.is_err() {
            crate::browser::document::focus_field(if address_error.get_untracked().is_some() {
                "pair-address"
            } else {
                "pair-port"
            });
            return;
        }
        let (Ok(remote), Some(remote_token)) = (remote, typed) else {
            return;
        };
        let request = untrack(|| request(remote, remote_token));
        let sdk = conn.sdk.get_untracked();
        call.run(
            async move { dr::create_pair(&sdk, request).await },
            move |made| {
                // The token is a secret: gone from the form once used.
                token.set(String::new());
                done.show(format!(
                    "Paired with {} ({}).",
                    made.remote_cluster_name, made.remote_cluster_id
                ));
                refresh.run(());
            },
        );
    };
    view! {
        <form class="card form" on:submit=submit novalidate=true aria-labelledby="pair-form-heading">
            <h3 id="pair-form-heading">"Pair with another cluster"</h3>
            <CallError call/>
            <FleetPick fill=Callback::new(fill_from)/>
            <Field id="pair-address" label="Other cluster's address" value=address error=address_error placeholder="10.0.0.5"/>
            <Field id="pair-port" label="Port (empty: 9001)" value=port error=port_error/>
            <Field id="pair-token" label="Its pairing token" value=token error=token_error input=Input::Secret/>
            <div class="field">
                <label for="pair-mode">"Mode"</label>
                <select id="pair-mode" on:change=move |ev| mode.set(event_target_value(&ev).parse().unwrap_or(0))>
                    {[Mode::Default, Mode::DisasterRecovery, Mode::OneTimeMigration].map(|m| view! {
                        <option value=(m as i32).to_string()>{mode_words(m as i32)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field field--check">
                <input id="pair-default" type="checkbox" prop:checked=move || set_default.get() on:change=move |ev| set_default.set(event_target_checked(&ev))/>
                <label for="pair-default">"Make it the default pair"</label>
            </div>
            <button type="submit" class="button button--primary" disabled=move || call.busy.get() || !offered.get()>"Pair clusters"</button>
            <Notice text=done/>
            <ShowAsCode call=code id="pair"/>
        </form>
    }
}

/// A migration's destination: its pair's name, or a short id once no pair has it.
fn destination(pairs: Signal<Option<Pairs>>, cluster_id: String) -> impl IntoView {
    move || {
        let named = pairs.with(|p| {
            p.as_ref()
                .and_then(|p| p.list.iter().find(|pair| pair.id == cluster_id))
                .map(|pair| pair.name.clone())
        });
        match named {
            Some(name) => view! { <span title=cluster_id.clone()>{name}</span> }.into_any(),
            None => view! { <code>{format::short_id(&cluster_id).to_string()}</code> }.into_any(),
        }
    }
}

/// With several clusters behind this console, the other cluster is picked by name: its node
/// address and pairing token are asked of it (with the sign-in kept for it) and filled in.
#[component]
fn FleetPick(fill: Callback<(String, String)>) -> impl IntoView {
    let conn = use_connection();
    let fleet = use_fleet();
    let asking = Mutation::new();
    let done = NoticeText::new();
    let others = move || {
        let current = fleet.current_name();
        fleet.members.with(|m| {
            m.iter()
                .enumerate()
                .filter(|(_, c)| Some(&c.name) != current.as_ref())
                .map(|(i, c)| (c.name.clone(), i == 0))
                .collect::<Vec<_>>()
        })
    };
    let pick = move |ev: leptos::ev::Event| {
        done.clear();
        let name = event_target_value(&ev);
        let Some(first) = others()
            .into_iter()
            .find(|(n, _)| *n == name)
            .map(|(_, f)| f)
        else {
            return;
        };
        let other = fleet::member(&conn.sdk.get_untracked(), &name, first);
        asking.run(async move { fleet::pairing(&other).await }, move |found| {
            done.show(format!(
                "Filled in from {name}: the address of one of its nodes ({}) and its pairing token.",
                found.0
            ));
            fill.run(found);
        });
    };
    move || {
        let others = others();
        (!others.is_empty()).then(|| view! {
            <div class="field">
                <label for="pair-fleet">"A cluster of this console"</label>
                <select id="pair-fleet" on:change=pick disabled=move || asking.busy.get()>
                    <option value="">"None: enter another cluster's address and token"</option>
                    {others.into_iter().map(|(name, _)| view! { <option value=name.clone()>{name.clone()}</option> }).collect_view()}
                </select>
                <CallError call=asking/>
                <Notice text=done/>
            </div>
        })
    }
}

#[component]
fn MigrationForm(
    pairs: Signal<Option<Pairs>>,
    offered: Signal<bool>,
    refresh: Callback<()>,
) -> impl IntoView {
    let conn = use_connection();
    let call = Mutation::new();
    let done = NoticeText::new();
    let target = RwSignal::new(String::new());
    let kind = RwSignal::new("volume".to_string());
    let name = RwSignal::new(String::new());
    let name_error = RwSignal::new(None::<String>);
    // The status read that follows a started migration.
    let then = RwSignal::new(None::<Call>);
    let destination = move || {
        let chosen = target.get_untracked();
        pairs.with_untracked(|p| {
            let list = p.as_ref().map(|p| p.list.as_slice()).unwrap_or_default();
            list.iter()
                .find(|x| x.id == chosen)
                .or_else(|| list.first())
                .map(|x| x.id.clone())
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.clear();
        let Some(cluster) = destination() else { return };
        let Some(moves) = checked(
            "migrate-name",
            name_error,
            forms::moves(&kind.get_untracked(), &name.get_untracked()),
        ) else {
            return;
        };
        let sdk = conn.sdk.get_untracked();
        let request = dr::migration_request(cluster, moves);
        call.run(
            async move { dr::start_migration(&sdk, request).await },
            move |task| {
                then.set(Some(dr::migration_status_call(task.clone())));
                name.set(String::new());
                done.show(if task.is_empty() {
                    "Migration started.".to_string()
                } else {
                    format!("Migration {task} started.")
                });
                refresh.run(());
            },
        );
    };
    let code = Signal::derive(move || {
        target.track();
        pairs.track();
        let cluster =
            destination().ok_or_else(|| "Pair with another cluster first.".to_string())?;
        let moves = forms::moves(&kind.get(), &name.get())?;
        Ok(Call::new(
            open_storage_migrate::START,
            &dr::migration_request(cluster, moves),
        ))
    });
    let no_pairs = move || pairs.with(|p| p.as_ref().is_none_or(|p| p.list.is_empty()));
    view! {
        <form class="card form" on:submit=submit novalidate=true aria-labelledby="migrate-heading" data-testid="migration-form">
            <h3 id="migrate-heading">"Migrate to a paired cluster"</h3>
            <Show when=no_pairs>
                <p class="hint" data-testid="migrate-needs-pair">"Pair with another cluster first: migrations go to a paired cluster."</p>
            </Show>
            <CallError call/>
            <div class="field">
                <label for="migrate-to">"To"</label>
                <select id="migrate-to" on:change=move |ev| target.set(event_target_value(&ev))>
                    {move || pairs.get().map(|p| p.list).unwrap_or_default().into_iter().map(|p| view! {
                        <option value=p.id.clone()>{p.name.clone()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="migrate-what">"What"</label>
                <select id="migrate-what" on:change=move |ev| kind.set(event_target_value(&ev))>
                    <option value="volume">"A volume"</option>
                    <option value="group">"A volume group"</option>
                    <option value="all">"Every volume"</option>
                </select>
            </div>
            <Show when=move || kind.with(|k| k != "all")>
                <Field id="migrate-name" label="Volume name or id, or group id" value=name error=name_error/>
            </Show>
            <button type="submit" class="button button--primary" disabled=move || call.busy.get() || !offered.get() || no_pairs()>"Start migration"</button>
            <Notice text=done/>
            <ShowAsCode call=code id="migrate" then/>
        </form>
    }
}

fn stage_words(info: &CloudMigrateInfo) -> String {
    let stage = match Stage::try_from(info.current_stage).unwrap_or(Stage::InvalidStage) {
        Stage::Backup => "backup",
        Stage::Restore => "restore",
        Stage::VolumeUpdate => "volume update",
        Stage::Done => "done",
        Stage::InvalidStage => "—",
    };
    let status = match MigrateStatus::try_from(info.status).unwrap_or(MigrateStatus::InvalidStatus)
    {
        MigrateStatus::Queued => "Queued",
        MigrateStatus::Initialized => "Initialized",
        MigrateStatus::InProgress => "In progress",
        MigrateStatus::Failed => "Failed",
        MigrateStatus::Complete => "Complete",
        MigrateStatus::Canceled => "Cancelled",
        MigrateStatus::InvalidStatus => "Unknown",
    };
    format!("{status} ({stage})")
}

#[component]
fn MigrationsTable(
    list: Vec<CloudMigrateInfo>,
    /// The pairs, to name each migration's destination (an id where it is no longer paired).
    pairs: Signal<Option<Pairs>>,
    refresh: Callback<()>,
) -> impl IntoView {
    let conn = use_connection();
    let call = Mutation::new();
    let cancel = move |task: String| {
        let sdk = conn.sdk.get_untracked();
        call.run(
            async move { dr::cancel_migration(&sdk, task).await },
            move |_| refresh.run(()),
        );
    };
    view! {
        <CallError call/>
        <table class="table" aria-label="Migrations" data-testid="migrations-table">
            {column_heads(&["Task", "Volume", "To", "Status", "Progress", "Actions"])}
            <tbody>
                {list.into_iter().map(|m| {
                    let running = m.status == MigrateStatus::InProgress as i32 || m.status == MigrateStatus::Queued as i32;
                    let task = m.task_id.clone();
                    let progress = if m.bytes_total > 0 {
                        let eta = if m.eta_seconds > 0 { format!(", {} left", format::eta(m.eta_seconds)) } else { String::new() };
                        format!("{} of {}{eta}", format::bytes(m.bytes_done), format::bytes(m.bytes_total))
                    } else {
                        "—".to_string()
                    };
                    let reason = (!m.error_reason.is_empty()).then(|| m.error_reason.clone());
                    view! {
                        <tr data-testid="migration-row">
                            <td><code>{m.task_id.clone()}</code></td>
                            <td>{m.local_volume_name.clone()}</td>
                            <td>{destination(pairs, m.cluster_id.clone())}</td>
                            <td data-testid="migration-status">{stage_words(&m)}{reason.map(|r| format!(": {r}"))}</td>
                            <td>{progress}</td>
                            <td>{running.then(|| view! {
                                <button type="button" class="button" disabled=move || call.busy.get() on:click=move |_| cancel(task.clone())>"Cancel"</button>
                            })}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn ClusterDomains() -> impl IntoView {
    let conn = use_connection();
    let query = use_polled(PAIRS_EVERY, move || {
        let sdk = conn.sdk.get_untracked();
        async move { dr::cluster_domains(&sdk).await }
    });
    let call = Mutation::new();
    let asking = RwSignal::new(None::<String>);
    let set = move |name: String, active: bool| {
        let sdk = conn.sdk.get_untracked();
        call.run(
            async move { dr::set_domain(&sdk, name, active).await },
            move |_| {
                asking.set(None);
                query.refresh();
            },
        );
    };
    view! {
        <section class="section" aria-labelledby="domains-heading">
            <h2 id="domains-heading">"Cluster domains"</h2>
            <QueryError error=query.error/>
            <CallError call/>
            {move || match query.data.get() {
                Some(None) => view! { <p class="notice" data-testid="domains-none">"This cluster has no cluster domains."</p> }.into_any(),
                Some(Some(list)) => view! {
                    <table class="table" aria-label="Cluster domains" data-testid="domains-table">
                        {column_heads(&["Domain", "State", "Actions"])}
                        <tbody>
                            {list.into_iter().map(|(name, active)| {
                                let shown = name.clone();
                                view! {
                                    <tr data-testid="domain-row">
                                        <td>{name.clone()}</td>
                                        <td data-testid="domain-state">{if active { "Active" } else { "Inactive" }}</td>
                                        <td>{if active {
                                            view! { <button type="button" class="button" on:click=move |_| asking.set(Some(name.clone())) aria-label=format!("Deactivate {shown}")>"Deactivate…"</button> }.into_any()
                                        } else {
                                            view! { <button type="button" class="button" disabled=move || call.busy.get() on:click=move |_| set(name.clone(), true) aria-label=format!("Activate {shown}")>"Activate"</button> }.into_any()
                                        }}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
                None => ().into_any(),
            }}
            {move || asking.get().map(|name| {
                let target = name.clone();
                view! {
                    <Confirm
                        question=format!("Deactivate cluster domain {name}? Its nodes stop serving volumes until it is activated again.")
                        action="Deactivate domain"
                        busy=call.busy
                        on_confirm=Callback::new(move |_| set(target.clone(), false))
                        on_cancel=Callback::new(move |_| asking.set(None))
                    />
                }
            })}
        </section>
    }
}
