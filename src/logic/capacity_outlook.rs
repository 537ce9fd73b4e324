//! A capacity's outlook in words ("Full in about 12 days at the last 7 days' rate"), where
//! its projection meets 100 %, and a chart's range in words.

use crate::proto::console::{CapacityForecast, Outlook};

const DAY: f64 = 86_400.0;

/// `604800` is "7 days", `86400` "24 hours".
fn window(seconds: u32) -> &'static str {
    if seconds >= 7 * 86_400 {
        "7 days"
    } else {
        "24 hours"
    }
}

/// A span of days as a person says it: hours under two days, days under ten weeks, then
/// months, then years.
pub fn days(days: f64) -> String {
    let plural = |n: f64, unit: &str| {
        let n = n.round().max(1.0) as u64;
        if n == 1 {
            format!("1 {unit}")
        } else {
            format!("{n} {unit}s")
        }
    };
    if days < 2.0 {
        plural(days * 24.0, "hour")
    } else if days < 70.0 {
        plural(days, "day")
    } else if days < 730.0 {
        plural(days / 30.4, "month")
    } else {
        plural(days / 365.0, "year")
    }
}

/// The outlook in one sentence.
pub fn words(f: &CapacityForecast) -> String {
    match Outlook::try_from(f.outlook).unwrap_or(Outlook::NotEnoughHistory) {
        Outlook::Full => "Full now.".into(),
        Outlook::Filling => format!(
            "Full in about {} at the last {}' rate.",
            days(f.days),
            window(f.window_seconds)
        ),
        Outlook::NotFilling => {
            format!(
                "Not filling at the last {}' rate.",
                window(f.window_seconds)
            )
        }
        Outlook::NotEnoughHistory if f.history_seconds < 3600 => {
            "Not enough history yet: a forecast needs about a day of capacity history.".into()
        }
        Outlook::NotEnoughHistory => format!(
            "Not enough history yet: a forecast needs about a day of capacity history, and \
             there are {} hours.",
            f.history_seconds / 3600
        ),
    }
}

/// Where a filling capacity's projection reaches 100 %: (Unix seconds, bytes), when that is
/// within `within` seconds of its last reading (further out, the line would squash the chart).
pub fn full_at(f: &CapacityForecast, within: i64) -> Option<(i64, f64)> {
    if f.outlook != Outlook::Filling as i32 {
        return None;
    }
    let seconds = (f.days * DAY).round() as i64;
    (seconds <= within).then_some((f.time + seconds, f.capacity_bytes as f64))
}

/// A chart's range: "15 minutes", "6 hours", "7 days".
pub fn range(seconds: i64) -> String {
    if seconds <= 3600 {
        format!("{} minutes", seconds / 60)
    } else if seconds <= 2 * 86_400 {
        format!("{} hours", seconds / 3600)
    } else {
        format!("{} days", seconds / 86_400)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filling(days: f64, window: u32) -> CapacityForecast {
        CapacityForecast {
            outlook: Outlook::Filling as i32,
            days,
            window_seconds: window,
            time: 1_000,
            capacity_bytes: 500,
            ..Default::default()
        }
    }

    #[test]
    fn outlooks_read_as_sentences() {
        assert_eq!(
            words(&filling(12.2, 604_800)),
            "Full in about 12 days at the last 7 days' rate."
        );
        assert_eq!(
            words(&filling(0.5, 86_400)),
            "Full in about 12 hours at the last 24 hours' rate."
        );
        assert_eq!(
            words(&filling(400.0, 604_800)),
            "Full in about 13 months at the last 7 days' rate."
        );
        let flat = CapacityForecast {
            outlook: Outlook::NotFilling as i32,
            window_seconds: 86_400,
            ..Default::default()
        };
        assert_eq!(words(&flat), "Not filling at the last 24 hours' rate.");
        let short = CapacityForecast {
            history_seconds: 5 * 3600 + 59,
            ..Default::default()
        };
        assert!(words(&short).ends_with("and there are 5 hours."));
        assert!(words(&CapacityForecast::default()).starts_with("Not enough history yet"));
        let full = CapacityForecast {
            outlook: Outlook::Full as i32,
            ..Default::default()
        };
        assert_eq!(words(&full), "Full now.");
    }

    #[test]
    fn spans_round_to_the_unit_a_person_uses() {
        assert_eq!(days(1.0 / 24.0), "1 hour");
        assert_eq!(days(0.01), "1 hour");
        assert_eq!(days(2.0), "2 days");
        assert_eq!(days(69.4), "69 days");
        assert_eq!(days(800.0), "2 years");
    }

    #[test]
    fn the_projection_is_drawn_only_when_it_fits_the_chart() {
        let f = filling(2.0, 604_800);
        assert_eq!(full_at(&f, 7 * 86_400), Some((1_000 + 2 * 86_400, 500.0)));
        assert_eq!(full_at(&f, 86_400), None);
        let flat = CapacityForecast::default();
        assert_eq!(full_at(&flat, i64::MAX), None);
    }

    #[test]
    fn ranges_read_in_their_unit() {
        assert_eq!(range(900), "15 minutes");
        assert_eq!(range(3600), "60 minutes");
        assert_eq!(range(6 * 3600), "6 hours");
        assert_eq!(range(86_400), "24 hours");
        assert_eq!(range(7 * 86_400), "7 days");
    }
}
