//! Formatting of sizes, ratios and ids for display. The one place sizes become text.

const UNITS: [&str; 7] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];

/// Bytes in binary units, as storage admins read them: `100 GiB`, `1.5 TiB`, `512 B`.
/// Whole numbers drop the decimal; others keep one (rounded down, so a nearly full disk never
/// reads as full).
pub fn bytes(n: u64) -> String {
    // Integer arithmetic: f64 cannot hold every u64, and rounding must go down.
    let mut unit = 0;
    while unit < UNITS.len() - 1 && u128::from(n) >= 1u128 << (10 * (unit + 1)) {
        unit += 1;
    }
    if unit == 0 {
        return format!("{n} B");
    }
    // At least a KiB, so tenths of the unit fit in u64 (formatting u128 costs the wasm more).
    let tenths = ((u128::from(n) * 10) >> (10 * unit)) as u64;
    if tenths.is_multiple_of(10) {
        format!("{} {}", tenths / 10, UNITS[unit])
    } else {
        format!("{}.{} {}", tenths / 10, tenths % 10, UNITS[unit])
    }
}

/// `used` as a whole percentage of `total` (0 when the total is unknown), capped at 100.
pub fn percent(used: u64, total: u64) -> u8 {
    if total == 0 {
        return 0;
    }
    ((used as u128 * 100 / total as u128).min(100)) as u8
}

/// Used capacity against a total: `25 GiB of 100 GiB (25%)`, or "not reported" when the
/// cluster gives no total (upstream's fake reports nodes without pools).
pub fn usage(used: u64, total: u64) -> String {
    if total == 0 {
        return "not reported".into();
    }
    format!(
        "{} of {} ({}%)",
        bytes(used),
        bytes(total),
        percent(used, total)
    )
}

pub use console_model::volume::short_id;

/// A duration in seconds as `1h 02m`, `3m 05s` or `42s`.
pub fn duration_secs(secs: u64) -> String {
    let (h, m, s) = (secs / 3600, (secs % 3600) / 60, secs % 60);
    if h > 0 {
        format!("{h}h {m:02}m")
    } else if m > 0 {
        format!("{m}m {s:02}s")
    } else {
        format!("{s}s")
    }
}

/// A transfer rate: `1.2 GiB/s`; `—` when nothing moved.
pub fn rate(bytes_per_second: f64) -> String {
    if !bytes_per_second.is_finite() || bytes_per_second < 1.0 {
        return "—".into();
    }
    format!("{}/s", bytes(bytes_per_second as u64))
}

/// Average rate of a transfer that moved `done` bytes in `elapsed_secs`.
pub fn average_rate(done: u64, elapsed_secs: i64) -> f64 {
    if elapsed_secs <= 0 {
        return 0.0;
    }
    done as f64 / elapsed_secs as f64
}

/// Time left as people read it: `3m 05s left`, `less than a second`, or `—` when unknown.
pub fn eta(seconds: i64) -> String {
    match seconds {
        s if s < 0 => "—".into(),
        0 => "less than a second".into(),
        s => format!("{} left", duration_secs(s as u64)),
    }
}

pub use console_model::calendar::utc_stamp;

/// `value` with `decimals` digits after the point, rounded half away from zero: `12.3`, `-0.5`,
/// `600`. Written with integer arithmetic, so the app carries no float-to-text code (about 20 KB
/// of wasm). Values beyond ±1.8e19 are clamped; not-a-number reads `0`.
pub fn fixed(value: f64, decimals: u32) -> String {
    let decimals = decimals.min(6);
    let scale = 10u64.pow(decimals);
    // `as` saturates (and maps NaN to 0), so no value can overflow here.
    let scaled = (value.abs() * scale as f64).round() as u64;
    let sign = if value < 0.0 && scaled != 0 { "-" } else { "" };
    if decimals == 0 {
        format!("{sign}{scaled}")
    } else {
        let (whole, part) = (scaled / scale, scaled % scale);
        format!("{sign}{whole}.{part:0width$}", width = decimals as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_without_a_total_is_not_reported() {
        assert_eq!(usage(0, 0), "not reported");
        assert_eq!(usage(1 << 30, 4 << 30), "1 GiB of 4 GiB (25%)");
    }

    #[test]
    fn bytes_in_binary_units() {
        assert_eq!(bytes(0), "0 B");
        assert_eq!(bytes(1023), "1023 B");
        assert_eq!(bytes(1024), "1 KiB");
        assert_eq!(bytes(100 * 1024 * 1024 * 1024), "100 GiB");
        assert_eq!(bytes(1536 * 1024 * 1024 * 1024), "1.5 TiB");
        assert_eq!(bytes(u64::MAX), "15.9 EiB");
    }

    #[test]
    fn bytes_round_down_so_nearly_full_is_not_full() {
        let almost_2_gib = 2 * 1024 * 1024 * 1024 - 1;
        assert_eq!(bytes(almost_2_gib), "1.9 GiB");
    }

    #[test]
    fn percent_handles_unknown_and_overfull() {
        assert_eq!(percent(5, 0), 0);
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(10, 5), 100);
        assert_eq!(percent(u64::MAX, u64::MAX), 100);
    }

    #[test]
    fn rates_and_etas() {
        assert_eq!(rate(2.5 * 1024.0 * 1024.0 * 1024.0), "2.5 GiB/s");
        assert_eq!(rate(0.0), "—");
        assert_eq!(rate(f64::NAN), "—");
        assert_eq!(average_rate(10 * 1024 * 1024, 10), 1024.0 * 1024.0);
        assert_eq!(average_rate(100, 0), 0.0);
        assert_eq!(eta(185), "3m 05s left");
        assert_eq!(eta(0), "less than a second");
        assert_eq!(eta(-1), "—");
    }

    #[test]
    fn fixed_point_figures() {
        assert_eq!(fixed(12.345, 1), "12.3");
        assert_eq!(fixed(0.256, 2), "0.26");
        assert_eq!(fixed(2.0, 2), "2.00");
        assert_eq!(fixed(999.96, 0), "1000");
        assert_eq!(fixed(0.05, 1), "0.1");
        assert_eq!(fixed(-1.25, 1), "-1.3");
        assert_eq!(fixed(-0.04, 1), "0.0", "no minus sign on a zero");
        assert_eq!(fixed(600.0, 0), "600");
        assert_eq!(fixed(f64::NAN, 1), "0.0");
        assert_eq!(fixed(1e30, 0), u64::MAX.to_string());
    }

    #[test]
    fn durations() {
        assert_eq!(duration_secs(42), "42s");
        assert_eq!(duration_secs(185), "3m 05s");
        assert_eq!(duration_secs(3720), "1h 02m");
    }
}
