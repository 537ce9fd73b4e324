//! Rates from successive readings of a volume's I/O counters (`OpenStorageVolume.Stats`).
//! Cumulative counters give rates from their differences; a counter that went down was reset
//! (a reattach, a driver restart) and counts from zero since; a reading far after the one
//! before is a gap, not a rate. Non-cumulative readings already cover an interval.

use crate::proto::Stats;

/// Per-second figures over one interval.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rates {
    pub read_iops: f64,
    pub write_iops: f64,
    pub read_bytes_per_second: f64,
    pub write_bytes_per_second: f64,
    /// Milliseconds per operation; `None` when there were no operations.
    pub latency_ms: Option<f64>,
    /// Milliseconds per read and per write; `None` when there were none.
    pub read_latency_ms: Option<f64>,
    pub write_latency_ms: Option<f64>,
    /// Operations in the interval, to weigh latencies when rates are added up.
    pub operations: f64,
}

impl Rates {
    /// The rates times `factor` (latency, an average, unchanged).
    pub fn scaled(self, factor: f64) -> Rates {
        Rates {
            read_iops: self.read_iops * factor,
            write_iops: self.write_iops * factor,
            read_bytes_per_second: self.read_bytes_per_second * factor,
            write_bytes_per_second: self.write_bytes_per_second * factor,
            latency_ms: self.latency_ms,
            read_latency_ms: self.read_latency_ms,
            write_latency_ms: self.write_latency_ms,
            operations: self.operations * factor,
        }
    }

    /// The sum of several volumes' rates; latency weighed by each one's operations.
    pub fn sum<'a>(all: impl IntoIterator<Item = &'a Rates>) -> Rates {
        let mut total = Rates::default();
        let mut busy_ms = 0.0;
        let (mut read_ms, mut reads, mut write_ms, mut writes) = (0.0, 0.0, 0.0, 0.0);
        for r in all {
            // Per second and per interval weigh alike: every volume's rates span one interval.
            if let Some(latency) = r.read_latency_ms {
                read_ms += latency * r.read_iops;
                reads += r.read_iops;
            }
            if let Some(latency) = r.write_latency_ms {
                write_ms += latency * r.write_iops;
                writes += r.write_iops;
            }
            total.read_iops += r.read_iops;
            total.write_iops += r.write_iops;
            total.read_bytes_per_second += r.read_bytes_per_second;
            total.write_bytes_per_second += r.write_bytes_per_second;
            total.operations += r.operations;
            if let Some(latency) = r.latency_ms {
                busy_ms += latency * r.operations;
            }
        }
        if total.operations > 0.0 {
            total.latency_ms = Some(busy_ms / total.operations);
        }
        total.read_latency_ms = (reads > 0.0).then(|| read_ms / reads);
        total.write_latency_ms = (writes > 0.0).then(|| write_ms / writes);
        total
    }
}

/// A reading of the counters and when it was taken (Unix seconds).
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub at: f64,
    pub stats: Stats,
}

/// What the counters did between two readings.
#[derive(Debug, Clone, Copy)]
struct Counts {
    reads: f64,
    writes: f64,
    read_bytes: f64,
    write_bytes: f64,
    read_ms: f64,
    write_ms: f64,
}

impl Counts {
    fn of(s: &Stats) -> Counts {
        Counts {
            reads: s.reads as f64,
            writes: s.writes as f64,
            read_bytes: s.read_bytes as f64,
            write_bytes: s.write_bytes as f64,
            read_ms: s.read_ms as f64,
            write_ms: s.write_ms as f64,
        }
    }

    fn per_second(self, seconds: f64) -> Rates {
        let operations = self.reads + self.writes;
        Rates {
            read_iops: self.reads / seconds,
            write_iops: self.writes / seconds,
            read_bytes_per_second: self.read_bytes / seconds,
            write_bytes_per_second: self.write_bytes / seconds,
            latency_ms: (operations > 0.0).then(|| (self.read_ms + self.write_ms) / operations),
            read_latency_ms: (self.reads > 0.0).then(|| self.read_ms / self.reads),
            write_latency_ms: (self.writes > 0.0).then(|| self.write_ms / self.writes),
            operations,
        }
    }
}

