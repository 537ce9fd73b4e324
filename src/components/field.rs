//! Form fields with their label, hint and error tied together for assistive technology: the
//! input names its hint and error in `aria-describedby`, is `aria-invalid` while the error shows,
//! and the error is a polite live region, so it is read out when it appears.

use leptos::prelude::*;

/// What an input holds; decides its type, keyboard and autocompletion.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Input {
    #[default]
    Text,
    /// Write-only: masked, never offered by the browser's autofill.
    Secret,
    Whole,
}

/// Puts `check`'s outcome on the field `id`: the error shown and focus moved to the field, or
/// the error cleared; the value when valid.
pub fn checked<T>(
    id: &str,
    error: RwSignal<Option<String>>,
    check: Result<T, String>,
) -> Option<T> {
    match check {
        Ok(value) => {
            error.set(None);
            Some(value)
        }
        Err(message) => {
            error.set(Some(message));
            crate::browser::document::focus_field(id);
            None
        }
    }
}

/// `id-hint id-error`: what the input's `aria-describedby` names.
pub fn described_by(id: &str, has_hint: bool) -> String {
    if has_hint {
        format!("{id}-hint {id}-error")
    } else {
        format!("{id}-error")
    }
}

/// The error line under a field, `{id}-error`; empty (but present, so it can be announced)
/// until there is an error.
#[component]
pub fn FieldError(
    /// The input's id.
    #[prop(into)]
    id: String,
    /// The message, when the value is not acceptable.
    #[prop(into)]
    error: Signal<Option<String>>,
) -> impl IntoView {
    view! { <p class="field-error" id=format!("{id}-error") aria-live="polite">{move || error.get()}</p> }
}

/// A labelled text input bound to `value`: a signal, or a field of a form's store.
#[component]
pub fn Field<V>(
    /// The input's id (its label, hint and error refer to it).
    #[prop(into)]
    id: String,
    /// The visible label.
    #[prop(into)]
    label: String,
    /// What is typed, two-way.
    value: V,
    /// The message shown beside the field when the value is not acceptable.
    #[prop(into, optional)]
    error: Signal<Option<String>>,
    /// A line of help under the label.
    #[prop(optional)]
    hint: &'static str,
    /// The kind of input (text by default).
    #[prop(optional)]
    input: Input,
    /// An example value shown while the field is empty.
    #[prop(optional)]
    placeholder: &'static str,
    /// Marked required for browsers and screen readers.
    #[prop(optional)]
    required: bool,
) -> impl IntoView
where
    V: Get<Value = String> + Set<Value = String> + Copy + Send + Sync + 'static,
{
    let (kind, mode, autocomplete) = match input {
        Input::Text => ("text", None, "off"),
        Input::Secret => ("password", None, "new-password"),
        Input::Whole => ("text", Some("numeric"), "off"),
    };
    let has_hint = !hint.is_empty();
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input
                id=id.clone()
                type=kind
                inputmode=mode
                autocomplete=autocomplete
                spellcheck="false"
                placeholder=(!placeholder.is_empty()).then_some(placeholder)
                required=required
                aria-describedby=described_by(&id, has_hint)
                aria-invalid=move || error.with(Option::is_some).to_string()
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            {has_hint.then(|| view! { <p class="hint" id=format!("{id}-hint")>{hint}</p> })}
            <FieldError id error/>
        </div>
    }
}
