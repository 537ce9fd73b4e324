//! OpenStoragePolicy as upstream's SDK layer keeps it: named policies with upstream's checks
//! and words, a default that every Create naming no policy is shaped by, forced policies that
//! refuse volumes, and who may change what with auth on. Natively and over gRPC-Web.

use crate::common::*;
use console_server::proto::volume_spec_policy::{HaLevelOpt, PolicyOp, SizeOpt};
use console_server::proto::*;
use tonic::Code;

fn policy(name: &str, min_size: u64, ha_level: i64, force: bool) -> SdkStoragePolicy {
    SdkStoragePolicy {
        name: name.into(),
        policy: Some(VolumeSpecPolicy {
            size_opt: Some(SizeOpt::Size(min_size)),
            size_operator: PolicyOp::Minimum as i32,
            ha_level_opt: Some(HaLevelOpt::HaLevel(ha_level)),
            ..Default::default()
        }),
        force,
        ..Default::default()
    }
}

fn create(policy: SdkStoragePolicy) -> SdkOpenStoragePolicyCreateRequest {
    SdkOpenStoragePolicyCreateRequest {
        storage_policy: Some(policy),
    }
}

async fn spec_of(sdk: &mut Sdk, id: &str) -> VolumeSpec {
    let request = SdkVolumeInspectRequest {
        volume_id: id.into(),
        ..Default::default()
    };
    let volume = sdk.volumes.inspect(request).await.unwrap().into_inner();
    volume.volume.unwrap().spec.unwrap()
}

#[tokio::test]
async fn policies_are_kept_with_upstreams_checks_and_words() {
    for driver in ["realistic", "fake"] {
        let server = TestServer::start(&["--driver", driver]);
        let mut sdk = server.sdk().await;
        let p = &mut sdk.storage_policies;
        let unnamed = failure(
            p.create(create(policy("", 1, 1, false))).await,
            Code::InvalidArgument,
        );
        assert_eq!(unnamed, "Must supply a Storage Policy Name");
        let mut no_specs = policy("gold", 1, 1, false);
        no_specs.policy = None;
        let message = failure(p.create(create(no_specs)).await, Code::InvalidArgument);
        assert_eq!(message, "Must supply Volume Specs");
        p.create(create(policy("gold", 10 * GIB, 2, false)))
            .await
            .unwrap();
        let again = failure(
            p.create(create(policy("gold", GIB, 1, false))).await,
            Code::AlreadyExists,
        );
        assert_eq!(again, "Storage Policy already exist : gold");
        let missing = SdkOpenStoragePolicyInspectRequest {
            name: "lead".into(),
        };
        assert_eq!(
            failure(p.inspect(missing).await, Code::NotFound),
            "Policy lead not found"
        );

        // Update replaces the policy; Enumerate lists it.
        let update = SdkOpenStoragePolicyUpdateRequest {
            storage_policy: Some(policy("gold", 20 * GIB, 3, true)),
        };
        p.update(update).await.unwrap();
        let listed = p
            .enumerate(SdkOpenStoragePolicyEnumerateRequest {})
            .await
            .unwrap()
            .into_inner()
            .storage_policies;
        assert_eq!(listed, vec![policy("gold", 20 * GIB, 3, true)]);

        // No default until one is set; SetDefault needs an existing policy.
        let default = p
            .default_inspect(SdkOpenStoragePolicyDefaultInspectRequest {})
            .await;
        assert_eq!(default.unwrap().into_inner().storage_policy, None);
        let unknown = SdkOpenStoragePolicySetDefaultRequest {
            name: "lead".into(),
        };
        failure(p.set_default(unknown).await, Code::NotFound);
        let gold = SdkOpenStoragePolicySetDefaultRequest {
            name: "gold".into(),
        };
        p.set_default(gold).await.unwrap();
        let default = p
            .default_inspect(SdkOpenStoragePolicyDefaultInspectRequest {})
            .await;
        assert_eq!(
            default.unwrap().into_inner().storage_policy.unwrap().name,
            "gold"
        );

        // Deleting the default releases it; deleting what is not there succeeds, as upstream.
        let delete = |name: &str| SdkOpenStoragePolicyDeleteRequest { name: name.into() };
        p.delete(delete("gold")).await.unwrap();
        p.delete(delete("gold")).await.unwrap();
        let default = p
            .default_inspect(SdkOpenStoragePolicyDefaultInspectRequest {})
            .await;
        assert_eq!(default.unwrap().into_inner().storage_policy, None);
        let listed = p
            .enumerate(SdkOpenStoragePolicyEnumerateRequest {})
            .await
            .unwrap();
        assert!(listed.into_inner().storage_policies.is_empty());

        // Identity says the service is there.
        let capabilities = sdk
            .identity
            .capabilities(SdkIdentityCapabilitiesRequest {})
            .await
            .unwrap()
            .into_inner()
            .capabilities;
        let storage_policy = sdk_service_capability::open_storage_service::Type::StoragePolicy;
        assert!(capabilities.iter().any(|c| matches!(
            &c.r#type,
            Some(sdk_service_capability::Type::Service(s)) if s.r#type == storage_policy as i32
        )));
    }
}

