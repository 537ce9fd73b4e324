//! Backups stored in the cloud: what a finished task leaves behind, how they are listed
//! (filters, pages), what they contain, and the rules for deleting them.

use std::collections::HashMap;

use tonic::Status;

use super::{labels_match, Store};
use crate::mock::errors;
use crate::proto::{
    sdk_cloud_backup_cluster_type, SdkCloudBackupEnumerateWithFiltersRequest,
    SdkCloudBackupEnumerateWithFiltersResponse, SdkCloudBackupInfo, SdkCloudBackupStatusType,
};

const GIB: u64 = 1 << 30;

/// What a backup task will record when it is done.
#[derive(Debug, Clone)]
pub struct BackupPlan {
    pub src_volume_name: String,
    pub volume_size: u64,
    pub ha_level: i64,
    /// The source's owner and ACL, which a restore keeps.
    pub ownership: Option<crate::proto::Ownership>,
    pub bucket: String,
    /// The full backup this incremental one builds on.
    pub base: Option<String>,
    pub schedule_id: Option<String>,
    pub metadata: HashMap<String, String>,
}

#[derive(Debug, Clone)]
pub struct CloudBackup {
    pub id: String,
    pub src_volume_id: String,
    pub src_volume_name: String,
    pub credential_id: String,
    pub bucket: String,
    pub timestamp: prost_types::Timestamp,
    pub metadata: HashMap<String, String>,
    pub status: SdkCloudBackupStatusType,
    pub volume_size: u64,
    pub ha_level: i64,
    pub ownership: Option<crate::proto::Ownership>,
    /// Bytes of volume data the backup restores to (the chain up to it).
    pub data_bytes: u64,
    pub base: Option<String>,
    pub schedule_id: Option<String>,
}

impl CloudBackup {
    pub fn info(&self) -> SdkCloudBackupInfo {
        SdkCloudBackupInfo {
            id: self.id.clone(),
            src_volume_id: self.src_volume_id.clone(),
            src_volume_name: self.src_volume_name.clone(),
            timestamp: Some(self.timestamp),
            metadata: self.metadata.clone(),
            status: self.status as i32,
            cluster_type: sdk_cloud_backup_cluster_type::Value::CurrentCluster as i32,
            namespace: String::new(),
        }
    }

    /// Paths in the backup: a small file tree that grows with the data backed up.
    pub fn contents(&self) -> Vec<String> {
        let files = (1 + self.data_bytes / (4 * GIB)).min(8);
        let mut paths = vec!["/lost+found/".to_string(), "/data/".to_string()];
        paths.extend((1..=files).map(|i| format!("/data/{}-{i:04}.db", self.src_volume_name)));
        paths.push("/data/wal/".into());
        paths
    }
}

fn ordering_key(b: &CloudBackup) -> (i64, i32, &str) {
    (b.timestamp.seconds, b.timestamp.nanos, b.id.as_str())
}

impl Store {
    pub fn cloud_backup(&self, id: &str) -> Result<&CloudBackup, Status> {
        if id.is_empty() {
            return Err(errors::required("backup_id"));
        }
        self.backups
            .iter()
            .find(|b| b.id == id)
            .ok_or_else(|| errors::not_found("cloud backup", id))
    }

