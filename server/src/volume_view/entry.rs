//! One volume as the view keeps it: the row the table shows (console-model's, as the browser
//! makes it without the view), plus what filters and ownership checks need.

use std::collections::HashMap;

use console_model::table::name_key;
use console_model::volume;

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
    /// The name as names compare (`table::name_key`), kept for matching and sorting.
    pub name_key: String,
    pub ownership: Option<Ownership>,
}

impl Entry {
    /// From a volume and the name and labels an InspectWithFilters answer gives it; None for a
    /// volume without an id.
    pub fn new(volume: &Volume, name: &str, labels: &HashMap<String, String>) -> Option<Entry> {
        let row = volume::row(volume, name, labels)?;
        Some(Entry {
            listed: !volume::is_snapshot(volume),
            name_key: name_key(&row.name),
            ownership: volume.spec.as_ref().and_then(|s| s.ownership.clone()),
            row,
        })
    }

    pub fn from_inspect(item: &SdkVolumeInspectResponse) -> Option<Entry> {
        Entry::new(item.volume.as_ref()?, &item.name, &item.labels)
    }

    pub fn id(&self) -> &str {
        &self.row.id
    }

    /// Its key in name order: the name key, then the id (unique).
    pub fn name_order(&self) -> (String, String) {
        (self.name_key.clone(), self.row.id.clone())
    }
}
