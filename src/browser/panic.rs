//! What a panic leaves on screen: a plain "something went wrong" page with a reload button,
//! instead of a frozen console. Built with the DOM directly: the app may be broken.

use wasm_bindgen::prelude::*;

/// Logs the panic to the browser console, then replaces the page with the crash screen.
pub fn on_panic(info: &std::panic::PanicHookInfo<'_>) {
    console_error_panic_hook::hook(info);
    let _ = show();
}

fn show() -> Option<()> {
    let document = web_sys::window()?.document()?;
    let body = document.body()?;
    let screen = document.create_element("div").ok()?;
    screen.set_class_name("crash");
    screen.set_attribute("role", "alert").ok()?;
    screen.set_attribute("data-testid", "crash-screen").ok()?;
    let title = document.create_element("h1").ok()?;
    title.set_text_content(Some("Something went wrong"));
    let text = document.create_element("p").ok()?;
    text.set_text_content(Some(
        "The console hit an internal error and stopped. Nothing on the cluster was changed by it. \
         Reload to start again; the browser console has the details for a bug report.",
    ));
    let button = document.create_element("button").ok()?;
    button.set_class_name("button button--primary");
    button.set_attribute("type", "button").ok()?;
    button.set_text_content(Some("Reload the console"));
    let reload = Closure::<dyn Fn()>::new(|| {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    });
    button
        .dyn_ref::<web_sys::HtmlElement>()?
        .set_onclick(Some(reload.as_ref().unchecked_ref()));
    reload.forget();
    screen.append_child(&title).ok()?;
    screen.append_child(&text).ok()?;
    screen.append_child(&button).ok()?;
    body.set_inner_html("");
    body.append_child(&screen).ok()?;
    Some(())
}
