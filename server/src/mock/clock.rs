//! Time for the mock: a monotonic clock for progress, mapped to wall-clock timestamps for the
//! API. Everything takes `now` as an argument, so tests can step time instead of sleeping.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

#[derive(Debug, Clone, Copy)]
pub struct Clock {
    started: Instant,
    started_wall: SystemTime,
}

impl Clock {
    pub fn new() -> Clock {
        Clock {
            started: Instant::now(),
            started_wall: SystemTime::now(),
        }
    }

    pub fn now(&self) -> Instant {
        Instant::now()
    }

    /// When the mock started.
    pub fn started(&self) -> Instant {
        self.started
    }

    /// Wall-clock time of a monotonic instant.
    pub fn wall(&self, at: Instant) -> SystemTime {
        self.started_wall + at.saturating_duration_since(self.started)
    }

    /// Unix seconds, with fractions, of a monotonic instant (for the I/O model).
    pub fn unix(&self, at: Instant) -> f64 {
        self.wall(at)
            .duration_since(UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64())
    }

    pub fn timestamp(&self, at: Instant) -> prost_types::Timestamp {
        timestamp(self.wall(at))
    }
}

pub fn timestamp(at: SystemTime) -> prost_types::Timestamp {
    let since = at.duration_since(UNIX_EPOCH).unwrap_or(Duration::ZERO);
    prost_types::Timestamp {
        seconds: since.as_secs() as i64,
        nanos: since.subsec_nanos() as i32,
    }
}

/// Seconds since the Unix epoch of a wall-clock time.
pub fn unix_seconds(at: SystemTime) -> i64 {
    at.duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}
