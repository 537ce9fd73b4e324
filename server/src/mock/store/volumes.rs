//! Volumes and snapshots as the store keeps them: created as a real cluster fills them in,
//! cloned, updated, snapshotted, restored and deleted, with the driver's rules.

use std::collections::HashMap;
use std::time::Instant;

use console_model::limits::MAX_NAME;
use tonic::Status;

use super::{is_snapshot, labels_match, volume_labels, volume_name, Store};
use crate::mock::errors;
use crate::mock::ClusterDescription;
use crate::proto::*;

/// Share of a new volume the mock reports as written, so usage, capacity and backups have
/// something to show (a real volume fills as applications write).
pub const USAGE_PERCENT: u64 = 25;

/// `percent`% of `bytes`, without overflow or early rounding.
pub fn percent(bytes: u64, percent: u64) -> u64 {
    (u128::from(bytes) * u128::from(percent) / 100) as u64
}

pub fn validate_name(field: &str, name: &str) -> Result<(), Status> {
    if name.trim().is_empty() {
        return Err(errors::required(field));
    }
    if name.len() > MAX_NAME {
        return Err(errors::invalid(
            field,
            format!("longer than {MAX_NAME} bytes"),
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(errors::invalid(field, "control characters are not allowed"));
    }
    Ok(())
}

/// What a new volume looks like before it is stored.
pub struct NewVolume {
    pub name: String,
    pub spec: VolumeSpec,
    pub labels: HashMap<String, String>,
    pub parent: Option<String>,
    pub readonly: bool,
    pub usage: u64,
    pub state: VolumeState,
}

impl Store {
    pub fn create_volume(
        &mut self,
        cluster: &ClusterDescription,
        name: &str,
        mut spec: VolumeSpec,
        labels: HashMap<String, String>,
        now: Instant,
    ) -> Result<String, Status> {
        validate_name("name", name)?;
        if spec.size == 0 {
            return Err(errors::invalid("spec.size", "must be greater than 0 bytes"));
        }
        if spec.ha_level == 0 {
            spec.ha_level = 1;
        }
        validate_ha_level(spec.ha_level, cluster.nodes.len())?;
        if let Some(existing) = self
            .volume_names
            .get(name)
            .and_then(|id| self.volumes.get(id))
        {
            // Idempotent on name, so a client that retries after a lost reply gets the same
            // volume; anything else means a different volume was meant. Upstream's checks, in
            // its order and words.
            let existing_spec = existing.spec.clone().unwrap_or_default();
            if existing_spec.size != spec.size {
                return Err(errors::already_exists(format!(
                    "Existing volume has a size of {} which differs from requested size of {}",
                    existing_spec.size, spec.size
                )));
            }
            if existing_spec.shared != spec.shared {
                return Err(errors::already_exists(format!(
                    "Existing volume has shared={} while request is asking for shared={}",
                    existing_spec.shared, spec.shared
                )));
            }
            if existing
                .source
                .as_ref()
                .is_some_and(|s| !s.parent.is_empty())
            {
                return Err(errors::already_exists(
                    "Existing volume has conflicting parent value",
                ));
            }
            return Ok(existing.id.clone());
        }
        if spec.encrypted && spec.passphrase.is_empty() {
            return Err(errors::invalid(
                "spec.passphrase",
                "an encrypted volume needs a passphrase",
            ));
        }
        let usage = percent(spec.size, USAGE_PERCENT);
        let id = self.add_volume(
            cluster,
            NewVolume {
                name: name.to_string(),
                spec,
                labels,
                parent: None,
                readonly: false,
                usage,
                state: VolumeState::Detached,
            },
            now,
        );
        Ok(id)
    }

    /// Stores a new volume with the fields a real cluster fills in.
    pub fn add_volume(
        &mut self,
        cluster: &ClusterDescription,
        new: NewVolume,
        now: Instant,
    ) -> String {
        let NewVolume {
            name,
            mut spec,
            labels,
            parent,
            readonly,
            usage,
            state: volume_state,
        } = new;
        // Write-only: kept out of everything the server returns.
        spec.passphrase.clear();
        if spec.format == FsType::None as i32 {
            spec.format = FsType::Ext4 as i32;
        }
        let nodes = &cluster.nodes;
        let first = self.volumes.len() % nodes.len().max(1);
        let replicas = (0..spec.ha_level.max(1) as usize)
            .map(|i| nodes[(first + i) % nodes.len()].id.clone())
            .collect();
        let id = uuid::Uuid::new_v4().to_string();
        let volume = Volume {
            id: id.clone(),
            // Upstream always sets `source` (empty for a new volume); SDK clients rely on it.
            source: Some(Source {
                parent: parent.unwrap_or_default(),
                seed: String::new(),
            }),
            readonly,
            locator: Some(VolumeLocator {
                name,
                volume_labels: labels,
                ..Default::default()
            }),
            ctime: Some(cluster.clock.timestamp(now)),
            format: spec.format,
            usage: usage.min(spec.size),
            status: VolumeStatus::Up as i32,
            state: volume_state as i32,
            replica_sets: vec![ReplicaSet {
                nodes: replicas,
                pool_uuids: Vec::new(),
            }],
            spec: Some(spec),
            ..Default::default()
        };
        self.insert_volume(volume);
        id
    }

    pub fn clone_volume(
        &mut self,
        cluster: &ClusterDescription,
        name: &str,
        parent_id: &str,
        labels: HashMap<String, String>,
        now: Instant,
    ) -> Result<String, Status> {
        validate_name("name", name)?;
        let parent = self.volume(parent_id)?.clone();
        if let Some(existing) = self
            .volume_names
            .get(name)
            .and_then(|id| self.volumes.get(id))
        {
            let same_parent = existing
                .source
                .as_ref()
                .is_some_and(|s| s.parent == parent.id);
            if same_parent && !existing.readonly {
                return Ok(existing.id.clone());
            }
            return Err(errors::already_exists(format!(
                "a volume named {name} already exists"
            )));
        }
        let mut all_labels = volume_labels(&parent).clone();
        all_labels.extend(labels);
        let mut spec = parent.spec.clone().unwrap_or_default();
        spec.volume_labels.clear();
        Ok(self.add_volume(
            cluster,
            NewVolume {
                name: name.to_string(),
                spec,
                labels: all_labels,
                parent: Some(parent.id.clone()),
                readonly: false,
                usage: parent.usage,
                state: VolumeState::Detached,
            },
            now,
        ))
    }

    pub fn delete_volume(
        &mut self,
        cluster: &ClusterDescription,
        id_or_name: &str,
    ) -> Result<(), Status> {
        // Deleting what is already gone succeeds, so retries are safe.
        let Some(id) = self.volume_id(id_or_name) else {
            return Ok(());
        };
        if !cluster.driver().guards_delete() {
            self.remove_volume(&id);
            return Ok(());
        }
        let volume = &self.volumes[&id];
        let name = volume_name(volume);
        if !volume.attached_on.is_empty() {
            return Err(errors::precondition(format!(
                "volume {name} is attached on node {}; detach it first",
                volume.attached_on
            )));
        }
        if volume.spec.as_ref().is_some_and(|s| s.sticky) {
            return Err(errors::precondition(format!(
                "volume {name} is sticky; clear the sticky flag before deleting it"
            )));
        }
        let snapshots = self.snapshots_of(&id).len();
        if snapshots > 0 {
            return Err(errors::precondition(format!(
                "volume {name} has {snapshots} snapshot(s); delete them first"
            )));
        }
        if let Some(task) = self
            .tasks
            .values()
            .find(|t| t.volume_id == id && t.is_running())
        {
            return Err(errors::precondition(format!(
                "volume {name} has a {} in progress (task {}); wait for it or stop it first",
                task.op.noun(),
                task.id
            )));
        }
        self.remove_volume(&id);
        Ok(())
    }

    pub fn update_volume(
        &mut self,
        cluster: &ClusterDescription,
        id_or_name: &str,
        labels: HashMap<String, String>,
        update: Option<VolumeSpecUpdate>,
    ) -> Result<(), Status> {
        let volume = self.volume_mut(id_or_name)?;
        let snapshot = is_snapshot(volume);
        let name = volume_name(volume).to_string();
        if let Some(update) = &update {
            let spec = volume.spec.get_or_insert_with(Default::default);
            if let Some(volume_spec_update::SizeOpt::Size(size)) = update.size_opt {
                if snapshot && size != spec.size {
                    return Err(errors::precondition(format!(
                        "{name} is a snapshot; snapshots are read-only and cannot be resized"
                    )));
                }
                if size < spec.size {
                    return Err(errors::invalid(
                        "spec.size",
                        format!(
                            "volumes can only grow: {size} bytes is smaller than the current {} bytes",
                            spec.size
                        ),
                    ));
                }
            }
            if let Some(volume_spec_update::HaLevelOpt::HaLevel(ha)) = update.ha_level_opt {
                validate_ha_level(ha, cluster.nodes.len())?;
            }
            apply_spec_update(spec, update);
            let ha = spec.ha_level.max(1) as usize;
            let nodes: Vec<String> = cluster.nodes.iter().map(|n| n.id.clone()).collect();
            if let Some(set) = volume.replica_sets.first_mut() {
                // Grow or shrink the replica set to the new HA level, keeping current replicas.
                set.nodes.truncate(ha);
                for node in &nodes {
                    if set.nodes.len() >= ha {
                        break;
                    }
                    if !set.nodes.contains(node) {
                        set.nodes.push(node.clone());
                    }
                }
            }
        }
        let locator = volume.locator.get_or_insert_with(Default::default);
        for (key, value) in labels {
            // An empty value removes the label, as the SDK documents.
            if value.is_empty() {
                locator.volume_labels.remove(&key);
            } else {
                locator.volume_labels.insert(key, value);
            }
        }
        Ok(())
    }

    /// Snapshots whose parent is `volume_id`, oldest first.
    pub fn snapshots_of(&self, volume_id: &str) -> Vec<&Volume> {
        self.children_of(volume_id, false)
    }

    /// What SnapshotEnumerate lists under `volume_id` (every volume when empty): snapshots,
    /// and clones too when the driver does not tell them apart.
    pub fn listed_snapshots(&self, cluster: &ClusterDescription, volume_id: &str) -> Vec<&Volume> {
        self.children_of(
            volume_id,
            cluster.driver().snapshot_listing_includes_clones(),
        )
    }

    fn children_of(&self, volume_id: &str, with_clones: bool) -> Vec<&Volume> {
        let mut snaps: Vec<&Volume> = self
            .volumes
            .values()
            .filter(|v| with_clones || is_snapshot(v))
            .filter(|v| {
                v.source.as_ref().is_some_and(|s| {
                    !s.parent.is_empty() && (volume_id.is_empty() || s.parent == volume_id)
                })
            })
            .collect();
        snaps.sort_by_key(|v| v.ctime.map(|t| (t.seconds, t.nanos)));
        snaps
    }

    pub fn create_snapshot(
        &mut self,
        cluster: &ClusterDescription,
        volume: &str,
        name: &str,
        labels: HashMap<String, String>,
        now: Instant,
    ) -> Result<String, Status> {
        let parent = self.volume(volume)?.clone();
        if is_snapshot(&parent) {
            return Err(errors::invalid(
                "volume_id",
                format!(
                    "{} is a snapshot; take snapshots of volumes",
                    volume_name(&parent)
                ),
            ));
        }
        validate_name("name", name)?;
        let name = name.to_string();
        let read_only = cluster.driver().snapshots_read_only();
        let existing = self
            .volume_names
            .get(&name)
            .and_then(|id| self.volumes.get(id))
            // Upstream's fake does not check snapshot names: each call makes a snapshot.
            .filter(|_| !cluster.driver().snapshot_listing_includes_clones());
        if let Some(existing) = existing {
            let same = existing.readonly == read_only
                && existing
                    .source
                    .as_ref()
                    .is_some_and(|s| s.parent == parent.id);
            if same {
                return Ok(existing.id.clone());
            }
            return Err(errors::already_exists(format!(
                "a volume or snapshot named {name} already exists"
            )));
        }
        let mut spec = parent.spec.clone().unwrap_or_default();
        spec.volume_labels.clear();
        let mut all_labels = volume_labels(&parent).clone();
        all_labels.extend(labels);
        Ok(self.add_volume(
            cluster,
            NewVolume {
                name,
                spec,
                labels: all_labels,
                parent: Some(parent.id.clone()),
                readonly: read_only,
                usage: parent.usage,
                state: VolumeState::Detached,
            },
            now,
        ))
    }

    pub fn restore_snapshot(&mut self, volume: &str, snapshot: &str) -> Result<(), Status> {
        let target = self.volume(volume)?.clone();
        let snap = self
            .volume_id(snapshot)
            .and_then(|id| self.volumes.get(&id))
            .ok_or_else(|| errors::not_found("snapshot", snapshot))?
            .clone();
        if snap.source.as_ref().is_none_or(|s| s.parent != target.id) {
            return Err(errors::invalid(
                "snapshot_id",
                format!(
                    "{} is not a snapshot of volume {}",
                    volume_name(&snap),
                    volume_name(&target)
                ),
            ));
        }
        if !target.attached_on.is_empty() {
            return Err(errors::precondition(format!(
                "volume {} is attached on node {}; detach it before restoring a snapshot",
                volume_name(&target),
                target.attached_on
            )));
        }
        let volume = self.volume_mut(&target.id)?;
        volume.usage = snap.usage;
        volume
            .attach_info
            .insert("restored-from-snapshot".into(), snap.id.clone());
        Ok(())
    }

    pub fn set_snapshot_schedule(
        &mut self,
        volume: &str,
        policies: &[String],
    ) -> Result<(), Status> {
        if let Some(missing) = policies.iter().find(|p| !self.policies.contains_key(*p)) {
            return Err(errors::not_found("schedule policy", missing));
        }
        let schedule = if policies.is_empty() {
            String::new()
        } else {
            format!("policy={}", policies.join(","))
        };
        let volume = self.volume_mut(volume)?;
        volume
            .spec
            .get_or_insert_with(Default::default)
            .snapshot_schedule = schedule;
        Ok(())
    }

    /// Volumes (snapshots included, as the SDK lists them) matching a name and labels.
    pub fn matching_volumes<'a>(
        &'a self,
        name: &'a str,
        labels: &'a HashMap<String, String>,
    ) -> impl Iterator<Item = &'a Volume> + 'a {
        self.volumes.values().filter(move |v| {
            (name.is_empty() || volume_name(v) == name) && labels_match(volume_labels(v), labels)
        })
    }
}

fn validate_ha_level(ha: i64, nodes: usize) -> Result<(), Status> {
    if !(1..=3).contains(&ha) {
        return Err(errors::invalid(
            "spec.ha_level",
            format!("{ha} is not between 1 and 3"),
        ));
    }
    if ha as usize > nodes {
        return Err(errors::invalid(
            "spec.ha_level",
            format!("{ha} replicas need {ha} nodes; the cluster has {nodes}"),
        ));
    }
    Ok(())
}

/// The spec fields Volume.Update can set, each named once: `apply_spec_update` sets them on a
/// spec, `reshaped` takes a shaped spec's values back into an update. A new updatable field is
/// one more line here.
macro_rules! updatable_fields {
    ($($opt:ident: $kind:ident::$variant:ident => $field:ident),* $(,)?) => {
        fn apply_spec_update(spec: &mut VolumeSpec, update: &VolumeSpecUpdate) {
            use volume_spec_update::*;
            $(if let Some($kind::$variant(v)) = update.$opt {
                spec.$field = v;
            })*
        }

        /// `update`, each field it sets now holding the value `shaped` has.
        fn reshaped(update: VolumeSpecUpdate, shaped: &VolumeSpec) -> VolumeSpecUpdate {
            use volume_spec_update::*;
            VolumeSpecUpdate {
                $($opt: update.$opt.map(|_| $kind::$variant(shaped.$field)),)*
                ..update
            }
        }
    };
}

updatable_fields! {
    size_opt: SizeOpt::Size => size,
    ha_level_opt: HaLevelOpt::HaLevel => ha_level,
    cos_opt: CosOpt::Cos => cos,
    io_profile_opt: IoProfileOpt::IoProfile => io_profile,
    shared_opt: SharedOpt::Shared => shared,
    sticky_opt: StickyOpt::Sticky => sticky,
    snapshot_interval_opt: SnapshotIntervalOpt::SnapshotInterval => snapshot_interval,
    journal_opt: JournalOpt::Journal => journal,
    sharedv4_opt: Sharedv4Opt::Sharedv4 => sharedv4,
    queue_depth_opt: QueueDepthOpt::QueueDepth => queue_depth,
    nodiscard_opt: NodiscardOpt::Nodiscard => nodiscard,
    auto_fstrim_opt: AutoFstrimOpt::AutoFstrim => auto_fstrim,
}

/// The update a storage policy lets through: the spec the update would make is shaped by
/// `shape` (refused, or changed to fit), and the fields the update sets take the shaped values,
/// as upstream masks what the request did not change.
pub fn policy_shaped(
    current: VolumeSpec,
    update: VolumeSpecUpdate,
    shape: impl FnOnce(VolumeSpec) -> Result<VolumeSpec, Status>,
) -> Result<VolumeSpecUpdate, Status> {
    let mut candidate = current;
    apply_spec_update(&mut candidate, &update);
    let shaped = shape(candidate)?;
    Ok(reshaped(update, &shaped))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked() {
        assert!(validate_name("name", "pvc-db_01.data").is_ok());
        assert!(validate_name("name", "<script>\"x\"").is_ok());
        assert_eq!(
            validate_name("name", "  ").unwrap_err().code(),
            tonic::Code::InvalidArgument
        );
        assert!(validate_name("name", "bad\nname").is_err());
        assert!(validate_name("name", &"x".repeat(256)).is_err());
    }

    #[test]
    fn ha_level_is_bounded_by_nodes() {
        assert!(validate_ha_level(3, 3).is_ok());
        assert!(validate_ha_level(3, 2)
            .unwrap_err()
            .message()
            .contains("the cluster has 2"));
        assert!(validate_ha_level(0, 3).is_err());
        assert!(validate_ha_level(4, 5).is_err());
    }
}
