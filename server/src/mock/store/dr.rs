//! Disaster recovery as a cluster keeps it: its pairing token, the clusters it is paired with,
//! and cloud migrations of volumes to them. The mock does not reach the remote cluster: a pair
//! is made from a token that has the form of one, and a migration moves bytes over time.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::mock::clock::Clock;
use crate::proto::cloud_migrate::{Stage, Status as MigrateStatus};
use crate::proto::*;

/// How fast migrations move data (bytes per second).
const RATE: f64 = (1u64 << 30) as f64;

#[derive(Debug)]
pub struct Migration {
    pub info: CloudMigrateInfo,
    started: Instant,
    size: u64,
    cancelled: Option<Instant>,
}

#[derive(Debug, Default)]
pub struct Recovery {
    /// This cluster's pairing token (made on first use, replaced by ResetToken).
    pub token: String,
    pub pairs: BTreeMap<String, ClusterPairInfo>,
    pub default_pair: String,
    pub migrations: Vec<Migration>,
    /// Cluster domains deactivated (every domain is active until then).
    pub inactive_domains: Vec<String>,
}

/// A token of the form a cluster hands out: 128 hex digits.
pub fn looks_like_token(token: &str) -> bool {
    token.len() == 128 && token.chars().all(|c| c.is_ascii_hexdigit())
}

pub fn new_token() -> String {
    format!(
        "{}{}{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

impl Migration {
    pub fn new(info: CloudMigrateInfo, size: u64, now: Instant) -> Migration {
        Migration {
            info,
            started: now,
            size,
            cancelled: None,
        }
    }

    pub fn running(&self, now: Instant) -> bool {
        let moving = self.size as f64 / RATE;
        self.cancelled.is_none() && now.duration_since(self.started).as_secs_f64() < moving + 1.0
    }

    pub fn cancel(&mut self, now: Instant) {
        self.cancelled.get_or_insert(now);
    }

    /// Where it stands at `now`: the backup moves the bytes, the restore takes a second more.
    pub fn at(&self, now: Instant, clock: &Clock) -> CloudMigrateInfo {
        let mut info = self.info.clone();
        let until = self.cancelled.unwrap_or(now);
        let ran = until.saturating_duration_since(self.started).as_secs_f64();
        let moving = self.size as f64 / RATE;
        let done = ((ran * RATE) as u64).min(self.size);
        info.bytes_total = self.size;
        info.bytes_done = done;
        let (stage, status) = if self.cancelled.is_some() {
            (Stage::Backup, MigrateStatus::Canceled)
        } else if ran < moving {
            (Stage::Backup, MigrateStatus::InProgress)
        } else if ran < moving + 1.0 {
            (Stage::Restore, MigrateStatus::InProgress)
        } else {
            (Stage::Done, MigrateStatus::Complete)
        };
        info.current_stage = stage as i32;
        info.status = status as i32;
        info.eta_seconds = if status == MigrateStatus::InProgress {
            (moving + 1.0 - ran).ceil().max(0.0) as i64
        } else {
            0
        };
        info.last_update = Some(clock.timestamp(now));
        if status == MigrateStatus::Complete {
            let end = self.started + Duration::from_secs_f64(moving + 1.0);
            info.completed_time = Some(clock.timestamp(end));
            info.remote_volume_id = info.local_volume_id.clone();
        }
        info
    }
}
