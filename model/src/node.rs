//! What a node holds.

use crate::proto::{Status, StorageNode};

/// Used and total bytes of a node: its storage pools, or its drives when it reports no pools
/// (some drivers report only drives).
pub fn capacity(node: &StorageNode) -> (u64, u64) {
    if node.pools.is_empty() {
        node.disks
            .values()
            .fold((0, 0), |(u, t), d| (u + d.used, t + d.size))
    } else {
        node.pools
            .iter()
            .fold((0, 0), |(u, t), p| (u + p.used, t + p.total_size))
    }
}

/// Used and total bytes of a cluster: the sum of its nodes' `capacity`.
pub fn total_capacity(nodes: &[StorageNode]) -> (u64, u64) {
    nodes
        .iter()
        .map(capacity)
        .fold((0, 0), |(u, t), (nu, nt)| (u + nu, t + nt))
}

/// How many of the nodes report status OK.
pub fn online(nodes: &[StorageNode]) -> usize {
    nodes
        .iter()
        .filter(|n| n.status == Status::Ok as i32)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::{StoragePool, StorageResource};

    #[test]
    fn a_cluster_sums_its_nodes_and_counts_those_online() {
        let node = |used, total_size, status: Status| StorageNode {
            pools: vec![StoragePool {
                used,
                total_size,
                ..Default::default()
            }],
            status: status as i32,
            ..Default::default()
        };
        let nodes = [node(1, 10, Status::Ok), node(2, 20, Status::Offline)];
        assert_eq!(total_capacity(&nodes), (3, 30));
        assert_eq!(online(&nodes), 1);
        assert_eq!(total_capacity(&[]), (0, 0));
    }

    #[test]
    fn pools_count_and_drives_stand_in_when_there_are_none() {
        let mut node = StorageNode {
            disks: [(
                "/dev/sdb".to_string(),
                StorageResource {
                    used: 5,
                    size: 50,
                    ..Default::default()
                },
            )]
            .into(),
            ..Default::default()
        };
        assert_eq!(capacity(&node), (5, 50));
        node.pools = vec![StoragePool {
            used: 7,
            total_size: 70,
            ..Default::default()
        }];
        assert_eq!(capacity(&node), (7, 70));
        assert_eq!(capacity(&StorageNode::default()), (0, 0));
    }
}
