//! The mock's I/O: attached volumes read and write along a daily pattern (busiest at 14:00
//! UTC) with noise, as closed-form integrals, so a volume's counters at any moment cost the
//! same to compute and never go backwards. Counters start when a volume is attached, as a
//! block device's do; reattaching starts them again (a counter reset, as real ones have).

use std::f64::consts::TAU;

use crate::proto::{Stats, Volume};

/// What the mock's volumes do; set with `--mock-io`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum IoPattern {
    /// A daily pattern with noise.
    #[default]
    Daily,
    /// No I/O at all: every counter stays zero.
    Idle,
}

const DAY: f64 = 86_400.0;
/// Share of the daily swing: the quietest hour runs at 45 % of the mean, the busiest at 155 %.
const DAILY_SWING: f64 = 0.55;
/// Noise: three waves with periods that share no factor, so the sum looks irregular. Their
/// amplitudes and the swing add up to under 1, so rates stay positive.
const NOISE: [(f64, f64); 3] = [(0.18, 67.0), (0.12, 241.0), (0.08, 887.0)];
/// How the volumes are loaded: the pattern, and a scale on every volume's rates. A cluster
/// seeded with many volumes gets quieter volumes (`Load::for_volumes`), so three nodes carry
/// a believable total and usage grows at a believable pace.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Load {
    pub pattern: IoPattern,
    pub scale: f64,
}

impl Load {
    /// The load for a cluster of about `volumes` volumes: full rates up to 1,000 volumes,
    /// then the same cluster total shared among more.
    pub fn for_volumes(pattern: IoPattern, volumes: usize) -> Load {
        Load {
            pattern,
            scale: (1000.0 / volumes.max(1) as f64).min(1.0),
        }
    }
}

/// Of the bytes written, the share that is new data (the rest overwrites).
pub const NEW_DATA_SHARE: f64 = 0.1;

/// One volume's character, derived from its id: how busy it is and how fast it answers.
#[derive(Debug, Clone, Copy)]
struct Profile {
    read_iops: f64,
    write_iops: f64,
    io_size: f64,
    read_latency_ms: f64,
    write_latency_ms: f64,
    phase: f64,
}

fn profile(volume_id: &str) -> Profile {
    let mut rng = fastrand::Rng::with_seed(seed(volume_id));
    let read_iops = 20.0 + rng.f64() * 380.0;
    Profile {
        read_iops,
        write_iops: read_iops * (0.3 + rng.f64() * 0.6),
        io_size: [4096.0, 8192.0, 16384.0, 65536.0][rng.usize(..4)],
        read_latency_ms: 0.3 + rng.f64() * 1.2,
        write_latency_ms: 0.6 + rng.f64() * 2.4,
        phase: rng.f64() * TAU,
    }
}

