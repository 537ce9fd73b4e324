//! The browser's key-value stores. Failures (storage disabled, quota) are ignored: settings
//! then last for the page's life only.

/// Which store: `Device` survives browser restarts (localStorage), `Tab` ends with the tab
/// (sessionStorage).
#[derive(Debug, Clone, Copy)]
pub enum Store {
    Device,
    Tab,
}

fn open(store: Store) -> Option<web_sys::Storage> {
    let window = web_sys::window()?;
    match store {
        Store::Device => window.local_storage().ok()?,
        Store::Tab => window.session_storage().ok()?,
    }
}

/// The stored value, if any and not empty.
pub fn get(store: Store, key: &str) -> Option<String> {
    open(store)?.get_item(key).ok()?.filter(|v| !v.is_empty())
}

/// Stores `value`, or removes the key for `None`.
pub fn set(store: Store, key: &str, value: Option<&str>) {
    if let Some(storage) = open(store) {
        let _ = match value {
            Some(v) => storage.set_item(key, v),
            None => storage.remove_item(key),
        };
    }
}
