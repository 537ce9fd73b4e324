//! OpenStorageSchedulePolicy: named schedules (daily, weekly, monthly, periodic) with a
//! retention count, used by volume snapshot schedules and as templates for backup schedules.

use std::sync::Arc;

use tonic::{Request, Response, Status};

use crate::mock::errors;
use crate::mock::store::schedules::validate_intervals;
use crate::mock::store::Store;
use crate::mock::ClusterState;
use crate::proto::open_storage_schedule_policy_server::OpenStorageSchedulePolicy;
use crate::proto::*;

/// Upstream's checks first, in its order and words (Create's "Must a supply Schedule" is
/// upstream's own typo), then ours for each interval's fields.
fn validate_policy(
    policy: Option<SdkSchedulePolicy>,
    creating: bool,
) -> Result<SdkSchedulePolicy, Status> {
    let policy =
        policy.ok_or_else(|| Status::invalid_argument("SchedulePolicy object cannot be nil"))?;
    if policy.name.is_empty() {
        return Err(Status::invalid_argument("Must supply Schedule name"));
    }
    if policy.schedules.is_empty() {
        return Err(Status::invalid_argument(if creating {
            "Must a supply Schedule"
        } else {
            "Must supply Schedule"
        }));
    }
    if policy.schedules.iter().any(|s| s.retain < 1) {
        return Err(Status::invalid_argument("Must retain more than 0"));
    }
    validate_intervals("schedule_policy.schedules", &policy.schedules)?;
    Ok(policy)
}

impl Store {
    pub fn create_policy(&mut self, policy: Option<SdkSchedulePolicy>) -> Result<(), Status> {
        let policy = validate_policy(policy, true)?;
        if self.policies.contains_key(&policy.name) {
            return Err(errors::already_exists(format!(
                "a schedule policy named {} already exists",
                policy.name
            )));
        }
        self.policies.insert(policy.name.clone(), policy);
        Ok(())
    }

    pub fn update_policy(&mut self, policy: Option<SdkSchedulePolicy>) -> Result<(), Status> {
        let policy = validate_policy(policy, false)?;
        let slot = self
            .policies
            .get_mut(&policy.name)
            .ok_or_else(|| errors::not_found("schedule policy", &policy.name))?;
        *slot = policy;
        Ok(())
    }

    pub fn policy(&self, name: &str) -> Result<&SdkSchedulePolicy, Status> {
        if name.is_empty() {
            return Err(errors::required("name"));
        }
        self.policies
            .get(name)
            .ok_or_else(|| errors::not_found("schedule policy", name))
    }

    pub fn delete_policy(&mut self, name: &str) -> Result<(), Status> {
        self.policy(name)?;
        let users: Vec<&str> = self
            .volumes
            .values()
            .filter(|v| {
                v.spec.as_ref().is_some_and(|s| {
                    s.snapshot_schedule
                        .strip_prefix("policy=")
                        .is_some_and(|list| list.split(',').any(|p| p == name))
                })
            })
            .map(crate::mock::store::volume_name)
            .collect();
        if !users.is_empty() {
            return Err(errors::precondition(format!(
                "schedule policy {name} is used by the snapshot schedule of {}; change those first",
                users.join(", ")
            )));
        }
        self.policies.remove(name);
        Ok(())
    }
}

pub struct SchedulePolicyService {
    state: Arc<ClusterState>,
}

impl SchedulePolicyService {
    pub fn new(state: Arc<ClusterState>) -> Self {
        SchedulePolicyService { state }
    }
}

#[tonic::async_trait]
impl OpenStorageSchedulePolicy for SchedulePolicyService {
    async fn create(
        &self,
        request: Request<SdkSchedulePolicyCreateRequest>,
    ) -> Result<Response<SdkSchedulePolicyCreateResponse>, Status> {
        let policy = request.into_inner().schedule_policy;
        self.state
            .with_store(|store, _| store.create_policy(policy))?;
        Ok(Response::new(SdkSchedulePolicyCreateResponse {}))
    }

    async fn update(
        &self,
        request: Request<SdkSchedulePolicyUpdateRequest>,
    ) -> Result<Response<SdkSchedulePolicyUpdateResponse>, Status> {
        let policy = request.into_inner().schedule_policy;
        self.state
            .with_store(|store, _| store.update_policy(policy))?;
        Ok(Response::new(SdkSchedulePolicyUpdateResponse {}))
    }

    async fn enumerate(
        &self,
        _: Request<SdkSchedulePolicyEnumerateRequest>,
    ) -> Result<Response<SdkSchedulePolicyEnumerateResponse>, Status> {
        let policies = self
            .state
            .with_store(|store, _| Ok(store.policies.values().cloned().collect()))?;
        Ok(Response::new(SdkSchedulePolicyEnumerateResponse {
            policies,
        }))
    }

    async fn inspect(
        &self,
        request: Request<SdkSchedulePolicyInspectRequest>,
    ) -> Result<Response<SdkSchedulePolicyInspectResponse>, Status> {
        let name = request.into_inner().name;
        let policy = self
            .state
            .with_store(|store, _| store.policy(&name).cloned())?;
        Ok(Response::new(SdkSchedulePolicyInspectResponse {
            policy: Some(policy),
        }))
    }

    async fn delete(
        &self,
        request: Request<SdkSchedulePolicyDeleteRequest>,
    ) -> Result<Response<SdkSchedulePolicyDeleteResponse>, Status> {
        let name = request.into_inner().name;
        self.state
            .with_store(|store, _| store.delete_policy(&name))?;
        Ok(Response::new(SdkSchedulePolicyDeleteResponse {}))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::sdk_schedule_policy_interval::PeriodType;

    fn daily(hour: i32, minute: i32) -> SdkSchedulePolicyInterval {
        SdkSchedulePolicyInterval {
            retain: 7,
            period_type: Some(PeriodType::Daily(SdkSchedulePolicyIntervalDaily {
                hour,
                minute,
            })),
        }
    }

    #[test]
    fn intervals_are_range_checked_with_the_field_named() {
        assert!(validate_intervals("s", &[daily(23, 59)]).is_ok());
        let err = validate_intervals("s", &[daily(1, 0), daily(24, 0)]).unwrap_err();
        assert!(
            err.message().starts_with("s[1].daily.hour"),
            "{}",
            err.message()
        );
        assert!(validate_intervals("s", &[]).is_err());
        let none = SdkSchedulePolicyInterval {
            retain: 1,
            period_type: None,
        };
        assert!(validate_intervals("s", &[none]).is_err());
    }
}