#[tokio::test]
async fn the_default_policy_shapes_or_refuses_new_volumes() {
    let server = TestServer::start(&[]);
    let mut sdk = server.sdk().await;
    let p = &mut sdk.storage_policies;
    p.create(create(policy("bronze", 10 * GIB, 2, false)))
        .await
        .unwrap();
    p.create(create(policy("gold", 10 * GIB, 2, true)))
        .await
        .unwrap();
    p.set_default(SdkOpenStoragePolicySetDefaultRequest {
        name: "bronze".into(),
    })
    .await
    .unwrap();

    // Not forced: a 1 GiB HA-1 volume is lifted to the policy's bounds and records the policy.
    let small = sdk.create_volume("small", GIB, 1, &[]).await;
    let spec = spec_of(&mut sdk, &small).await;
    assert_eq!(
        (spec.size, spec.ha_level, spec.storage_policy.as_str()),
        (10 * GIB, 2, "bronze")
    );
    // Above the minimum is kept.
    let big = sdk.create_volume("big", 50 * GIB, 2, &[]).await;
    assert_eq!(spec_of(&mut sdk, &big).await.size, 50 * GIB);

    // Forced, by name in the spec: refused with upstream's words (UNKNOWN, a plain error).
    let mut named = volume_request("refused", GIB, 2, &[]);
    named.spec.as_mut().unwrap().storage_policy = "gold".into();
    let refused = failure(sdk.volumes.create(named.clone()).await, Code::Unknown);
    assert!(
        refused.starts_with(
            "Storage Policy Violation, valid specs are : size:10737418240  ha_level:2"
        ),
        "{refused}"
    );
    named.spec.as_mut().unwrap().size = 12 * GIB;
    let fits = sdk
        .volumes
        .create(named)
        .await
        .unwrap()
        .into_inner()
        .volume_id;
    assert_eq!(spec_of(&mut sdk, &fits).await.storage_policy, "gold");
    let mut unknown = volume_request("unknown", GIB, 1, &[]);
    unknown.spec.as_mut().unwrap().storage_policy = "lead".into();
    failure(sdk.volumes.create(unknown).await, Code::NotFound);

    // Updates of a volume under a forced policy are checked; allow_update lets them through.
    let resize = |id: &str, ha_level: i64| SdkVolumeUpdateRequest {
        volume_id: id.into(),
        spec: Some(VolumeSpecUpdate {
            ha_level_opt: Some(volume_spec_update::HaLevelOpt::HaLevel(ha_level)),
            ..Default::default()
        }),
        ..Default::default()
    };
    failure(sdk.volumes.update(resize(&fits, 3)).await, Code::Unknown);
    assert_eq!(spec_of(&mut sdk, &fits).await.ha_level, 2);
    let mut lenient = policy("gold", 10 * GIB, 2, true);
    lenient.allow_update = true;
    let update = SdkOpenStoragePolicyUpdateRequest {
        storage_policy: Some(lenient),
    };
    sdk.storage_policies.update(update).await.unwrap();
    sdk.volumes.update(resize(&fits, 3)).await.unwrap();
    assert_eq!(spec_of(&mut sdk, &fits).await.ha_level, 3);

    // Released: new volumes are made as asked.
    sdk.storage_policies
        .release(SdkOpenStoragePolicyReleaseRequest {})
        .await
        .unwrap();
    let free = sdk.create_volume("free", GIB, 1, &[]).await;
    let spec = spec_of(&mut sdk, &free).await;
    assert_eq!((spec.size, spec.storage_policy.as_str()), (GIB, ""));
}

