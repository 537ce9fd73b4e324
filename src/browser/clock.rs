//! Timestamps in the viewer's local time.

use wasm_bindgen::JsValue;

/// The browser's clock, Unix seconds: the one place the console reads the time.
pub fn unix_now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// `2026-11-25 14:03` in local time; "—" when unknown (0).
pub fn local_time(unix_seconds: i64) -> String {
    if unix_seconds <= 0 {
        return "—".into();
    }
    let date = js_sys::Date::new(&JsValue::from_f64(unix_seconds as f64 * 1000.0));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date(),
        date.get_hours(),
        date.get_minutes()
    )
}

/// Same, with seconds, for events that happen seconds apart (backup tasks and history).
pub fn local_time_seconds(unix_seconds: i64) -> String {
    if unix_seconds <= 0 {
        return "—".into();
    }
    let date = js_sys::Date::new(&JsValue::from_f64(unix_seconds as f64 * 1000.0));
    format!("{}:{:02}", local_time(unix_seconds), date.get_seconds())
}
