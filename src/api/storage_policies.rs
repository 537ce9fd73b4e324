//! Storage policy calls (OpenStoragePolicy). A cluster without the service (left out of
//! Identity.Capabilities, UNIMPLEMENTED, or upstream's UNKNOWN "Not Supported") is not an
//! error: the listing says it is not offered.

use crate::error::AppError;
use crate::logic::as_code::Call;
use crate::proto::methods::open_storage_policy;
use crate::proto::*;

use super::capabilities::{lacks, refused, SdkService};
use super::Sdk;
use console_model::order;

/// The cluster's policies (sorted by name) and the default's name, or why there are none.
#[derive(Debug, Clone, PartialEq)]
pub enum Policies {
    Offered {
        policies: Vec<SdkStoragePolicy>,
        default: Option<String>,
    },
    /// The cluster does not offer storage policies.
    NotOffered,
}

pub async fn list(sdk: &Sdk) -> Result<Policies, AppError> {
    if lacks(sdk, SdkService::StoragePolicy).await {
        return Ok(Policies::NotOffered);
    }
    let (listed, default) = futures::future::join(
        sdk.call(
            open_storage_policy::ENUMERATE,
            SdkOpenStoragePolicyEnumerateRequest {},
        ),
        sdk.call(
            open_storage_policy::DEFAULT_INSPECT,
            SdkOpenStoragePolicyDefaultInspectRequest {},
        ),
    )
    .await;
    let mut policies = match listed {
        Ok(answer) => answer.storage_policies,
        Err(status) if refused(sdk, SdkService::StoragePolicy, &status) => {
            return Ok(Policies::NotOffered)
        }
        Err(status) => return Err(status.into()),
    };
    order::sort_by(&mut policies, |a, b| a.name.cmp(&b.name));
    Ok(Policies::Offered {
        policies,
        default: default?.storage_policy.map(|p| p.name),
    })
}

/// The call that creates the policy, or replaces it when `editing`, as sent and as shown as
/// code.
pub fn save_call(policy: SdkStoragePolicy, editing: bool) -> Call {
    let storage_policy = Some(policy);
    if editing {
        Call::new(
            open_storage_policy::UPDATE,
            &SdkOpenStoragePolicyUpdateRequest { storage_policy },
        )
    } else {
        Call::new(
            open_storage_policy::CREATE,
            &SdkOpenStoragePolicyCreateRequest { storage_policy },
        )
    }
}

pub fn delete_call(name: String) -> Call {
    Call::new(
        open_storage_policy::DELETE,
        &SdkOpenStoragePolicyDeleteRequest { name },
    )
}

/// Makes `name` the default, or releases the default when `name` is `None`.
pub async fn set_default(sdk: &Sdk, name: Option<String>) -> Result<(), AppError> {
    match name {
        Some(name) => {
            sdk.call(
                open_storage_policy::SET_DEFAULT,
                SdkOpenStoragePolicySetDefaultRequest { name },
            )
            .await?;
        }
        None => {
            sdk.call(
                open_storage_policy::RELEASE,
                SdkOpenStoragePolicyReleaseRequest {},
            )
            .await?;
        }
    }
    Ok(())
}
