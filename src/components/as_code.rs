//! "Show as code": under a form, the SDK call it would send now, as a Python program, a Go
//! program and a grpcurl command, each with a Copy button, following the form as the user
//! types. The generator (`logic::as_code`) is its own wasm module, fetched the first time a
//! disclosure opens: it costs the console's first visit nothing.

use leptos::lazy;
use leptos::prelude::*;

use crate::hooks::connection::use_connection;
use crate::logic::as_code::{render, Call, Endpoint, Snippets};

#[lazy]
fn generate(call: Call, endpoint: Endpoint) -> Result<Snippets, String> {
    render(&call, &endpoint)
}

/// The id prefix of a disclosure in a table row: `prefix` and the row's object id, kept to
/// characters an element id and a CSS selector take as they are.
pub fn row_code_id(prefix: &str, key: &str) -> String {
    format!("{prefix}-{key}").replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "-")
}

#[derive(Clone, Copy, PartialEq)]
enum Language {
    Python,
    Go,
    Grpcurl,
}

impl Language {
    const ALL: [Language; 3] = [Language::Python, Language::Go, Language::Grpcurl];

    fn label(self) -> &'static str {
        match self {
            Language::Python => "Python",
            Language::Go => "Go",
            Language::Grpcurl => "grpcurl",
        }
    }

    fn key(self) -> &'static str {
        match self {
            Language::Python => "python",
            Language::Go => "go",
            Language::Grpcurl => "grpcurl",
        }
    }

    fn pick(self, snippets: &Snippets) -> &str {
        match self {
            Language::Python => &snippets.python,
            Language::Go => &snippets.go,
            Language::Grpcurl => &snippets.grpcurl,
        }
    }
}

/// The disclosure. Closed, it costs nothing; open, it renders the call on every change, and
/// after a call (`then`) the read that follows what it started (Inspect, Status).
#[component]
pub fn ShowAsCode(
    /// The call the form would make now, or what the form still needs before it can.
    #[prop(into)]
    call: Signal<Result<Call, String>>,
    /// Prefix of the disclosure's element ids (unique on the page: a row's names its row).
    #[prop(into)]
    id: String,
    /// The read that follows the form's last call, once it made one.
    #[prop(optional, into)]
    then: Option<Signal<Option<Call>>>,
    /// The button's words.
    #[prop(default = "Show as code")]
    label: &'static str,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let panel = format!("{id}-panel");
    view! {
        <div class="as-code">
            <button
                type="button"
                class="as-code__toggle"
                data-testid=format!("{id}-code-toggle")
                aria-expanded=move || open.get().to_string()
                aria-controls=panel.clone()
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {label}
            </button>
            <Show when=move || open.get()>
                <div class="as-code__body" id=panel.clone()>
                    <CodeTabs call id=id.clone()/>
                    {then.map(|then| {
                        let id = format!("{id}-then");
                        view! {
                        <Show when=move || then.with(Option::is_some)>
                            <p class="as-code__then">"To follow what it started:"</p>
                            <CodeTabs
                                call=Signal::derive(move || then.get().ok_or_else(String::new))
                                id=id.clone()
                            />
                        </Show>
                    }})}
                </div>
            </Show>
        </div>
    }
}

/// One call in the three languages, with a Copy button.
#[component]
fn CodeTabs(call: Signal<Result<Call, String>>, id: String) -> impl IntoView {
    let conn = use_connection();
    let language = RwSignal::new(Language::Python);
    let copied = RwSignal::new(false);
    // None until the generator has answered for the first time.
    let snippets = RwSignal::new(None::<Result<Snippets, String>>);
    // Answers can arrive out of order while the generator loads: only the latest is shown.
    let latest = StoredValue::new(0u64);
    Effect::new(move |_| {
        let current = call.get();
        let endpoint = conn.sdk.with(|sdk| Endpoint::from_url(&sdk.endpoint));
        copied.set(false);
        latest.update_value(|n| *n += 1);
        let ticket = latest.get_value();
        match current {
            Err(need) => snippets.set(Some(Err(need))),
            Ok(call) => leptos::task::spawn_local(async move {
                let answer = generate(call, endpoint).await;
                if latest.try_get_value() == Some(ticket) {
                    snippets.set(Some(answer));
                }
            }),
        }
    });
    let text = move || {
        snippets.with(|s| match s {
            Some(Ok(snippets)) => Some(language.get().pick(snippets).to_string()),
            _ => None,
        })
    };
    let copy = move |_| {
        if let (Some(window), Some(text)) = (web_sys::window(), text()) {
            let _ = window.navigator().clipboard().write_text(&text);
            copied.set(true);
        }
    };
    let needs_id = format!("{id}-code-needs");
    let code_id = format!("{id}-code");
    let wrapper_id = code_id.clone();
    view! {
        <div id=wrapper_id>
            <div class="as-code__bar" role="group" aria-label="Language">
                {Language::ALL.map(|each| view! {
                    <button
                        type="button"
                        class="as-code__language"
                        aria-pressed=move || (language.get() == each).to_string()
                        on:click=move |_| { language.set(each); copied.set(false); }
                    >
                        {each.label()}
                    </button>
                })}
                <button
                    type="button"
                    class="as-code__copy"
                    disabled=move || text().is_none()
                    on:click=copy
                >
                    {move || if copied.get() { "Copied" } else { "Copy" }}
                </button>
            </div>
            {move || snippets.with(|s| match s {
                None => view! { <p class="muted">"Loading the code generator…"</p> }.into_any(),
                Some(Err(need)) => view! {
                    <p class="muted" data-testid=needs_id.clone()>{need.clone()}</p>
                }.into_any(),
                Some(Ok(_)) => view! {
                    <pre
                        class="as-code__code"
                        tabindex="0"
                        aria-label=move || format!("{} code", language.get().label())
                        data-testid=code_id.clone()
                        data-language=move || language.get().key()
                    >
                        <code>{text}</code>
                    </pre>
                }.into_any(),
            })}
        </div>
    }
}
