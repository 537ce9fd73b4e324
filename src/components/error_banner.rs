use crate::browser::cluster::sign_in_screen;
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
    let signed_in = untrack(|| conn.signed_in());
    // With single sign-on for this cluster, the sign-in screen offers it first (known once
    // console-server has said, which may be after the error).
    let sign_in = move || {
        let cluster = conn.sdk.with(|s| s.cluster.clone());
        if conn
            .sso
            .with(|sso| sso.as_ref().is_some_and(|s| s.covers(cluster.as_deref())))
        {
            "Sign in"
        } else {
            "Sign in with a token"
        }
    };
    // Signed in through single sign-on, there is no token to change: another sign-in.
    let with_sso = move || conn.sso_user().is_some();
    let help = match &error {
        AppError::Unauthenticated(_) => Some(
            view! { " " <A href={sign_in_screen()}>{move || if with_sso() { "Sign in again" } else { "Enter another token" }}</A> }
                .into_any(),
        ),
        AppError::PermissionDenied(_) if !signed_in => {
            Some(view! { " " <A href={sign_in_screen()}>{sign_in}</A> " to do this." }.into_any())
        }
        AppError::PermissionDenied(_) => Some(
            view! { " " <A href={sign_in_screen()}>{move || if with_sso() { "Sign in as a user with the needed role" } else { "Use a token with the needed role" }}</A> }
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
