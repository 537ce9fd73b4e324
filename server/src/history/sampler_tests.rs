//! The sampler alone, with a probe that counts what it reads: no cluster, no socket.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use super::probe::{Answer, Probe};
use super::{Sampler, BUDGET, MAX_WATCHED};
use crate::proto::{Stats, StorageNode, Volume, VolumeSpec};
use crate::volume_view::{Change, Entry, VolumeView};

const GIB: u64 = 1 << 30;

/// A probe that records the volumes it reads and answers growing counters for any volume; its
/// driver does not do `not_cumulative`.
#[derive(Default)]
struct CountingProbe {
    stats: AtomicUsize,
    read: std::sync::Mutex<Vec<String>>,
}

impl Probe for CountingProbe {
    fn nodes(&self) -> Answer<Vec<StorageNode>> {
        Box::pin(async { Ok(Vec::new()) })
    }
    fn stats(&self, id: String) -> Answer<Stats> {
        let n = self.stats.fetch_add(1, Ordering::Relaxed) as u64;
        self.read.lock().unwrap().push(id);
        Box::pin(async move {
            Ok(Stats {
                reads: n * 10,
                writes: n * 5,
                ..Default::default()
            })
        })
    }
    fn interval_stats(&self, _: String) -> Answer<Stats> {
        Box::pin(async { Err(tonic::Status::unimplemented("no interval stats")) })
    }
    fn alarms(&self) -> Answer<u64> {
        Box::pin(async { Ok(0) })
    }
    fn backups(&self) -> Answer<Vec<crate::proto::SdkCloudBackupStatus>> {
        Box::pin(async { Ok(Vec::new()) })
    }
}

/// The number in a test volume's id (`v123`).
fn number(id: &str) -> usize {
    id[1..].parse().unwrap()
}

#[tokio::test]
async fn the_history_stays_bounded_with_100000_volumes() {
    let view = VolumeView::new();
    let changes: Vec<Change> = (0..100_000)
        .map(|i| {
            let volume = Volume {
                id: format!("v{i}"),
                attached_on: format!("node-{}", i % 3),
                spec: Some(VolumeSpec {
                    size: GIB,
                    ..Default::default()
                }),
                ..Default::default()
            };
            Change::Upsert(
                Entry::new(&volume, &format!("vol-{i}"), &HashMap::new()).expect("an id"),
            )
        })
        .collect();
    view.apply(changes);
    view.mark_listed(0);
    let probe = Arc::new(CountingProbe::default());
    // One sample a minute, taken when the test says.
    let metrics = Sampler::new(Duration::from_secs(60), view, probe.clone());
    tokio::time::sleep(Duration::from_millis(100)).await;
    // 300 volumes looked at: only the most recent MAX_WATCHED are kept.
    let looked = 300;
    for i in 0..looked {
        metrics
            .volume(&format!("v{i}"), Duration::from_secs(900))
            .await
            .unwrap();
    }
    assert_eq!(metrics.footprint().watched, MAX_WATCHED);
    // A sample just after a first look waits for a rate worth showing: the samples come a
    // second after the first looks.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let watched = |id: &String| (looked - MAX_WATCHED..looked).contains(&number(id));
    let mut in_turn: Vec<String> = Vec::new();
    for _ in 0..5 {
        probe.read.lock().unwrap().clear();
        metrics.sample().await;
        let read = std::mem::take(&mut *probe.read.lock().unwrap());
        assert_eq!(read.len(), BUDGET, "one sample reads the budget, no more");
        // The watched volumes every time, the others in turn.
        assert_eq!(read.iter().filter(|id| watched(id)).count(), MAX_WATCHED);
        in_turn.extend(read.into_iter().filter(|id| !watched(id)));
    }
    // No volume is read twice before every volume has been read once.
    let distinct: std::collections::HashSet<&String> = in_turn.iter().collect();
    assert_eq!(distinct.len(), in_turn.len());
    assert_eq!(in_turn.len(), 5 * (BUDGET - MAX_WATCHED));
    let footprint = metrics.footprint();
    // The cluster's series and the watched volumes', 5 points each (no nodes here); one
    // reading per volume read (those no longer watched included), no more.
    assert_eq!(footprint.points, 5 * (1 + MAX_WATCHED));
    let read: std::collections::HashSet<String> = (0..looked)
        .map(|i| format!("v{i}"))
        .chain(in_turn.iter().cloned())
        .collect();
    assert_eq!(footprint.sampled_volumes, read.len());
    // Read twice so far: the watched volumes, and those no longer watched that came up in
    // turn. The cluster's figure is estimated from them, and says so.
    let twice = MAX_WATCHED
        + in_turn
            .iter()
            .filter(|id| number(id) < looked - MAX_WATCHED)
            .count();
    let h = metrics.cluster(Duration::from_secs(3600));
    assert!(
        h.coverage.starts_with(&format!(
            "Estimated from {twice} of the 100000 attached volumes"
        )),
        "{}",
        h.coverage
    );
    assert!(
        footprint.sampled_volumes <= 5 * BUDGET + 300,
        "{footprint:?}"
    );
    // 57 more samples (62 in all): an hour at one a minute is 60 points per series.
    for _ in 0..57 {
        metrics.sample().await;
    }
    assert_eq!(metrics.footprint().points, 60 * (1 + MAX_WATCHED));
    assert!(h.points.last().unwrap().read_iops.unwrap() > 0.0);
}

/// Counters move by whole operations: a first look and a sample a few milliseconds apart would
/// read a quiet volume as 0 ops/s (or a busy one as millions). No point comes from a sample
/// closer than a second to the first look; the next sample's rate spans from the first look.
#[tokio::test]
async fn a_sample_just_after_a_first_look_waits_for_a_rate_worth_showing() {
    let view = VolumeView::new();
    let probe = Arc::new(CountingProbe::default());
    let metrics = Sampler::new(Duration::from_secs(60), view, probe.clone());
    let range = Duration::from_secs(900);
    metrics.volume("v1", range).await.unwrap();
    metrics.sample().await;
    let points = metrics.volume("v1", range).await.unwrap().points;
    assert!(
        points.is_empty(),
        "no point for a reading milliseconds after the first: {points:?}"
    );
    tokio::time::sleep(Duration::from_millis(1200)).await;
    metrics.sample().await;
    let points = metrics.volume("v1", range).await.unwrap().points;
    assert_eq!(points.len(), 1);
    let iops = points[0].read_iops.expect("a rate over a second");
    // 20 reads since the first look (the probe's third answer), over 1.2 s and a little more.
    assert!((12.0..=17.0).contains(&iops), "{iops} ops/s");
}
