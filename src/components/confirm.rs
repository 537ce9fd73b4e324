use leptos::prelude::*;

use crate::logic::validate;

/// A destructive action's confirmation: the user types `expected` (a volume name) before the
/// button is enabled.
#[component]
pub fn TypedConfirm(
    /// What must be typed.
    expected: String,
    /// The action's button text, e.g. "Delete volume".
    action: &'static str,
    /// Disabled while the call runs.
    busy: RwSignal<bool>,
    on_confirm: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let matches = {
        let expected = expected.clone();
        move || validate::confirmed(&typed.get(), &expected)
    };
    let input_id = "typed-confirm-input";
    view! {
        <div class="confirm" role="group" aria-label=action>
            <label for=input_id>
                "Type " <strong class="confirm__expected">{expected.clone()}</strong> " to confirm"
            </label>
            <input
                id=input_id
                type="text"
                autocomplete="off"
                prop:value=move || typed.get()
                on:input=move |ev| typed.set(event_target_value(&ev))
            />
            <div class="actions">
                <button
                    type="button"
                    class="button button--danger"
                    disabled=move || !matches() || busy.get()
                    on:click=move |_| on_confirm.run(())
                >
                    {action}
                </button>
                <button type="button" class="button" on:click=move |_| on_cancel.run(())>
                    "Cancel"
                </button>
            </div>
        </div>
    }
}
