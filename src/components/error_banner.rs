use crate::browser::cluster::here;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::error::AppError;
use crate::hooks::connection::use_connection;
use crate::hooks::mutation::Mutation;

/// The one way a failed call is shown: the mapped message, announced to screen readers, with
/// the way out for auth problems (sign in, or use another token).
#[component]
pub fn ErrorBanner(
    /// The error to show.
    error: AppError,
) -> impl IntoView {
    let conn = use_connection();
    let signed_in = conn.sdk.with_untracked(|s| s.token.is_some());
    let help = match &error {
        AppError::Unauthenticated(_) => {
            Some(view! { " " <A href={here("/settings")}>"Enter another token"</A> }.into_any())
        }
        AppError::PermissionDenied(_) if !signed_in => Some(
            view! { " " <A href={here("/settings")}>"Sign in with a token"</A> " to do this." }
                .into_any(),
        ),
        AppError::PermissionDenied(_) => Some(
            view! { " " <A href={here("/settings")}>"Use a token with the needed role"</A> }
                .into_any(),
        ),
        _ => None,
    };
    view! {
        <div class="banner banner--error" role="alert" data-kind=error.kind()>
            {error.to_string()}
            {help}
        </div>
    }
}

/// The error of the last call a form or button made, if any.
#[component]
pub fn CallError(
    /// The call whose last error is shown (nothing while it has none).
    call: Mutation,
) -> impl IntoView {
    move || call.error.get().map(|error| view! { <ErrorBanner error/> })
}
