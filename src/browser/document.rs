//! The document around the app: its title, and moving keyboard focus where the user's
//! attention has to go (the first invalid field).

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

/// Moves keyboard focus to the element with this id, now: in the same turn as the submit that
/// found the field invalid. (Waiting for the next frame could pull focus away from wherever the
/// user, or a test typing quickly, has gone meanwhile.)
pub fn focus_field(id: &str) {
    if let Some(element) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
    {
        let _ = element.focus();
    }
}

/// Focuses the first invalid field of a form, given its fields in page order as (id, invalid),
/// so a keyboard or screen-reader user lands on what to fix.
pub fn focus_first_invalid<'a>(fields: impl IntoIterator<Item = (&'a str, bool)>) {
    if let Some((id, _)) = fields.into_iter().find(|(_, invalid)| *invalid) {
        focus_field(id);
    }
}
