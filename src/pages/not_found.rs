use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <section class="page">
            <h1>"Page not found"</h1>
            <p>"There is no console page at this address. "<A href="/">"Go to the cluster overview"</A></p>
        </section>
    }
}