fn seed(text: &str) -> u64 {
    // FNV-1a: stable across runs and platforms (std's hasher is not).
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The load at `t` (Unix seconds) relative to the mean: about 0.45 at night to 1.55 at 14:00.
pub fn load(t: f64, phase: f64) -> f64 {
    let daily = 1.0 + DAILY_SWING * ((t - 8.0 * 3600.0) * TAU / DAY).sin();
    NOISE
        .iter()
        .enumerate()
        .fold(daily, |sum, (i, (amp, period))| {
            sum + amp * (t * TAU / period + phase * (i + 1) as f64).sin()
        })
}

/// The integral of `load` from 0 to `t`.
fn load_integral(t: f64, phase: f64) -> f64 {
    let daily = t - DAILY_SWING * DAY / TAU * ((t - 8.0 * 3600.0) * TAU / DAY).cos();
    NOISE
        .iter()
        .enumerate()
        .fold(daily, |sum, (i, (amp, period))| {
            sum - amp * period / TAU * (t * TAU / period + phase * (i + 1) as f64).cos()
        })
}

/// A volume's counters at `now` (Unix seconds), counted since it was attached; zero while
/// detached or with `IoPattern::Idle`.
pub fn counters(volume: &Volume, now: f64, load: Load) -> Stats {
    let since = match (&volume.attach_time, volume.attached_on.is_empty()) {
        (Some(t), false) => t.seconds as f64 + f64::from(t.nanos) / 1e9,
        _ => now,
    };
    if load.pattern == IoPattern::Idle || now <= since {
        return Stats {
            bytes_used: volume.usage,
            ..Default::default()
        };
    }
    let mut p = profile(&volume.id);
    p.read_iops *= load.scale;
    p.write_iops *= load.scale;
    // Reads and writes follow the same day with their own noise.
    let read_work = load_integral(now, p.phase) - load_integral(since, p.phase);
    let write_work = load_integral(now, p.phase + 1.0) - load_integral(since, p.phase + 1.0);
    let reads = (p.read_iops * read_work) as u64;
    let writes = (p.write_iops * write_work) as u64;
    // Busier moments answer a little slower: latency follows the other noise phase.
    let slow = load_integral(now, p.phase + 2.0) - load_integral(since, p.phase + 2.0);
    let read_ms = (p.read_latency_ms * p.read_iops * (read_work + 0.3 * slow) / 1.3) as u64;
    let write_ms = (p.write_latency_ms * p.write_iops * (write_work + 0.3 * slow) / 1.3) as u64;
    Stats {
        reads,
        read_ms,
        read_bytes: (reads as f64 * p.io_size) as u64,
        writes,
        write_ms,
        write_bytes: (writes as f64 * p.io_size) as u64,
        io_progress: u64::from(self::load(now, p.phase) > 1.4),
        io_ms: read_ms + write_ms,
        bytes_used: volume.usage,
        interval_ms: 0,
        unique_blocks: volume.usage / 4096,
    }
}

/// What upstream's fake driver answers for every volume, whatever it does: constant counters.
pub fn fake_driver_counters() -> Stats {
    Stats {
        reads: 12345,
        read_ms: 1,
        read_bytes: 1234567,
        writes: 9876,
        write_ms: 2,
        write_bytes: 7654321,
        io_progress: 987,
        io_ms: 3,
        bytes_used: 1234567890,
        interval_ms: 4,
        unique_blocks: 0,
    }
}

/// What a `not_cumulative` Stats covers: the last 10 s, as a driver's sampling interval.
pub const STATS_INTERVAL_MS: u64 = 10_000;

/// Counters for the `interval_ms` before `now`, as drivers answer `not_cumulative`; a volume
/// attached more recently than that reports the time since it was attached.
pub fn interval_counters(volume: &Volume, now: f64, interval_ms: u64, load: Load) -> Stats {
    let attached_ms = volume
        .attach_time
        .filter(|_| !volume.attached_on.is_empty())
        .map(|t| ((now - t.seconds as f64 - f64::from(t.nanos) / 1e9) * 1000.0).max(1.0) as u64);
    let interval_ms = attached_ms.map_or(interval_ms, |a| a.min(interval_ms));
    let before = counters(volume, now - interval_ms as f64 / 1000.0, load);
    let after = counters(volume, now, load);
    Stats {
        reads: after.reads.saturating_sub(before.reads),
        read_ms: after.read_ms.saturating_sub(before.read_ms),
        read_bytes: after.read_bytes.saturating_sub(before.read_bytes),
        writes: after.writes.saturating_sub(before.writes),
        write_ms: after.write_ms.saturating_sub(before.write_ms),
        write_bytes: after.write_bytes.saturating_sub(before.write_bytes),
        io_ms: after.io_ms.saturating_sub(before.io_ms),
        interval_ms,
        ..after
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attached(id: &str, at: i64) -> Volume {
        Volume {
            id: id.into(),
            attached_on: "node".into(),
            attach_time: Some(prost_types::Timestamp {
                seconds: at,
                nanos: 0,
            }),
            ..Default::default()
        }
    }

    const DAILY: Load = Load {
        pattern: IoPattern::Daily,
        scale: 1.0,
    };
    const IDLE: Load = Load {
        pattern: IoPattern::Idle,
        scale: 1.0,
    };

    #[test]
    fn many_volumes_share_a_believable_total() {
        assert_eq!(Load::for_volumes(IoPattern::Daily, 0).scale, 1.0);
        assert_eq!(Load::for_volumes(IoPattern::Daily, 1000).scale, 1.0);
        assert_eq!(Load::for_volumes(IoPattern::Daily, 100_000).scale, 0.01);
        let v = attached("vol-1", 1_000_000);
        let full = counters(&v, 1_000_100.0, DAILY).reads;
        let quiet = counters(&v, 1_000_100.0, Load::for_volumes(IoPattern::Daily, 10_000)).reads;
        assert!(quiet * 8 < full && quiet * 12 > full, "{quiet} vs {full}");
    }

    #[test]
    fn load_stays_positive_and_follows_the_day() {
        let day = 1_764_115_200.0; // midnight UTC
        let night: f64 = (0..60)
            .map(|m| load(day + 3.0 * 3600.0 + m as f64 * 60.0, 0.3))
            .sum();
        let noon: f64 = (0..60)
            .map(|m| load(day + 14.0 * 3600.0 + m as f64 * 60.0, 0.3))
            .sum();
        assert!(
            noon > night * 2.0,
            "14:00 is busier than 03:00: {noon} vs {night}"
        );
        for s in 0..86_400 {
            assert!(load(day + s as f64, 1.7) > 0.0);
        }
    }

    #[test]
    fn counters_grow_while_attached_and_are_zero_otherwise() {
        let v = attached("vol-1", 1_000_000);
        let a = counters(&v, 1_000_100.0, DAILY);
        let b = counters(&v, 1_000_110.0, DAILY);
        assert!(a.reads > 0 && b.reads > a.reads && b.write_bytes > a.write_bytes);
        assert!(b.read_ms >= a.read_ms);
        let idle = counters(&v, 1_000_110.0, IDLE);
        assert_eq!((idle.reads, idle.writes, idle.read_ms), (0, 0, 0));
        let detached = Volume {
            attached_on: String::new(),
            ..v.clone()
        };
        assert_eq!(counters(&detached, 1_000_110.0, DAILY).reads, 0);
        let interval = interval_counters(&v, 1_000_110.0, 10_000, DAILY);
        assert_eq!(interval.reads, b.reads - a.reads);
        assert_eq!(interval.interval_ms, 10_000);
        // Attached 2 s ago: the interval is those 2 s.
        let fresh = interval_counters(&v, 1_000_002.0, 10_000, DAILY);
        assert_eq!(fresh.interval_ms, 2_000);
        assert_eq!(fresh.reads, counters(&v, 1_000_002.0, DAILY).reads);
    }
}
