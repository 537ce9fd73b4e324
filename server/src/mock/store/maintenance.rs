//! Volume maintenance the driver runs in the background: filesystem trim (on a mounted
//! filesystem), filesystem check (on an unmounted one) and checksum verification. Each runs for
//! a time that grows with the volume's size and reports how far it got, as Portworx does.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use super::{volume_name, Store};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Trim,
    Check,
    Checksum,
}

impl Kind {
    fn words(self) -> &'static str {
        match self {
            Kind::Trim => "filesystem trim",
            Kind::Check => "filesystem check",
            Kind::Checksum => "checksum verification",
        }
    }
}

/// Filesystem check modes Portworx accepts.
pub const CHECK_MODES: [&str; 3] = ["check_health", "fix_safe", "fix_all"];

#[derive(Debug, Clone)]
pub struct Run {
    started: Instant,
    takes: Duration,
    stopped: Option<Instant>,
    /// The check's mode, or the trimmed mount path.
    pub detail: String,
}

/// Where a run is, as the SDK's status enums say it.
#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    NotRunning,
    Started,
    InProgress(u32),
    Stopped,
    Completed,
}

/// Per volume and kind, the last run.
pub type Runs = HashMap<(String, Kind), Run>;

/// A few seconds plus one per 2 GiB: long enough to watch, short enough to wait for.
fn duration_for(size: u64) -> Duration {
    Duration::from_secs(3) + Duration::from_secs(size / (2 << 30))
}

impl Run {
    fn phase(&self, now: Instant) -> Phase {
        if self.stopped.is_some() {
            return Phase::Stopped;
        }
        let ran = now.saturating_duration_since(self.started);
        if ran >= self.takes {
            return Phase::Completed;
        }
        if ran < Duration::from_millis(500) {
            return Phase::Started;
        }
        Phase::InProgress((ran.as_millis() * 100 / self.takes.as_millis().max(1)) as u32)
    }
}

impl Store {
    pub fn maintenance_phase(&self, id: &str, kind: Kind, now: Instant) -> (Phase, String) {
        let Some(run) = self.maintenance.get(&(id.to_string(), kind)) else {
            return (Phase::NotRunning, String::new());
        };
        (run.phase(now), run.detail.clone())
    }

    /// Starts `kind` on the volume; the driver's refusal in its words.
    pub fn start_maintenance(
        &mut self,
        id: &str,
        kind: Kind,
        detail: &str,
        now: Instant,
    ) -> Result<(), String> {
        let volume = self.volume(id).map_err(|s| s.message().to_string())?;
        let name = volume_name(volume).to_string();
        let mounted = &volume.attach_path;
        match kind {
            Kind::Trim if !mounted.iter().any(|p| p == detail) => {
                return Err(format!(
                    "volume {name} is not mounted at {detail}: a trim runs on a mounted filesystem"
                ))
            }
            Kind::Check if !mounted.is_empty() => {
                return Err(format!(
                    "volume {name} is mounted at {}: check its filesystem unmounted",
                    mounted.join(", ")
                ))
            }
            Kind::Check if !CHECK_MODES.contains(&detail) => {
                return Err(format!(
                    "mode {detail} is not one of {}",
                    CHECK_MODES.join(", ")
                ))
            }
            _ => {}
        }
        let takes = duration_for(volume.spec.as_ref().map_or(0, |s| s.size));
        let key = (volume.id.clone(), kind);
        if let Some(run) = self.maintenance.get(&key) {
            if matches!(run.phase(now), Phase::Started | Phase::InProgress(_)) {
                return Err(format!(
                    "a {} is already running on volume {name}",
                    kind.words()
                ));
            }
        }
        let run = Run {
            started: now,
            takes,
            stopped: None,
            detail: detail.to_string(),
        };
        self.maintenance.insert(key, run);
        Ok(())
    }

    pub fn stop_maintenance(&mut self, id: &str, kind: Kind, now: Instant) -> Result<(), String> {
        let volume = self.volume(id).map_err(|s| s.message().to_string())?;
        let name = volume_name(volume).to_string();
        let key = (volume.id.clone(), kind);
        match self.maintenance.get_mut(&key) {
            Some(run) if matches!(run.phase(now), Phase::Started | Phase::InProgress(_)) => {
                run.stopped = Some(now);
                Ok(())
            }
            _ => Err(format!("no {} is running on volume {name}", kind.words())),
        }
    }
}

/// The status message for a phase, with the progress where there is some.
pub fn message(kind: Kind, phase: &Phase) -> String {
    let what = kind.words();
    match phase {
        Phase::NotRunning => format!("no {what} has run"),
        Phase::Started => format!("{what} started"),
        Phase::InProgress(percent) => format!("{what} {percent}% done"),
        Phase::Stopped => format!("{what} stopped"),
        Phase::Completed => format!("{what} completed"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_goes_from_started_to_completed_unless_stopped() {
        let t0 = Instant::now();
        let mut run = Run {
            started: t0,
            takes: Duration::from_secs(4),
            stopped: None,
            detail: String::new(),
        };
        assert_eq!(run.phase(t0), Phase::Started);
        assert_eq!(
            run.phase(t0 + Duration::from_secs(1)),
            Phase::InProgress(25)
        );
        assert_eq!(run.phase(t0 + Duration::from_secs(4)), Phase::Completed);
        run.stopped = Some(t0 + Duration::from_secs(2));
        assert_eq!(run.phase(t0 + Duration::from_secs(9)), Phase::Stopped);
        assert_eq!(
            message(Kind::Trim, &Phase::InProgress(25)),
            "filesystem trim 25% done"
        );
        assert_eq!(duration_for(10 << 30), Duration::from_secs(8));
    }
}
