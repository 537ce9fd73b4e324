//! Performance history: one sampler reads the cluster every interval, whatever the number of
//! open tabs, and keeps the last hour in memory for the cluster, each node and the volumes
//! someone looked at in the last 15 minutes (at most `MAX_WATCHED`). Cluster and node I/O is
//! the sum over attached volumes, read in turn at most `BUDGET` per interval, so 100,000
//! volumes cost the cluster the same number of calls as 1,000.

pub mod export;
pub mod forecast;
pub mod probe;
pub mod prometheus;
pub mod rate;
pub mod service;

#[cfg(test)]
mod sampler_tests;

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tokio::task::JoinSet;
use tonic::{Code, Status};

use self::probe::Probe;
use self::rate::{Rates, Reading};
use crate::proto::console::HistoryPoint;
use crate::proto::{Stats, StorageNode};
use crate::volume_view::VolumeView;

/// How far back the history goes.
pub const KEEP_FOR: Duration = Duration::from_secs(3600);
/// A volume nobody asked about for this long is no longer sampled on its own.
const WATCH_FOR: Duration = Duration::from_secs(15 * 60);
/// Volumes sampled on their own at most (the least recently asked about is dropped).
pub const MAX_WATCHED: usize = 100;
/// Stats calls per interval at most, watched volumes included: 30 a second at 10 s, gentle
/// on a cluster whatever its size.
pub const BUDGET: usize = 300;
/// Stats calls in flight at once.
const CONCURRENCY: usize = 16;
/// Seconds between two readings for a rate at least (half the interval when that is shorter).
const MIN_RATE_SPAN: f64 = 1.0;
/// Readings of a volume read every interval further apart than this many intervals are a gap.
const WATCHED_GAP: f64 = 2.5;

/// What the history holds, for tests and logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Footprint {
    pub watched: usize,
    pub sampled_volumes: usize,
    pub points: usize,
}

#[derive(Default)]
struct Series(VecDeque<HistoryPoint>);

impl Series {
    /// Appends a point no older than the last one; keeps the newest `keep`.
    fn push(&mut self, point: HistoryPoint, keep: usize) {
        if self.0.back().is_some_and(|last| last.time > point.time) {
            return;
        }
        self.0.push_back(point);
        while self.0.len() > keep {
            self.0.pop_front();
        }
    }
}

struct Watched {
    series: Series,
    asked: Instant,
    /// Why the last reading of this volume failed.
    error: Option<String>,
}

/// The last reading of a volume's counters and the rates it gave.
#[derive(Default)]
struct Sampled {
    last: Option<Reading>,
    /// `last` is a first look (`Sampler::volume`), not one of the sampler's readings.
    first_look: bool,
    rates: Option<(f64, Rates)>,
}

#[derive(Default)]
struct State {
    cluster: Series,
    nodes: HashMap<String, Series>,
    watched: HashMap<String, Watched>,
    /// Volumes being looked at for the first time (their first readings are under way).
    starting: HashSet<String>,
    volumes: HashMap<String, Sampled>,
    /// The last attached volume read in turn (volumes are read in id order).
    read_through: Option<String>,
    /// Intervals it takes to read every attached volume once.
    turn: usize,
    coverage: String,
    /// Why the last node listing failed.
    last_error: String,
    /// Active alarms at the last count, or why there is none.
    alarms: Option<Result<u64, String>>,
    /// The last node listing and each node's I/O estimate from it, for the export.
    nodes_now: Vec<StorageNode>,
    node_rates: HashMap<String, Rates>,
    /// Each volume's latest backup as of the last look (none where the cluster keeps none).
    backups: HashMap<String, export::BackupState>,
}

pub struct Sampler {
    interval: Duration,
    view: Arc<VolumeView>,
    probe: Arc<dyn Probe>,
    /// Calls made to the cluster so far (for `/metrics`).
    calls: Arc<AtomicU64>,
    /// Samples in which the cluster's nodes could not be read (for `/metrics` and its alert).
    failures: AtomicU64,
    state: Mutex<State>,
    /// Where the charts read longer history (`--prometheus`), when the cluster has one.
    prometheus: std::sync::OnceLock<Arc<prometheus::Prometheus>>,
}

impl std::fmt::Debug for Sampler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sampler")
            .field("interval", &self.interval)
            .field("footprint", &self.footprint())
            .finish_non_exhaustive()
    }
}

/// What a history request gets.
#[derive(Default)]
pub struct History {
    pub points: Vec<HistoryPoint>,
    pub coverage: String,
    pub last_error: String,
    /// The seconds asked for (to tell a history that starts late).
    pub range: u64,
}