#[tokio::test]
async fn policies_over_grpc_web() {
    let server = TestServer::start(&["--driver", "fake"]);
    let web = server.grpc_web();
    let mut p = web.storage_policies();
    p.create(create(policy("gold", 10 * GIB, 2, true)))
        .await
        .unwrap();
    p.set_default(SdkOpenStoragePolicySetDefaultRequest {
        name: "gold".into(),
    })
    .await
    .unwrap();
    let refused = web.volumes().create(volume_request("v", GIB, 2, &[])).await;
    let message = failure(refused, Code::Unknown);
    assert!(message.starts_with("Storage Policy Violation"), "{message}");
    let listed = p
        .enumerate(SdkOpenStoragePolicyEnumerateRequest {})
        .await
        .unwrap();
    assert_eq!(listed.into_inner().storage_policies[0].name, "gold");
}

#[tokio::test]
async fn with_auth_roles_and_ownership_decide_who_changes_policies() {
    const SECRET: &str = "policy-secret";
    let server = TestServer::start(&["--jwt-shared-secret", SECRET]);
    let mut sdk = server.sdk().await;
    let admin = sdk_token(SECRET, "root", &["system.admin"], &["*"], 600);
    let ops = sdk_token(SECRET, "ops", &["system.admin"], &["ops"], 600);
    let user = sdk_token(SECRET, "alice", &["system.user"], &[], 600);
    let p = &mut sdk.storage_policies;

    // system.user may read policies but not make them: the role is named in the refusal.
    let refused = p
        .create(with_token(create(policy("mine", GIB, 1, false)), &user))
        .await;
    let message = failure(refused, Code::PermissionDenied);
    assert!(message.contains("system.user"), "{message}");
    p.enumerate(with_token(SdkOpenStoragePolicyEnumerateRequest {}, &user))
        .await
        .unwrap();

    // The creator owns the policy; only a groups-`*` administrator sets the default.
    p.create(with_token(create(policy("ops", GIB, 1, false)), &ops))
        .await
        .unwrap();
    let inspect = SdkOpenStoragePolicyInspectRequest { name: "ops".into() };
    let stored = p
        .inspect(with_token(inspect, &ops))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        stored.storage_policy.unwrap().ownership.unwrap().owner,
        "ops"
    );
    let set = || SdkOpenStoragePolicySetDefaultRequest { name: "ops".into() };
    let message = failure(
        p.set_default(with_token(set(), &ops)).await,
        Code::PermissionDenied,
    );
    assert_eq!(
        message,
        "Only the storage system admin can set storage policy as default ops"
    );
    p.set_default(with_token(set(), &admin)).await.unwrap();
    let release = || SdkOpenStoragePolicyReleaseRequest {};
    let message = failure(
        p.release(with_token(release(), &ops)).await,
        Code::PermissionDenied,
    );
    assert_eq!(
        message,
        "Only the storage system admin can remove storage policy restriction"
    );
    p.release(with_token(release(), &admin)).await.unwrap();

    // Another owner's policy is invisible to a user it is not shared with.
    let other = sdk_token(SECRET, "bob", &["system.admin"], &["dev"], 600);
    let inspect = SdkOpenStoragePolicyInspectRequest { name: "ops".into() };
    let message = failure(
        p.inspect(with_token(inspect, &other)).await,
        Code::PermissionDenied,
    );
    assert_eq!(message, "Access denied to storage policy ops");
    let listed = p
        .enumerate(with_token(SdkOpenStoragePolicyEnumerateRequest {}, &other))
        .await
        .unwrap();
    assert!(listed.into_inner().storage_policies.is_empty());
}

#[tokio::test]
async fn a_mock_without_policies_answers_as_upstreams_drivers_do() {
    let server = TestServer::start(&["--not-supported", "storage-policy"]);
    let mut sdk = server.sdk().await;
    let listed = sdk
        .storage_policies
        .enumerate(SdkOpenStoragePolicyEnumerateRequest {})
        .await;
    assert_eq!(failure(listed, Code::Unknown), "Not Supported");
    let web = server
        .grpc_web()
        .storage_policies()
        .enumerate(SdkOpenStoragePolicyEnumerateRequest {})
        .await;
    assert_eq!(failure(web, Code::Unknown), "Not Supported");
    let capabilities = sdk
        .identity
        .capabilities(SdkIdentityCapabilitiesRequest {})
        .await
        .unwrap()
        .into_inner()
        .capabilities;
    let storage_policy = sdk_service_capability::open_storage_service::Type::StoragePolicy as i32;
    assert!(!capabilities.is_empty());
    assert!(!capabilities.iter().any(|c| matches!(
        &c.r#type,
        Some(sdk_service_capability::Type::Service(s)) if s.r#type == storage_policy
    )));
    // Everything else still answers, and volumes are made without a policy.
    sdk.create_volume("plain", GIB, 1, &[]).await;
}
