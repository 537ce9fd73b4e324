//! Growing one of the node's storage pools, to a size or by a percentage; says when the
//! cluster does not offer it (upstream's own answers "Not Supported").

use leptos::prelude::*;

use crate::api::capabilities::SdkService;
use crate::api::node_ops;
use crate::components::as_code::ShowAsCode;
use crate::components::error_banner::CallError;
use crate::components::field::{checked, Field};
use crate::components::notice::{Notice, NoticeText};
use crate::hooks::connection::use_connection;
use crate::hooks::mutation::Mutation;
use crate::logic::as_code::Call;
use crate::logic::{format, pool_resize};
use crate::proto::methods::open_storage_pool;
use crate::proto::sdk_storage_pool::ResizeOperationType as How;
use crate::proto::StoragePool;

use super::learn_absence;

#[component]
pub fn PoolResize(pools: Signal<Vec<StoragePool>>, refresh: Callback<()>) -> impl IntoView {
    let conn = use_connection();
    let call = Mutation::new();
    let done = NoticeText::new();
    let offered = RwSignal::new(true);
    learn_absence(offered, SdkService::Pool);
    let chosen = RwSignal::new(String::new());
    let by_percent = RwSignal::new(false);
    let value = RwSignal::new(String::new());
    let value_error = RwSignal::new(None::<String>);
    let how = RwSignal::new(How::ResizeTypeAuto as i32);
    let pool = move || {
        pools.with_untracked(|all| {
            let uuid = chosen.get_untracked();
            all.iter()
                .find(|p| p.uuid == uuid)
                .or_else(|| all.first())
                .cloned()
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.clear();
        let Some(pool) = pool() else { return };
        let check = pool_resize::parse(
            &value.get_untracked(),
            by_percent.get_untracked(),
            pool.total_size,
        );
        let Some(grow) = checked("resize-value", value_error, check) else {
            return;
        };
        let sdk = conn.sdk.get_untracked();
        let request = node_ops::resize_request(pool.uuid.clone(), grow, how.get_untracked());
        call.run(
            async move { node_ops::resize_pool(&sdk, request).await },
            move |answer| match answer {
                None => offered.set(false),
                Some(()) => {
                    value.set(String::new());
                    refresh.run(());
                    done.show(format!(
                        "Resize of pool {} started: its last operation above follows it.",
                        pool.id
                    ));
                }
            },
        );
    };
    let code = Signal::derive(move || {
        chosen.track();
        pools.track();
        let pool =
            pool().ok_or_else(|| "The node reports no storage pools to resize.".to_string())?;
        let grow = pool_resize::parse(&value.get(), by_percent.get(), pool.total_size)?;
        Ok(Call::new(
            open_storage_pool::RESIZE,
            &node_ops::resize_request(pool.uuid, grow, how.get()),
        ))
    });
    view! {
        <form class="card form" on:submit=submit novalidate=true aria-labelledby="resize-heading" data-testid="pool-resize">
            <h3 id="resize-heading">"Resize a pool"</h3>
            <Show
                when=move || offered.get()
                fallback=|| view! { <p class="notice" data-testid="pool-resize-not-offered">"This cluster does not offer pool resizing."</p> }
            >
                ""
            </Show>
            <Show when=move || pools.with(Vec::is_empty)>
                <p class="hint" data-testid="pool-resize-no-pools">"The node reports no storage pools to resize."</p>
            </Show>
            <CallError call/>
            <div class="field">
                <label for="resize-pool">"Pool"</label>
                <select id="resize-pool" on:change=move |ev| chosen.set(event_target_value(&ev))>
                    {move || pools.get().into_iter().map(|p| view! {
                        <option value=p.uuid.clone()>{format!("Pool {} ({})", p.id, format::bytes(p.total_size))}</option>
                    }).collect_view()}
                </select>
            </div>
            <fieldset class="field">
                <legend>"Grow"</legend>
                <div class="field--check">
                    <input id="resize-by-size" type="radio" name="resize-by" prop:checked=move || !by_percent.get() on:change=move |_| by_percent.set(false)/>
                    <label for="resize-by-size">"To a new size, in GiB"</label>
                </div>
                <div class="field--check">
                    <input id="resize-by-percent" type="radio" name="resize-by" prop:checked=move || by_percent.get() on:change=move |_| by_percent.set(true)/>
                    <label for="resize-by-percent">"By a percentage of its size"</label>
                </div>
            </fieldset>
            <Field id="resize-value" label="Size in GiB or percentage" value error=value_error/>
            <div class="field">
                <label for="resize-how">"How"</label>
                <select id="resize-how" on:change=move |ev| how.set(event_target_value(&ev).parse().unwrap_or(0))>
                    <option value=(How::ResizeTypeAuto as i32).to_string()>"As the cluster sees fit"</option>
                    <option value=(How::ResizeTypeAddDisk as i32).to_string()>"Add drives"</option>
                    <option value=(How::ResizeTypeResizeDisk as i32).to_string()>"Resize the drives"</option>
                </select>
            </div>
            <button type="submit" class="button button--primary" disabled=move || call.busy.get() || !offered.get() || pools.with(Vec::is_empty)>"Resize pool"</button>
            <Notice text=done/>
            <ShowAsCode call=code id="pool-resize"/>
        </form>
    }
}
