//! When to poll next. Polling runs one request at a time (the next is scheduled only after the
//! previous one finished), so this only decides the pause between them.

use std::time::Duration;

/// Poll every `interval` while calls succeed; after failures wait `min_retry`, doubling up to
/// `max_retry`, so a down server is not hammered and a recovered one is noticed soon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollSchedule {
    pub interval: Duration,
    pub min_retry: Duration,
    pub max_retry: Duration,
    failures: u32,
    in_flight: bool,
}

impl PollSchedule {
    pub fn new(interval: Duration) -> Self {
        PollSchedule {
            interval,
            min_retry: Duration::from_secs(1),
            max_retry: Duration::from_secs(30),
            failures: 0,
            in_flight: false,
        }
    }

    /// Claims the right to start a call; false while one is in flight, so polls never
    /// overlap (a refresh asked for during a call waits for it).
    pub fn begin(&mut self) -> bool {
        !std::mem::replace(&mut self.in_flight, true)
    }

    /// Records how the last call ended and returns how long to wait before the next.
    pub fn after(&mut self, succeeded: bool) -> Duration {
        self.in_flight = false;
        if succeeded {
            self.failures = 0;
            return self.interval;
        }
        let doubling = 2u32.saturating_pow(self.failures.min(16));
        self.failures = self.failures.saturating_add(1);
        self.min_retry.saturating_mul(doubling).min(self.max_retry)
    }

    /// Consecutive failed calls so far.
    pub fn failures(&self) -> u32 {
        self.failures
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_keeps_the_interval() {
        let mut s = PollSchedule::new(Duration::from_secs(5));
        assert_eq!(s.after(true), Duration::from_secs(5));
        assert_eq!(s.after(true), Duration::from_secs(5));
        assert_eq!(s.failures(), 0);
    }

    #[test]
    fn failures_back_off_exponentially_up_to_the_cap() {
        let mut s = PollSchedule::new(Duration::from_secs(5));
        let waits: Vec<u64> = (0..8).map(|_| s.after(false).as_secs()).collect();
        assert_eq!(waits, vec![1, 2, 4, 8, 16, 30, 30, 30]);
        assert_eq!(s.failures(), 8);
    }

    #[test]
    fn recovery_resets_the_backoff() {
        let mut s = PollSchedule::new(Duration::from_secs(5));
        s.after(false);
        s.after(false);
        assert_eq!(s.after(true), Duration::from_secs(5));
        assert_eq!(s.after(false), Duration::from_secs(1));
    }

    #[test]
    fn calls_never_overlap() {
        let mut s = PollSchedule::new(Duration::from_secs(1));
        assert!(s.begin());
        assert!(!s.begin(), "a second call waits while one is in flight");
        s.after(true);
        assert!(s.begin());
        s.after(false);
        assert!(s.begin(), "a failed call frees the slot too");
    }

    #[test]
    fn the_interval_can_follow_the_data() {
        let mut s = PollSchedule::new(Duration::from_secs(5));
        s.interval = Duration::from_secs(1);
        assert_eq!(s.after(true), Duration::from_secs(1));
    }

    #[test]
    fn many_failures_do_not_overflow() {
        let mut s = PollSchedule::new(Duration::from_secs(1));
        for _ in 0..10_000 {
            assert!(s.after(false) <= Duration::from_secs(30));
        }
    }
}
