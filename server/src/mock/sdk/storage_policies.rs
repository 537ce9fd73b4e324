//! OpenStoragePolicy: named storage policies and the default one, as upstream's
//! `pkg/storagepolicy` keeps them (its checks, order, codes and words), and how a policy shapes
//! a volume's spec in Create and Update (`api/server/sdk/volume_ops.go`'s `GetDefaultVolSpecs`).

use std::fmt::Write as _;
use std::sync::Arc;

use tonic::{Request, Response, Status};

use super::ownership::{self, caller_of};
use crate::access::Caller;
use crate::mock::store::Store;
use crate::mock::ClusterState;
use crate::proto::open_storage_policy_server::OpenStoragePolicy;
use crate::proto::ownership::AccessType;
use crate::proto::volume_spec_policy::{self as vsp, PolicyOp};
use crate::proto::*;

fn name_required(name: &str) -> Result<(), Status> {
    if name.is_empty() {
        return Err(Status::invalid_argument(
            "Must supply a Storage Policy Name",
        ));
    }
    Ok(())
}

/// Upstream's Create and Update checks, in their order.
fn validate(policy: &Option<SdkStoragePolicy>) -> Result<&SdkStoragePolicy, Status> {
    let name = policy.as_ref().map_or("", |p| p.name.as_str());
    name_required(name)?;
    let policy = policy.as_ref().expect("a named policy is present");
    if policy.policy.is_none() {
        return Err(Status::invalid_argument("Must supply Volume Specs"));
    }
    Ok(policy)
}

/// A policy by name, if `caller` may read it (upstream's Inspect).
pub fn inspect<'a>(
    store: &'a Store,
    name: &str,
    caller: Option<&Caller>,
) -> Result<&'a SdkStoragePolicy, Status> {
    name_required(name)?;
    let policy = store
        .storage_policies
        .get(name)
        .ok_or_else(|| Status::not_found(format!("Policy {name} not found")))?;
    if !permits(policy, caller, AccessType::Read) {
        return Err(Status::permission_denied(format!(
            "Access denied to storage policy {name}"
        )));
    }
    Ok(policy)
}

fn permits(policy: &SdkStoragePolicy, caller: Option<&Caller>, need: AccessType) -> bool {
    ownership::owner_permits(policy.ownership.as_ref(), caller, need)
}

/// The default policy, read as upstream's DefaultInspect does (without the caller's rights).
fn default_policy(store: &Store) -> Result<Option<&SdkStoragePolicy>, Status> {
    if store.default_storage_policy.is_empty() {
        return Ok(None);
    }
    inspect(store, &store.default_storage_policy, None).map(Some)
}

/// `spec` shaped by the policy it names, or else the default policy: upstream's
/// `GetDefaultVolSpecs`. A forced policy refuses a spec that differs; otherwise the spec takes
/// the policy's values. Updates of volumes under a policy that allows updates pass unchecked.
pub fn apply(
    store: &Store,
    mut spec: VolumeSpec,
    caller: Option<&Caller>,
    updating: bool,
) -> Result<VolumeSpec, Status> {
    let policy = if spec.storage_policy.is_empty() {
        match default_policy(store)
            .map_err(|e| Status::internal(format!("Unable to get default policy details {e}")))?
        {
            Some(policy) => policy,
            None => return Ok(spec),
        }
    } else {
        inspect(store, &spec.storage_policy, caller)?
    };
    spec.storage_policy = policy.name.clone();
    if updating && policy.allow_update {
        if !permits(policy, caller, AccessType::Write) {
            return Err(Status::permission_denied(format!(
                "Cannot use storage policy {}",
                policy.name
            )));
        }
        return Ok(spec);
    }
    merge(
        spec,
        policy.policy.as_ref().expect("stored policies have specs"),
        policy.force,
    )
}

/// Upstream's `validateMinMaxParams`: whether `value` meets the policy's `bound`.
fn within(bound: u64, value: u64, op: i32) -> bool {
    match PolicyOp::try_from(op).unwrap_or(PolicyOp::Equal) {
        PolicyOp::Maximum => value <= bound,
        PolicyOp::Minimum => value >= bound,
        PolicyOp::Equal => value == bound,
    }
}

