//! OpenStorageCredentials: cloud credentials for backups. Secrets are accepted and kept, never
//! returned: Inspect answers with the response types, which have no secret fields.

use std::sync::Arc;

use tonic::{Request, Response, Status};

use super::errors;
use super::ownership::{self, caller_of};
use crate::mock::store::Store;
use crate::mock::ClusterState;
use crate::proto::open_storage_credentials_server::OpenStorageCredentials;
use crate::proto::ownership::AccessType;
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

/// Upstream's check: present means non-empty (a space passes), as in `api/server/sdk/credentials.go`.
fn must_supply(value: &str, message: &str) -> Result<(), Status> {
    if value.is_empty() {
        Err(Status::invalid_argument(message))
    } else {
        Ok(())
    }
}

/// Checks a create (or update) request in upstream's order and with upstream's messages: the
/// SDK layer of every real cluster answers exactly so. Nothing else is checked there (bucket
/// names, endpoints and keys are the object store's business, found out by Validate).
pub fn validate(req: &SdkCredentialCreateRequest) -> Result<(), Status> {
    must_supply(&req.name, "Must supply a name")?;
    match &req.credential_type {
        None => Err(Status::invalid_argument("Unknown credential type")),
        Some(Given::AwsCredential(aws)) => {
            must_supply(&aws.access_key, "Must supply Access Key")?;
            must_supply(&aws.secret_key, "Must supply Secret Key")?;
            must_supply(&aws.region, "Must supply Region Key")?;
            must_supply(&aws.endpoint, "Must supply Endpoint Key")
        }
        Some(Given::AzureCredential(azure)) => {
            must_supply(&azure.account_key, "Must supply Account Key")?;
            must_supply(&azure.account_name, "Must supply Account name")
        }
        Some(Given::GoogleCredential(google)) => {
            must_supply(&google.json_key, "Must supply JSON Key")?;
            must_supply(&google.project_id, "Must supply Project ID")
        }
        Some(Given::NfsCredential(nfs)) => {
            must_supply(&nfs.server, "Must supply NFS server address")?;
            if req.use_proxy {
                return Err(Status::invalid_argument(
                    "Proxy not supported for NFS credentials",
                ));
            }
            Ok(())
        }
    }
}

impl Store {
    pub fn create_credential(&mut self, req: SdkCredentialCreateRequest) -> Result<String, Status> {
        validate(&req)?;
        // Names may repeat, as upstream allows: the id is what identifies a credential.
        let id = uuid::Uuid::new_v4().to_string();
        self.credentials.insert(id.clone(), stored(id.clone(), req));
        Ok(id)
    }

