//! The volumes table: rows made from Inspect results, filtered by name and label, sorted by
//! any column, cut into pages. Pure, so 10,000 rows are tested natively; the page renders only
//! the current page's rows.

use std::cmp::Ordering;

use super::status::Tone;
use crate::proto::console::{self, VolumeColumn};
use crate::proto::{SdkVolumeInspectResponse, Volume, VolumeState, VolumeStatus};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct VolumeRow {
    pub id: String,
    pub name: String,
    pub size: u64,
    pub usage: u64,
    pub ha_level: i64,
    pub status: i32,
    pub state: i32,
    pub attached_on: String,
    /// The volume or snapshot this one was made from (empty for an original volume), and
    /// what to call it; see `rows`.
    pub parent_id: String,
    pub parent_name: String,
    /// Creation time, Unix seconds (0 when unknown).
    pub created: i64,
    /// Sorted by key.
    pub labels: Vec<(String, String)>,
}

impl VolumeRow {
    pub fn from_inspect(item: &SdkVolumeInspectResponse) -> Option<VolumeRow> {
        let volume = item.volume.as_ref()?;
        let spec = volume.spec.clone().unwrap_or_default();
        let mut labels: Vec<(String, String)> = item
            .labels
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        labels.sort();
        let name = if item.name.is_empty() {
            name_of(volume)
        } else {
            item.name.clone()
        };
        Some(VolumeRow {
            id: volume.id.clone(),
            name,
            size: spec.size,
            usage: volume.usage,
            ha_level: spec.ha_level,
            status: volume.status,
            state: volume.state,
            attached_on: volume.attached_on.clone(),
            parent_id: volume
                .source
                .as_ref()
                .map(|s| s.parent.clone())
                .unwrap_or_default(),
            parent_name: String::new(),
            created: volume.ctime.map_or(0, |t| t.seconds),
            labels,
        })
    }
}

impl VolumeRow {
    /// A row as the console's view service sends it.
    pub fn from_view(row: &console::VolumeRow) -> VolumeRow {
        let mut labels: Vec<(String, String)> = row
            .labels
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        labels.sort();
        VolumeRow {
            id: row.id.clone(),
            name: row.name.clone(),
            size: row.size,
            usage: row.usage,
            ha_level: row.ha_level,
            status: row.status,
            state: row.state,
            attached_on: row.attached_on.clone(),
            parent_id: row.parent_id.clone(),
            parent_name: row.parent_name.clone(),
            created: row.created,
            labels,
        }
    }
}

/// The volumes table's rows: every volume except read-only snapshots (those are listed on
/// their volume's page), each with its parent's name. Clusters whose snapshots are writable
/// list them here, with their parent, because nothing tells them from clones.
pub fn rows(items: &[SdkVolumeInspectResponse]) -> Vec<VolumeRow> {
    let names: std::collections::HashMap<&str, String> = items
        .iter()
        .filter_map(|i| {
            let v = i.volume.as_ref()?;
            let name = if i.name.is_empty() {
                name_of(v)
            } else {
                i.name.clone()
            };
            Some((v.id.as_str(), name))
        })
        .collect();
    items
        .iter()
        .filter(|item| !is_snapshot(item))
        .filter_map(VolumeRow::from_inspect)
        .map(|mut row| {
            if !row.parent_id.is_empty() {
                row.parent_name = names
                    .get(row.parent_id.as_str())
                    .cloned()
                    .unwrap_or_else(|| {
                        format!("deleted ({})", super::format::short_id(&row.parent_id))
                    });
            }
            row
        })
        .collect()
}

/// A volume's name, from its locator.
pub fn name_of(volume: &Volume) -> String {
    volume
        .locator
        .as_ref()
        .map(|l| l.name.clone())
        .unwrap_or_default()
}

/// Whether a volume is a snapshot: read-only with a parent.
pub fn is_snapshot_volume(volume: &Volume) -> bool {
    volume.readonly && volume.source.as_ref().is_some_and(|s| !s.parent.is_empty())
}

/// Whether an Inspect result is a snapshot: listed on its volume's page, not among volumes.
pub fn is_snapshot(item: &SdkVolumeInspectResponse) -> bool {
    item.volume.as_ref().is_some_and(is_snapshot_volume)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Name,
    Id,
    Size,
    HaLevel,
    Status,
    State,
    AttachedOn,
    Parent,
    Created,
}

