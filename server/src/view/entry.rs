//! One volume as the view keeps it: the row the table shows, plus what filters and ownership
//! checks need.

use std::collections::HashMap;

use crate::proto::console::VolumeRow;
use crate::proto::{Ownership, SdkVolumeInspectResponse, Volume};

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// `parent_name` is left empty here: it is filled in when answering, from the parent's
    /// current name.
    pub row: VolumeRow,
    /// Listed in the volumes table: everything but read-only snapshots (listed on their
    /// volume's page), as the console has always shown.
    pub listed: bool,
    /// The name in lower case, for case-insensitive matching and sorting.
    pub name_key: String,
    pub ownership: Option<Ownership>,
}

impl Entry {
    /// From a volume and the name and labels an InspectWithFilters answer gives it.
    pub fn new(volume: &Volume, name: &str, labels: &HashMap<String, String>) -> Entry {
        let spec = volume.spec.clone().unwrap_or_default();
        let parent_id = volume
            .source
            .as_ref()
            .map(|s| s.parent.clone())
            .unwrap_or_default();
        let name = if name.is_empty() {
            volume
                .locator
                .as_ref()
                .map(|l| l.name.clone())
                .unwrap_or_default()
        } else {
            name.to_string()
        };
        let mut replica_nodes: Vec<String> = volume
            .replica_sets
            .iter()
            .flat_map(|set| set.nodes.iter().cloned())
            .collect();
        replica_nodes.sort();
        replica_nodes.dedup();
        Entry {
            listed: !volume.readonly || parent_id.is_empty(),
            name_key: name.to_lowercase(),
            ownership: spec.ownership.clone(),
            row: VolumeRow {
                id: volume.id.clone(),
                name,
                size: spec.size,
                usage: volume.usage,
                ha_level: spec.ha_level,
                status: volume.status,
                state: volume.state,
                attached_on: volume.attached_on.clone(),
                parent_id,
                parent_name: String::new(),
                created: volume.ctime.map_or(0, |t| t.seconds),
                labels: labels.clone(),
                replica_nodes,
            },
        }
    }

    pub fn from_inspect(item: &SdkVolumeInspectResponse) -> Option<Entry> {
        let volume = item.volume.as_ref().filter(|v| !v.id.is_empty())?;
        Some(Entry::new(volume, &item.name, &item.labels))
    }

    pub fn id(&self) -> &str {
        &self.row.id
    }

    /// Its key in name order: the lower-case name, then the id (unique).
    pub fn name_order(&self) -> (String, String) {
        (self.name_key.clone(), self.row.id.clone())
    }
}
