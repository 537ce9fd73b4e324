use std::collections::HashMap;

use super::go::go_name;
use super::*;
use crate::proto::methods::{open_storage_credentials, open_storage_volume};
use crate::proto::sdk_credential_create_request::CredentialType;
use crate::proto::{
    FsType, SdkAwsCredentialRequest, SdkCredentialCreateRequest, SdkVolumeCreateRequest, VolumeSpec,
};

fn local() -> Endpoint {
    Endpoint {
        address: "127.0.0.1:9100".into(),
        tls: false,
    }
}

fn tutorial_volume() -> Call {
    Call::new(
        open_storage_volume::CREATE,
        &SdkVolumeCreateRequest {
            name: "myvol".into(),
            spec: Some(VolumeSpec {
                size: 100 * 1024 * 1024 * 1024,
                ha_level: 3,
                format: FsType::Ext4 as i32,
                ..Default::default()
            }),
            labels: HashMap::from([("app".into(), "db".into()), ("tier".into(), "gold".into())]),
        },
    )
}

#[test]
fn python_reads_as_the_tutorial_writes_it() {
    let code = render(&tutorial_volume(), &local()).unwrap().python;
    assert!(
        code.contains("channel = grpc.insecure_channel('127.0.0.1:9100')"),
        "{code}"
    );
    assert!(
        code.contains("volume = api_pb2_grpc.OpenStorageVolumeStub(channel)"),
        "{code}"
    );
    assert!(
        code.contains(
            "    resp = volume.Create(api_pb2.SdkVolumeCreateRequest(\n        name='myvol',\n        spec=api_pb2.VolumeSpec(\n            size=100*1024*1024*1024,\n            format=api_pb2.FS_TYPE_EXT4,\n            ha_level=3,\n        ),\n        labels={'app': 'db', 'tier': 'gold'},\n    ), metadata=metadata)"
        ),
        "{code}"
    );
    assert!(code.contains("except grpc.RpcError as e:"), "{code}");
}

#[test]
fn go_uses_protoc_gen_go_names() {
    let code = render(&tutorial_volume(), &local()).unwrap().go;
    assert!(
        code.contains(
            "api.NewOpenStorageVolumeClient(conn).Create(ctx, &api.SdkVolumeCreateRequest{"
        ),
        "{code}"
    );
    assert!(code.contains("\t\tSpec: &api.VolumeSpec{\n\t\t\tSize: 100 * 1024 * 1024 * 1024,\n\t\t\tFormat: api.FSType_FS_TYPE_EXT4,\n\t\t\tHaLevel: 3,\n\t\t},"), "{code}");
    assert!(
        code.contains("Labels: map[string]string{\"app\": \"db\", \"tier\": \"gold\"},"),
        "{code}"
    );
    assert!(
        code.contains("grpc.Dial(\"127.0.0.1:9100\", grpc.WithInsecure())"),
        "{code}"
    );
}

#[test]
fn grpcurl_sends_proto_json_with_the_full_method_name() {
    let code = render(&tutorial_volume(), &local()).unwrap().grpcurl;
    assert!(
        code.contains("-d @ 127.0.0.1:9100 openstorage.api.OpenStorageVolume/Create <<EOF"),
        "{code}"
    );
    assert!(code.contains("\"size\": 107374182400"), "{code}");
    assert!(code.contains("\"format\": \"FS_TYPE_EXT4\""), "{code}");
    assert!(code.contains("\"ha_level\": 3"), "{code}");
    assert!(code.contains("grpcurl -plaintext"), "{code}");
}

#[test]
fn tls_endpoints_get_tls_channels() {
    let endpoint = Endpoint {
        address: "console.example:443".into(),
        tls: true,
    };
    let code = render(&tutorial_volume(), &endpoint).unwrap();
    assert!(code
        .python
        .contains("grpc.secure_channel('console.example:443', grpc.ssl_channel_credentials())"));
    assert!(code.go.contains("credentials.NewTLS(&tls.Config{})"));
    assert!(code.go.contains("\t\"crypto/tls\"\n"));
    assert!(!code.grpcurl.contains("-plaintext"));
}

fn aws_credential(secret: &str) -> Call {
    Call::new(
        open_storage_credentials::CREATE,
        &SdkCredentialCreateRequest {
            name: "s3".into(),
            bucket: "backups".into(),
            encryption_key: format!("{secret}-encryption"),
            credential_type: Some(CredentialType::AwsCredential(SdkAwsCredentialRequest {
                access_key: "AKIA-visible".into(),
                secret_key: secret.into(),
                endpoint: "s3.example:9000".into(),
                region: "eu-1".into(),
                disable_ssl: true,
                ..Default::default()
            })),
            ..Default::default()
        },
    )
}

