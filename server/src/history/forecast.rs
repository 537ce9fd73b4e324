//! When a capacity will be full: a Theil-Sen fit of its used bytes over time (the median of
//! the slopes between every two samples: a few odd samples, a burst or a cleanup, barely move
//! it, where a least-squares line would follow them), over the last 7 days when the history
//! covers most of them, otherwise over the last 24 hours.

use super::prometheus::Subject;
use super::Sampler;
use crate::proto::console::{CapacityForecast, Outlook};

pub const WEEK: i64 = 7 * 86_400;
pub const DAY: i64 = 86_400;
/// A window is used when the history covers this share of it: about 6 of its 7 days, about
/// 20 of its 24 hours.
const COVERED: f64 = 0.85;
/// Fewer samples than this in the window are no trend.
const MIN_SAMPLES: usize = 6;
/// Beyond this, "full in" means nothing to an admin: not filling.
const HORIZON_DAYS: f64 = 3650.0;

/// One reading of a capacity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    /// Unix seconds.
    pub time: i64,
    pub used: f64,
    pub capacity: f64,
}

/// The Theil-Sen slope of `samples` (units per second); `None` with fewer than two distinct
/// times.
pub fn theil_sen_slope(samples: &[Sample]) -> Option<f64> {
    let mut slopes = Vec::with_capacity(samples.len() * samples.len() / 2);
    for (i, a) in samples.iter().enumerate() {
        for b in &samples[i + 1..] {
            if b.time != a.time {
                slopes.push((b.used - a.used) / (b.time - a.time) as f64);
            }
        }
    }
    median(&mut slopes)
}

fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    })
}

/// The outlook of a capacity from its samples (in time order, up to 7 days of them).
pub fn outlook(samples: &[Sample]) -> CapacityForecast {
    let Some(last) = samples.last().copied() else {
        return CapacityForecast::default();
    };
    let history = last.time - samples[0].time;
    let mut answer = CapacityForecast {
        history_seconds: history.max(0) as u64,
        used_bytes: last.used.max(0.0) as u64,
        capacity_bytes: last.capacity.max(0.0) as u64,
        time: last.time,
        ..Default::default()
    };
    if last.capacity > 0.0 && last.used >= last.capacity {
        answer.outlook = Outlook::Full as i32;
        return answer;
    }
    let window = [WEEK, DAY]
        .into_iter()
        .find(|w| history as f64 >= *w as f64 * COVERED);
    let Some(window) = window else {
        return answer;
    };
    let from = last.time - window;
    let recent: Vec<Sample> = samples.iter().copied().filter(|s| s.time >= from).collect();
    let Some(slope) = theil_sen_slope(&recent).filter(|_| recent.len() >= MIN_SAMPLES) else {
        return answer;
    };
    answer.window_seconds = window as u32;
    answer.bytes_per_day = slope * DAY as f64;
    let days = (last.capacity - last.used) / answer.bytes_per_day;
    if slope > 0.0 && last.capacity > 0.0 && days <= HORIZON_DAYS {
        answer.outlook = Outlook::Filling as i32;
        answer.days = days;
    } else {
        answer.outlook = Outlook::NotFilling as i32;
    }
    answer
}

