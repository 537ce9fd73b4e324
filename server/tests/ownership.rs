//! With auth on, volumes belong to the token's subject, as upstream's SDK decides: the owner,
//! collaborators in the ACL and `groups: ["*"]` administrators may use a volume; others do not
//! see it in lists and are refused, in upstream's words.

mod common;

use std::collections::HashMap;

use common::*;
use console_server::proto::open_storage_volume_client::OpenStorageVolumeClient;
use console_server::proto::ownership::{AccessControl, AccessType};
use console_server::proto::*;
use tonic::Code;

const SECRET: &str = "ownership-secret";

fn token(subject: &str, groups: &[&str]) -> String {
    sdk_token(SECRET, subject, &["system.user"], groups, 600)
}

fn create(name: &str, acls: Option<AccessControl>) -> SdkVolumeCreateRequest {
    SdkVolumeCreateRequest {
        name: name.into(),
        spec: Some(VolumeSpec {
            size: GIB,
            ha_level: 1,
            ownership: Some(Ownership {
                owner: "whoever-the-client-says".into(),
                acls,
            }),
            ..Default::default()
        }),
        labels: HashMap::new(),
    }
}

#[tokio::test]
async fn volumes_belong_to_the_token_subject_and_others_are_kept_out() {
    let server = TestServer::start(&["--jwt-shared-secret", SECRET]);
    let mut sdk = server.sdk().await;
    let (ada, bob, eve, root) = (
        token("ada", &[]),
        token("bob", &[]),
        token("eve", &[]),
        token("root", &["*"]),
    );
    let acls = AccessControl {
        collaborators: [("bob".to_string(), AccessType::Read as i32)].into(),
        ..Default::default()
    };
    let id = sdk
        .volumes
        .create(with_token(create("ada-db", Some(acls)), &ada))
        .await
        .unwrap()
        .into_inner()
        .volume_id;
    let inspect = |token: &str| {
        with_token(
            SdkVolumeInspectRequest {
                volume_id: id.clone(),
                options: None,
            },
            token,
        )
    };
    let owned = sdk
        .volumes
        .inspect(inspect(&ada))
        .await
        .unwrap()
        .into_inner();
    let ownership = owned.volume.unwrap().spec.unwrap().ownership.unwrap();
    assert_eq!(
        ownership.owner, "ada",
        "the token's subject, not what the client sent"
    );
    assert_eq!(
        ownership.acls.unwrap().collaborators["bob"],
        AccessType::Read as i32
    );

    // A collaborator reads but may not change it; a stranger neither sees nor reads it.
    sdk.volumes.inspect(inspect(&bob)).await.unwrap();
    let update = |token: &str| {
        with_token(
            SdkVolumeUpdateRequest {
                volume_id: id.clone(),
                labels: [("team".to_string(), "x".to_string())].into(),
                spec: None,
            },
            token,
        )
    };
    // Upstream's words for a reader who may not write.
    let denied = sdk.volumes.update(update(&bob)).await;
    assert_eq!(
        failure(denied, Code::PermissionDenied),
        "Cannot update volume"
    );
    let denied = sdk.volumes.inspect(inspect(&eve)).await;
    assert_eq!(
        failure(denied, Code::PermissionDenied),
        format!("Access denied to volume {id}")
    );
    let listed = sdk
        .volumes
        .inspect_with_filters(with_token(
            SdkVolumeInspectWithFiltersRequest::default(),
            &eve,
        ))
        .await
        .unwrap()
        .into_inner()
        .volumes;
    assert!(
        listed.is_empty(),
        "lists leave out what the caller may not read"
    );
    let denied = sdk
        .volumes
        .delete(with_token(
            SdkVolumeDeleteRequest {
                volume_id: id.clone(),
            },
            &bob,
        ))
        .await;
    assert_eq!(
        failure(denied, Code::PermissionDenied),
        format!("Cannot delete volume {id}")
    );
    // Reusing the name is refused to whoever does not administer the volume.
    let taken = sdk
        .volumes
        .create(with_token(create("ada-db", None), &eve))
        .await;
    assert_eq!(
        failure(taken, Code::PermissionDenied),
        "Volume ada-db already exists and is owned by another user"
    );
    // The owner and a `groups: ["*"]` administrator may do everything.
    sdk.volumes.update(update(&ada)).await.unwrap();
    sdk.volumes.update(update(&root)).await.unwrap();
    sdk.volumes
        .delete(with_token(SdkVolumeDeleteRequest { volume_id: id }, &root))
        .await
        .unwrap();
}