    /// Newest first, filtered, one page at a time. The continuation token is the id of the
    /// last backup of the previous page.
    pub fn list_backups(
        &self,
        cluster_id: &str,
        req: &SdkCloudBackupEnumerateWithFiltersRequest,
    ) -> Result<SdkCloudBackupEnumerateWithFiltersResponse, Status> {
        // A credential reaches the backups in its bucket, whichever credential made them.
        let bucket = self
            .backup_credential(&req.credential_id)?
            .bucket_or_default()
            .to_string();
        let src = if req.src_volume_id.is_empty() {
            None
        } else {
            // The volume may be gone; its backups are still listed by id.
            Some(
                self.volume_id(&req.src_volume_id)
                    .unwrap_or(req.src_volume_id.clone()),
            )
        };
        let other_cluster = !req.cluster_id.is_empty() && req.cluster_id != cluster_id;
        let status = SdkCloudBackupStatusType::try_from(req.status_filter)
            .unwrap_or(SdkCloudBackupStatusType::Unknown);
        let mut matching: Vec<&CloudBackup> = self
            .backups
            .iter()
            .filter(|_| !other_cluster)
            .filter(|b| src.as_ref().is_none_or(|s| &b.src_volume_id == s))
            .filter(|b| b.bucket == bucket)
            .filter(|b| status == SdkCloudBackupStatusType::Unknown || b.status == status)
            .filter(|b| labels_match(&b.metadata, &req.metadata_filter))
            .filter(|b| req.cloud_backup_id.is_empty() || b.id == req.cloud_backup_id)
            .collect();
        matching.sort_by(|a, b| ordering_key(b).cmp(&ordering_key(a)));
        let start = if req.continuation_token.is_empty() {
            0
        } else {
            matching
                .iter()
                .position(|b| b.id == req.continuation_token)
                .map(|i| i + 1)
                .ok_or_else(|| {
                    errors::invalid(
                        "continuation_token",
                        "no longer matches a backup (it was deleted); list again from the start",
                    )
                })?
        };
        let page = match req.max_backups {
            0 => matching.len(),
            n => n.min(usize::MAX as u64) as usize,
        };
        let end = (start + page).min(matching.len());
        let backups: Vec<SdkCloudBackupInfo> =
            matching[start..end].iter().map(|b| b.info()).collect();
        let continuation_token = if end < matching.len() {
            matching[end - 1].id.clone()
        } else {
            String::new()
        };
        Ok(SdkCloudBackupEnumerateWithFiltersResponse {
            backups,
            continuation_token,
        })
    }

    /// Deletes one backup. Incremental backups built on it need `force`, which deletes them
    /// too (they cannot be restored without it).
    pub fn delete_backup(
        &mut self,
        id: &str,
        credential_id: &str,
        force: bool,
    ) -> Result<(), Status> {
        let credential = self.backup_credential(credential_id)?;
        let backup = self.cloud_backup(id)?.clone();
        if backup.bucket != credential.bucket_or_default() {
            return Err(Status::not_found(format!(
                "cloud backup {id} is not in bucket {} of credential {}",
                credential.bucket_or_default(),
                credential.name
            )));
        }
        self.remove_backup_chain(&backup.id, force)
    }

    /// Removes a backup and every incremental one built on it (the latter only with `force`).
    fn remove_backup_chain(&mut self, id: &str, force: bool) -> Result<(), Status> {
        let mut doomed = vec![id.to_string()];
        let mut i = 0;
        while i < doomed.len() {
            let parent = doomed[i].clone();
            doomed.extend(
                self.backups
                    .iter()
                    .filter(|b| b.base.as_deref() == Some(parent.as_str()))
                    .map(|b| b.id.clone()),
            );
            i += 1;
        }
        if doomed.len() > 1 && !force {
            return Err(errors::precondition(format!(
                "{} incremental backup(s) depend on {id}; delete with force to remove them too",
                doomed.len() - 1
            )));
        }
        self.backups.retain(|b| !doomed.contains(&b.id));
        Ok(())
    }

    /// Removes a backup a schedule no longer retains, with what depends on it.
    pub fn remove_backup(&mut self, id: &str) {
        let _ = self.remove_backup_chain(id, true);
    }

    pub fn delete_all_backups(&mut self, volume: &str, credential_id: &str) -> Result<(), Status> {
        let bucket = self
            .backup_credential(credential_id)?
            .bucket_or_default()
            .to_string();
        let src = self.volume_id(volume).unwrap_or(volume.to_string());
        self.backups
            .retain(|b| !(b.src_volume_id == src && b.bucket == bucket));
        Ok(())
    }

