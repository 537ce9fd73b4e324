//! Which SDK permission each call needs. The SDK's own methods are checked by their own
//! names (`roles`); the console's services show what SDK methods would, so a caller may use
//! them exactly when the cluster would let them make those calls.

/// The SDK method whose permission a view method needs: the volume methods show what
/// InspectWithFilters would, so callers may use them exactly when they may list volumes;
/// Health says what Identity.Version would.
/// Metrics' History shows what Stats would (volume I/O; the cluster's and nodes' are sums of
/// it), VolumeStates what InspectWithFilters would, Alarms what the alerts enumeration would.
pub fn sdk_equivalent(path: &str) -> Option<&'static str> {
    if let Some(method) = path.strip_prefix("/openstorage.console.v1.Metrics/") {
        return Some(match method {
            "History" => "/openstorage.api.OpenStorageVolume/Stats",
            "Alarms" => "/openstorage.api.OpenStorageAlerts/EnumerateWithFilters",
            _ => "/openstorage.api.OpenStorageVolume/InspectWithFilters",
        });
    }
    match path.strip_prefix("/openstorage.console.v1.VolumeView/")? {
        "Health" => Some("/openstorage.api.OpenStorageIdentity/Version"),
        _ => Some("/openstorage.api.OpenStorageVolume/InspectWithFilters"),
    }
}