    pub fn update_credential(
        &mut self,
        id: &str,
        req: Option<SdkCredentialCreateRequest>,
    ) -> Result<(), Status> {
        if id.is_empty() {
            return Err(errors::required("credential_id"));
        }
        let mut req = req.ok_or_else(|| errors::required("update_req"))?;
        let current = self.credential(id)?.clone();
        keep_unchanged_secrets(&mut req, &current);
        if req.name.trim().is_empty() {
            req.name = current.name.clone();
        }
        validate(&req)?;
        self.credentials
            .insert(current.id.clone(), stored(current.id.clone(), req));
        Ok(())
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

    pub fn delete_credential(&mut self, state: &ClusterState, id: &str) -> Result<(), Status> {
        if id.is_empty() {
            return Err(Status::invalid_argument("Must provide credentials uuid"));
        }
        let credential = self.credential(id)?.clone();
        if !state.driver().guards_delete() {
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
        if id.is_empty() {
            return Err(errors::required("credential_id"));
        }
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

/// PERMISSION_DENIED in upstream's words unless the caller may use the credential this way
/// (a credential that is not there is the call's own NOT_FOUND).
fn allowed(
    store: &Store,
    id: &str,
    caller: Option<&crate::access::Caller>,
    need: AccessType,
) -> Result<(), Status> {
    match store.credential(id) {
        Ok(c) if !ownership::owner_permits(c.ownership.as_ref(), caller, need) => {
            Err(Status::permission_denied(format!("Access denied to {id}")))
        }
        _ => Ok(()),
    }
}

pub struct CredentialsService {
    state: Arc<ClusterState>,
}

impl CredentialsService {
    pub fn new(state: Arc<ClusterState>) -> Self {
        CredentialsService { state }
    }
}

#[tonic::async_trait]
impl OpenStorageCredentials for CredentialsService {
    async fn create(
        &self,
        request: Request<SdkCredentialCreateRequest>,
    ) -> Result<Response<SdkCredentialCreateResponse>, Status> {
        let caller = caller_of(&request);
        let mut req = request.into_inner();
        // Upstream records the token's subject as the credential's owner.
        req.ownership = ownership::for_new(caller.as_ref(), req.ownership.take());
        let credential_id = self
            .state
            .with_store(|store, _| store.create_credential(req))?;
        Ok(Response::new(SdkCredentialCreateResponse { credential_id }))
    }

    async fn update(
        &self,
        request: Request<SdkCredentialUpdateRequest>,
    ) -> Result<Response<SdkCredentialUpdateResponse>, Status> {
        let caller = caller_of(&request);
        let req = request.into_inner();
        self.state.with_store(|store, _| {
            allowed(
                store,
                &req.credential_id,
                caller.as_ref(),
                AccessType::Admin,
            )?;
            store.update_credential(&req.credential_id, req.update_req)
        })?;
        Ok(Response::new(SdkCredentialUpdateResponse {}))
    }

    async fn enumerate(
        &self,
        request: Request<SdkCredentialEnumerateRequest>,
    ) -> Result<Response<SdkCredentialEnumerateResponse>, Status> {
        let caller = caller_of(&request);
        let credential_ids = self.state.with_store(|store, _| {
            Ok(store
                .credentials
                .values()
                .filter(|c| {
                    ownership::owner_permits(
                        c.ownership.as_ref(),
                        caller.as_ref(),
                        AccessType::Read,
                    )
                })
                .map(|c| c.id.clone())
                .collect())
        })?;
        Ok(Response::new(SdkCredentialEnumerateResponse {
            credential_ids,
        }))
    }

    async fn inspect(
        &self,
        request: Request<SdkCredentialInspectRequest>,
    ) -> Result<Response<SdkCredentialInspectResponse>, Status> {
        let caller = caller_of(&request);
        let id = request.into_inner().credential_id;
        if id.is_empty() {
            return Err(errors::required("credential_id"));
        }
        let response = self.state.with_store(|store, _| {
            allowed(store, &id, caller.as_ref(), AccessType::Read)?;
            store.credential(&id).map(Credential::inspect)
        })?;
        Ok(Response::new(response))
    }

    async fn delete(
        &self,
        request: Request<SdkCredentialDeleteRequest>,
    ) -> Result<Response<SdkCredentialDeleteResponse>, Status> {
        let caller = caller_of(&request);
        let id = request.into_inner().credential_id;
        self.state.with_store(|store, _| {
            allowed(store, &id, caller.as_ref(), AccessType::Admin)?;
            store.delete_credential(&self.state, &id)
        })?;
        Ok(Response::new(SdkCredentialDeleteResponse {}))
    }

    async fn validate(
        &self,
        request: Request<SdkCredentialValidateRequest>,
    ) -> Result<Response<SdkCredentialValidateResponse>, Status> {
        let caller = caller_of(&request);
        let id = request.into_inner().credential_id;
        if id.is_empty() {
            return Err(errors::required("credential_id"));
        }
        // The mock has no object store to reach: a stored credential is well-formed by
        // construction, so validation succeeds once it is found.
        self.state.with_store(|store, _| {
            allowed(store, &id, caller.as_ref(), AccessType::Read)?;
            store.credential(&id).map(|_| ())
        })?;
        Ok(Response::new(SdkCredentialValidateResponse {}))
    }

    async fn delete_references(
        &self,
        request: Request<SdkCredentialDeleteReferencesRequest>,
    ) -> Result<Response<SdkCredentialDeleteReferencesResponse>, Status> {
        let caller = caller_of(&request);
        let id = request.into_inner().credential_id;
        self.state.with_store(|store, _| {
            allowed(store, &id, caller.as_ref(), AccessType::Admin)?;
            store.delete_credential_references(&id)
        })?;
        Ok(Response::new(SdkCredentialDeleteReferencesResponse {}))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aws(f: impl FnOnce(&mut SdkAwsCredentialRequest)) -> SdkCredentialCreateRequest {
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
    fn fields_are_checked_in_upstreams_order_and_words() {
        assert!(validate(&aws(|_| {})).is_ok());
        let message =
            |req: SdkCredentialCreateRequest| validate(&req).unwrap_err().message().to_string();
        assert_eq!(
            message(aws(|a| a.secret_key.clear())),
            "Must supply Secret Key"
        );
        // Region before endpoint, as upstream checks them.
        assert_eq!(
            message(aws(|a| {
                a.region.clear();
                a.endpoint.clear()
            })),
            "Must supply Region Key"
        );
        let mut unnamed = aws(|_| {});
        unnamed.name.clear();
        assert_eq!(message(unnamed), "Must supply a name");
        // Upstream checks presence only: the object store judges endpoints and keys.
        assert!(validate(&aws(|a| a.endpoint = "http://min io:9000".into())).is_ok());
        let google = SdkCredentialCreateRequest {
            name: "gcp".into(),
            credential_type: Some(Given::GoogleCredential(SdkGoogleCredentialRequest {
                project_id: String::new(),
                json_key: String::new(),
            })),
            ..Default::default()
        };
        assert_eq!(message(google), "Must supply JSON Key");
        let untyped = SdkCredentialCreateRequest {
            name: "x".into(),
            ..Default::default()
        };
        assert_eq!(message(untyped), "Unknown credential type");
    }

    #[test]
    fn debug_output_has_no_secrets() {
        let c = stored("id".into(), aws(|a| a.secret_key = "TOPSECRET".into()));
        assert!(!format!("{c:?}").contains("TOPSECRET"));
        assert!(!format!("{:?}", c.inspect()).contains("TOPSECRET"));
    }
}
