//! OpenStorageCredentials: cloud credentials for backups. Secrets are accepted and kept, never
//! returned: Inspect answers with the response types, which have no secret fields.

use std::sync::Arc;

use tonic::{Request, Response, Status};

use super::ownership::{self, caller_of};
use crate::mock::errors;
use crate::mock::store::credentials::Credential;
use crate::mock::store::Store;
use crate::mock::ClusterState;
use crate::proto::open_storage_credentials_server::OpenStorageCredentials;
use crate::proto::ownership::AccessType;
use crate::proto::sdk_credential_create_request::CredentialType as Given;
use crate::proto::*;

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
        validate(&req)?;
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
        // Upstream's checks and words: an id, then a credential type to update.
        if req.credential_id.is_empty() {
            return Err(Status::invalid_argument("Must supply credentialId"));
        }
        let update_req = req
            .update_req
            .ok_or_else(|| Status::invalid_argument("Unknown credential type"))?;
        self.state.with_store(|store, _| {
            allowed(
                store,
                &req.credential_id,
                caller.as_ref(),
                AccessType::Admin,
            )?;
            let (id, update) = store.credential_update(&req.credential_id, update_req)?;
            validate(&update)?;
            store.replace_credential(id, update);
            Ok(())
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
        if id.is_empty() {
            return Err(Status::invalid_argument("Must provide credentials uuid"));
        }
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
        if id.is_empty() {
            return Err(errors::required("credential_id"));
        }
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
    use crate::mock::store::credentials::tests::aws;

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
}