/// Upstream's `mergeVolumeSpecsPolicy`, for the fields this proto carries: each value the
/// policy sets is checked (`enforce`) or given to the spec; bounds only when not met.
fn merge(
    mut spec: VolumeSpec,
    rules: &VolumeSpecPolicy,
    enforce: bool,
) -> Result<VolumeSpec, Status> {
    let violation = || {
        Status::unknown(format!(
            "Storage Policy Violation, valid specs are : {}",
            describe(rules)
        ))
    };
    macro_rules! exact {
        ($opt:ident, $variant:path, $field:ident) => {
            if let Some($variant(v)) = &rules.$opt {
                if enforce && spec.$field != *v {
                    return Err(violation());
                }
                spec.$field = v.clone();
            }
        };
    }
    macro_rules! bound {
        ($opt:ident, $variant:path, $field:ident, $op:ident) => {
            if let Some($variant(v)) = rules.$opt {
                if !within(v as u64, spec.$field as u64, rules.$op) {
                    if enforce {
                        return Err(violation());
                    }
                    spec.$field = v;
                }
            }
        };
    }
    exact!(shared_opt, vsp::SharedOpt::Shared, shared);
    exact!(sharedv4_opt, vsp::Sharedv4Opt::Sharedv4, sharedv4);
    exact!(sticky_opt, vsp::StickyOpt::Sticky, sticky);
    exact!(journal_opt, vsp::JournalOpt::Journal, journal);
    exact!(encrypted_opt, vsp::EncryptedOpt::Encrypted, encrypted);
    exact!(cos_opt, vsp::CosOpt::Cos, cos);
    exact!(passphrase_opt, vsp::PassphraseOpt::Passphrase, passphrase);
    exact!(io_profile_opt, vsp::IoProfileOpt::IoProfile, io_profile);
    if let Some(vsp::GroupOpt::Group(group)) = &rules.group_opt {
        if enforce && spec.group.as_ref() != Some(group) {
            return Err(violation());
        }
        spec.group = Some(group.clone());
    }
    if let Some(set) = &rules.replica_set {
        if enforce && spec.replica_set.as_ref() != Some(set) {
            return Err(violation());
        }
        spec.replica_set = Some(set.clone());
    }
    exact!(queue_depth_opt, vsp::QueueDepthOpt::QueueDepth, queue_depth);
    exact!(
        snapshot_schedule_opt,
        vsp::SnapshotScheduleOpt::SnapshotSchedule,
        snapshot_schedule
    );
    exact!(
        aggregation_level_opt,
        vsp::AggregationLevelOpt::AggregationLevel,
        aggregation_level
    );
    bound!(size_opt, vsp::SizeOpt::Size, size, size_operator);
    bound!(
        ha_level_opt,
        vsp::HaLevelOpt::HaLevel,
        ha_level,
        ha_level_operator
    );
    bound!(scale_opt, vsp::ScaleOpt::Scale, scale, scale_operator);
    bound!(
        snapshot_interval_opt,
        vsp::SnapshotIntervalOpt::SnapshotInterval,
        snapshot_interval,
        snapshot_interval_operator
    );
    exact!(nodiscard_opt, vsp::NodiscardOpt::Nodiscard, nodiscard);
    if let Some(strategy) = &rules.io_strategy {
        if enforce && spec.io_strategy.as_ref() != Some(strategy) {
            return Err(violation());
        }
        spec.io_strategy = Some(*strategy);
    }
    exact!(proxy_write_opt, vsp::ProxyWriteOpt::ProxyWrite, proxy_write);
    exact!(fastpath_opt, vsp::FastpathOpt::Fastpath, fp_preference);
    exact!(auto_fstrim_opt, vsp::AutoFstrimOpt::AutoFstrim, auto_fstrim);
    Ok(spec)
}

/// The policy's rules as upstream's Go build writes them (prototext, two spaces apart), for the
/// violation message.
fn describe(rules: &VolumeSpecPolicy) -> String {
    let mut text = String::new();
    let mut put = |name: &str, value: &dyn std::fmt::Display| {
        let _ = write!(
            text,
            "{}{name}:{value}",
            if text.is_empty() { "" } else { "  " }
        );
    };
    let op = |op: i32| {
        PolicyOp::try_from(op)
            .unwrap_or(PolicyOp::Equal)
            .as_str_name()
    };
    if let Some(vsp::SizeOpt::Size(v)) = rules.size_opt {
        put("size", &v);
    }
    if let Some(vsp::HaLevelOpt::HaLevel(v)) = rules.ha_level_opt {
        put("ha_level", &v);
    }
    if let Some(vsp::IoProfileOpt::IoProfile(v)) = rules.io_profile_opt {
        put(
            "io_profile",
            &IoProfile::try_from(v).map_or(v.to_string(), |p| p.as_str_name().into()),
        );
    }
    if let Some(vsp::SnapshotIntervalOpt::SnapshotInterval(v)) = rules.snapshot_interval_opt {
        put("snapshot_interval", &v);
    }
    if let Some(vsp::SharedOpt::Shared(v)) = rules.shared_opt {
        put("shared", &v);
    }
    if let Some(vsp::StickyOpt::Sticky(v)) = rules.sticky_opt {
        put("sticky", &v);
    }
    if let Some(vsp::JournalOpt::Journal(v)) = rules.journal_opt {
        put("journal", &v);
    }
    if let Some(vsp::EncryptedOpt::Encrypted(v)) = rules.encrypted_opt {
        put("encrypted", &v);
    }
    if rules.size_operator != 0 {
        put("size_operator", &op(rules.size_operator));
    }
    if rules.ha_level_operator != 0 {
        put("ha_level_operator", &op(rules.ha_level_operator));
    }
    if rules.snapshot_interval_operator != 0 {
        put(
            "snapshot_interval_operator",
            &op(rules.snapshot_interval_operator),
        );
    }
    text
}

