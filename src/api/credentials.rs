//! Cloud credential calls (OpenStorageCredentials). Secrets go out in Create and nowhere else.

use crate::error::AppError;
use crate::logic::as_code::Call;
use crate::logic::credential_form::{CredentialInput, Provider};
use crate::proto::methods::open_storage_credentials;
use crate::proto::sdk_credential_create_request::CredentialType;
use crate::proto::*;

use super::Sdk;
use console_model::order;

/// The ids of every credential (one call): what a backup listing goes through.
pub async fn ids(sdk: &Sdk) -> Result<Vec<String>, AppError> {
    Ok(sdk
        .call(
            open_storage_credentials::ENUMERATE,
            SdkCredentialEnumerateRequest {},
        )
        .await?
        .credential_ids)
}

/// Every credential, inspected (never with a secret), sorted by name.
pub async fn list(sdk: &Sdk) -> Result<Vec<SdkCredentialInspectResponse>, AppError> {
    let ids = sdk
        .call(
            open_storage_credentials::ENUMERATE,
            SdkCredentialEnumerateRequest {},
        )
        .await?
        .credential_ids;
    let mut all = Vec::with_capacity(ids.len());
    for id in ids {
        match sdk
            .call(
                open_storage_credentials::INSPECT,
                SdkCredentialInspectRequest { credential_id: id },
            )
            .await
        {
            Ok(found) => all.push(found),
            // Deleted between the two calls.
            Err(status) if status.code() == tonic::Code::NotFound => {}
            Err(status) => return Err(status.into()),
        }
    }
    order::sort_by(&mut all, |a, b| a.name.cmp(&b.name));
    Ok(all)
}

/// S3 choices that are not text fields.
#[derive(Debug, Clone, Default, PartialEq, reactive_stores::Store)]
pub struct S3Options {
    pub disable_ssl: bool,
    pub path_style: bool,
    pub server_side_encryption: String,
    pub storage_class: String,
}

/// Builds the Create request from the form. Takes the input by value: the secrets in it end
/// here, in the request.
pub fn create_request(
    provider: Provider,
    input: CredentialInput,
    s3: S3Options,
) -> SdkCredentialCreateRequest {
    let credential_type = match provider {
        Provider::S3 => CredentialType::AwsCredential(SdkAwsCredentialRequest {
            access_key: input.access_key.trim().to_string(),
            secret_key: input.secret_key,
            endpoint: input.endpoint.trim().to_string(),
            region: input.region.trim().to_string(),
            disable_ssl: s3.disable_ssl,
            disable_path_style: !s3.path_style,
            server_side_encryption: s3.server_side_encryption,
        }),
        Provider::Azure => CredentialType::AzureCredential(SdkAzureCredentialRequest {
            account_name: input.account_name.trim().to_string(),
            account_key: input.account_key,
        }),
        Provider::Google => CredentialType::GoogleCredential(SdkGoogleCredentialRequest {
            project_id: input.project_id.trim().to_string(),
            json_key: input.json_key,
        }),
        Provider::Nfs => CredentialType::NfsCredential(SdkNfsCredentialRequest {
            server: input.nfs_server.trim().to_string(),
            sub_path: input.nfs_sub_path.trim().to_string(),
            mount_opts: input.nfs_mount_options.trim().to_string(),
            timeout_seconds: 0,
        }),
    };
    SdkCredentialCreateRequest {
        name: input.name.trim().to_string(),
        bucket: input.bucket.trim().to_string(),
        encryption_key: input.encryption_key,
        s3_storage_class: if provider == Provider::S3 {
            s3.storage_class
        } else {
            String::new()
        },
        credential_type: Some(credential_type),
        ..Default::default()
    }
}

pub async fn create(sdk: &Sdk, request: SdkCredentialCreateRequest) -> Result<String, AppError> {
    Ok(sdk
        .call(open_storage_credentials::CREATE, request)
        .await?
        .credential_id)
}

pub async fn validate(sdk: &Sdk, id: &str) -> Result<(), AppError> {
    sdk.call(
        open_storage_credentials::VALIDATE,
        SdkCredentialValidateRequest {
            credential_id: id.to_string(),
        },
    )
    .await?;
    Ok(())
}

/// Deleting a credential, as sent (`Sdk::run`) and as shown as code.
pub fn delete_call(id: &str) -> Call {
    let request = SdkCredentialDeleteRequest {
        credential_id: id.to_string(),
    };
    Call::new(open_storage_credentials::DELETE, &request)
}