    /// The newest finished backup of a volume with a credential: the base of an incremental.
    pub fn latest_backup(&self, volume_id: &str, credential_id: &str) -> Option<&CloudBackup> {
        self.backups
            .iter()
            .filter(|b| {
                b.src_volume_id == volume_id
                    && b.credential_id == credential_id
                    && b.status == SdkCloudBackupStatusType::Done
            })
            .max_by(|a, b| ordering_key(a).cmp(&ordering_key(b)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn backup(id: &str, secs: i64, base: Option<&str>) -> CloudBackup {
        CloudBackup {
            id: id.into(),
            src_volume_id: "v".into(),
            src_volume_name: "vol".into(),
            credential_id: String::new(),
            bucket: "b".into(),
            timestamp: prost_types::Timestamp {
                seconds: secs,
                nanos: 0,
            },
            metadata: HashMap::new(),
            status: SdkCloudBackupStatusType::Done,
            volume_size: GIB,
            ha_level: 1,
            ownership: None,
            data_bytes: GIB,
            base: base.map(str::to_string),
            schedule_id: None,
        }
    }

    /// A store with these backups and one credential for their bucket (backup calls need one).
    fn store(backups: Vec<CloudBackup>) -> Store {
        let mut store = Store {
            backups,
            ..Default::default()
        };
        store
            .create_credential(crate::proto::SdkCredentialCreateRequest {
                name: "aws".into(),
                bucket: "b".into(),
                credential_type: Some(
                    crate::proto::sdk_credential_create_request::CredentialType::AwsCredential(
                        crate::proto::SdkAwsCredentialRequest {
                            access_key: "a".into(),
                            secret_key: "s".into(),
                            endpoint: "e".into(),
                            region: "r".into(),
                            ..Default::default()
                        },
                    ),
                ),
                ..Default::default()
            })
            .unwrap();
        store
    }

    #[test]
    fn pages_newest_first_with_a_token() {
        let s = store((1..=5).map(|i| backup(&format!("b{i}"), i, None)).collect());
        let mut req = SdkCloudBackupEnumerateWithFiltersRequest {
            max_backups: 2,
            ..Default::default()
        };
        let page1 = s.list_backups("c", &req).unwrap();
        let ids: Vec<_> = page1.backups.iter().map(|b| b.id.as_str()).collect();
        assert_eq!(ids, ["b5", "b4"]);
        req.continuation_token = page1.continuation_token;
        let page2 = s.list_backups("c", &req).unwrap();
        assert_eq!(page2.backups[0].id, "b3");
        req.continuation_token = page2.continuation_token;
        let page3 = s.list_backups("c", &req).unwrap();
        assert_eq!(page3.backups.len(), 1);
        assert!(page3.continuation_token.is_empty());
        req.continuation_token = "gone".into();
        assert!(s.list_backups("c", &req).is_err());
    }

    #[test]
    fn deleting_a_base_needs_force_and_takes_its_chain() {
        let mut s = store(vec![
            backup("full", 1, None),
            backup("inc1", 2, Some("full")),
            backup("inc2", 3, Some("inc1")),
            backup("other", 4, None),
        ]);
        let err = s.delete_backup("full", "", false).unwrap_err();
        assert!(err.message().contains("2 incremental"), "{}", err.message());
        s.delete_backup("inc2", "", false).unwrap();
        s.delete_backup("full", "", true).unwrap();
        let left: Vec<_> = s.backups.iter().map(|b| b.id.as_str()).collect();
        assert_eq!(left, ["other"]);
    }

    #[test]
    fn contents_grow_with_the_data() {
        let mut b = backup("x", 1, None);
        let small = b.contents().len();
        b.data_bytes = 100 * GIB;
        assert!(b.contents().len() > small);
        assert!(b.contents().iter().all(|p| p.starts_with('/')));
    }
}