fn unix_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

impl Sampler {
    /// A history that samples when `sample` is called (see `start`).
    pub fn new(interval: Duration, view: Arc<VolumeView>, probe: Arc<dyn Probe>) -> Arc<Sampler> {
        let calls = Arc::new(AtomicU64::new(0));
        Arc::new(Sampler {
            interval,
            view,
            probe: Arc::new(probe::Counted::new(probe, calls.clone())),
            calls,
            failures: AtomicU64::new(0),
            state: Mutex::default(),
            prometheus: std::sync::OnceLock::new(),
        })
    }

    /// The charts read this Prometheus from now on (set once, at start-up).
    pub fn keep_in(&self, prometheus: prometheus::Prometheus) {
        let _ = self.prometheus.set(Arc::new(prometheus));
    }

    pub fn prometheus(&self) -> Option<&Arc<prometheus::Prometheus>> {
        self.prometheus.get()
    }

    /// Calls the sampler has made to the cluster so far.
    pub fn calls(&self) -> u64 {
        self.calls.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Samples so far in which the cluster's nodes could not be read.
    pub fn failures(&self) -> u64 {
        self.failures.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// A history that samples every `interval`, the first time at once.
    pub fn start(interval: Duration, view: Arc<VolumeView>, probe: Arc<dyn Probe>) -> Arc<Sampler> {
        let metrics = Sampler::new(interval, view, probe);
        let weak = Arc::downgrade(&metrics);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(interval);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                let Some(metrics) = weak.upgrade() else {
                    return;
                };
                metrics.sample().await;
            }
        });
        metrics
    }

    pub fn interval(&self) -> Duration {
        self.interval
    }

    fn keep(&self) -> usize {
        (KEEP_FOR.as_secs_f64() / self.interval.as_secs_f64()).ceil() as usize
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn footprint(&self) -> Footprint {
        let state = self.lock();
        Footprint {
            watched: state.watched.len(),
            sampled_volumes: state.volumes.len(),
            points: state.cluster.0.len()
                + state.nodes.values().map(|s| s.0.len()).sum::<usize>()
                + state
                    .watched
                    .values()
                    .map(|w| w.series.0.len())
                    .sum::<usize>(),
        }
    }

    fn since(series: &Series, range: Duration) -> Vec<HistoryPoint> {
        let from = unix_now() as i64 - range.as_secs() as i64;
        series
            .0
            .iter()
            .filter(|p| p.time >= from)
            .cloned()
            .collect()
    }

    pub fn cluster(&self, range: Duration) -> History {
        let state = self.lock();
        History {
            points: Self::since(&state.cluster, range),
            coverage: state.coverage.clone(),
            last_error: state.last_error.clone(),
            range: range.as_secs(),
        }
    }

    pub fn node(&self, id: &str, range: Duration) -> Option<History> {
        let state = self.lock();
        let series = state.nodes.get(id)?;
        Some(History {
            points: Self::since(series, range),
            coverage: state.coverage.clone(),
            last_error: state.last_error.clone(),
            range: range.as_secs(),
        })
    }

    /// A volume's history. The first question reads the volume at once (NOT_FOUND when the
    /// cluster has no such volume) and starts sampling it; a driver that answers
    /// `not_cumulative` gives the first point straight away.
    pub async fn volume(&self, id: &str, range: Duration) -> Result<History, Status> {
        {
            let mut state = self.lock();
            if let Some(watched) = state.watched.get_mut(id) {
                watched.asked = Instant::now();
                return Ok(History {
                    points: Self::since(&watched.series, range),
                    coverage: String::new(),
                    last_error: watched.error.clone().unwrap_or_default(),
                    range: range.as_secs(),
                });
            }
            // Another tab is starting it: nothing to show yet.
            if !state.starting.insert(id.to_string()) {
                return Ok(History::default());
            }
        }
        let first = self.first_readings(id).await;
        let mut state = self.lock();
        state.starting.remove(id);
        let (cumulative, interval) = first?;
        let at = cumulative.at;
        let mut series = Series::default();
        if let Some(rates) = interval {
            let mut point = rates_point(at.round() as i64, Some(rates));
            point.used_bytes = Some(cumulative.stats.bytes_used);
            point.capacity_bytes = self.view.get(id).map_or(0, |e| e.row.size);
            series.push(point, self.keep());
        }
        let sampled = state.volumes.entry(id.to_string()).or_default();
        if sampled.last.as_ref().is_none_or(|last| last.at < at) {
            sampled.last = Some(cumulative);
            sampled.first_look = true;
        }
        if state.watched.len() >= MAX_WATCHED {
            let oldest = state
                .watched
                .iter()
                .min_by_key(|(_, w)| w.asked)
                .map(|(id, _)| id.clone());
            if let Some(oldest) = oldest {
                state.watched.remove(&oldest);
            }
        }
        let points = Self::since(&series, range);
        state.watched.insert(
            id.to_string(),
            Watched {
                series,
                asked: Instant::now(),
                error: None,
            },
        );
        Ok(History {
            points,
            coverage: String::new(),
            last_error: String::new(),
            range: range.as_secs(),
        })
    }

    /// The first readings of a volume: its cumulative counters, and the rates of its
    /// `not_cumulative` counters where the driver honours the flag (one that ignores it answers
    /// the same counters both times, and those are no rates).
    async fn first_readings(&self, id: &str) -> Result<(Reading, Option<Rates>), Status> {
        let at = unix_now();
        let (cumulative, interval) = tokio::join!(
            self.probe.stats(id.to_string()),
            self.probe.interval_stats(id.to_string())
        );
        let cumulative = cumulative?;
        // Whole-number counters over less than a second (a volume attached just now) are no
        // rate worth showing.
        let rates = interval
            .ok()
            .filter(|i| *i != cumulative && i.interval_ms >= 1000)
            .and_then(|i| rate::interval(&i));
        Ok((
            Reading {
                at,
                stats: cumulative,
            },
            rates,
        ))
    }

    /// Reads volumes' counters; each answer comes back with the volume's id.
    async fn read_volumes(&self, ids: Vec<String>) -> Vec<(String, Result<Stats, Status>)> {
        let mut calls = JoinSet::new();
        let mut results = Vec::with_capacity(ids.len());
        let mut pending = ids.into_iter();
        loop {
            while calls.len() < CONCURRENCY {
                let Some(id) = pending.next() else { break };
                let answer = self.probe.stats(id.clone());
                calls.spawn(async move { (id, answer.await) });
            }
            let Some(joined) = calls.join_next().await else {
                break;
            };
            if let Ok(result) = joined {
                results.push(result);
            }
        }
        results
    }

    /// One sample of everything.
    pub async fn sample(&self) {
        let at = unix_now();
        let mut attached = self.view.attached();
        attached.sort_unstable();
        let (watched, chunk) = {
            let mut state = self.lock();
            let now = Instant::now();
            state
                .watched
                .retain(|_, w| now.duration_since(w.asked) < WATCH_FOR);
            let watched: Vec<String> = state.watched.keys().cloned().collect();
            let budget = BUDGET.saturating_sub(watched.len()).max(1);
            let skip: HashSet<&String> = watched.iter().collect();
            let others: Vec<&String> = attached
                .iter()
                .map(|(id, _)| id)
                .filter(|id| !skip.contains(id))
                .collect();
            // In id order from after the last one read, so every volume gets its turn however
            // volumes come and go.
            let start = state
                .read_through
                .as_ref()
                .map_or(0, |last| others.partition_point(|id| *id <= last));
            let chunk: Vec<String> = others
                .iter()
                .cycle()
                .skip(start)
                .take(budget.min(others.len()))
                .map(|id| id.to_string())
                .collect();
            state.read_through = chunk.last().cloned();
            state.turn = others.len().div_ceil(budget).max(1);
            (watched, chunk)
        };
        let nodes = self.probe.nodes();
        let alarms = self.probe.alarms();
        let backups = self.probe.backups();
        let mut ids = watched.clone();
        ids.extend(chunk);
        let (nodes, alarms, backups, results) =
            tokio::join!(nodes, alarms, backups, self.read_volumes(ids));
        // A cluster without the backup service (or the rights) just exports no backup states.
        if let Ok(backups) = backups {
            self.lock().backups = export::latest_backups(&backups);
        }
        self.lock().alarms = Some(alarms.map_err(|status| {
            if status.code() == Code::Unimplemented
                || console_model::sdk_answers::not_initialized(status.message())
            {
                format!("the cluster keeps no alerts: {}", status.message())
            } else {
                format!("counting alarms: {}", status.message())
            }
        }));
        self.record(at, &attached, &watched, nodes, results);
    }

    /// Active alarms as last counted, or why there is no count.
    pub fn alarms(&self) -> Result<u64, String> {
        self.lock()
            .alarms
            .clone()
            .unwrap_or_else(|| Err("not counted yet".into()))
    }

    fn record(
        &self,
        at: f64,
        attached: &[(String, String)],
        watched: &[String],
        nodes: Result<Vec<StorageNode>, Status>,
        results: Vec<(String, Result<Stats, Status>)>,
    ) {
        let keep = self.keep();
        let time = at.round() as i64;
        let interval = self.interval.as_secs_f64();
        let mut state = self.lock();
        let turn_gap = interval * (state.turn.max(1) as f64 + 1.5);
        let min_span = MIN_RATE_SPAN.min(interval / 2.0);
        let watched_set: HashSet<&str> = watched.iter().map(String::as_str).collect();
        let mut failed: HashMap<String, Status> = HashMap::new();
        let mut too_soon: HashSet<String> = HashSet::new();
        for (id, result) in results {
            match result {
                Ok(stats) => {
                    let reading = Reading { at, stats };
                    let gap = if watched_set.contains(id.as_str()) {
                        interval * WATCHED_GAP
                    } else {
                        turn_gap
                    };
                    let sampled = state.volumes.entry(id.clone()).or_default();
                    // Counters move by whole operations, so readings close together give no
                    // rate worth showing: a quiet volume reads as 0 ops/s over 50 ms. The
                    // sampler's readings are an interval apart, but a first look can come just
                    // before a sample: keep the first look until a reading is far enough from
                    // it, and draw no point for this one. An older reading (a first look racing
                    // a sample) never replaces a newer.
                    let span = sampled.last.as_ref().map(|last| at - last.at);
                    if span
                        .is_some_and(|span| span <= 0.0 || (sampled.first_look && span < min_span))
                    {
                        too_soon.insert(id);
                        continue;
                    }
                    if let Some(rates) = sampled
                        .last
                        .as_ref()
                        .and_then(|last| rate::cumulative(last, &reading, gap))
                    {
                        sampled.rates = Some((at, rates));
                    }
                    sampled.last = Some(reading);
                    sampled.first_look = false;
                }
                Err(status) => {
                    failed.insert(id, status);
                }
            }
        }
        // Forget volumes neither attached nor watched.
        let live: HashSet<&str> = attached
            .iter()
            .map(|(id, _)| id.as_str())
            .chain(watched.iter().map(String::as_str))
            .collect();
        state.volumes.retain(|id, _| live.contains(id.as_str()));

        // Attached volumes by the node they are attached on (see `node_names`).
        let node_of: HashMap<&str, &str> = match &nodes {
            Ok(nodes) => node_names(nodes),
            Err(_) => HashMap::new(),
        };
        let fresh = |s: &Sampled| s.rates.filter(|(t, _)| at - t <= turn_gap).map(|(_, r)| r);
        let mut by_node: HashMap<&str, Share> = HashMap::new();
        let mut all = Share::default();
        for (id, attached_on) in attached {
            let node = node_of
                .get(attached_on.as_str())
                .copied()
                .unwrap_or(attached_on.as_str());
            let rates = state.volumes.get(id).and_then(fresh);
            by_node.entry(node).or_default().add(rates);
            all.add(rates);
        }
        let mut point = rates_point(time, all.estimate());
        match &nodes {
            Ok(nodes) => {
                let (used, capacity) = console_model::node::total_capacity(nodes);
                // Nodes without pools or drives (upstream's fake driver) report no capacity.
                point.used_bytes = (capacity > 0).then_some(used);
                point.capacity_bytes = capacity;
                for node in nodes {
                    let rates = by_node
                        .get(node.id.as_str())
                        .map_or(Some(Rates::default()), Share::estimate);
                    let mut p = rates_point(time, rates);
                    let (used, capacity) = console_model::node::capacity(node);
                    p.used_bytes = (capacity > 0).then_some(used);
                    p.capacity_bytes = capacity;
                    p.cpu_percent = Some(node.cpu);
                    p.memory_used_bytes = Some(node.mem_used);
                    p.memory_total_bytes = node.mem_total;
                    match rates {
                        Some(rates) => state.node_rates.insert(node.id.clone(), rates),
                        None => state.node_rates.remove(&node.id),
                    };
                    state
                        .nodes
                        .entry(node.id.clone())
                        .or_default()
                        .push(p, keep);
                }
                let ids: HashSet<&str> = nodes.iter().map(|n| n.id.as_str()).collect();
                state.nodes.retain(|id, _| ids.contains(id.as_str()));
                state.node_rates.retain(|id, _| ids.contains(id.as_str()));
                state.nodes_now = nodes.clone();
                state.last_error.clear();
            }
            Err(status) => {
                self.failures
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                state.last_error = format!("listing nodes: {}", status.message());
            }
        }
        state.cluster.push(point, keep);

        for id in watched {
            let failure = failed.get(id);
            // A volume the cluster no longer has is not sampled any more.
            if failure.is_some_and(|s| s.code() == Code::NotFound) {
                state.watched.remove(id);
                continue;
            }
            if too_soon.contains(id) {
                continue;
            }
            let p = self.volume_point(&state, id, at, failure.is_some());
            if let Some(w) = state.watched.get_mut(id) {
                w.error = failure.map(|s| format!("reading the volume: {}", s.message()));
                w.series.push(p, keep);
            }
        }
        state.coverage = if all.known < all.attached {
            format!(
                "Estimated from {} of the {} attached volumes, read in turn ({} per sample): \
                 each volume's figures are up to {} s old.",
                all.known,
                all.attached,
                BUDGET,
                (state.turn as u64 + 1) * self.interval.as_secs()
            )
        } else {
            String::new()
        };
    }

    /// A watched volume's point for the reading taken at `at`.
    fn volume_point(&self, state: &State, id: &str, at: f64, failed: bool) -> HistoryPoint {
        let time = at.round() as i64;
        let mut p = if failed {
            HistoryPoint {
                time,
                ..Default::default()
            }
        } else {
            let sampled = state.volumes.get(id);
            let rates = sampled
                .and_then(|s| s.rates)
                .filter(|(t, _)| *t == at)
                .map(|(_, r)| r);
            let mut p = rates_point(time, rates);
            p.used_bytes = sampled
                .and_then(|s| s.last.as_ref())
                .map(|r| r.stats.bytes_used);
            p
        };
        p.capacity_bytes = self.view.get(id).map_or(0, |e| e.row.size);
        p
    }
}

