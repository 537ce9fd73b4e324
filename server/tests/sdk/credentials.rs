//! OpenStorageCredentials against the real server: validation per provider, no secrets out.

use crate::common::*;
use console_server::proto::sdk_credential_create_request::CredentialType;
use console_server::proto::sdk_credential_inspect_response::CredentialType as Shown;
use console_server::proto::*;
use prost::Message;
use tonic::Code;

const SECRET: &str = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY";

fn aws(name: &str) -> SdkCredentialCreateRequest {
    SdkCredentialCreateRequest {
        name: name.into(),
        bucket: "backups".into(),
        encryption_key: "passphrase-for-data".into(),
        credential_type: Some(CredentialType::AwsCredential(SdkAwsCredentialRequest {
            access_key: "AKIAEXAMPLE".into(),
            secret_key: SECRET.into(),
            endpoint: "s3.us-east-1.amazonaws.com".into(),
            region: "us-east-1".into(),
            ..Default::default()
        })),
        ..Default::default()
    }
}

#[tokio::test]
async fn every_provider_is_checked_field_by_field() {
    let server = TestServer::start(&[]);
    let mut sdk = server.sdk().await;
    let mut missing_secret = aws("a");
    if let Some(CredentialType::AwsCredential(a)) = &mut missing_secret.credential_type {
        a.secret_key.clear();
    }
    let cases = [
        (missing_secret, "Must supply Secret Key"),
        (
            SdkCredentialCreateRequest {
                name: "az".into(),
                credential_type: Some(CredentialType::AzureCredential(SdkAzureCredentialRequest {
                    account_name: "acct".into(),
                    account_key: String::new(),
                })),
                ..Default::default()
            },
            "Must supply Account Key",
        ),
        (
            SdkCredentialCreateRequest {
                name: "gcp".into(),
                credential_type: Some(CredentialType::GoogleCredential(
                    SdkGoogleCredentialRequest {
                        project_id: String::new(),
                        json_key: "{}".into(),
                    },
                )),
                ..Default::default()
            },
            "Must supply Project ID",
        ),
        (
            SdkCredentialCreateRequest {
                name: "nfs".into(),
                credential_type: Some(CredentialType::NfsCredential(SdkNfsCredentialRequest {
                    server: String::new(),
                    ..Default::default()
                })),
                ..Default::default()
            },
            "Must supply NFS server address",
        ),
        (
            SdkCredentialCreateRequest {
                name: "none".into(),
                ..Default::default()
            },
            "Unknown credential type",
        ),
        (
            SdkCredentialCreateRequest {
                name: String::new(),
                ..aws("x")
            },
            "Must supply a name",
        ),
    ];
    // Upstream's SDK layer checks, in its words: every real cluster answers so.
    for (request, expected) in cases {
        let message = failure(sdk.credentials.create(request).await, Code::InvalidArgument);
        assert_eq!(message, expected);
    }
    let nfs = sdk
        .credentials
        .create(SdkCredentialCreateRequest {
            name: "nfs-share".into(),
            credential_type: Some(CredentialType::NfsCredential(SdkNfsCredentialRequest {
                server: "nfs.example.com".into(),
                sub_path: "/exports/backups".into(),
                ..Default::default()
            })),
            ..Default::default()
        })
        .await;
    assert!(nfs.is_ok());
}

#[tokio::test]
async fn secrets_go_in_and_never_come_out() {
    let server = TestServer::start(&[]);
    let mut sdk = server.sdk().await;
    let id = sdk
        .credentials
        .create(aws("aws-prod"))
        .await
        .unwrap()
        .into_inner()
        .credential_id;
    for key in [id.as_str(), "aws-prod"] {
        let inspected = sdk
            .credentials
            .inspect(SdkCredentialInspectRequest {
                credential_id: key.into(),
            })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(inspected.credential_id, id);
        assert_eq!(inspected.bucket, "backups");
        let Some(Shown::AwsCredential(shown)) = &inspected.credential_type else {
            panic!("an AWS credential")
        };
        assert_eq!(shown.access_key, "AKIAEXAMPLE");
        assert_eq!(shown.region, "us-east-1");
        // Nothing on the wire carries the secret or the encryption key.
        let wire = inspected.encode_to_vec();
        let wire = String::from_utf8_lossy(&wire);
        assert!(!wire.contains(SECRET) && !wire.contains("passphrase-for-data"));
    }
    let listed = sdk
        .credentials
        .enumerate(SdkCredentialEnumerateRequest {})
        .await
        .unwrap()
        .into_inner()
        .credential_ids;
    assert_eq!(listed, vec![id.clone()]);
    sdk.credentials
        .validate(SdkCredentialValidateRequest {
            credential_id: id.clone(),
        })
        .await
        .unwrap();
    assert_eq!(
        code(
            sdk.credentials
                .validate(SdkCredentialValidateRequest {
                    credential_id: "missing".into()
                })
                .await
        ),
        Code::NotFound
    );

    // Update with the secret left empty keeps it (a form cannot send it back).
    let mut update = aws("aws-renamed");
    if let Some(CredentialType::AwsCredential(a)) = &mut update.credential_type {
        a.secret_key.clear();
        a.region = "eu-west-1".into();
    }
    sdk.credentials
        .update(SdkCredentialUpdateRequest {
            credential_id: id.clone(),
            update_req: Some(update),
        })
        .await
        .unwrap();
    let renamed = sdk
        .credentials
        .inspect(SdkCredentialInspectRequest {
            credential_id: "aws-renamed".into(),
        })
        .await
        .unwrap()
        .into_inner();
    let Some(Shown::AwsCredential(shown)) = renamed.credential_type else {
        panic!("an AWS credential")
    };
    assert_eq!(shown.region, "eu-west-1");
}

