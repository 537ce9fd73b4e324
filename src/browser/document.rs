//! The document around the app: its title, and moving keyboard focus where the user's
//! attention has to go (the first invalid field, an opened confirmation).

const APP: &str = "OpenStorage Console";

/// `Volumes · OpenStorage Console`; the app's name alone for an empty `page`.
pub fn set_title(page: &str) {
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        if page.is_empty() {
            document.set_title(APP);
        } else {
            document.set_title(&format!("{page} · {APP}"));
        }
    }
}

/// Focuses the first element under `root` that matches `selector`, after the pending render
/// (errors set in the same turn are drawn first). Does nothing when there is none.
pub fn focus_first(root: web_sys::Element, selector: &'static str) {
    leptos::prelude::request_animation_frame(move || {
        if let Some(element) = root
            .query_selector(selector)
            .ok()
            .flatten()
            .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
        {
            let _ = element.focus();
        }
    });
}

/// Moves focus to the form's first field marked invalid, so a keyboard or screen-reader user
/// lands on what to fix.
pub fn focus_first_invalid(form: Option<web_sys::Element>) {
    if let Some(form) = form {
        focus_first(form, "[aria-invalid=\"true\"]");
    }
}

/// The form a submit event came from.
pub fn submitted_form(ev: &leptos::ev::SubmitEvent) -> Option<web_sys::Element> {
    ev.target()
        .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
}
