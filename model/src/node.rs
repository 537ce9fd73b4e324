//! What a node holds.

use crate::proto::StorageNode;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::{StoragePool, StorageResource};

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