/// Rates between two readings of cumulative counters; `None` when they are not in order or
/// further apart than `max_gap` seconds.
pub fn cumulative(previous: &Reading, next: &Reading, max_gap: f64) -> Option<Rates> {
    let seconds = next.at - previous.at;
    if seconds <= 0.0 || seconds > max_gap {
        return None;
    }
    let (a, b) = (&previous.stats, &next.stats);
    let reset = b.reads < a.reads
        || b.writes < a.writes
        || b.read_bytes < a.read_bytes
        || b.write_bytes < a.write_bytes
        || b.read_ms < a.read_ms
        || b.write_ms < a.write_ms;
    let counts = if reset {
        // Counted from zero since the reset, which happened within the interval.
        Counts::of(b)
    } else {
        let (a, b) = (Counts::of(a), Counts::of(b));
        Counts {
            reads: b.reads - a.reads,
            writes: b.writes - a.writes,
            read_bytes: b.read_bytes - a.read_bytes,
            write_bytes: b.write_bytes - a.write_bytes,
            read_ms: b.read_ms - a.read_ms,
            write_ms: b.write_ms - a.write_ms,
        }
    };
    Some(counts.per_second(seconds))
}

/// Rates of a `not_cumulative` reading: its counts cover its `interval_ms`; `None` when the
/// driver does not say how long that was.
pub fn interval(stats: &Stats) -> Option<Rates> {
    if stats.interval_ms == 0 {
        return None;
    }
    Some(Counts::of(stats).per_second(stats.interval_ms as f64 / 1000.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading(at: f64, reads: u64, writes: u64, ms: u64) -> Reading {
        Reading {
            at,
            stats: Stats {
                reads,
                writes,
                read_bytes: reads * 4096,
                write_bytes: writes * 8192,
                read_ms: ms,
                write_ms: ms,
                ..Default::default()
            },
        }
    }

    #[test]
    fn deltas_over_the_interval() {
        let r = cumulative(
            &reading(100.0, 1000, 500, 100),
            &reading(110.0, 2000, 700, 250),
            60.0,
        )
        .unwrap();
        assert_eq!(r.read_iops, 100.0);
        assert_eq!(r.write_iops, 20.0);
        assert_eq!(r.read_bytes_per_second, 100.0 * 4096.0);
        assert_eq!(r.write_bytes_per_second, 20.0 * 8192.0);
        // 300 busy ms over 1200 operations; 150 over 1000 reads, 150 over 200 writes.
        assert_eq!(r.latency_ms, Some(0.25));
        assert_eq!(r.read_latency_ms, Some(0.15));
        assert_eq!(r.write_latency_ms, Some(0.75));
    }

    #[test]
    fn constant_counters_are_zero_rates_without_latency() {
        let r = cumulative(
            &reading(0.0, 12345, 9876, 3),
            &reading(10.0, 12345, 9876, 3),
            60.0,
        )
        .unwrap();
        assert_eq!((r.read_iops, r.write_iops, r.operations), (0.0, 0.0, 0.0));
        assert_eq!(r.latency_ms, None);
    }

    #[test]
    fn a_counter_that_goes_down_was_reset() {
        let r = cumulative(
            &reading(0.0, 90_000, 9_000, 500),
            &reading(10.0, 300, 100, 40),
            60.0,
        )
        .unwrap();
        assert_eq!(r.read_iops, 30.0);
        assert_eq!(r.write_iops, 10.0);
        assert!(r.read_iops >= 0.0 && r.write_bytes_per_second >= 0.0);
    }

    #[test]
    fn gaps_and_disorder_give_no_rate() {
        let a = reading(0.0, 0, 0, 0);
        assert!(cumulative(&a, &reading(100.0, 10, 10, 1), 30.0).is_none());
        assert!(cumulative(&reading(10.0, 5, 5, 1), &a, 30.0).is_none());
        assert!(cumulative(&a, &a, 30.0).is_none());
    }

    #[test]
    fn non_cumulative_readings_cover_their_interval() {
        let s = reading(0.0, 500, 100, 60).stats;
        let r = interval(&Stats {
            interval_ms: 5000,
            ..s
        })
        .unwrap();
        assert_eq!(r.read_iops, 100.0);
        assert_eq!(r.write_iops, 20.0);
        assert_eq!(r.latency_ms, Some(0.2));
        // Without the interval the counts cover, they are no rate.
        assert!(interval(&s).is_none());
    }

    #[test]
    fn sums_weigh_latency_by_operations() {
        let fast = Rates {
            read_iops: 90.0,
            latency_ms: Some(1.0),
            operations: 900.0,
            ..Default::default()
        };
        let slow = Rates {
            read_iops: 10.0,
            latency_ms: Some(10.0),
            operations: 100.0,
            ..Default::default()
        };
        let idle = Rates::default();
        let total = Rates::sum([&fast, &slow, &idle]);
        assert_eq!(total.read_iops, 100.0);
        assert!((total.latency_ms.unwrap() - 1.9).abs() < 1e-9);
        assert_eq!(Rates::sum([&idle]).latency_ms, None);
    }
}
