//! The cluster's roles (OpenStorageRole): names from Enumerate, each role's rules from
//! Inspect. A cluster without the service is not an error: the listing says it is not offered.

use crate::error::AppError;
use crate::logic::as_code::Call;
use crate::proto::methods::open_storage_role;
use crate::proto::*;

use super::capabilities::{lacks, refused, SdkService};
use super::Sdk;

#[derive(Debug, Clone, PartialEq)]
pub enum Roles {
    /// Sorted by name.
    Offered(Vec<SdkRole>),
    NotOffered,
}

pub async fn list(sdk: &Sdk) -> Result<Roles, AppError> {
    if lacks(sdk, SdkService::Role).await {
        return Ok(Roles::NotOffered);
    }
    let names = match sdk
        .call(open_storage_role::ENUMERATE, SdkRoleEnumerateRequest {})
        .await
    {
        Ok(answer) => answer.names,
        Err(status) if refused(sdk, SdkService::Role, &status) => return Ok(Roles::NotOffered),
        Err(status) => return Err(status.into()),
    };
    // One Inspect each, in turn: a cluster has a handful of roles.
    let mut roles = Vec::with_capacity(names.len());
    for name in names {
        let answer = sdk
            .call(open_storage_role::INSPECT, SdkRoleInspectRequest { name })
            .await?;
        roles.push(answer.role.unwrap_or_default());
    }
    roles.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Roles::Offered(roles))
}

/// The call that creates the role, or replaces its rules when `editing`, as sent and as shown
/// as code.
pub fn save_call(role: SdkRole, editing: bool) -> Call {
    let role = Some(role);
    if editing {
        Call::new(open_storage_role::UPDATE, &SdkRoleUpdateRequest { role })
    } else {
        Call::new(open_storage_role::CREATE, &SdkRoleCreateRequest { role })
    }
}

pub fn delete_call(name: String) -> Call {
    Call::new(open_storage_role::DELETE, &SdkRoleDeleteRequest { name })
}
