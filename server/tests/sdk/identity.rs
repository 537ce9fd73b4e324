//! OpenStorageIdentity against the real server: the SDK version and the capabilities.

use crate::common::*;
use console_server::proto::open_storage_identity_client::OpenStorageIdentityClient;
use console_server::proto::sdk_service_capability::open_storage_service::Type as ServiceType;
use console_server::proto::{
    sdk_service_capability, SdkIdentityCapabilitiesRequest, SdkIdentityVersionRequest,
};

#[tokio::test]
async fn identity_reports_sdk_version_and_capabilities() {
    let server = TestServer::start(&[]);
    let mut identity = OpenStorageIdentityClient::new(server.channel().await);

    let version = identity
        .version(SdkIdentityVersionRequest {})
        .await
        .unwrap()
        .into_inner();
    let sdk = version.sdk_version.expect("sdk version");
    assert_eq!((sdk.major, sdk.minor, sdk.patch), (0, 186, 0));
    assert_eq!(sdk.version, "0.186.0");
    let driver = version.version.expect("driver version");
    assert!(!driver.driver.is_empty() && !driver.version.is_empty());

    let caps = identity
        .capabilities(SdkIdentityCapabilitiesRequest {})
        .await
        .unwrap()
        .into_inner()
        .capabilities;
    let services: Vec<i32> = caps
        .iter()
        .filter_map(|c| {
            c.r#type
                .as_ref()
                .map(|sdk_service_capability::Type::Service(s)| s.r#type)
        })
        .collect();
    for wanted in [ServiceType::Cluster, ServiceType::Node] {
        assert!(
            services.contains(&(wanted as i32)),
            "{wanted:?} missing from {services:?}"
        );
    }
}
