//! Entry point trunk builds into the page's wasm module.

fn main() {
    #[cfg(target_arch = "wasm32")]
    openstorage_console::start();
}
