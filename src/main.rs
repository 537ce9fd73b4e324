//! Entry point of the page's wasm module (built by scripts/build-wasm.mjs).

/// Talc in place of the default dlmalloc: a few KB less of the app to download.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    #[cfg(target_arch = "wasm32")]
    openstorage_console::start();
}
