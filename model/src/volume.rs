//! A volume as the volumes table shows it: one row per volume, read-only snapshots left to
//! their volume's page, parents named.

use std::collections::HashMap;

use crate::proto::{SdkVolumeInspectResponse, Volume};
use crate::VolumeRow;

/// A volume's name, from its locator.
pub fn name_of(volume: &Volume) -> &str {
    volume.locator.as_ref().map_or("", |l| l.name.as_str())
}

/// Whether a volume is a snapshot: read-only with a parent. Clusters whose snapshots are
/// writable list them as volumes, because nothing tells them from clones.
pub fn is_snapshot(volume: &Volume) -> bool {
    volume.readonly && volume.source.as_ref().is_some_and(|s| !s.parent.is_empty())
}

/// Whether an Inspect answer is a snapshot (listed on its volume's page, not among volumes).
pub fn is_snapshot_item(item: &SdkVolumeInspectResponse) -> bool {
    item.volume.as_ref().is_some_and(is_snapshot)
}

/// The row of a volume, with the name and labels an Inspect answer gives it (the locator's
/// name when that is empty). `parent_name` is left empty: see `parent_name`. None for a volume
/// without an id, which no later call could name.
pub fn row(volume: &Volume, name: &str, labels: &HashMap<String, String>) -> Option<VolumeRow> {
    if volume.id.is_empty() {
        return None;
    }
    let spec = volume.spec.as_ref();
    let mut replica_nodes: Vec<String> = volume
        .replica_sets
        .iter()
        .flat_map(|set| set.nodes.iter().cloned())
        .collect();
    crate::order::sort_by(&mut replica_nodes, String::cmp);
    replica_nodes.dedup();
    Some(VolumeRow {
        id: volume.id.clone(),
        name: if name.is_empty() {
            name_of(volume).to_string()
        } else {
            name.to_string()
        },
        size: spec.map_or(0, |s| s.size),
        usage: volume.usage,
        ha_level: spec.map_or(0, |s| s.ha_level),
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
        labels: labels.clone(),
        replica_nodes,
    })
}

/// The row of an Inspect answer.
pub fn row_of_item(item: &SdkVolumeInspectResponse) -> Option<VolumeRow> {
    row(item.volume.as_ref()?, &item.name, &item.labels)
}

/// What the Parent column says of a parent: its name, or that it is gone.
pub fn parent_name<'a>(name_of_id: impl Fn(&str) -> Option<&'a str>, parent_id: &str) -> String {
    match name_of_id(parent_id) {
        Some(name) => name.to_string(),
        None => format!("deleted ({})", short_id(parent_id)),
    }
}

/// The first eight characters of an id, as ids are shown where space is short.
pub fn short_id(id: &str) -> &str {
    let end = id.char_indices().nth(8).map_or(id.len(), |(i, _)| i);
    &id[..end]
}

/// The volumes table's rows from one InspectWithFilters answer (what a console without the
/// view service lists): every volume but read-only snapshots, each with its parent's name.
pub fn rows(items: &[SdkVolumeInspectResponse]) -> Vec<VolumeRow> {
    let names: HashMap<&str, &str> = items
        .iter()
        .filter_map(|i| {
            let v = i.volume.as_ref()?;
            let name = if i.name.is_empty() {
                name_of(v)
            } else {
                i.name.as_str()
            };
            Some((v.id.as_str(), name))
        })
        .collect();
    items
        .iter()
        .filter(|item| !is_snapshot_item(item))
        .filter_map(row_of_item)
        .map(|mut row| {
            if !row.parent_id.is_empty() {
                row.parent_name = parent_name(|id| names.get(id).copied(), &row.parent_id);
            }
            row
        })
        .collect()
}

/// Whether a volume is attached on, or holds a replica on, a node (by the node's id).
pub fn on_node(row: &VolumeRow, node: &str) -> bool {
    row.attached_on == node || row.replica_nodes.iter().any(|n| n == node)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::{ReplicaSet, Source, VolumeLocator, VolumeSpec};

    fn item(id: &str, name: &str) -> SdkVolumeInspectResponse {
        SdkVolumeInspectResponse {
            name: name.into(),
            labels: HashMap::from([("tier".to_string(), "gold".to_string())]),
            volume: Some(Volume {
                id: id.into(),
                spec: Some(VolumeSpec {
                    size: 10,
                    ha_level: 2,
                    ..Default::default()
                }),
                ..Default::default()
            }),
        }
    }

    fn child(id: &str, name: &str, parent: &str, readonly: bool) -> SdkVolumeInspectResponse {
        let mut c = item(id, name);
        let v = c.volume.as_mut().unwrap();
        v.readonly = readonly;
        v.source = Some(Source {
            parent: parent.into(),
            seed: String::new(),
        });
        c
    }

    #[test]
    fn rows_name_their_parent_and_leave_read_only_snapshots_to_the_volume_page() {
        let items = vec![
            item("id-base", "base"),
            child("id-snap", "snap", "id-base", true),
            child("id-w", "writable-snap-or-clone", "id-base", false),
            child("id-c", "clone-of-snap", "id-snap", false),
            child("id-o", "orphan", "9b64012f-gone", false),
            item("", "no-id"),
        ];
        let shown: Vec<(String, String)> = rows(&items)
            .into_iter()
            .map(|r| (r.name, r.parent_name))
            .collect();
        let want = [
            ("base", ""),
            ("writable-snap-or-clone", "base"),
            ("clone-of-snap", "snap"),
            ("orphan", "deleted (9b64012f)"),
        ];
        assert_eq!(shown.len(), want.len());
        for ((name, parent), (want_name, want_parent)) in shown.iter().zip(want) {
            assert_eq!((name.as_str(), parent.as_str()), (want_name, want_parent));
        }
    }

    #[test]
    fn a_row_takes_the_locator_name_and_every_replica_node_once() {
        let mut it = item("v1", "");
        let v = it.volume.as_mut().unwrap();
        v.locator = Some(VolumeLocator {
            name: "from-locator".into(),
            ..Default::default()
        });
        v.replica_sets = vec![
            ReplicaSet {
                nodes: vec!["n2".into(), "n1".into()],
                ..Default::default()
            },
            ReplicaSet {
                nodes: vec!["n1".into()],
                ..Default::default()
            },
        ];
        v.attached_on = "n3".into();
        let row = row_of_item(&it).unwrap();
        assert_eq!(row.name, "from-locator");
        assert_eq!(row.replica_nodes, ["n1", "n2"]);
        assert_eq!((row.size, row.ha_level), (10, 2));
        assert!(on_node(&row, "n1") && on_node(&row, "n3") && !on_node(&row, "n4"));
        assert!(row_of_item(&item("", "x")).is_none(), "no id, no row");
        assert_eq!(short_id("ünïcödé-ïd"), "ünïcödé-");
    }
}