impl Column {
    pub const ALL: [Column; 9] = [
        Column::Name,
        Column::Id,
        Column::Size,
        Column::HaLevel,
        Column::Status,
        Column::State,
        Column::AttachedOn,
        Column::Parent,
        Column::Created,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Column::Name => "Name",
            Column::Id => "ID",
            Column::Size => "Size",
            Column::HaLevel => "HA",
            Column::Status => "Status",
            Column::State => "State",
            Column::AttachedOn => "Attached on",
            Column::Parent => "Parent",
            Column::Created => "Created",
        }
    }

    /// The column as the view service names it.
    pub fn in_view(self) -> VolumeColumn {
        match self {
            Column::Name => VolumeColumn::Name,
            Column::Id => VolumeColumn::Id,
            Column::Size => VolumeColumn::Size,
            Column::HaLevel => VolumeColumn::HaLevel,
            Column::Status => VolumeColumn::Status,
            Column::State => VolumeColumn::State,
            Column::AttachedOn => VolumeColumn::AttachedOn,
            Column::Parent => VolumeColumn::Parent,
            Column::Created => VolumeColumn::Created,
        }
    }

    fn compare(self, a: &VolumeRow, b: &VolumeRow) -> Ordering {
        match self {
            Column::Name => a.name.to_lowercase().cmp(&b.name.to_lowercase()),
            Column::Id => a.id.cmp(&b.id),
            Column::Size => a.size.cmp(&b.size),
            Column::HaLevel => a.ha_level.cmp(&b.ha_level),
            Column::Status => volume_status(a.status).0.cmp(volume_status(b.status).0),
            Column::State => volume_state(a.state).cmp(volume_state(b.state)),
            Column::AttachedOn => a.attached_on.cmp(&b.attached_on),
            Column::Parent => a.parent_name.cmp(&b.parent_name),
            Column::Created => a.created.cmp(&b.created),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub column: Column,
    pub ascending: bool,
}

impl Sort {
    /// Clicking a column: sort by it, or flip the direction if it is already the sort.
    pub fn toggled(self, column: Column) -> Sort {
        if self.column == column {
            Sort {
                column,
                ascending: !self.ascending,
            }
        } else {
            Sort {
                column,
                ascending: true,
            }
        }
    }
}

/// Indices of the rows matching the filters, in sort order (ties broken by name, then id, so
/// the order is stable between refreshes).
pub fn select(
    rows: &[VolumeRow],
    name: &str,
    label: Option<&(String, String)>,
    sort: Sort,
) -> Vec<usize> {
    let needle = name.trim().to_lowercase();
    let mut picked: Vec<usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| needle.is_empty() || r.name.to_lowercase().contains(&needle))
        .filter(|(_, r)| {
            label.is_none_or(|(k, v)| r.labels.iter().any(|(rk, rv)| rk == k && rv == v))
        })
        .map(|(i, _)| i)
        .collect();
    picked.sort_by(|&a, &b| {
        let (a, b) = (&rows[a], &rows[b]);
        let primary = sort.column.compare(a, b);
        let primary = if sort.ascending {
            primary
        } else {
            primary.reverse()
        };
        primary
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.id.cmp(&b.id))
    });
    picked
}

/// Page `page` (0-based, clamped) of `total` items: the index range and the number of pages.
pub fn page_range(total: usize, page: usize, per_page: usize) -> (std::ops::Range<usize>, usize) {
    let pages = total.div_ceil(per_page.max(1)).max(1);
    let page = page.min(pages - 1);
    let start = page * per_page;
    (start..(start + per_page).min(total), pages)
}

/// A volume's health for people, and its tone.
pub fn volume_status(status: i32) -> (&'static str, Tone) {
    match VolumeStatus::try_from(status) {
        Ok(VolumeStatus::Up) => ("Up", Tone::Good),
        Ok(VolumeStatus::Degraded) => ("Degraded", Tone::Warning),
        Ok(VolumeStatus::Down) => ("Down", Tone::Bad),
        Ok(VolumeStatus::NotPresent) => ("Not present", Tone::Bad),
        _ => ("Unknown", Tone::Unknown),
    }
}

