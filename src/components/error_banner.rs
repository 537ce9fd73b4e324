use leptos::prelude::*;

use crate::error::AppError;

/// The one way a failed call is shown: the mapped message, announced to screen readers.
#[component]
pub fn ErrorBanner(
    /// The error to show.
    error: AppError,
) -> impl IntoView {
    view! {
        <div class="banner banner--error" role="alert">
            {error.to_string()}
        </div>
    }
}
