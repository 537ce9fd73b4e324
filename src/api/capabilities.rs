//! Whether the cluster offers an SDK service: Identity.Capabilities asked once per connection,
//! and refusals remembered (`logic::sdk_services`). A screen for a service the cluster does not
//! offer says so instead of showing an error, and disables what needs it.

use std::sync::{Arc, Mutex};

use tonic::Code;

use crate::error::{not_offered, AppError};
use crate::logic::sdk_services::Offers;
pub use crate::logic::sdk_services::SdkService;
use crate::proto::methods::open_storage_identity;
use crate::proto::sdk_service_capability::Type as Capability;
use crate::proto::SdkIdentityCapabilitiesRequest;

use super::Sdk;

/// What the connection has learned, shared by its clones.
#[derive(Debug, Clone, Default)]
pub(super) struct SdkServices(Arc<Mutex<Offers>>);

impl SdkServices {
    fn with<T>(&self, f: impl FnOnce(&mut Offers) -> T) -> Option<T> {
        self.0.lock().ok().map(|mut offers| f(&mut offers))
    }
}

/// Whether the connection knows the cluster does not offer `service` (Capabilities leaves it
/// out, or a call was answered so); false when nothing says (a caller who may not ask
/// Capabilities, a cluster that cannot be reached): the call itself will tell.
pub async fn lacks(sdk: &Sdk, service: SdkService) -> bool {
    // Capabilities is asked only for a service it can list.
    if service.capability().is_some() && sdk.services.with(|o| o.asked()) == Some(false) {
        match sdk
            .call(
                open_storage_identity::CAPABILITIES,
                SdkIdentityCapabilitiesRequest {},
            )
            .await
        {
            Ok(answer) => {
                let listed = answer
                    .capabilities
                    .iter()
                    .filter_map(|c| match &c.r#type {
                        Some(Capability::Service(s)) => Some(s.r#type),
                        _ => None,
                    })
                    .collect();
                sdk.services.with(|o| o.list(Some(listed)));
            }
            Err(status)
                if matches!(
                    status.code(),
                    Code::PermissionDenied | Code::Unauthenticated
                ) =>
            {
                sdk.services.with(|o| o.list(None));
            }
            Err(_) => return false,
        }
    }
    sdk.services.with(|o| o.offers(service)).flatten() == Some(false)
}

/// Whether `status` says the cluster does not offer `service`; remembered, so screens stop
/// asking.
pub fn refused(sdk: &Sdk, service: SdkService, status: &tonic::Status) -> bool {
    let refused = not_offered(status);
    if refused {
        sdk.services.with(|o| o.refuse(service));
    }
    refused
}

/// An answer, `None` when it says the cluster does not offer `service` (remembered), or the
/// failure.
pub fn offered<T>(
    sdk: &Sdk,
    service: SdkService,
    answer: Result<T, tonic::Status>,
) -> Result<Option<T>, AppError> {
    match answer {
        Ok(value) => Ok(Some(value)),
        Err(status) if refused(sdk, service, &status) => Ok(None),
        Err(status) => Err(status.into()),
    }
}