/// A volume's runtime state for people.
pub fn volume_state(state: i32) -> &'static str {
    match VolumeState::try_from(state) {
        Ok(VolumeState::Pending) => "Pending",
        Ok(VolumeState::Available) => "Available",
        Ok(VolumeState::Attached) => "Attached",
        Ok(VolumeState::Detached) => "Detached",
        Ok(VolumeState::Detatching) => "Detaching",
        Ok(VolumeState::Error) => "Error",
        Ok(VolumeState::Deleted) => "Deleted",
        Ok(VolumeState::TryDetaching) => "Trying to detach",
        Ok(VolumeState::Restore) => "Restoring",
        _ => "Unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::{Source, VolumeSpec};

    fn item(
        name: &str,
        size: u64,
        labels: &[(&str, &str)],
        created: i64,
    ) -> SdkVolumeInspectResponse {
        SdkVolumeInspectResponse {
            name: name.into(),
            labels: labels
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            volume: Some(Volume {
                id: format!("id-{name}"),
                spec: Some(VolumeSpec {
                    size,
                    ha_level: 1,
                    ..Default::default()
                }),
                ctime: Some(prost_types::Timestamp {
                    seconds: created,
                    nanos: 0,
                }),
                status: VolumeStatus::Up as i32,
                ..Default::default()
            }),
        }
    }

    fn rows(items: &[SdkVolumeInspectResponse]) -> Vec<VolumeRow> {
        items.iter().filter_map(VolumeRow::from_inspect).collect()
    }

    #[test]
    fn rows_name_their_parent_and_leave_read_only_snapshots_to_the_volume_page() {
        let mut base = item("base", 10, &[], 1);
        let child = |name: &str, parent: &str, readonly: bool| {
            let mut c = item(name, 10, &[], 2);
            let v = c.volume.as_mut().unwrap();
            v.readonly = readonly;
            v.source = Some(Source {
                parent: parent.into(),
                seed: String::new(),
            });
            c
        };
        base.volume.as_mut().unwrap().source = Some(Source::default());
        let items = vec![
            base,
            child("snap", "id-base", true),
            child("writable-snap-or-clone", "id-base", false),
            child("clone-of-snap", "id-snap", false),
            child("orphan", "9b64012f-gone", false),
        ];
        let rows = super::rows(&items);
        let shown: Vec<(&str, &str)> = rows
            .iter()
            .map(|r| (r.name.as_str(), r.parent_name.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                ("base", ""),
                ("writable-snap-or-clone", "base"),
                ("clone-of-snap", "snap"),
                ("orphan", "deleted (9b64012f)"),
            ]
        );
    }

    fn names(rows: &[VolumeRow], picked: &[usize]) -> Vec<String> {
        picked.iter().map(|&i| rows[i].name.clone()).collect()
    }

    #[test]
    fn filters_by_name_and_label_and_sorts_any_column() {
        let rows = rows(&[
            item("db-main", 100, &[("tier", "gold")], 3),
            item("web", 10, &[("tier", "bronze")], 1),
            item("DB-replica", 50, &[("tier", "gold")], 2),
        ]);
        let by_name = Sort {
            column: Column::Name,
            ascending: true,
        };
        assert_eq!(
            names(&rows, &select(&rows, "db", None, by_name)),
            ["db-main", "DB-replica"]
        );
        let gold = ("tier".to_string(), "gold".to_string());
        let size_desc = Sort {
            column: Column::Size,
            ascending: false,
        };
        assert_eq!(
            names(&rows, &select(&rows, "", Some(&gold), size_desc)),
            ["db-main", "DB-replica"]
        );
        let created = by_name.toggled(Column::Created);
        assert_eq!(
            names(&rows, &select(&rows, "", None, created)),
            ["web", "DB-replica", "db-main"]
        );
        assert!(!created.toggled(Column::Created).ascending);
        assert!(select(&rows, "nothing", None, by_name).is_empty());
    }

    #[test]
    fn ten_thousand_rows_filter_and_page() {
        let items: Vec<_> = (0..10_000)
            .map(|i| {
                item(
                    &format!("vol-{i:05}"),
                    i,
                    &[("shard", if i % 2 == 0 { "even" } else { "odd" })],
                    i as i64,
                )
            })
            .collect();
        let rows = rows(&items);
        let even = ("shard".to_string(), "even".to_string());
        let picked = select(
            &rows,
            "vol-0",
            Some(&even),
            Sort {
                column: Column::Size,
                ascending: false,
            },
        );
        assert_eq!(picked.len(), 5_000);
        assert_eq!(rows[picked[0]].name, "vol-09998");
        let (range, pages) = page_range(picked.len(), 2, 50);
        assert_eq!((range, pages), (100..150, 100));
        let (last, _) = page_range(picked.len(), 999, 50);
        assert_eq!(last, 4950..5000, "a page past the end shows the last page");
        assert_eq!(page_range(0, 0, 50), (0..0, 1));
    }

    #[test]
    fn snapshots_are_told_apart_and_states_named() {
        let mut snap = item("s", 1, &[], 0);
        let v = snap.volume.as_mut().unwrap();
        v.readonly = true;
        v.source = Some(Source {
            parent: "id-x".into(),
            seed: String::new(),
        });
        assert!(is_snapshot(&snap));
        assert!(!is_snapshot(&item("v", 1, &[], 0)));
        assert_eq!(volume_state(VolumeState::Restore as i32), "Restoring");
        assert_eq!(volume_status(VolumeStatus::Up as i32), ("Up", Tone::Good));
        assert_eq!(volume_status(99).0, "Unknown");
    }
}
