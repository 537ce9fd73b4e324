//! Names and tones for the SDK's `Status` enum (clusters, nodes, volumes share it).

use crate::proto::Status;

/// How a status should be read at a glance; the badge also prints the name, so colour is
/// never the only signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Good,
    Warning,
    Bad,
    Unknown,
}

impl Tone {
    /// CSS modifier for the badge.
    pub fn class(self) -> &'static str {
        match self {
            Tone::Good => "badge--good",
            Tone::Warning => "badge--warning",
            Tone::Bad => "badge--bad",
            Tone::Unknown => "badge--unknown",
        }
    }
}

/// A status as it arrives on the wire (an i32 that may be a value newer than our proto).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusView(pub i32);

impl StatusView {
    /// The SDK's own name (`STATUS_OK`), or `STATUS_<n>` for values this console does not know.
    pub fn sdk_name(self) -> String {
        match Status::try_from(self.0) {
            Ok(s) => s.as_str_name().to_string(),
            Err(_) => format!("STATUS_{}", self.0),
        }
    }

    /// The name for people: `STATUS_NOT_IN_QUORUM` reads `Not in quorum`.
    pub fn label(self) -> String {
        let name = self.sdk_name();
        let words = name.trim_start_matches("STATUS_").replace('_', " ");
        if words == "OK" {
            return words;
        }
        // SDK names are ASCII: the ASCII case rules spare the app the Unicode case tables.
        let mut chars = words.chars();
        match chars.next() {
            Some(first) => std::iter::once(first.to_ascii_uppercase())
                .chain(chars.map(|c| c.to_ascii_lowercase()))
                .collect(),
            None => name,
        }
    }

    pub fn tone(self) -> Tone {
        match Status::try_from(self.0) {
            Ok(Status::Ok) => Tone::Good,
            Ok(
                Status::Init
                | Status::Maintenance
                | Status::StorageDegraded
                | Status::StorageRebalance
                | Status::NeedsReboot
                | Status::Decommission
                | Status::StorageDriveReplace
                | Status::Poolmaintenance,
            ) => Tone::Warning,
            Ok(
                Status::Offline
                | Status::Error
                | Status::NotInQuorum
                | Status::NotInQuorumNoStorage
                | Status::StorageDown,
            ) => Tone::Bad,
            _ => Tone::Unknown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_sdk() {
        let ok = StatusView(Status::Ok as i32);
        assert_eq!(ok.sdk_name(), "STATUS_OK");
        assert_eq!(ok.label(), "OK");
        assert_eq!(
            StatusView(Status::NotInQuorum as i32).label(),
            "Not in quorum"
        );
    }

    #[test]
    fn tones_separate_healthy_degraded_and_down() {
        assert_eq!(StatusView(Status::Ok as i32).tone(), Tone::Good);
        assert_eq!(
            StatusView(Status::StorageDegraded as i32).tone(),
            Tone::Warning
        );
        assert_eq!(StatusView(Status::Offline as i32).tone(), Tone::Bad);
        assert_eq!(StatusView(Status::None as i32).tone(), Tone::Unknown);
    }

    #[test]
    fn unknown_values_are_shown_not_hidden() {
        let future = StatusView(9999);
        assert_eq!(future.sdk_name(), "STATUS_9999");
        assert_eq!(future.tone(), Tone::Unknown);
    }
}
