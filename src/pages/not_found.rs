use crate::browser::cluster::here;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    crate::hooks::title::use_title("Page not found");
    view! {
        <section class="page">
            <h1>"Page not found"</h1>
            <p>"There is no console page at this address. "<A href={here("/")}>"Go to the cluster overview"</A></p>
        </section>
    }
}

/// Panics on purpose, so the crash screen can be seen and tested (`/debug/crash`).
#[component]
pub fn CrashTestPage() -> impl IntoView {
    let boom = move |_| panic!("crash test requested from /debug/crash");
    view! {
        <section class="page">
            <h1>"Crash test"</h1>
            <p>"This page exists to check the console's crash screen."</p>
            <button type="button" class="button button--danger" on:click=boom>"Crash the console"</button>
        </section>
    }
}