#[tokio::test]
async fn without_auth_the_ownership_sent_is_kept_and_nothing_is_checked() {
    let server = TestServer::start(&[]);
    let mut sdk = server.sdk().await;
    let id = sdk
        .volumes
        .create(create("shared", None))
        .await
        .unwrap()
        .into_inner()
        .volume_id;
    let volume = sdk
        .volumes
        .inspect(SdkVolumeInspectRequest {
            volume_id: id,
            options: None,
        })
        .await
        .unwrap()
        .into_inner()
        .volume
        .unwrap();
    assert_eq!(
        volume.spec.unwrap().ownership.unwrap().owner,
        "whoever-the-client-says"
    );
}

#[tokio::test]
async fn attach_backups_and_their_status_respect_the_owner() {
    let server = TestServer::start(&["--jwt-shared-secret", SECRET, "--backup-rate", "100GiB"]);
    let mut sdk = server.sdk().await;
    let (ada, eve) = (token("ada", &[]), token("eve", &[]));
    let id = sdk
        .volumes
        .create(with_token(create("ada-data", None), &ada))
        .await
        .unwrap()
        .into_inner()
        .volume_id;
    let attach = sdk
        .mount
        .attach(with_token(
            SdkVolumeAttachRequest {
                volume_id: id.clone(),
                ..Default::default()
            },
            &eve,
        ))
        .await;
    assert_eq!(
        failure(attach, Code::PermissionDenied),
        format!("Access denied to volume {id}")
    );
    let credential = sdk
        .credentials
        .create(with_token(aws_credential_request("aws", ""), &ada))
        .await
        .unwrap()
        .into_inner()
        .credential_id;
    let backup = |token: &str| {
        with_token(
            SdkCloudBackupCreateRequest {
                volume_id: id.clone(),
                credential_id: credential.clone(),
                ..Default::default()
            },
            token,
        )
    };
    failure(
        sdk.backups.create(backup(&eve)).await,
        Code::PermissionDenied,
    );
    let task = sdk
        .backups
        .create(backup(&ada))
        .await
        .unwrap()
        .into_inner()
        .task_id;
    let statuses = |token: &str| {
        with_token(
            SdkCloudBackupStatusRequest {
                task_id: task.clone(),
                ..Default::default()
            },
            token,
        )
    };
    let mine = sdk
        .backups
        .status(statuses(&ada))
        .await
        .unwrap()
        .into_inner();
    assert!(mine.statuses.contains_key(&task));
    let theirs = sdk
        .backups
        .status(statuses(&eve))
        .await
        .unwrap()
        .into_inner();
    assert!(theirs.statuses.is_empty(), "eve does not see ada's tasks");
}

#[tokio::test]
async fn credentials_belong_to_their_creator_too() {
    let server = TestServer::start(&["--jwt-shared-secret", SECRET]);
    let mut sdk = server.sdk().await;
    let (ada, eve) = (token("ada", &[]), token("eve", &[]));
    let id = sdk
        .credentials
        .create(with_token(aws_credential_request("ada-s3", ""), &ada))
        .await
        .unwrap()
        .into_inner()
        .credential_id;
    let inspect = |token: &str| {
        with_token(
            SdkCredentialInspectRequest {
                credential_id: id.clone(),
            },
            token,
        )
    };
    let shown = sdk
        .credentials
        .inspect(inspect(&ada))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(shown.ownership.unwrap().owner, "ada");
    let denied = sdk.credentials.inspect(inspect(&eve)).await;
    assert_eq!(
        failure(denied, Code::PermissionDenied),
        format!("Access denied to {id}")
    );
    let listed = sdk
        .credentials
        .enumerate(with_token(SdkCredentialEnumerateRequest {}, &eve))
        .await
        .unwrap()
        .into_inner()
        .credential_ids;
    assert!(listed.is_empty(), "eve does not see ada's credential");
    let delete = sdk
        .credentials
        .delete(with_token(
            SdkCredentialDeleteRequest {
                credential_id: id.clone(),
            },
            &eve,
        ))
        .await;
    failure(delete, Code::PermissionDenied);
}

/// Upstream's SDK layer checks a request's arguments before it asks who owns what: a caller
/// who may not touch a volume still hears first what is missing from the request.
#[tokio::test]
async fn arguments_are_checked_before_ownership_as_upstream_does() {
    let server = TestServer::start(&["--jwt-shared-secret", SECRET]);
    let mut sdk = server.sdk().await;
    let (ada, eve) = (token("ada", &[]), token("eve", &[]));
    let id = sdk
        .volumes
        .create(with_token(create("ada-private", None), &ada))
        .await
        .unwrap()
        .into_inner()
        .volume_id;
    let no_spec = SdkVolumeCreateRequest {
        name: "ada-private".into(),
        ..Default::default()
    };
    let created = sdk.volumes.create(with_token(no_spec, &eve)).await;
    assert_eq!(
        failure(created, Code::InvalidArgument),
        "Must supply spec object"
    );
    let unnamed_clone = SdkVolumeCloneRequest {
        parent_id: id.clone(),
        ..Default::default()
    };
    let cloned =
        OpenStorageVolumeClient::clone(&mut sdk.volumes, with_token(unnamed_clone, &eve)).await;
    assert_eq!(
        failure(cloned, Code::InvalidArgument),
        "Must supply a uniqe name"
    );
    let unnamed_snapshot = SdkVolumeSnapshotCreateRequest {
        volume_id: id.clone(),
        ..Default::default()
    };
    let snapshot = sdk
        .volumes
        .snapshot_create(with_token(unnamed_snapshot, &eve))
        .await;
    assert_eq!(
        failure(snapshot, Code::InvalidArgument),
        "Must supply a name"
    );
    // With the arguments complete, ownership decides.
    let named = SdkVolumeSnapshotCreateRequest {
        volume_id: id,
        name: "eves-copy".into(),
        ..Default::default()
    };
    let refused = sdk.volumes.snapshot_create(with_token(named, &eve)).await;
    assert_eq!(code(refused), Code::PermissionDenied);
}

