//! The alerts the mock cluster raises, as a Portworx cluster does: raised by events (a backup
//! failing, a pool filling, a node going down), counted when raised again while active, and
//! cleared when the condition passes. Kept in the store, under its lock.

use std::collections::VecDeque;

use prost_types::Timestamp;

use crate::proto::{Alert, ResourceType, SeverityType};

/// Alert types (the SDK leaves their numbers to the driver).
pub mod kind {
    pub const NODE_OFFLINE: i64 = 1;
    pub const POOL_USAGE_HIGH: i64 = 12;
    pub const BACKUP_FAILED: i64 = 35;
    pub const BACKUP_DONE: i64 = 36;
}

/// Beyond this many, the oldest alerts are forgotten.
const KEEP: usize = 10_000;

#[derive(Debug, Default)]
pub struct Alerts {
    list: VecDeque<Alert>,
    next_id: i64,
}

/// What an alert is about and why.
pub struct Raise<'a> {
    pub resource: ResourceType,
    pub resource_id: &'a str,
    pub alert_type: i64,
    pub severity: SeverityType,
    pub message: String,
}

impl Alerts {
    pub fn all(&self) -> impl Iterator<Item = &Alert> {
        self.list.iter()
    }

    /// Raises an alert; one already active for the same resource and type is counted again
    /// and takes the new message and time.
    pub fn raise(&mut self, raise: Raise<'_>, at: Timestamp) {
        let active = self.list.iter_mut().find(|a| {
            !a.cleared
                && a.resource == raise.resource as i32
                && a.resource_id == raise.resource_id
                && a.alert_type == raise.alert_type
        });
        if let Some(alert) = active {
            alert.count += 1;
            alert.timestamp = Some(at);
            alert.message = raise.message;
            alert.severity = raise.severity as i32;
            return;
        }
        self.next_id += 1;
        self.list.push_back(Alert {
            id: self.next_id,
            severity: raise.severity as i32,
            alert_type: raise.alert_type,
            message: raise.message,
            timestamp: Some(at),
            resource_id: raise.resource_id.to_string(),
            resource: raise.resource as i32,
            cleared: false,
            ttl: 0,
            unique_tag: String::new(),
            count: 1,
            first_seen: Some(at),
        });
        while self.list.len() > KEEP {
            self.list.pop_front();
        }
    }

    /// Clears the active alert of this type on this resource, if any.
    pub fn clear(&mut self, resource: ResourceType, resource_id: &str, alert_type: i64) {
        for alert in self.list.iter_mut().filter(|a| {
            !a.cleared
                && a.resource == resource as i32
                && a.resource_id == resource_id
                && a.alert_type == alert_type
        }) {
            alert.cleared = true;
        }
    }

    pub fn is_active(&self, resource: ResourceType, resource_id: &str, alert_type: i64) -> bool {
        self.list.iter().any(|a| {
            !a.cleared
                && a.resource == resource as i32
                && a.resource_id == resource_id
                && a.alert_type == alert_type
        })
    }

    /// Removes the alerts `doomed` picks; returns how many.
    pub fn remove(&mut self, doomed: impl Fn(&Alert) -> bool) -> usize {
        let before = self.list.len();
        self.list.retain(|a| !doomed(a));
        before - self.list.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> Timestamp {
        Timestamp { seconds, nanos: 0 }
    }

    fn pool_high(id: &str) -> Raise<'_> {
        Raise {
            resource: ResourceType::Pool,
            resource_id: id,
            alert_type: kind::POOL_USAGE_HIGH,
            severity: SeverityType::Warning,
            message: format!("pool {id} is 85 % full"),
        }
    }

    #[test]
    fn raising_again_counts_and_clearing_ends_it() {
        let mut alerts = Alerts::default();
        alerts.raise(pool_high("p1"), at(10));
        alerts.raise(pool_high("p1"), at(20));
        alerts.raise(pool_high("p2"), at(30));
        let all: Vec<_> = alerts.all().collect();
        assert_eq!(all.len(), 2);
        assert_eq!(
            (all[0].count, all[0].first_seen, all[0].timestamp),
            (2, Some(at(10)), Some(at(20)))
        );
        alerts.clear(ResourceType::Pool, "p1", kind::POOL_USAGE_HIGH);
        assert!(!alerts.is_active(ResourceType::Pool, "p1", kind::POOL_USAGE_HIGH));
        assert!(alerts.is_active(ResourceType::Pool, "p2", kind::POOL_USAGE_HIGH));
        // Raised after clearing: a new alert, the cleared one stays as history.
        alerts.raise(pool_high("p1"), at(40));
        assert_eq!(alerts.all().count(), 3);
        assert_eq!(alerts.remove(|a| a.resource_id == "p1"), 2);
    }
}
