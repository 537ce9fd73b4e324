//! Everything the mock cluster holds, behind one lock (see `ClusterState::with_store`), and
//! every change to it: volumes and snapshots (`volumes`), credentials, backup and restore
//! tasks (`tasks`, `backups`), the cloud catalog, schedules. It reads the cluster's fixed
//! description and nothing of the SDK handlers above it or of the console's view.

use std::collections::{BTreeMap, HashMap};

use tonic::Status;

pub mod backups;
pub mod catalog;
pub mod credentials;
pub mod dr;
pub mod figures;
pub mod maintenance;
pub mod pools;
pub mod schedules;
pub mod tasks;
pub mod volumes;

use self::catalog::CloudBackup;
use self::credentials::Credential;
use self::schedules::BackupSchedule;
use self::tasks::Task;
use crate::mock::errors;
use crate::proto::{SdkCloudBackupHistoryItem, SdkSchedulePolicy, Volume};

#[derive(Debug, Default)]
pub struct Store {
    /// Volumes and snapshots (read-only volumes with a parent) by id.
    pub volumes: BTreeMap<String, Volume>,
    /// Volume and snapshot names share one namespace, as on a real cluster.
    pub volume_names: HashMap<String, String>,
    pub credentials: BTreeMap<String, Credential>,
    /// Backups stored in the cloud, oldest first.
    pub backups: Vec<CloudBackup>,
    /// Backup and restore tasks by task id, finished ones included.
    pub tasks: HashMap<String, Task>,
    /// Finished backups, oldest first.
    pub history: Vec<SdkCloudBackupHistoryItem>,
    pub policies: BTreeMap<String, SdkSchedulePolicy>,
    pub schedules: BTreeMap<String, BackupSchedule>,
    /// Storage policies by name, and the default's name ("" when none is).
    pub storage_policies: BTreeMap<String, crate::proto::SdkStoragePolicy>,
    pub default_storage_policy: String,
    /// Orders tasks by creation, for queueing.
    pub sequence: u64,
    /// Ids of volumes changed, created or removed since the console's view last heard (see
    /// `ClusterState::with_store`). Every change to a volume goes through the three methods
    /// below, which record it.
    pub(super) changed: Vec<String>,
    /// Alerts raised by events, as a real cluster keeps them.
    pub alerts: super::alerts::Alerts,
    /// Filesystem trims, checks and checksum verifications (see `maintenance`).
    pub maintenance: maintenance::Runs,
    /// Cluster pairs and migrations (see `dr`).
    pub recovery: dr::Recovery,
    /// Pool resizes and jobs (see `pools`).
    pub operations: pools::Operations,
    /// Usage growth and pool figures (see `figures`).
    pub(crate) figures: figures::Figures,
}

impl Store {
    pub fn next_sequence(&mut self) -> u64 {
        self.sequence += 1;
        self.sequence
    }

    /// A volume or snapshot by id or by name; SDK clients use both.
    pub fn volume(&self, id_or_name: &str) -> Result<&Volume, Status> {
        self.volume_id(id_or_name)
            .and_then(|id| self.volumes.get(&id))
            .ok_or_else(|| errors::not_found("volume", id_or_name))
    }

    pub fn volume_mut(&mut self, id_or_name: &str) -> Result<&mut Volume, Status> {
        let id = self
            .volume_id(id_or_name)
            .ok_or_else(|| errors::not_found("volume", id_or_name))?;
        self.changed.push(id.clone());
        Ok(self.volumes.get_mut(&id).expect("indexed volume exists"))
    }

    pub fn volume_id(&self, id_or_name: &str) -> Option<String> {
        if self.volumes.contains_key(id_or_name) {
            return Some(id_or_name.to_string());
        }
        self.volume_names.get(id_or_name).cloned()
    }

    pub fn insert_volume(&mut self, volume: Volume) {
        let name = volume_name(&volume).to_string();
        self.volume_names.insert(name, volume.id.clone());
        self.changed.push(volume.id.clone());
        self.volumes.insert(volume.id.clone(), volume);
    }

    pub fn remove_volume(&mut self, id: &str) -> Option<Volume> {
        let volume = self.volumes.remove(id)?;
        self.changed.push(id.to_string());
        let name = volume_name(&volume);
        if self.volume_names.get(name).map(String::as_str) == Some(id) {
            self.volume_names.remove(name);
            // A driver that allows repeated snapshot names: the name now finds another one.
            if let Some(other) = self.volumes.values().find(|v| volume_name(v) == name) {
                self.volume_names.insert(name.to_string(), other.id.clone());
            }
        }
        Some(volume)
    }

    /// The volumes changed since the last call, each as it is now (None: removed).
    pub fn take_changes(&mut self) -> Vec<(String, Option<&Volume>)> {
        let mut ids = std::mem::take(&mut self.changed);
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter()
            .map(|id| {
                let volume = self.volumes.get(&id);
                (id, volume)
            })
            .collect()
    }

    /// A credential by id, or by a name only one credential has (names may repeat).
    pub fn credential(&self, id_or_name: &str) -> Result<&Credential, Status> {
        if let Some(credential) = self.credentials.get(id_or_name) {
            return Ok(credential);
        }
        let mut named = self.credentials.values().filter(|c| c.name == id_or_name);
        match (named.next(), named.next()) {
            (Some(credential), None) => Ok(credential),
            (Some(_), Some(_)) => Err(Status::invalid_argument(format!(
                "more than one credential is named {id_or_name}; use its id"
            ))),
            (None, _) => Err(errors::not_found("credential", id_or_name)),
        }
    }
}

pub use console_model::volume::name_of as volume_name;

pub fn volume_labels(volume: &Volume) -> &HashMap<String, String> {
    static EMPTY: std::sync::OnceLock<HashMap<String, String>> = std::sync::OnceLock::new();
    volume
        .locator
        .as_ref()
        .map_or_else(|| EMPTY.get_or_init(HashMap::new), |l| &l.volume_labels)
}

pub use console_model::volume::is_snapshot;

/// Whether `labels` has every pair of `wanted`.
pub fn labels_match(labels: &HashMap<String, String>, wanted: &HashMap<String, String>) -> bool {
    wanted.iter().all(|(k, v)| labels.get(k) == Some(v))
}
