//! The arithmetic of a line chart, apart from drawing: the summary a chart states in words
//! (now, min, max, mean), a y axis with round steps, the SVG path of a series with breaks at
//! unknown points, and which sample the pointer is over.

use crate::logic::format::fixed;

/// One line: a name and a value per sample time (`None` where unknown).
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub name: &'static str,
    pub values: Vec<Option<f64>>,
}

/// What the figures of a line come to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub now: Option<f64>,
    pub min: f64,
    pub max: f64,
    pub mean: f64,
    pub known: usize,
}

/// `None` when no value is known.
pub fn summary(values: &[Option<f64>]) -> Option<Summary> {
    let known: Vec<f64> = values.iter().flatten().copied().collect();
    if known.is_empty() {
        return None;
    }
    Some(Summary {
        now: values.last().copied().flatten(),
        min: known.iter().copied().fold(f64::INFINITY, f64::min),
        max: known.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        mean: known.iter().sum::<f64>() / known.len() as f64,
        known: known.len(),
    })
}

/// Whether every known value of every line is zero (and some are known): "no I/O".
pub fn all_zero(lines: &[Line]) -> bool {
    let mut any = false;
    for v in lines.iter().flat_map(|l| l.values.iter().flatten()) {
        if *v != 0.0 {
            return false;
        }
        any = true;
    }
    any
}

/// The top of the y axis: the largest value rounded up to 1, 2 or 5 times a power of ten
/// (1 when everything is zero), so gridlines fall on round numbers.
pub fn axis_top(lines: &[Line]) -> f64 {
    let max = lines
        .iter()
        .flat_map(|l| l.values.iter().flatten())
        .copied()
        .fold(0.0, f64::max);
    if max <= 0.0 || !max.is_finite() {
        return 1.0;
    }
    let magnitude = 10f64.powf(max.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|step| step * magnitude)
        .find(|top| *top >= max)
        .unwrap_or(10.0 * magnitude)
}

/// The path of one line in a `width` × `height` box, time left to right from `from` to `to`;
/// a gap (unknown value) lifts the pen. Each stretch starts with a zero-length segment, so a
/// lone sample shows as a dot (with round line caps).
pub fn path(
    times: &[i64],
    values: &[Option<f64>],
    (from, to): (i64, i64),
    top: f64,
    (width, height): (f64, f64),
) -> String {
    let span = (to - from).max(1) as f64;
    let mut out = String::new();
    let mut pen_down = false;
    for (t, v) in times.iter().zip(values) {
        match v {
            Some(v) => {
                let x = (*t - from) as f64 / span * width;
                let y = height - (v / top).clamp(0.0, 1.0) * height;
                let (x, y) = (fixed(x, 1), fixed(y, 1));
                if pen_down {
                    out.push_str(&format!("L{x},{y} "));
                } else {
                    out.push_str(&format!("M{x},{y} h0 "));
                }
                pen_down = true;
            }
            None => pen_down = false,
        }
    }
    out.trim_end().to_string()
}

/// The sample nearest to a fraction (0 to 1) of the way across the chart.
pub fn nearest(times: &[i64], (from, to): (i64, i64), fraction: f64) -> Option<usize> {
    let at = from as f64 + fraction.clamp(0.0, 1.0) * (to - from) as f64;
    times
        .iter()
        .enumerate()
        .min_by(|(_, a), (_, b)| (**a as f64 - at).abs().total_cmp(&(**b as f64 - at).abs()))
        .map(|(i, _)| i)
}

/// A figure for people: at most three significant digits, with k/M/G for large ones.
pub fn figure(value: f64) -> String {
    // Thresholds just under each unit, so 999,999 reads 1M, not 1000k.
    let (scaled, suffix) = match value.abs() {
        v if v >= 999.5e6 => (value / 1e9, "G"),
        v if v >= 999.5e3 => (value / 1e6, "M"),
        v if v >= 9_999.5 => (value / 1e3, "k"),
        _ => (value, ""),
    };
    let digits = match scaled.abs() {
        v if v == 0.0 || v >= 100.0 => 0,
        v if v >= 10.0 => 1,
        _ => 2,
    };
    let text = fixed(scaled, digits);
    // 2.50 → 2.5, 3.00 → 3
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    format!("{text}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_skips_unknown_values() {
        let s = summary(&[None, Some(2.0), Some(6.0), None, Some(4.0)]).unwrap();
        assert_eq!(
            (s.now, s.min, s.max, s.mean, s.known),
            (Some(4.0), 2.0, 6.0, 4.0, 3)
        );
        let s = summary(&[Some(1.0), None]).unwrap();
        assert_eq!(s.now, None);
        assert_eq!(summary(&[None, None]), None);
        assert_eq!(summary(&[]), None);
    }

    #[test]
    fn all_zero_needs_known_values() {
        let zero = Line {
            name: "r",
            values: vec![Some(0.0), None, Some(0.0)],
        };
        let busy = Line {
            name: "w",
            values: vec![Some(0.0), Some(0.5)],
        };
        let unknown = Line {
            name: "u",
            values: vec![None],
        };
        assert!(all_zero(std::slice::from_ref(&zero)));
        assert!(!all_zero(&[zero, busy]));
        assert!(!all_zero(&[unknown]));
    }

    #[test]
    fn axis_tops_are_round() {
        let line = |v: f64| {
            vec![Line {
                name: "x",
                values: vec![Some(v), None],
            }]
        };
        assert_eq!(axis_top(&line(0.0)), 1.0);
        assert_eq!(axis_top(&line(0.7)), 1.0);
        assert_eq!(axis_top(&line(1.3)), 2.0);
        assert_eq!(axis_top(&line(420.0)), 500.0);
        assert_eq!(axis_top(&line(5000.0)), 5000.0);
        assert_eq!(axis_top(&line(7_300_000.0)), 10_000_000.0);
    }

    #[test]
    fn paths_break_at_gaps() {
        let times = [0, 10, 20, 30];
        let values = [Some(0.0), Some(5.0), None, Some(10.0)];
        let d = path(&times, &values, (0, 30), 10.0, (300.0, 100.0));
        assert_eq!(d, "M0.0,100.0 h0 L100.0,50.0 M300.0,0.0 h0");
        assert_eq!(path(&times, &[None; 4], (0, 30), 1.0, (300.0, 100.0)), "");
    }

    #[test]
    fn nearest_sample_to_the_pointer() {
        let times = [100, 110, 120];
        assert_eq!(nearest(&times, (100, 120), 0.0), Some(0));
        assert_eq!(nearest(&times, (100, 120), 0.6), Some(1));
        assert_eq!(nearest(&times, (100, 120), 2.0), Some(2));
        assert_eq!(nearest(&[], (0, 1), 0.5), None);
    }

    #[test]
    fn figures_are_short() {
        assert_eq!(figure(0.0), "0");
        assert_eq!(figure(0.256), "0.26");
        assert_eq!(figure(12.34), "12.3");
        assert_eq!(figure(340.2), "340");
        assert_eq!(figure(45_600.0), "45.6k");
        assert_eq!(figure(2_500_000.0), "2.5M");
        assert_eq!(figure(999_999.0), "1M");
        assert_eq!(figure(9_999.9), "10k");
        assert_eq!(figure(999.96), "1000");
    }
}
