//! What lies below the SDK layer. Upstream's SDK layer (argument checks, default credentials,
//! auth) is the same on every real cluster; the storage driver under it is not. The mock keeps
//! the SDK rules in its services and asks the driver for everything that differs between real
//! clusters, so the console is tested against more than one kind of cluster.

use std::collections::HashMap;
use std::time::{Duration, Instant};

/// The driver the mock cluster runs, chosen with `--driver`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Driver {
    /// Behaves like a production cluster: read-only snapshots, backups that take time and
    /// report their progress, deletes that refuse to orphan snapshots or cut off a running
    /// backup, three nodes with pools and drives.
    #[default]
    Realistic,
    /// Behaves like upstream's `fake` driver (what upstream's mock-sdk-server runs): writable
    /// snapshots that SnapshotEnumerate lists together with clones, backups that are Done at
    /// once and report `bytes_total` 0, deletes that never refuse, catalog entries without a
    /// `type`.
    Fake,
}

impl Driver {
    /// The driver name Identity.Version reports.
    pub fn name(self) -> &'static str {
        match self {
            Driver::Realistic => "console-mock",
            Driver::Fake => "console-mock-fake",
        }
    }

    /// Whether OpenStorageWatch streams volumes as they change (a real driver), or invented
    /// volumes every 1–10 s, as upstream's fake driver's generator does.
    pub fn watch_invents_volumes(self) -> bool {
        self == Driver::Fake
    }

    /// Whether Attach, Detach and Mount change what Inspect shows (a real driver: the node it
    /// is attached on, its device, its state). The fake answers Attach with `/dev/fake/<id>`
    /// and changes nothing; its Mount adds the path and its Unmount clears every path.
    pub fn tracks_attachment(self) -> bool {
        self == Driver::Realistic
    }

    /// Whether the cluster runs what upstream's fake driver and cluster manager lack and a
    /// Portworx cluster has: filesystem trim, check and checksums, pool resizes, jobs and
    /// diagnostics, migrations and cluster domains. The fake answers them as upstream's does.
    pub fn runs_cluster_operations(self) -> bool {
        self == Driver::Realistic
    }

    /// Whether SnapshotCreate makes a read-only volume (Portworx does; the fake ignores the
    /// SDK's read-only request).
    pub fn snapshots_read_only(self) -> bool {
        self == Driver::Realistic
    }

    /// Whether Delete refuses a volume that is attached, sticky, has snapshots or a running
    /// backup. The fake deletes anything; its snapshots keep a parent that no longer exists.
    pub fn guards_delete(self) -> bool {
        self == Driver::Realistic
    }

    /// Whether SnapshotEnumerate lists only read-only children (snapshots) or every volume
    /// with a parent (the fake: clones are made by the same snapshot call, and snapshot names
    /// are not checked, so each SnapshotCreate makes a snapshot).
    pub fn snapshot_listing_includes_clones(self) -> bool {
        self == Driver::Fake
    }

    /// Whether backups and restores run over time with progress (`bytes_total`, ETA), or are
    /// Done as soon as they are created, reporting the volume's size as `bytes_done` and 0 as
    /// `bytes_total`, as the fake does.
    pub fn backups_take_time(self) -> bool {
        self == Driver::Realistic
    }

    /// Bytes per second backups and restores move at: the configured rate, or at once for a
    /// driver whose tasks are Done when created.
    pub fn transfer_rate(self, configured: f64) -> f64 {
        if self.backups_take_time() {
            configured
        } else {
            f64::INFINITY
        }
    }

    /// When a task created `now` may start: after the queue's delay, or at once for the fake.
    pub fn task_start(self, now: Instant, queue_delay: Duration) -> Instant {
        if self.backups_take_time() {
            now + queue_delay
        } else {
            now
        }
    }

    /// What a cloud backup records in its catalog entry: the backup's labels with the volume's
    /// name, the kind (full or incremental) and whether it was of a snapshot; upstream's fake
    /// records none of that, only `fake=backup`.
    pub fn backup_metadata(
        self,
        labels: &HashMap<String, String>,
        volume_name: &str,
        incremental: bool,
        of_snapshot: bool,
    ) -> HashMap<String, String> {
        if !self.backups_take_time() {
            return [("fake".to_string(), "backup".to_string())].into();
        }
        let mut metadata = labels.clone();
        metadata.insert("volumename".into(), volume_name.to_string());
        let kind = if incremental { "incremental" } else { "full" };
        metadata.insert("type".into(), kind.into());
        if of_snapshot {
            metadata.insert("snapshot".into(), "true".into());
        }
        metadata
    }
}
