//! The mock cluster's nodes: three storage nodes with realistic figures.

use crate::proto::{StorageMedium, StorageNode, StoragePool, StorageResource};

const GIB: u64 = 1024 * 1024 * 1024;

pub fn nodes(cluster_id: &str) -> Vec<StorageNode> {
    (1..=3u64)
        .map(|i| {
            let pool_size = 2048 * GIB;
            let pool_used = (120 + 37 * i) * GIB;
            StorageNode {
                // Node ids derive from the cluster id: stable for the process, unique per process.
                id: uuid::Uuid::new_v5(
                    &uuid::Uuid::NAMESPACE_OID,
                    format!("{cluster_id}/{i}").as_bytes(),
                )
                .to_string(),
                cpu: 8.0 + 5.5 * i as f64,
                mem_total: 64 * GIB,
                mem_used: (18 + 4 * i) * GIB,
                mem_free: (64 - 18 - 4 * i) * GIB,
                avg_load: 20 + 7 * i as i64,
                status: crate::proto::Status::Ok as i32,
                disks: [(
                    "/dev/nvme0n1".to_string(),
                    StorageResource {
                        id: format!("disk-{i}-0"),
                        path: "/dev/nvme0n1".into(),
                        online: true,
                        medium: StorageMedium::Nvme as i32,
                        size: pool_size,
                        used: pool_used,
                        ..Default::default()
                    },
                )]
                .into(),
                pools: vec![StoragePool {
                    id: 0,
                    medium: StorageMedium::Nvme as i32,
                    total_size: pool_size,
                    used: pool_used,
                    labels: [("medium".to_string(), "STORAGE_MEDIUM_NVME".to_string())].into(),
                    ..Default::default()
                }],
                mgmt_ip: format!("10.0.0.{}", 10 + i),
                data_ip: format!("10.0.1.{}", 10 + i),
                hostname: format!("storage-node-{i}"),
                node_labels: [
                    (
                        "topology.kubernetes.io/zone".to_string(),
                        format!("zone-{}", (i - 1) % 2 + 1),
                    ),
                    ("openstorage.io/role".to_string(), "storage".to_string()),
                ]
                .into(),
                scheduler_node_name: format!("storage-node-{i}"),
                ..Default::default()
            }
        })
        .collect()
}
