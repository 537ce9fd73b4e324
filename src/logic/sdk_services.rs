//! Which SDK services a cluster offers, learned once per connection: Identity.Capabilities'
//! list, and any service a call has answered as not offered (UNIMPLEMENTED, or upstream's
//! UNKNOWN "Not Supported" from a cluster that lists it anyway). Every "does not offer" screen
//! reads this, so no screen asks the cluster again what it has already said.

/// What the connection knows of the cluster's SDK services (by
/// `SdkServiceCapability.OpenStorageService.Type` number).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Offers {
    /// Capabilities' answer: `None` until asked, `Some(None)` when the caller may not ask.
    listed: Option<Option<Vec<i32>>>,
    /// Services a call has answered as not offered.
    refused: Vec<i32>,
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
    pub fn refuse(&mut self, service: i32) {
        if !self.refused.contains(&service) {
            self.refused.push(service);
        }
    }

    /// Whether the cluster offers `service`: `Some(false)` once it has said it does not,
    /// `None` when nothing says either way.
    pub fn offers(&self, service: i32) -> Option<bool> {
        if self.refused.contains(&service) {
            return Some(false);
        }
        self.listed
            .as_ref()?
            .as_ref()
            .map(|listed| listed.contains(&service))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_answers_for_every_service() {
        let mut offers = Offers::default();
        assert!(!offers.asked());
        assert_eq!(offers.offers(3), None);
        offers.list(Some(vec![1, 3]));
        assert!(offers.asked());
        assert_eq!(offers.offers(3), Some(true));
        assert_eq!(offers.offers(4), Some(false));
    }

    #[test]
    fn a_refusal_outweighs_the_list() {
        let mut offers = Offers::default();
        offers.list(Some(vec![1, 3]));
        offers.refuse(3);
        offers.refuse(3);
        assert_eq!(
            offers.offers(3),
            Some(false),
            "upstream lists what its driver lacks"
        );
        assert_eq!(offers.refused, vec![3]);
    }

    #[test]
    fn a_caller_who_may_not_ask_learns_from_refusals_alone() {
        let mut offers = Offers::default();
        offers.list(None);
        assert!(offers.asked(), "not asked again");
        assert_eq!(offers.offers(3), None);
        offers.refuse(3);
        assert_eq!(offers.offers(3), Some(false));
    }
}