/// An update that sets the volume's ownership (owner kept when empty).
fn set_access(
    id: &str,
    owner: &str,
    acls: AccessControl,
    token: &str,
) -> tonic::Request<SdkVolumeUpdateRequest> {
    with_token(
        SdkVolumeUpdateRequest {
            volume_id: id.into(),
            spec: Some(VolumeSpecUpdate {
                ownership: Some(Ownership {
                    owner: owner.into(),
                    acls: Some(acls),
                }),
                ..Default::default()
            }),
            ..Default::default()
        },
        token,
    )
}

fn collaborators(entries: &[(&str, AccessType)]) -> AccessControl {
    AccessControl {
        collaborators: entries
            .iter()
            .map(|(u, t)| (u.to_string(), *t as i32))
            .collect(),
        ..Default::default()
    }
}

#[tokio::test]
async fn acls_are_changed_by_owners_and_admins_as_upstream_permits() {
    let server = TestServer::start(&["--jwt-shared-secret", SECRET]);
    for web in [false, true] {
        let mut volumes = if web {
            None
        } else {
            Some(server.sdk().await.volumes)
        };
        let web_client = server.grpc_web();
        macro_rules! call {
            ($method:ident, $request:expr) => {
                match volumes.as_mut() {
                    Some(v) => v.$method($request).await.map(|r| r.into_inner()),
                    None => web_client
                        .volumes()
                        .$method($request)
                        .await
                        .map(|r| r.into_inner()),
                }
            };
        }
        let (ada, bob, root) = (token("ada", &[]), token("bob", &[]), token("root", &["*"]));
        let name = format!("shared-{web}");
        let id = call!(create, with_token(create(&name, None), &ada))
            .unwrap()
            .volume_id;
        let owner_of =
            |v: SdkVolumeInspectResponse| v.volume.unwrap().spec.unwrap().ownership.unwrap();
        let inspect = |t: &str| {
            with_token(
                SdkVolumeInspectRequest {
                    volume_id: id.clone(),
                    ..Default::default()
                },
                t,
            )
        };

        // The owner shares it with bob for writing.
        call!(
            update,
            set_access(&id, "", collaborators(&[("bob", AccessType::Write)]), &ada)
        )
        .unwrap();
        let stored = owner_of(call!(inspect, inspect(&ada)).unwrap());
        assert_eq!(stored.owner, "ada");
        assert_eq!(
            stored.acls.unwrap().collaborators["bob"],
            AccessType::Write as i32
        );

        // Write access is not enough to change the ACL; admin access is, but not the owner.
        let denied = call!(update, set_access(&id, "", collaborators(&[]), &bob));
        assert_eq!(
            failure(denied, Code::PermissionDenied),
            "Only owner or those with admin access type can update volume acls"
        );
        call!(
            update,
            set_access(&id, "", collaborators(&[("bob", AccessType::Admin)]), &ada)
        )
        .unwrap();
        let denied = call!(
            update,
            set_access(
                &id,
                "bob",
                collaborators(&[("bob", AccessType::Admin)]),
                &bob
            )
        );
        assert_eq!(
            failure(denied, Code::PermissionDenied),
            "Only the administrator can change the owner of the resource"
        );
        call!(
            update,
            set_access(
                &id,
                "",
                collaborators(&[("bob", AccessType::Admin), ("eve", AccessType::Read)]),
                &bob
            )
        )
        .unwrap();

        // An administrator (groups `*`) gives the volume to bob; ada keeps nothing.
        call!(update, set_access(&id, "bob", collaborators(&[]), &root)).unwrap();
        let stored = owner_of(call!(inspect, inspect(&bob)).unwrap());
        assert_eq!(stored.owner, "bob");
        assert!(stored.acls.unwrap().collaborators.is_empty());
        assert_eq!(code(call!(inspect, inspect(&ada))), Code::PermissionDenied);
    }
}