/// Each node's id by every name a volume's `attached_on` may give it: clusters name the node by
/// id, or (Portworx) by its address or hostname.
fn node_names(nodes: &[StorageNode]) -> HashMap<&str, &str> {
    nodes
        .iter()
        .flat_map(|n| {
            [&n.id, &n.mgmt_ip, &n.data_ip, &n.hostname]
                .into_iter()
                .filter(|k| !k.is_empty())
                .map(move |k| (k.as_str(), n.id.as_str()))
        })
        .collect()
}

/// The attached volumes of a node (or the cluster) and the rates known of them.
#[derive(Default)]
struct Share {
    attached: usize,
    known: usize,
    rates: Vec<Rates>,
}

impl Share {
    fn add(&mut self, rates: Option<Rates>) {
        self.attached += 1;
        if let Some(r) = rates {
            self.known += 1;
            self.rates.push(r);
        }
    }

    /// The sum of the known rates, scaled up to every attached volume when only some are
    /// known (volumes read in turn); unknown while none is.
    fn estimate(&self) -> Option<Rates> {
        if self.attached == 0 {
            return Some(Rates::default());
        }
        if self.known == 0 {
            return None;
        }
        let sum = Rates::sum(&self.rates);
        Some(sum.scaled(self.attached as f64 / self.known as f64))
    }
}