impl Sampler {
    /// The used and total bytes the hour in memory holds of the cluster or a node, and a
    /// node's pools as last listed (one reading each: no trend yet).
    pub fn capacity_in_memory(
        &self,
        subject: &Subject,
    ) -> (Vec<Sample>, Vec<(String, Vec<Sample>)>) {
        let samples = |series: Option<&super::Series>| -> Vec<Sample> {
            series.map_or_else(Vec::new, |s| {
                s.0.iter()
                    .filter(|p| p.capacity_bytes > 0)
                    .filter_map(|p| {
                        Some(Sample {
                            time: p.time,
                            used: p.used_bytes? as f64,
                            capacity: p.capacity_bytes as f64,
                        })
                    })
                    .collect()
            })
        };
        let state = self.lock();
        match subject {
            Subject::Node(id) => {
                let time = state.nodes.get(id).and_then(|s| s.0.back()).map(|p| p.time);
                let pools = state
                    .nodes_now
                    .iter()
                    .filter(|n| &n.id == id)
                    .flat_map(|n| &n.pools)
                    .map(|pool| {
                        let now = Sample {
                            time: time.unwrap_or_default(),
                            used: pool.used as f64,
                            capacity: pool.total_size as f64,
                        };
                        (pool.uuid.clone(), vec![now])
                    })
                    .collect();
                (samples(state.nodes.get(id)), pools)
            }
            _ => (samples(Some(&state.cluster)), Vec::new()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GIB: f64 = (1u64 << 30) as f64;

    /// Hourly samples over `hours`, ending at `end`, used bytes from `f(hours before end)`.
    fn series(hours: i64, capacity: f64, f: impl Fn(i64) -> f64) -> Vec<Sample> {
        let end = 1_800_000_000;
        (0..=hours)
            .rev()
            .map(|ago| Sample {
                time: end - ago * 3600,
                used: f(ago),
                capacity,
            })
            .collect()
    }

    #[test]
    fn a_pool_filling_10_gib_a_day_with_100_gib_free_is_full_in_10_days() {
        // 1000 GiB, 900 GiB used now, 10 GiB a day for the last week.
        let samples = series(7 * 24, 1000.0 * GIB, |ago| {
            900.0 * GIB - 10.0 * GIB * ago as f64 / 24.0
        });
        let f = outlook(&samples);
        assert_eq!(f.outlook, Outlook::Filling as i32);
        assert_eq!(f.window_seconds, WEEK as u32);
        assert!((f.days - 10.0).abs() < 1e-6, "{}", f.days);
        assert!((f.bytes_per_day - 10.0 * GIB).abs() < 1.0);
    }

    #[test]
    fn a_few_odd_samples_do_not_move_the_fit() {
        let mut samples = series(7 * 24, 1000.0 * GIB, |ago| {
            900.0 * GIB - 10.0 * GIB * ago as f64 / 24.0
        });
        // A burst and a cleanup that were undone within the hour.
        samples[40].used += 80.0 * GIB;
        samples[100].used -= 300.0 * GIB;
        let f = outlook(&samples);
        assert!((f.days - 10.0).abs() < 0.1, "{}", f.days);
    }

    #[test]
    fn flat_and_shrinking_capacities_are_not_filling() {
        let flat = outlook(&series(7 * 24, 1000.0 * GIB, |_| 500.0 * GIB));
        assert_eq!(flat.outlook, Outlook::NotFilling as i32);
        assert_eq!(flat.bytes_per_day, 0.0);
        let shrinking = outlook(&series(7 * 24, 1000.0 * GIB, |ago| {
            500.0 * GIB + GIB * ago as f64
        }));
        assert_eq!(shrinking.outlook, Outlook::NotFilling as i32);
        assert!(shrinking.bytes_per_day < 0.0);
        // A byte a day is filling in name only.
        let creeping = outlook(&series(7 * 24, 1000.0 * GIB, |ago| {
            500.0 * GIB - ago as f64 / 24.0
        }));
        assert_eq!(creeping.outlook, Outlook::NotFilling as i32);
    }

    #[test]
    fn three_days_of_history_use_the_last_24_hours() {
        // Fast two days ago, 24 GiB a day since: the day's rate decides.
        let samples = series(72, 1000.0 * GIB, |ago| {
            if ago <= 24 {
                760.0 * GIB - GIB * ago as f64
            } else {
                736.0 * GIB - 10.0 * GIB * (ago - 24) as f64
            }
        });
        let f = outlook(&samples);
        assert_eq!(f.window_seconds, DAY as u32);
        assert!((f.days - 10.0).abs() < 1e-6, "{}", f.days);
        assert_eq!(f.history_seconds, 72 * 3600);
    }

    #[test]
    fn too_short_a_history_is_no_trend() {
        let f = outlook(&series(12, 1000.0 * GIB, |ago| {
            500.0 * GIB - GIB * ago as f64
        }));
        assert_eq!(f.outlook, Outlook::NotEnoughHistory as i32);
        assert_eq!(f.history_seconds, 12 * 3600);
        assert_eq!(f.window_seconds, 0);
        assert_eq!(outlook(&[]).outlook, Outlook::NotEnoughHistory as i32);
    }

    #[test]
    fn a_full_capacity_is_full() {
        let f = outlook(&series(2, 100.0 * GIB, |_| 100.0 * GIB));
        assert_eq!(f.outlook, Outlook::Full as i32);
    }

    #[test]
    fn the_median_of_an_even_count_is_the_middle_pair_average() {
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&mut []), None);
    }
}
