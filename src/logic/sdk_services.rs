//! Which SDK services a cluster offers, learned once per connection: Identity.Capabilities'
//! list, and any service a call has answered as not offered (UNIMPLEMENTED, or upstream's
//! UNKNOWN "Not Supported" from a cluster that lists it anyway). Every "does not offer" screen
//! reads this, so no screen asks the cluster again what it has already said.

use crate::proto::sdk_service_capability::open_storage_service::Type;

/// The SDK services whose screens say when a cluster lacks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SdkService {
    StoragePolicy,
    MountAttach,
    Role,
    FilesystemTrim,
    FilesystemCheck,
    VerifyChecksum,
    Pool,
    Job,
    Diags,
    ClusterPair,
    Migrate,
    ClusterDomains,
}

impl SdkService {
    /// Its number in Capabilities' list; upstream lists no maintenance services, so only their
    /// answers tell.
    pub fn capability(self) -> Option<i32> {
        Some(match self {
            SdkService::StoragePolicy => Type::StoragePolicy,
            SdkService::MountAttach => Type::MountAttach,
            SdkService::Role => Type::Role,
            SdkService::ClusterPair => Type::ClusterPair,
            SdkService::Migrate => Type::Migrate,
            _ => return None,
        } as i32)
    }
}

/// What the connection knows of the cluster's SDK services.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Offers {
    /// Capabilities' answer (service type numbers): `None` until asked, `Some(None)` when the
    /// caller may not ask.
    listed: Option<Option<Vec<i32>>>,
    /// Services a call has answered as not offered.
    refused: Vec<SdkService>,
}

impl Offers {
    /// Whether Capabilities has been answered (or refused this caller), so it need not be asked.
    pub fn asked(&self) -> bool {
        self.listed.is_some()
    }

    /// Remembers Capabilities' list, or `None` when the caller may not ask.
    pub fn list(&mut self, services: Option<Vec<i32>>) {
        self.listed = Some(services);
    }

    /// Remembers that a call to `service` was answered as not offered.
    pub fn refuse(&mut self, service: SdkService) {
        if !self.refused.contains(&service) {
            self.refused.push(service);
        }
    }

    /// Whether the cluster offers `service`: `Some(false)` once it has said it does not,
    /// `None` when nothing says either way.
    pub fn offers(&self, service: SdkService) -> Option<bool> {
        if self.refused.contains(&service) {
            return Some(false);
        }
        let number = service.capability()?;
        self.listed
            .as_ref()?
            .as_ref()
            .map(|listed| listed.contains(&number))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: i32 = Type::StoragePolicy as i32;
    const ROLE: i32 = Type::Role as i32;

    #[test]
    fn the_list_answers_for_every_listed_kind_of_service() {
        let mut offers = Offers::default();
        assert!(!offers.asked());
        assert_eq!(offers.offers(SdkService::StoragePolicy), None);
        offers.list(Some(vec![1, POLICY]));
        assert!(offers.asked());
        assert_eq!(offers.offers(SdkService::StoragePolicy), Some(true));
        assert_eq!(offers.offers(SdkService::Role), Some(false));
        assert_eq!(
            offers.offers(SdkService::FilesystemTrim),
            None,
            "Capabilities has no entry for maintenance services"
        );
    }

    #[test]
    fn a_refusal_outweighs_the_list() {
        let mut offers = Offers::default();
        offers.list(Some(vec![1, ROLE]));
        offers.refuse(SdkService::Role);
        offers.refuse(SdkService::Role);
        offers.refuse(SdkService::VerifyChecksum);
        assert_eq!(
            offers.offers(SdkService::Role),
            Some(false),
            "upstream lists what its driver lacks"
        );
        assert_eq!(offers.offers(SdkService::VerifyChecksum), Some(false));
        assert_eq!(offers.refused.len(), 2);
    }

    #[test]
    fn a_caller_who_may_not_ask_learns_from_refusals_alone() {
        let mut offers = Offers::default();
        offers.list(None);
        assert!(offers.asked(), "not asked again");
        assert_eq!(offers.offers(SdkService::Role), None);
        offers.refuse(SdkService::Role);
        assert_eq!(offers.offers(SdkService::Role), Some(false));
    }
}
