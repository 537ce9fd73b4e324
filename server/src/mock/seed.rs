//! `--seed-volumes N`: a cluster with many volumes for demos and benchmarks. Names, sizes,
//! labels, states, health and nodes vary as on a real cluster, from a fixed seed, so two runs
//! hold the same volumes (with new ids).

use std::time::Instant;

use super::store::Store;
use super::ClusterDescription;
use crate::proto::{
    ReplicaSet, Source, Volume, VolumeLocator, VolumeSpec, VolumeState, VolumeStatus,
};

const GIB: u64 = 1 << 30;
const APPS: [&str; 8] = [
    "pvc",
    "db",
    "logs",
    "cache",
    "backup",
    "analytics",
    "web",
    "queue",
];
const ENVS: [&str; 3] = ["prod", "staging", "dev"];
const TIERS: [&str; 3] = ["gold", "silver", "bronze"];
const SIZES_GIB: [u64; 9] = [1, 5, 10, 20, 50, 100, 200, 500, 1024];
const YEAR_SECS: u64 = 365 * 24 * 3600;

pub fn volumes(store: &mut Store, cluster: &ClusterDescription, now: Instant, count: usize) {
    let mut rng = fastrand::Rng::with_seed(0x05ee_d0f5);
    let now_secs = cluster.clock.timestamp(now).seconds;
    let nodes: Vec<&str> = cluster.nodes.iter().map(|n| n.id.as_str()).collect();
    for i in 0..count {
        let app = APPS[rng.usize(..APPS.len())];
        let size = SIZES_GIB[rng.usize(..SIZES_GIB.len())] * GIB;
        let ha_level = rng.i64(1..=3);
        let first = rng.usize(..nodes.len());
        let replicas: Vec<String> = (0..ha_level as usize)
            .map(|r| nodes[(first + r) % nodes.len()].to_string())
            .collect();
        let attached = rng.f32() < 0.4;
        let status = match rng.u8(..100) {
            0..=91 => VolumeStatus::Up,
            92..=96 => VolumeStatus::Degraded,
            _ => VolumeStatus::Down,
        };
        let labels = [
            ("app", app),
            ("env", ENVS[rng.usize(..ENVS.len())]),
            ("tier", TIERS[rng.usize(..TIERS.len())]),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let name = format!("{app}-{i:06}-{:04x}", rng.u16(..));
        store.insert_volume(Volume {
            id: uuid::Uuid::new_v4().to_string(),
            source: Some(Source::default()),
            locator: Some(VolumeLocator {
                name,
                volume_labels: labels,
                ..Default::default()
            }),
            ctime: Some(prost_types::Timestamp {
                seconds: now_secs - rng.u64(..YEAR_SECS) as i64,
                nanos: 0,
            }),
            usage: (size as f64 * rng.f64() * 0.9) as u64,
            status: status as i32,
            state: if attached {
                VolumeState::Attached
            } else {
                VolumeState::Detached
            } as i32,
            attached_on: if attached {
                replicas[0].clone()
            } else {
                String::new()
            },
            // Attached within the last day: their I/O counters run from then.
            attach_time: attached.then(|| prost_types::Timestamp {
                seconds: now_secs - rng.i64(60..86_400),
                nanos: 0,
            }),
            replica_sets: vec![ReplicaSet {
                nodes: replicas,
                pool_uuids: Vec::new(),
            }],
            spec: Some(VolumeSpec {
                size,
                ha_level,
                ..Default::default()
            }),
            ..Default::default()
        });
    }
}
