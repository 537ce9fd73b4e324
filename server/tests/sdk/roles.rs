//! OpenStorageRole, as upstream's: four system roles, custom roles made of rules, and calls
//! allowed when any of a token's roles allows them.

use crate::common::*;
use console_server::proto::*;
use tonic::Code;

const SECRET: &str = "roles-secret";

fn token(roles: &[&str]) -> String {
    sdk_token(SECRET, "u", roles, &[], 600)
}

fn reader_role() -> SdkRole {
    SdkRole {
        name: "volume.reader".into(),
        rules: vec![SdkRule {
            services: vec!["volume".into()],
            apis: vec!["inspect*".into(), "enumerate*".into()],
        }],
    }
}

#[tokio::test]
async fn custom_roles_are_created_and_decide_what_their_tokens_may_call() {
    let server = TestServer::start(&["--jwt-shared-secret", SECRET]);
    let mut sdk = server.sdk().await;
    let admin = token(&["system.admin"]);
    let create =
        |role: SdkRole, token: &str| with_token(SdkRoleCreateRequest { role: Some(role) }, token);
    sdk.roles
        .create(create(reader_role(), &admin))
        .await
        .unwrap();
    // Idempotent for the same role; another role under that name is ALREADY_EXISTS.
    sdk.roles
        .create(create(reader_role(), &admin))
        .await
        .unwrap();
    let mut changed = reader_role();
    changed.rules[0].apis.push("create".into());
    failure(
        sdk.roles.create(create(changed, &admin)).await,
        Code::AlreadyExists,
    );
    let names = sdk
        .roles
        .enumerate(with_token(SdkRoleEnumerateRequest {}, &admin))
        .await
        .unwrap()
        .into_inner()
        .names;
    for name in [
        "system.admin",
        "system.view",
        "system.user",
        "system.guest",
        "volume.reader",
    ] {
        assert!(names.contains(&name.to_string()), "{name} in {names:?}");
    }

    let reader = token(&["volume.reader"]);
    sdk.volumes
        .enumerate(with_token(SdkVolumeEnumerateRequest {}, &reader))
        .await
        .unwrap();
    let denied = sdk
        .credentials
        .enumerate(with_token(SdkCredentialEnumerateRequest {}, &reader))
        .await;
    assert!(failure(denied, Code::PermissionDenied).ends_with("[volume.reader]"));

    // A user has no Role service; system roles cannot be deleted or (but the guest) changed.
    let user = token(&["system.user"]);
    failure(
        sdk.roles
            .enumerate(with_token(SdkRoleEnumerateRequest {}, &user))
            .await,
        Code::PermissionDenied,
    );
    let message = failure(
        sdk.roles
            .delete(with_token(
                SdkRoleDeleteRequest {
                    name: "system.admin".into(),
                },
                &admin,
            ))
            .await,
        Code::InvalidArgument,
    );
    assert_eq!(message, "Cannot delete system role system.admin");
    let unnamed = sdk
        .roles
        .create(create(
            SdkRole {
                name: "bad name".into(),
                rules: reader_role().rules,
            },
            &admin,
        ))
        .await;
    assert_eq!(
        failure(unnamed, Code::InvalidArgument),
        "Name cannot contain any of the following invalid characters: / "
    );
    // Locking guests out is a change to the one mutable system role.
    let locked = SdkRole {
        name: "system.guest".into(),
        rules: vec![SdkRule {
            services: vec!["identity".into()],
            apis: vec!["version".into()],
        }],
    };
    sdk.roles
        .update(with_token(
            SdkRoleUpdateRequest { role: Some(locked) },
            &admin,
        ))
        .await
        .unwrap();
    failure(
        sdk.volumes.enumerate(SdkVolumeEnumerateRequest {}).await,
        Code::PermissionDenied,
    );
    sdk.roles
        .delete(with_token(
            SdkRoleDeleteRequest {
                name: "volume.reader".into(),
            },
            &admin,
        ))
        .await
        .unwrap();
}
