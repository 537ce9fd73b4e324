//! Alerts.

use crate::proto::ResourceType;

/// Every kind of resource an alert can be about: a query over all alerts names each (the SDK
/// has no "any resource").
pub const RESOURCE_TYPES: [ResourceType; 5] = [
    ResourceType::Volume,
    ResourceType::Node,
    ResourceType::Cluster,
    ResourceType::Drive,
    ResourceType::Pool,
];