#[test]
fn secrets_come_from_the_environment_and_never_appear() {
    let secret = "s3cr3t-'$`\\-value";
    let code = render(&aws_credential(secret), &local()).unwrap();
    for text in [&code.python, &code.go, &code.grpcurl] {
        assert!(!text.contains("s3cr3t"), "{text}");
        assert!(text.contains("AKIA-visible"), "{text}");
        assert!(
            text.contains("OPENSTORAGE_AWS_SECRET_KEY: set it before running"),
            "{text}"
        );
        assert!(
            text.contains("OPENSTORAGE_ENCRYPTION_KEY: set it before running"),
            "{text}"
        );
    }
    assert!(code
        .python
        .contains("secret_key=os.environ['OPENSTORAGE_AWS_SECRET_KEY'],"));
    assert!(code
        .go
        .contains("SecretKey: os.Getenv(\"OPENSTORAGE_AWS_SECRET_KEY\"),"));
    assert!(
        code.grpcurl
            .contains("\"secret_key\": \"$OPENSTORAGE_AWS_SECRET_KEY\""),
        "{}",
        code.grpcurl
    );
}

#[test]
fn a_oneof_reads_as_each_language_writes_it() {
    let code = render(&aws_credential("x"), &local()).unwrap();
    assert!(
        code.python
            .contains("    aws_credential=api_pb2.SdkAwsCredentialRequest(\n"),
        "{}",
        code.python
    );
    assert!(
        code.go.contains("CredentialType: &api.SdkCredentialCreateRequest_AwsCredential{AwsCredential: &api.SdkAwsCredentialRequest{"),
        "{}",
        code.go
    );
    assert!(
        code.grpcurl.contains("\"aws_credential\": {"),
        "{}",
        code.grpcurl
    );
}

#[test]
fn text_the_shell_or_a_language_would_read_is_escaped() {
    let call = Call::new(
        open_storage_volume::CREATE,
        &SdkVolumeCreateRequest {
            name: "a'b\"c$HOME`id`\\n".into(),
            ..Default::default()
        },
    );
    let code = render(&call, &local()).unwrap();
    assert!(
        code.python.contains(r#"name='a\'b"c$HOME`id`\\n',"#),
        "{}",
        code.python
    );
    assert!(
        code.go.contains(r#"Name: "a'b\"c$HOME`id`\\n","#),
        "{}",
        code.go
    );
    // The here-document hands grpcurl the JSON string "a'b\"c$HOME`id`\\n".
    assert!(
        code.grpcurl
            .contains(r#""name": "a'b\\"c\$HOME\`id\`\\\\n""#),
        "{}",
        code.grpcurl
    );
}

#[test]
fn a_request_the_sdk_does_not_have_is_refused() {
    let call = Call {
        path: "/openstorage.api.OpenStorageVolume/NoSuchCall".into(),
        request: Vec::new(),
    };
    assert!(render(&call, &local())
        .unwrap_err()
        .contains("not a method of the SDK"));
}

#[test]
fn go_names_follow_protoc_gen_go() {
    assert_eq!(go_name("ha_level"), "HaLevel");
    assert_eq!(go_name("VolumeSpec"), "VolumeSpec");
    assert_eq!(go_name("Parent.Child"), "Parent_Child");
    assert_eq!(go_name("s3_storage_class"), "S3StorageClass");
    assert_eq!(go_name("v2beta"), "V2Beta");
    assert_eq!(go_name("FSType"), "FSType");
}

#[test]
fn the_endpoint_is_the_consoles_address() {
    let plain = Endpoint::from_url("http://127.0.0.1:9100");
    assert_eq!(
        (plain.address.as_str(), plain.tls),
        ("127.0.0.1:9100", false)
    );
    let tls = Endpoint::from_url("https://console.example/");
    assert_eq!(
        (tls.address.as_str(), tls.tls),
        ("console.example:443", true)
    );
    let v6 = Endpoint::from_url("http://[::1]:9100/volumes");
    assert_eq!(v6.address, "[::1]:9100");
    assert_eq!(Endpoint::from_url("http://[::1]").address, "[::1]:80");
}

#[test]
fn python_says_when_the_published_package_lacks_the_service() {
    let call = Call::new(
        crate::proto::methods::open_storage_verify_checksum::START,
        &crate::proto::SdkVerifyChecksumStartRequest {
            volume_id: "v1".into(),
            ..Default::default()
        },
    );
    let snippets = render(&call, &local()).unwrap();
    assert!(
        snippets
            .python
            .starts_with("# OpenStorageVerifyChecksum.Start, as the console sends it.\n"),
        "{}",
        snippets.python
    );
    assert!(
        snippets.python.contains("raise SystemExit("),
        "{}",
        snippets.python
    );
    assert!(
        !snippets.python.contains("api_pb2_grpc"),
        "{}",
        snippets.python
    );
    // Go and grpcurl still make the call.
    assert!(snippets
        .grpcurl
        .contains("openstorage.api.OpenStorageVerifyChecksum/Start"));
    assert!(
        snippets.go.contains("NewOpenStorageVerifyChecksumClient"),
        "{}",
        snippets.go
    );
}

#[test]
fn python_says_done_when_the_answer_has_nothing_to_print() {
    let call = Call::new(
        open_storage_volume::DELETE,
        &crate::proto::SdkVolumeDeleteRequest {
            volume_id: "v1".into(),
        },
    );
    let code = render(&call, &local()).unwrap().python;
    assert!(
        code.contains("    volume.Delete(api_pb2.SdkVolumeDeleteRequest(\n        volume_id='v1',\n    ), metadata=metadata)\n    print('OpenStorageVolume.Delete: done')\n"),
        "{code}"
    );
}
