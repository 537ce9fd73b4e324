//! Cloud credentials as the store keeps them: secrets held but never shown (Debug leaves them
//! out), what uses a credential, and the default-credential rule of backup calls.

use tonic::Status;

use super::Store;
use crate::mock::description::ClusterDescription;
use crate::mock::errors;
use crate::proto::sdk_credential_create_request::CredentialType as Given;
use crate::proto::sdk_credential_inspect_response::CredentialType as Shown;
use crate::proto::*;

/// A stored credential. Debug is hand-written so secrets never reach a log.
#[derive(Clone)]
pub struct Credential {
    pub id: String,
    pub name: String,
    pub bucket: String,
    encryption_key: String,
    use_proxy: bool,
    iam_policy: bool,
    s3_storage_class: String,
    provider: Given,
    pub ownership: Option<Ownership>,
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credential")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("provider", &provider_name(&self.provider))
            .finish_non_exhaustive()
    }
}

fn provider_name(provider: &Given) -> &'static str {
    match provider {
        Given::AwsCredential(_) => "s3",
        Given::AzureCredential(_) => "azure",
        Given::GoogleCredential(_) => "google",
        Given::NfsCredential(_) => "nfs",
    }
}

impl Credential {
    pub fn inspect(&self) -> SdkCredentialInspectResponse {
        let shown = match &self.provider {
            Given::AwsCredential(aws) => Shown::AwsCredential(SdkAwsCredentialResponse {
                access_key: aws.access_key.clone(),
                endpoint: aws.endpoint.clone(),
                region: aws.region.clone(),
                disable_ssl: aws.disable_ssl,
                disable_path_style: aws.disable_path_style,
                s3_storage_class: self.s3_storage_class.clone(),
                server_side_encryption: aws.server_side_encryption.clone(),
            }),
            Given::AzureCredential(azure) => Shown::AzureCredential(SdkAzureCredentialResponse {
                account_name: azure.account_name.clone(),
            }),
            Given::GoogleCredential(google) => {
                Shown::GoogleCredential(SdkGoogleCredentialResponse {
                    project_id: google.project_id.clone(),
                })
            }
            Given::NfsCredential(nfs) => Shown::NfsCredential(SdkNfsCredentialResponse {
                server: nfs.server.clone(),
                sub_path: nfs.sub_path.clone(),
                mount_opts: nfs.mount_opts.clone(),
                timeout_seconds: nfs.timeout_seconds,
            }),
        };
        SdkCredentialInspectResponse {
            credential_id: self.id.clone(),
            name: self.name.clone(),
            bucket: self.bucket.clone(),
            use_proxy: self.use_proxy,
            iam_policy: self.iam_policy,
            ownership: self.ownership.clone(),
            credential_type: Some(shown),
        }
    }

    /// The bucket backups go to; a cluster without one configured uses a default bucket.
    pub fn bucket_or_default(&self) -> &str {
        if self.bucket.is_empty() {
            "openstorage-backups"
        } else {
            &self.bucket
        }
    }
}

impl Store {
    /// Stores a credential the SDK layer has checked.
    pub fn create_credential(&mut self, req: SdkCredentialCreateRequest) -> Result<String, Status> {
        // Names may repeat, as upstream allows: the id is what identifies a credential.
        let id = uuid::Uuid::new_v4().to_string();
        self.credentials.insert(id.clone(), stored(id.clone(), req));
        Ok(id)
    }

    /// What an update makes of a credential: the request with the secrets and name it leaves
    /// empty kept from the current one, and the credential's id. The SDK layer checks the
    /// result before `replace_credential` stores it.
    pub fn credential_update(
        &self,
        id: &str,
        mut req: SdkCredentialCreateRequest,
    ) -> Result<(String, SdkCredentialCreateRequest), Status> {
        let current = self.credential(id)?;
        keep_unchanged_secrets(&mut req, current);
        if req.name.trim().is_empty() {
            req.name = current.name.clone();
        }
        Ok((current.id.clone(), req))
    }

    /// Stores a checked update (see `credential_update`).
    pub fn replace_credential(&mut self, id: String, req: SdkCredentialCreateRequest) {
        self.credentials.insert(id.clone(), stored(id, req));
    }

    /// Backup schedules that still use a credential, worded for an error message; None when
    /// none does. Backups already in the cloud do not count: they stay in the bucket, which
    /// any credential for that bucket reaches.
    fn credential_users(&self, id: &str) -> Option<String> {
        let schedules = self
            .schedules
            .values()
            .filter(|s| s.info.credential_id == id)
            .count();
        (schedules > 0).then(|| format!("{schedules} backup schedule(s)"))
    }

