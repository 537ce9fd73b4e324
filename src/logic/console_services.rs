//! What a connection learns of console-server's own services (the view, its health check, the
//! metrics), so no screen asks again what has already said it will not answer: a service the
//! endpoint lacks (UNIMPLEMENTED: a plain gRPC-Web proxy), and services that refuse this caller
//! (FAILED_PRECONDITION: a token through a gateway, refused by every service but Health).

/// Which of console-server's services a call is to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    /// The view's pages, names and change stream.
    View,
    /// The view's health check, which answers every caller (it only says whether the cluster
    /// answers console-server).
    Health,
    /// The performance history, counts by state and the alarm count.
    Metrics,
}

impl Service {
    /// The gRPC service the call belongs to: an endpoint has all of its methods or none.
    fn grpc(self) -> &'static str {
        match self {
            Service::View | Service::Health => "VolumeView",
            Service::Metrics => "Metrics",
        }
    }
}

const NO_SERVICE: &str =
    "this endpoint has no console view service (a plain gRPC-Web proxy in front of the cluster)";

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Absence {
    missing: Vec<&'static str>,
    refused: Option<String>,
}

impl Absence {
    /// Why a call to `service` would not be answered, once a call has said so.
    pub fn absent(&self, service: Service) -> Option<String> {
        if self.missing.contains(&service.grpc()) {
            return Some(NO_SERVICE.into());
        }
        match service {
            Service::Health => None,
            _ => self.refused.clone(),
        }
    }

    /// Remembers what a failed call says: the service is missing, or refuses this caller (with
    /// the server's reason). Returns the reason to show, or None for any other failure.
    pub fn learn(
        &mut self,
        service: Service,
        missing: bool,
        refused: Option<&str>,
    ) -> Option<String> {
        if missing {
            self.missing.push(service.grpc());
            return Some(NO_SERVICE.into());
        }
        let reason = refused?.to_string();
        self.refused = Some(reason.clone());
        Some(reason)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_token_still_gets_the_health_check() {
        let mut absence = Absence::default();
        let why = "the console's shared view serves clusters without auth";
        assert_eq!(
            absence.learn(Service::View, false, Some(why)).as_deref(),
            Some(why)
        );
        assert_eq!(absence.absent(Service::Metrics).as_deref(), Some(why));
        assert_eq!(absence.absent(Service::View).as_deref(), Some(why));
        assert_eq!(
            absence.absent(Service::Health),
            None,
            "Health answers every caller"
        );
    }

    #[test]
    fn a_missing_service_is_missing_alone() {
        let mut absence = Absence::default();
        assert!(absence.learn(Service::Metrics, true, None).is_some());
        assert!(absence.absent(Service::Metrics).is_some());
        assert_eq!(
            absence.absent(Service::View),
            None,
            "the view may still be there"
        );
        assert!(absence.learn(Service::View, true, None).is_some());
        assert!(
            absence.absent(Service::Health).is_some(),
            "Health is the view's method"
        );
    }

    #[test]
    fn other_failures_teach_nothing() {
        let mut absence = Absence::default();
        assert_eq!(absence.learn(Service::View, false, None), None);
        assert_eq!(absence, Absence::default());
    }
}
