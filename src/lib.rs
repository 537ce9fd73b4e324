//! OpenStorage Console: a browser console for OpenStorage SDK clusters.
//!
//! Pure logic (`logic`, `error`) builds and is unit-tested natively; the api layer, hooks,
//! components and pages need a browser and build only for wasm32.

pub mod error;
pub mod logic;
pub mod proto;

#[cfg(target_arch = "wasm32")]
mod api;
#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod browser;
#[cfg(target_arch = "wasm32")]
mod components;
#[cfg(target_arch = "wasm32")]
mod hooks;
#[cfg(target_arch = "wasm32")]
mod pages;

/// Mounts the console into the page's body.
#[cfg(target_arch = "wasm32")]
pub fn start() {
    std::panic::set_hook(Box::new(browser::panic::on_panic));
    if browser::cluster::resume_last() {
        return; // on to the last cluster used
    }
    leptos::mount::mount_to_body(app::App);
}
