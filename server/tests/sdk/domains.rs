//! OpenStorageClusterDomains: cluster domains listed, deactivated and activated, by
//! administrators.

use crate::common::*;
use console_server::proto::*;
use tonic::Code;

#[tokio::test]
async fn cluster_domains_are_listed_deactivated_and_activated_by_administrators() {
    use console_server::proto::open_storage_cluster_domains_client::OpenStorageClusterDomainsClient;
    let fake = TestServer::start(&["--driver", "fake"]);
    let mut d = OpenStorageClusterDomainsClient::new(fake.channel().await);
    let none = failure(
        d.enumerate(SdkClusterDomainsEnumerateRequest {}).await,
        Code::Internal,
    );
    assert_eq!(
        none,
        "Cannot enumerate cluster cluster domains: node is not initialized with cluster domains"
    );

    const SECRET: &str = "domains-secret";
    let server = TestServer::start(&["--jwt-shared-secret", SECRET]);
    let root = sdk_token(SECRET, "root", &["system.admin"], &["*"], 600);
    let ops = sdk_token(SECRET, "ops", &["system.admin"], &["ops"], 600);
    let mut d = OpenStorageClusterDomainsClient::new(server.channel().await);
    let names = d
        .enumerate(with_token(SdkClusterDomainsEnumerateRequest {}, &root))
        .await
        .unwrap()
        .into_inner()
        .cluster_domain_names;
    assert_eq!(names, ["zone-1", "zone-2"]);
    let named = |name: &str| SdkClusterDomainDeactivateRequest {
        cluster_domain_name: name.into(),
    };
    let refused = failure(
        d.deactivate(with_token(named("zone-2"), &ops)).await,
        Code::PermissionDenied,
    );
    assert_eq!(
        refused,
        "Activating cluster domain zone-2 not permitted. Only the storage administrator is authorized."
    );
    let empty = failure(
        d.deactivate(with_token(named(""), &root)).await,
        Code::InvalidArgument,
    );
    assert_eq!(empty, "Must provide a valid cluster domain name");
    d.deactivate(with_token(named("zone-2"), &root))
        .await
        .unwrap();
    let inspect = SdkClusterDomainInspectRequest {
        cluster_domain_name: "zone-2".into(),
    };
    let state = d
        .inspect(with_token(inspect.clone(), &root))
        .await
        .unwrap()
        .into_inner();
    assert!(!state.is_active);
    let activate = SdkClusterDomainActivateRequest {
        cluster_domain_name: "zone-2".into(),
    };
    d.activate(with_token(activate, &root)).await.unwrap();
    assert!(
        d.inspect(with_token(inspect, &root))
            .await
            .unwrap()
            .into_inner()
            .is_active
    );
}
