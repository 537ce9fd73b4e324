//! Each screen names itself in the browser's title bar (and tab, history and screen readers'
//! page announcements).

use leptos::prelude::*;

use crate::browser::document::set_title;

/// Sets the title to `page`. Every screen sets its own, so none has to be undone on leaving.
pub fn use_title(page: &'static str) {
    set_title(page);
}

/// Same, for a title that follows data (a volume's name).
pub fn use_title_from(page: impl Fn() -> String + Send + Sync + 'static) {
    Effect::new(move |_| set_title(&page()));
}
