//! OpenStorageRole: the cluster's roles, listed and changed with upstream's checks and words;
//! the rules themselves, and how calls are checked against them, are `access::roles`.

use std::sync::Arc;

use tonic::{Request, Response, Status};

use crate::access::roles::{immutable, system_roles, Roles};
use crate::proto::open_storage_role_server::OpenStorageRole;
use crate::proto::*;

fn validate(role: &SdkRole) -> Result<(), Status> {
    let invalid = |m: &str| Err(Status::invalid_argument(m.to_string()));
    if role.name.is_empty() {
        return invalid("Must supply a name for role");
    }
    if role.rules.is_empty() {
        return invalid("Must supply rules for role");
    }
    if role.name.contains(['/', ' ']) {
        return invalid("Name cannot contain any of the following invalid characters: / ");
    }
    for rule in &role.rules {
        if rule.services.is_empty() {
            return invalid("Must supply a service in rules for the role");
        }
        if rule.apis.is_empty() {
            return invalid("Must supply apis in rules for the role");
        }
    }
    Ok(())
}

pub struct RoleService {
    roles: Arc<Roles>,
}

impl RoleService {
    pub fn new(roles: Arc<Roles>) -> Self {
        RoleService { roles }
    }
}

#[tonic::async_trait]
impl OpenStorageRole for RoleService {
    async fn create(
        &self,
        request: Request<SdkRoleCreateRequest>,
    ) -> Result<Response<SdkRoleCreateResponse>, Status> {
        let role = request
            .into_inner()
            .role
            .ok_or_else(|| Status::invalid_argument("Must supply a role"))?;
        if role.name.is_empty() {
            return Err(Status::invalid_argument("Must supply a name for the role"));
        }
        validate(&role)?;
        let mut roles = self.roles.lock();
        if system_roles().iter().any(|r| r.name == role.name) {
            return Err(Status::invalid_argument(format!(
                "Name {} already used by system role",
                role.name
            )));
        }
        match roles.get(&role.name) {
            // Idempotent: the same role again is fine, another one under its name is not.
            Some(existing) if *existing == role => {}
            Some(_) => {
                return Err(Status::already_exists(
                    "Existing role differs from requested role",
                ))
            }
            None => {
                roles.insert(role.name.clone(), role.clone());
            }
        }
        Ok(Response::new(SdkRoleCreateResponse { role: Some(role) }))
    }

    async fn enumerate(
        &self,
        _: Request<SdkRoleEnumerateRequest>,
    ) -> Result<Response<SdkRoleEnumerateResponse>, Status> {
        let names = self.roles.lock().keys().cloned().collect();
        Ok(Response::new(SdkRoleEnumerateResponse { names }))
    }

    async fn inspect(
        &self,
        request: Request<SdkRoleInspectRequest>,
    ) -> Result<Response<SdkRoleInspectResponse>, Status> {
        let name = request.into_inner().name;
        if name.is_empty() {
            return Err(Status::invalid_argument("Must supply a name for role"));
        }
        let role = self
            .roles
            .lock()
            .get(&name)
            .cloned()
            .ok_or_else(|| Status::not_found(format!("Role {name} not found")))?;
        Ok(Response::new(SdkRoleInspectResponse { role: Some(role) }))
    }

    async fn delete(
        &self,
        request: Request<SdkRoleDeleteRequest>,
    ) -> Result<Response<SdkRoleDeleteResponse>, Status> {
        let name = request.into_inner().name;
        if name.is_empty() {
            return Err(Status::invalid_argument("Must supply a name for role"));
        }
        if system_roles().iter().any(|r| r.name == name) {
            return Err(Status::invalid_argument(format!(
                "Cannot delete system role {name}"
            )));
        }
        // Deleting what is not there succeeds, as upstream.
        self.roles.lock().remove(&name);
        Ok(Response::new(SdkRoleDeleteResponse {}))
    }

    async fn update(
        &self,
        request: Request<SdkRoleUpdateRequest>,
    ) -> Result<Response<SdkRoleUpdateResponse>, Status> {
        let role = request
            .into_inner()
            .role
            .ok_or_else(|| Status::invalid_argument("Must supply a role"))?;
        validate(&role)?;
        if immutable(&role.name) {
            return Err(Status::invalid_argument(format!(
                "System role {} cannot be updated",
                role.name
            )));
        }
        let mut roles = self.roles.lock();
        let slot = roles
            .get_mut(&role.name)
            .ok_or_else(|| Status::not_found(format!("Role {} not found", role.name)))?;
        *slot = role.clone();
        Ok(Response::new(SdkRoleUpdateResponse { role: Some(role) }))
    }
}