    /// Refuses while a backup or restore with this credential runs.
    fn ensure_no_running_task(&self, credential: &Credential) -> Result<(), Status> {
        match self
            .tasks
            .values()
            .find(|t| t.credential_id == credential.id && t.is_running())
        {
            Some(task) => Err(errors::precondition(format!(
                "credential {} is in use by running task {}; wait for it or stop it first",
                credential.name, task.id
            ))),
            None => Ok(()),
        }
    }

    pub fn delete_credential(
        &mut self,
        cluster: &ClusterDescription,
        id: &str,
    ) -> Result<(), Status> {
        let credential = self.credential(id)?.clone();
        if !cluster.driver().guards_delete() {
            // Upstream's fake deletes whatever uses it.
            self.credentials.remove(&credential.id);
            return Ok(());
        }
        self.ensure_no_running_task(&credential)?;
        if let Some(users) = self.credential_users(&credential.id) {
            return Err(errors::precondition(format!(
                "credential {} is still used by {users}; delete those, or call DeleteReferences first",
                credential.name
            )));
        }
        self.credentials.remove(&credential.id);
        Ok(())
    }

    /// Drops what refers to a credential: its backup schedules are deleted and its cloud
    /// backups forget it (they stay in the bucket, reachable with another credential).
    pub fn delete_credential_references(&mut self, id: &str) -> Result<(), Status> {
        let credential = self.credential(id)?.clone();
        self.ensure_no_running_task(&credential)?;
        self.schedules
            .retain(|_, s| s.info.credential_id != credential.id);
        for backup in self
            .backups
            .iter_mut()
            .filter(|b| b.credential_id == credential.id)
        {
            backup.credential_id.clear();
        }
        Ok(())
    }

    /// The credential a backup call uses: the one asked for, or, when none is given, the only
    /// one there is. Upstream's `defaultCloudBackupCreds`, messages included (every real
    /// cluster answers so): any other count is INVALID_ARGUMENT.
    pub fn backup_credential(&self, requested: &str) -> Result<Credential, Status> {
        if !requested.is_empty() {
            return self.credential(requested).cloned();
        }
        match self.credentials.len() {
            1 => Ok(self.credentials.values().next().unwrap().clone()),
            0 => Err(Status::invalid_argument(
                "No configured credentials found,please create a credential",
            )),
            _ => Err(Status::invalid_argument(
                "More than one credential configured,please specify a credential name or uuid to use",
            )),
        }
    }
}

fn stored(id: String, req: SdkCredentialCreateRequest) -> Credential {
    Credential {
        id,
        name: req.name,
        bucket: req.bucket,
        encryption_key: req.encryption_key,
        use_proxy: req.use_proxy,
        iam_policy: req.iam_policy,
        s3_storage_class: req.s3_storage_class,
        provider: req.credential_type.expect("validated"),
        ownership: req.ownership,
    }
}

/// An update may leave secrets empty to keep the current ones (secrets are never shown, so a
/// form cannot send them back).
fn keep_unchanged_secrets(req: &mut SdkCredentialCreateRequest, current: &Credential) {
    if req.encryption_key.is_empty() {
        req.encryption_key = current.encryption_key.clone();
    }
    match (&mut req.credential_type, &current.provider) {
        (Some(Given::AwsCredential(new)), Given::AwsCredential(old))
            if new.secret_key.is_empty() =>
        {
            new.secret_key = old.secret_key.clone();
        }
        (Some(Given::AzureCredential(new)), Given::AzureCredential(old))
            if new.account_key.is_empty() =>
        {
            new.account_key = old.account_key.clone();
        }
        (Some(Given::GoogleCredential(new)), Given::GoogleCredential(old))
            if new.json_key.is_empty() =>
        {
            new.json_key = old.json_key.clone();
        }
        _ => {}
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// An AWS credential request, changed by `f` (for tests here and in the SDK layer).
    pub(crate) fn aws(f: impl FnOnce(&mut SdkAwsCredentialRequest)) -> SdkCredentialCreateRequest {
        let mut aws = SdkAwsCredentialRequest {
            access_key: "AKIA".into(),
            secret_key: "secret".into(),
            endpoint: "s3.amazonaws.com".into(),
            region: "us-east-1".into(),
            ..Default::default()
        };
        f(&mut aws);
        SdkCredentialCreateRequest {
            name: "aws".into(),
            credential_type: Some(Given::AwsCredential(aws)),
            ..Default::default()
        }
    }

    #[test]
    fn debug_output_has_no_secrets() {
        let c = stored("id".into(), aws(|a| a.secret_key = "TOPSECRET".into()));
        assert!(!format!("{c:?}").contains("TOPSECRET"));
        assert!(!format!("{:?}", c.inspect()).contains("TOPSECRET"));
    }
}
