//! Confirmations of destructive actions. Focus moves into one when it opens (onto the safe
//! choice, or the field to type in), so keyboard and screen-reader users land where the
//! decision is. Every delete in a list goes through `ConfirmDelete`.

use leptos::html;
use leptos::prelude::*;

use crate::components::as_code::ShowAsCode;
use crate::logic::as_code::Call;
use crate::logic::validate;

/// Focuses the element once it is in the page.
fn focus_on_open<E>(node: NodeRef<E>)
where
    E: html::ElementType + 'static,
    E::Output: wasm_bindgen::JsCast + Clone + AsRef<web_sys::HtmlElement> + 'static,
{
    node.on_load(|el| {
        let element: &web_sys::HtmlElement = el.as_ref();
        let _ = element.focus();
    });
}

/// "Delete …? This cannot be undone." with the action and Cancel.
#[component]
pub fn Confirm(
    /// What is asked, naming what the action touches.
    #[prop(into)]
    question: String,
    /// The action's button text, e.g. "Delete credential".
    action: &'static str,
    /// Disabled while the call runs.
    #[prop(into)]
    busy: Signal<bool>,
    /// Runs the action.
    on_confirm: Callback<()>,
    /// Closes the question without doing anything.
    on_cancel: Callback<()>,
    /// A restore replaces data but is not a deletion: the action is primary, not danger.
    #[prop(optional)]
    primary: bool,
) -> impl IntoView {
    let cancel = NodeRef::<html::Button>::new();
    focus_on_open(cancel);
    let class = if primary {
        "button button--primary"
    } else {
        "button button--danger"
    };
    view! {
        <div class="confirm" role="group" aria-label=action>
            <p>{question}</p>
            <div class="actions">
                <button type="button" class=class disabled=move || busy.get() on:click=move |_| on_confirm.run(())>
                    {action}
                </button>
                <button type="button" class="button" node_ref=cancel on:click=move |_| on_cancel.run(())>"Cancel"</button>
            </div>
        </div>
    }
}

/// A confirmation where the user types `expected` (a volume name) before the button is
/// enabled.
#[component]
pub fn TypedConfirm(
    /// What must be typed.
    expected: String,
    /// The action's button text, e.g. "Delete volume".
    action: &'static str,
    /// Disabled while the call runs.
    busy: RwSignal<bool>,
    /// Runs the action, once what was typed matches.
    on_confirm: Callback<()>,
    /// Closes the question without doing anything.
    on_cancel: Callback<()>,
) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let matches = {
        let expected = expected.clone();
        move || validate::confirmed(&typed.get(), &expected)
    };
    let input = NodeRef::<html::Input>::new();
    focus_on_open(input);
    let input_id = "typed-confirm-input";
    view! {
        <div class="confirm" role="group" aria-label=action>
            <label for=input_id>
                "Type " <strong class="confirm__expected">{expected.clone()}</strong> " to confirm"
            </label>
            <input
                id=input_id
                node_ref=input
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

/// The one way a row's delete is confirmed: while `open`, the question with the action and
/// Cancel, and "Show as code" for the call the action sends.
#[component]
pub fn ConfirmDelete(
    /// Whether the question is shown (the row's "Delete…" opens it, Cancel closes it).
    #[prop(into)]
    open: Signal<bool>,
    /// What is asked, naming what the delete touches (read when the question opens).
    #[prop(into)]
    question: Signal<String>,
    /// The action's button text, e.g. "Delete credential".
    action: &'static str,
    /// Disabled while the call runs.
    #[prop(into)]
    busy: Signal<bool>,
    /// Runs the delete.
    on_confirm: Callback<()>,
    /// Closes the question without doing anything.
    on_cancel: Callback<()>,
    /// The call the delete sends, for "Show as code"; none where the console offers no snippet.
    #[prop(optional, into)]
    code: Option<Signal<Result<Call, String>>>,
    /// Prefix of the disclosure's element ids (unique on the page: a row's names its row).
    #[prop(optional, into)]
    code_id: String,
) -> impl IntoView {
    view! {
        <Show when=move || open.get()>
            <Confirm question=question.get_untracked() action busy on_confirm on_cancel/>
            {code.map(|call| view! { <ShowAsCode call id=code_id.clone()/> })}
        </Show>
    }
}