fn rates_point(time: i64, rates: Option<Rates>) -> HistoryPoint {
    let mut p = HistoryPoint {
        time,
        ..Default::default()
    };
    if let Some(r) = rates {
        p.read_iops = Some(r.read_iops);
        p.write_iops = Some(r.write_iops);
        p.read_bytes_per_second = Some(r.read_bytes_per_second);
        p.write_bytes_per_second = Some(r.write_bytes_per_second);
        p.latency_ms = r.latency_ms;
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rates(iops: f64) -> Option<Rates> {
        Some(Rates {
            read_iops: iops,
            operations: iops * 10.0,
            latency_ms: Some(1.0),
            ..Default::default()
        })
    }

    #[test]
    fn shares_scale_known_rates_to_every_attached_volume() {
        let mut share = Share::default();
        assert_eq!(
            share.estimate(),
            Some(Rates::default()),
            "nothing attached: no I/O"
        );
        share.add(None);
        assert_eq!(share.estimate(), None, "attached, nothing known yet");
        share.add(rates(10.0));
        share.add(rates(30.0));
        share.add(None);
        let estimate = share.estimate().unwrap();
        // 40 ops/s from 2 of 4 volumes: about 80 for all four.
        assert_eq!(estimate.read_iops, 80.0);
        assert_eq!(estimate.latency_ms, Some(1.0));
    }

    #[test]
    fn series_keep_the_newest_points_in_order() {
        let mut series = Series::default();
        for t in [1, 2, 3, 1, 4] {
            series.push(
                HistoryPoint {
                    time: t,
                    ..Default::default()
                },
                3,
            );
        }
        let times: Vec<i64> = series.0.iter().map(|p| p.time).collect();
        assert_eq!(times, [2, 3, 4]);
    }
}