pub struct StoragePolicyService {
    state: Arc<ClusterState>,
}

impl StoragePolicyService {
    pub fn new(state: Arc<ClusterState>) -> Self {
        StoragePolicyService { state }
    }
}

#[tonic::async_trait]
impl OpenStoragePolicy for StoragePolicyService {
    async fn create(
        &self,
        request: Request<SdkOpenStoragePolicyCreateRequest>,
    ) -> Result<Response<SdkOpenStoragePolicyCreateResponse>, Status> {
        let caller = caller_of(&request);
        let req = request.into_inner();
        let mut policy = validate(&req.storage_policy)?.clone();
        // The creator owns it (upstream's OwnershipSetUsernameFromContext).
        if let Some(Caller::User { subject, .. }) = &caller {
            let ownership = policy.ownership.get_or_insert_with(Default::default);
            ownership.owner = subject.clone();
        }
        self.state.with_store(|store, _| {
            if store.storage_policies.contains_key(&policy.name) {
                return Err(Status::already_exists(format!(
                    "Storage Policy already exist : {}",
                    policy.name
                )));
            }
            store.storage_policies.insert(policy.name.clone(), policy);
            Ok(())
        })?;
        Ok(Response::new(SdkOpenStoragePolicyCreateResponse {}))
    }

    async fn enumerate(
        &self,
        request: Request<SdkOpenStoragePolicyEnumerateRequest>,
    ) -> Result<Response<SdkOpenStoragePolicyEnumerateResponse>, Status> {
        let caller = caller_of(&request);
        let storage_policies = self.state.with_store(|store, _| {
            Ok(store
                .storage_policies
                .values()
                .filter(|p| permits(p, caller.as_ref(), AccessType::Read))
                .cloned()
                .collect())
        })?;
        Ok(Response::new(SdkOpenStoragePolicyEnumerateResponse {
            storage_policies,
        }))
    }

    async fn inspect(
        &self,
        request: Request<SdkOpenStoragePolicyInspectRequest>,
    ) -> Result<Response<SdkOpenStoragePolicyInspectResponse>, Status> {
        let caller = caller_of(&request);
        let name = request.into_inner().name;
        let policy = self
            .state
            .with_store(|store, _| inspect(store, &name, caller.as_ref()).cloned())?;
        Ok(Response::new(SdkOpenStoragePolicyInspectResponse {
            storage_policy: Some(policy),
        }))
    }

    async fn update(
        &self,
        request: Request<SdkOpenStoragePolicyUpdateRequest>,
    ) -> Result<Response<SdkOpenStoragePolicyUpdateResponse>, Status> {
        let caller = caller_of(&request);
        let req = request.into_inner();
        let mut policy = validate(&req.storage_policy)?.clone();
        let caller = caller.as_ref();
        self.state.with_store(|store, _| {
            let old = inspect(store, &policy.name, caller)?;
            if !permits(old, caller, AccessType::Write) {
                return Err(Status::permission_denied("Cannot update storage policy"));
            }
            // Ownership changes only as upstream's Ownership.Update permits; without one the
            // policy is stored as sent, as upstream does.
            if let Some(requested) = policy.ownership.take() {
                let current = old.ownership.clone().unwrap_or_default();
                policy.ownership = Some(ownership::update(current, requested, caller)?);
            }
            store.storage_policies.insert(policy.name.clone(), policy);
            Ok(())
        })?;
        Ok(Response::new(SdkOpenStoragePolicyUpdateResponse {}))
    }

