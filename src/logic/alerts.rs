//! How alerts read: severity words and tones, resource kinds, and where each alert's resource
//! is shown in the console.

use super::status::Tone;
use crate::proto::{Alert, ResourceType, SeverityType, StorageNode};

/// An alert's severity in words, with its tone.
pub fn severity(value: i32) -> (&'static str, Tone) {
    match SeverityType::try_from(value) {
        Ok(SeverityType::Alarm) => ("Alarm", Tone::Bad),
        Ok(SeverityType::Warning) => ("Warning", Tone::Warning),
        Ok(SeverityType::Notify) => ("Notice", Tone::Good),
        _ => ("None", Tone::Unknown),
    }
}

/// The kind of resource an alert is about, in words.
pub fn resource_name(value: i32) -> &'static str {
    match ResourceType::try_from(value) {
        Ok(ResourceType::Volume) => "Volume",
        Ok(ResourceType::Node) => "Node",
        Ok(ResourceType::Cluster) => "Cluster",
        Ok(ResourceType::Drive) => "Drive",
        Ok(ResourceType::Pool) => "Pool",
        _ => "Other",
    }
}

/// Where an alert's resource is shown: volumes and nodes have pages; a pool or drive is on
/// its node's page; the cluster is the overview.
pub fn resource_link(alert: &Alert, nodes: &[StorageNode]) -> Option<(String, String)> {
    let id = alert.resource_id.clone();
    let node_named = |node: &StorageNode| (format!("/nodes/{}", node.id), node.hostname.clone());
    match ResourceType::try_from(alert.resource).ok()? {
        ResourceType::Volume => Some((format!("/volumes/{id}"), id)),
        ResourceType::Node => Some(
            nodes
                .iter()
                .find(|n| n.id == id)
                .map(node_named)
                .unwrap_or((format!("/nodes/{id}"), id)),
        ),
        ResourceType::Cluster => Some(("/".into(), "Cluster".into())),
        ResourceType::Pool => nodes
            .iter()
            .find(|n| {
                n.pools
                    .iter()
                    .any(|p| p.uuid == id || p.id.to_string() == id)
            })
            .map(|n| (format!("/nodes/{}", n.id), format!("{} pool", n.hostname))),
        ResourceType::Drive => nodes
            .iter()
            .find(|n| n.disks.values().any(|d| d.id == id || d.path == id))
            .map(|n| (format!("/nodes/{}", n.id), format!("{} drive", n.hostname))),
        ResourceType::None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::{StoragePool, StorageResource};

    fn alert(resource: ResourceType, id: &str) -> Alert {
        Alert {
            resource: resource as i32,
            resource_id: id.into(),
            ..Default::default()
        }
    }

    #[test]
    fn words_and_tones() {
        assert_eq!(severity(SeverityType::Alarm as i32), ("Alarm", Tone::Bad));
        assert_eq!(severity(99).0, "None");
        assert_eq!(resource_name(ResourceType::Pool as i32), "Pool");
        assert_eq!(resource_name(99), "Other");
    }

    #[test]
    fn each_resource_links_where_the_console_shows_it() {
        let node = StorageNode {
            id: "n1".into(),
            hostname: "host-1".into(),
            pools: vec![StoragePool {
                uuid: "pool-uuid".into(),
                ..Default::default()
            }],
            disks: [(
                "/dev/sdb".to_string(),
                StorageResource {
                    id: "disk-1".into(),
                    path: "/dev/sdb".into(),
                    ..Default::default()
                },
            )]
            .into(),
            ..Default::default()
        };
        let nodes = [node];
        let link = |r, id| resource_link(&alert(r, id), &nodes);
        assert_eq!(
            link(ResourceType::Volume, "v1"),
            Some(("/volumes/v1".into(), "v1".into()))
        );
        assert_eq!(
            link(ResourceType::Node, "n1"),
            Some(("/nodes/n1".into(), "host-1".into()))
        );
        assert_eq!(
            link(ResourceType::Node, "gone"),
            Some(("/nodes/gone".into(), "gone".into()))
        );
        assert_eq!(
            link(ResourceType::Cluster, "c"),
            Some(("/".into(), "Cluster".into()))
        );
        assert_eq!(
            link(ResourceType::Pool, "pool-uuid"),
            Some(("/nodes/n1".into(), "host-1 pool".into()))
        );
        assert_eq!(
            link(ResourceType::Drive, "/dev/sdb"),
            Some(("/nodes/n1".into(), "host-1 drive".into()))
        );
        assert_eq!(link(ResourceType::Pool, "other"), None);
        assert_eq!(link(ResourceType::None, "x"), None);
    }
}