#[tokio::test]
async fn delete_refuses_while_schedules_use_it_until_references_go() {
    let server = TestServer::start(&[]);
    let mut sdk = server.sdk().await;
    let cred = sdk
        .credentials
        .create(aws("in-use"))
        .await
        .unwrap()
        .into_inner()
        .credential_id;
    let vol = sdk
        .volumes
        .create(volume_request("v", GIB, 0, &[]))
        .await
        .unwrap()
        .into_inner()
        .volume_id;
    sdk.backups
        .sched_create(SdkCloudBackupSchedCreateRequest {
            cloud_sched_info: Some(SdkCloudBackupScheduleInfo {
                src_volume_id: vol,
                credential_id: cred.clone(),
                schedules: vec![SdkSchedulePolicyInterval {
                    retain: 3,
                    period_type: Some(sdk_schedule_policy_interval::PeriodType::Daily(
                        SdkSchedulePolicyIntervalDaily { hour: 3, minute: 0 },
                    )),
                }],
                max_backups: 3,
                ..Default::default()
            }),
        })
        .await
        .unwrap();
    let message = failure(
        sdk.credentials
            .delete(SdkCredentialDeleteRequest {
                credential_id: cred.clone(),
            })
            .await,
        Code::FailedPrecondition,
    );
    assert!(message.contains("1 backup schedule"), "{message}");
    sdk.credentials
        .delete_references(SdkCredentialDeleteReferencesRequest {
            credential_id: cred.clone(),
        })
        .await
        .unwrap();
    let schedules = sdk
        .backups
        .sched_enumerate(SdkCloudBackupSchedEnumerateRequest {})
        .await
        .unwrap()
        .into_inner()
        .cloud_sched_list;
    assert!(schedules.is_empty());
    sdk.credentials
        .delete(SdkCredentialDeleteRequest {
            credential_id: cred.clone(),
        })
        .await
        .unwrap();
    assert_eq!(
        code(
            sdk.credentials
                .delete(SdkCredentialDeleteRequest {
                    credential_id: cred
                })
                .await
        ),
        Code::NotFound
    );
}

#[tokio::test]
async fn names_may_repeat_as_upstream_allows_and_ids_tell_them_apart() {
    let server = TestServer::start(&[]);
    let mut sdk = server.sdk().await;
    let mut ids = Vec::new();
    for _ in 0..2 {
        ids.push(
            sdk.credentials
                .create(aws("shared-name"))
                .await
                .unwrap()
                .into_inner()
                .credential_id,
        );
    }
    assert_ne!(ids[0], ids[1]);
    let mut listed = sdk
        .credentials
        .enumerate(SdkCredentialEnumerateRequest {})
        .await
        .unwrap()
        .into_inner()
        .credential_ids;
    listed.sort();
    ids.sort();
    assert_eq!(listed, ids);
    // A name two credentials share no longer picks one: the id must be used.
    let message = failure(
        sdk.credentials
            .inspect(SdkCredentialInspectRequest {
                credential_id: "shared-name".into(),
            })
            .await,
        Code::InvalidArgument,
    );
    assert!(message.contains("use its id"), "{message}");
}

/// Update checks what upstream's SDK layer checks, in its words: an id, then a type to update.
#[tokio::test]
async fn update_asks_for_an_id_and_a_type_in_upstreams_words() {
    let server = TestServer::start(&[]);
    let mut sdk = server.sdk().await;
    let id = sdk.create_aws_credential("aws", "b").await;
    let no_id = sdk
        .credentials
        .update(SdkCredentialUpdateRequest {
            credential_id: String::new(),
            update_req: Some(aws("aws")),
        })
        .await;
    assert_eq!(
        failure(no_id, Code::InvalidArgument),
        "Must supply credentialId"
    );
    let nothing = sdk
        .credentials
        .update(SdkCredentialUpdateRequest {
            credential_id: id,
            update_req: None,
        })
        .await;
    assert_eq!(
        failure(nothing, Code::InvalidArgument),
        "Unknown credential type"
    );
}
