//! OpenStorageIdentity: who this server is and which services it implements.

use std::sync::Arc;

use tonic::{Request, Response, Status};

use crate::mock::ClusterState;
use crate::proto::open_storage_identity_server::OpenStorageIdentity;
use crate::proto::sdk_service_capability::open_storage_service::Type as ServiceType;
use crate::proto::sdk_service_capability::{self, OpenStorageService};
use crate::proto::{
    sdk_version, SdkIdentityCapabilitiesRequest, SdkIdentityCapabilitiesResponse,
    SdkIdentityVersionRequest, SdkIdentityVersionResponse, SdkServiceCapability, SdkVersion,
    StorageVersion,
};

/// The services the mock implements; clients gate features on this list, so it must grow
/// exactly as services are added.
const IMPLEMENTED: &[ServiceType] = &[
    ServiceType::Cluster,
    ServiceType::Node,
    ServiceType::Volume,
    ServiceType::MountAttach,
    ServiceType::Credentials,
    ServiceType::SchedulePolicy,
    ServiceType::CloudBackup,
    ServiceType::Role,
    ServiceType::StoragePolicy,
    ServiceType::ClusterPair,
    ServiceType::Migrate,
];

pub struct Identity {
    state: Arc<ClusterState>,
}

impl Identity {
    pub fn new(state: Arc<ClusterState>) -> Self {
        Identity { state }
    }
}

#[tonic::async_trait]
impl OpenStorageIdentity for Identity {
    async fn capabilities(
        &self,
        _: Request<SdkIdentityCapabilitiesRequest>,
    ) -> Result<Response<SdkIdentityCapabilitiesResponse>, Status> {
        let absent = &self.state.options.not_supported;
        let capabilities = IMPLEMENTED
            .iter()
            .filter(|t| !absent.iter().any(|s| s.capability() == **t))
            .map(|t| SdkServiceCapability {
                r#type: Some(sdk_service_capability::Type::Service(OpenStorageService {
                    r#type: *t as i32,
                })),
            })
            .collect();
        Ok(Response::new(SdkIdentityCapabilitiesResponse {
            capabilities,
        }))
    }

    async fn version(
        &self,
        _: Request<SdkIdentityVersionRequest>,
    ) -> Result<Response<SdkIdentityVersionResponse>, Status> {
        // Major and Patch are 0, aliases of the enum's zero value, which prost folds away;
        // Minor carries the SDK version this proto describes.
        let (major, minor, patch) = (0, sdk_version::Version::Minor as i32, 0);
        Ok(Response::new(SdkIdentityVersionResponse {
            sdk_version: Some(SdkVersion {
                major,
                minor,
                patch,
                version: format!("{major}.{minor}.{patch}"),
            }),
            version: Some(StorageVersion {
                driver: self.state.driver().name().to_string(),
                version: env!("CARGO_PKG_VERSION").to_string(),
                details: [(
                    "server".to_string(),
                    "OpenStorage Console built-in mock cluster".to_string(),
                )]
                .into(),
            }),
        }))
    }
}