    async fn delete(
        &self,
        request: Request<SdkOpenStoragePolicyDeleteRequest>,
    ) -> Result<Response<SdkOpenStoragePolicyDeleteResponse>, Status> {
        let caller = caller_of(&request);
        let name = request.into_inner().name;
        name_required(&name)?;
        self.state.with_store(|store, _| {
            // Upstream answers success when the policy cannot be inspected.
            let Ok(policy) = inspect(store, &name, caller.as_ref()) else {
                return Ok(());
            };
            if !permits(policy, caller.as_ref(), AccessType::Admin) {
                return Err(Status::permission_denied(format!(
                    "Cannot delete storage policy {name}"
                )));
            }
            if store.default_storage_policy == name {
                store.default_storage_policy.clear();
            }
            store.storage_policies.remove(&name);
            Ok(())
        })?;
        Ok(Response::new(SdkOpenStoragePolicyDeleteResponse {}))
    }

    async fn set_default(
        &self,
        request: Request<SdkOpenStoragePolicySetDefaultRequest>,
    ) -> Result<Response<SdkOpenStoragePolicySetDefaultResponse>, Status> {
        let caller = caller_of(&request);
        let name = request.into_inner().name;
        name_required(&name)?;
        self.state.with_store(|store, _| {
            inspect(store, &name, caller.as_ref())?;
            if !ownership::is_admin(caller.as_ref()) {
                return Err(Status::permission_denied(format!(
                    "Only the storage system admin can set storage policy as default {name}"
                )));
            }
            store.default_storage_policy = name.clone();
            Ok(())
        })?;
        Ok(Response::new(SdkOpenStoragePolicySetDefaultResponse {}))
    }

    async fn default_inspect(
        &self,
        _: Request<SdkOpenStoragePolicyDefaultInspectRequest>,
    ) -> Result<Response<SdkOpenStoragePolicyDefaultInspectResponse>, Status> {
        let storage_policy = self
            .state
            .with_store(|store, _| Ok(default_policy(store)?.cloned()))?;
        Ok(Response::new(SdkOpenStoragePolicyDefaultInspectResponse {
            storage_policy,
        }))
    }

    async fn release(
        &self,
        request: Request<SdkOpenStoragePolicyReleaseRequest>,
    ) -> Result<Response<SdkOpenStoragePolicyReleaseResponse>, Status> {
        let caller = caller_of(&request);
        self.state.with_store(|store, _| {
            default_policy(store)?;
            if !ownership::is_admin(caller.as_ref()) {
                return Err(Status::permission_denied(
                    "Only the storage system admin can remove storage policy restriction",
                ));
            }
            store.default_storage_policy.clear();
            Ok(())
        })?;
        Ok(Response::new(SdkOpenStoragePolicyReleaseResponse {}))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> VolumeSpecPolicy {
        VolumeSpecPolicy {
            size_opt: Some(vsp::SizeOpt::Size(10 << 30)),
            size_operator: PolicyOp::Minimum as i32,
            ha_level_opt: Some(vsp::HaLevelOpt::HaLevel(2)),
            encrypted_opt: Some(vsp::EncryptedOpt::Encrypted(false)),
            ..Default::default()
        }
    }

    fn spec(size: u64, ha_level: i64) -> VolumeSpec {
        VolumeSpec {
            size,
            ha_level,
            ..Default::default()
        }
    }

    #[test]
    fn bounds_lift_a_spec_that_misses_them_unless_enforced() {
        let lifted = merge(spec(1 << 30, 1), &rules(), false).unwrap();
        assert_eq!((lifted.size, lifted.ha_level), (10 << 30, 2));
        // A size above the minimum is kept.
        assert_eq!(
            merge(spec(20 << 30, 2), &rules(), false).unwrap().size,
            20 << 30
        );
        let refused = merge(spec(1 << 30, 2), &rules(), true).unwrap_err();
        assert_eq!(refused.code(), tonic::Code::Unknown);
        assert_eq!(
            refused.message(),
            "Storage Policy Violation, valid specs are : size:10737418240  ha_level:2  \
             encrypted:false  size_operator:Minimum"
        );
        assert!(merge(spec(20 << 30, 2), &rules(), true).is_ok());
        // Equal is the default operator: HA 3 is not HA 2.
        assert!(merge(spec(20 << 30, 3), &rules(), true).is_err());
    }

    #[test]
    fn maximum_bounds_refuse_more() {
        let rules = VolumeSpecPolicy {
            size_opt: Some(vsp::SizeOpt::Size(5 << 30)),
            size_operator: PolicyOp::Maximum as i32,
            ..Default::default()
        };
        assert!(merge(spec(6 << 30, 1), &rules, true).is_err());
        assert_eq!(
            merge(spec(6 << 30, 1), &rules, false).unwrap().size,
            5 << 30
        );
        assert_eq!(
            merge(spec(4 << 30, 1), &rules, false).unwrap().size,
            4 << 30
        );
    }
}
