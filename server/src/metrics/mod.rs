//! Performance history: one sampler reads the cluster every interval, whatever the number of
//! open tabs, and keeps the last hour in memory for the cluster, each node and the volumes
//! someone looked at in the last 15 minutes (at most `MAX_WATCHED`). Cluster and node I/O is
//! the sum over attached volumes, read in turn at most `BUDGET` per interval, so 100,000
//! volumes cost the cluster the same number of calls as 1,000.

pub mod probe;
pub mod rate;
pub mod service;

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tokio::task::JoinSet;

use self::probe::Probe;
use self::rate::{Rates, Reading};
use crate::proto::console::HistoryPoint;
use crate::proto::StorageNode;
use crate::view::VolumeView;

/// How far back the history goes.
pub const KEEP_FOR: Duration = Duration::from_secs(3600);
/// A volume nobody asked about for this long is no longer sampled on its own.
const WATCH_FOR: Duration = Duration::from_secs(15 * 60);
/// Volumes sampled on their own at most (the least recently asked about is dropped).
pub const MAX_WATCHED: usize = 200;
/// Stats calls per interval at most, watched volumes included.
pub const BUDGET: usize = 500;
/// Stats calls in flight at once.
const CONCURRENCY: usize = 16;

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
    fn push(&mut self, point: HistoryPoint, keep: usize) {
        self.0.push_back(point);
        while self.0.len() > keep {
            self.0.pop_front();
        }
    }
}

struct Watched {
    series: Series,
    asked: Instant,
}

/// The last reading of a volume's counters and the rates it gave.
#[derive(Default)]
struct Sampled {
    last: Option<Reading>,
    rates: Option<(f64, Rates)>,
}

#[derive(Default)]
struct State {
    cluster: Series,
    nodes: HashMap<String, Series>,
    watched: HashMap<String, Watched>,
    volumes: HashMap<String, Sampled>,
    cursor: usize,
    /// Intervals it takes to read every attached volume once.
    turn: usize,
    coverage: String,
    last_error: String,
}

pub struct Metrics {
    interval: Duration,
    view: Arc<VolumeView>,
    probe: Arc<dyn Probe>,
    state: Mutex<State>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics")
            .field("interval", &self.interval)
            .field("footprint", &self.footprint())
            .finish_non_exhaustive()
    }
}

/// What a history request gets.
pub struct History {
    pub points: Vec<HistoryPoint>,
    pub coverage: String,
    pub last_error: String,
}

fn unix_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

impl Metrics {
    /// A history that samples when `sample` is called (see `start`).
    pub fn new(interval: Duration, view: Arc<VolumeView>, probe: Arc<dyn Probe>) -> Arc<Metrics> {
        Arc::new(Metrics {
            interval,
            view,
            probe,
            state: Mutex::default(),
        })
    }

    /// A history that samples every `interval`, the first time at once.
    pub fn start(interval: Duration, view: Arc<VolumeView>, probe: Arc<dyn Probe>) -> Arc<Metrics> {
        let metrics = Metrics::new(interval, view, probe);
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
        }
    }

    pub fn node(&self, id: &str, range: Duration) -> Option<History> {
        let state = self.lock();
        let series = state.nodes.get(id)?;
        Some(History {
            points: Self::since(series, range),
            coverage: state.coverage.clone(),
            last_error: state.last_error.clone(),
        })
    }

    /// A volume's history; the first question starts its sampling (with a reading at once, so
    /// the next interval has a rate).
    pub fn volume(self: &Arc<Self>, id: &str, range: Duration) -> History {
        let mut state = self.lock();
        let now = Instant::now();
        let points = match state.watched.get_mut(id) {
            Some(watched) => {
                watched.asked = now;
                Self::since(&watched.series, range)
            }
            None => {
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
                state.watched.insert(
                    id.to_string(),
                    Watched {
                        series: Series::default(),
                        asked: now,
                    },
                );
                let metrics = self.clone();
                let id = id.to_string();
                tokio::spawn(async move {
                    let at = unix_now();
                    let results = metrics.read_volumes(vec![id.clone()], at).await;
                    // A volume read in turn before has a rate already: show it at once.
                    let mut state = metrics.lock();
                    if results.iter().all(|(_, r)| r.is_ok())
                        && state
                            .volumes
                            .get(&id)
                            .and_then(|s| s.rates)
                            .is_some_and(|(t, _)| t == at)
                    {
                        let keep = metrics.keep();
                        let point = metrics.volume_point(&state, &id, at, None);
                        if let Some(w) = state.watched.get_mut(&id) {
                            w.series.push(point, keep);
                        }
                    }
                });
                Vec::new()
            }
        };
        History {
            points,
            coverage: String::new(),
            last_error: state.last_error.clone(),
        }
    }

    /// Reads volumes' counters and records readings and rates; failures are left out.
    async fn read_volumes(&self, ids: Vec<String>, at: f64) -> Vec<(String, Result<(), String>)> {
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
            let Ok((id, answer)) = joined else { continue };
            results.push((id, answer));
        }
        let mut state = self.lock();
        let max_gap = self.max_gap(&state);
        results
            .into_iter()
            .map(|(id, answer)| match answer {
                Ok(stats) => {
                    let reading = Reading { at, stats };
                    let sampled = state.volumes.entry(id.clone()).or_default();
                    if let Some(rates) = sampled
                        .last
                        .as_ref()
                        .and_then(|last| rate::cumulative(last, &reading, max_gap))
                    {
                        sampled.rates = Some((at, rates));
                    }
                    sampled.last = Some(reading);
                    (id, Ok(()))
                }
                Err(status) => (id, Err(status.message().to_string())),
            })
            .collect()
    }

    /// Longest time between two readings that still gives a rate: attached volumes are read in
    /// turn, so each one's readings are a full turn apart.
    fn max_gap(&self, state: &State) -> f64 {
        self.interval.as_secs_f64() * (state.turn.max(1) as f64 + 1.5)
    }

    /// A watched volume's point for the reading taken at `at`.
    fn volume_point(
        &self,
        state: &State,
        id: &str,
        at: f64,
        failed: Option<&String>,
    ) -> HistoryPoint {
        let time = at.round() as i64;
        let mut p = match failed {
            Some(_) => HistoryPoint {
                time,
                ..Default::default()
            },
            None => {
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
            }
        };
        p.capacity_bytes = self.view.get(id).map_or(0, |e| e.row.size);
        p
    }

    /// One sample of everything.
    pub async fn sample(&self) {
        let at = unix_now();
        let attached = self.view.attached();
        let (watched, chunk, turn) = {
            let mut state = self.lock();
            let now = Instant::now();
            state
                .watched
                .retain(|_, w| now.duration_since(w.asked) < WATCH_FOR);
            let watched: Vec<String> = state.watched.keys().cloned().collect();
            let budget = BUDGET.saturating_sub(watched.len()).max(1);
            let skip: HashSet<&String> = watched.iter().collect();
            let others: Vec<&(String, String)> = attached
                .iter()
                .filter(|(id, _)| !skip.contains(id))
                .collect();
            let mut chunk = Vec::new();
            if !others.is_empty() {
                let start = state.cursor % others.len();
                for i in 0..budget.min(others.len()) {
                    chunk.push(others[(start + i) % others.len()].0.clone());
                }
                state.cursor = (start + chunk.len()) % others.len();
            }
            state.turn = others.len().div_ceil(budget).max(1);
            (watched, chunk, state.turn)
        };
        let nodes = self.probe.nodes();
        let mut ids = watched.clone();
        ids.extend(chunk);
        let (nodes, results) = tokio::join!(nodes, self.read_volumes(ids, at));
        self.record(at, &attached, &watched, nodes, results, turn);
    }

    fn record(
        &self,
        at: f64,
        attached: &[(String, String)],
        watched: &[String],
        nodes: Result<Vec<StorageNode>, tonic::Status>,
        results: Vec<(String, Result<(), String>)>,
        turn: usize,
    ) {
        let keep = self.keep();
        let time = at.round() as i64;
        let mut state = self.lock();
        let max_gap = self.max_gap(&state);
        // Forget volumes neither attached nor watched.
        let live: HashSet<&str> = attached
            .iter()
            .map(|(id, _)| id.as_str())
            .chain(watched.iter().map(String::as_str))
            .collect();
        state.volumes.retain(|id, _| live.contains(id.as_str()));
        let failed: HashMap<String, String> = results
            .into_iter()
            .filter_map(|(id, r)| r.err().map(|e| (id, e)))
            .collect();
        let fresh = |s: &Sampled| s.rates.filter(|(t, _)| at - t <= max_gap).map(|(_, r)| r);
        // Per node: the attached volumes' rates. Where volumes are attached but none has a
        // rate yet (the first interval), the figure is unknown rather than zero.
        let mut by_node: HashMap<&str, (usize, Vec<Rates>)> = HashMap::new();
        for (id, node) in attached {
            let slot = by_node.entry(node.as_str()).or_default();
            slot.0 += 1;
            if let Some(rates) = state.volumes.get(id).and_then(fresh) {
                slot.1.push(rates);
            }
        }
        let known = |(count, rates): &(usize, Vec<Rates>)| {
            (*count == 0 || !rates.is_empty()).then(|| Rates::sum(rates))
        };
        let all: (usize, Vec<Rates>) = (
            attached.len(),
            by_node
                .values()
                .flat_map(|(_, r)| r.iter().copied())
                .collect(),
        );
        let mut point = rates_point(time, known(&all));
        let mut errors = Vec::new();
        match &nodes {
            Ok(nodes) => {
                let (used, capacity) = nodes
                    .iter()
                    .map(node_capacity)
                    .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
                // Nodes without pools or drives (upstream's fake driver) report no capacity.
                point.used_bytes = (capacity > 0).then_some(used);
                point.capacity_bytes = capacity;
                for node in nodes {
                    let rates = by_node
                        .get(node.id.as_str())
                        .map_or(Some(Rates::default()), known);
                    let mut p = rates_point(time, rates);
                    let (used, capacity) = node_capacity(node);
                    p.used_bytes = (capacity > 0).then_some(used);
                    p.capacity_bytes = capacity;
                    p.cpu_percent = Some(node.cpu);
                    p.memory_used_bytes = Some(node.mem_used);
                    p.memory_total_bytes = node.mem_total;
                    state
                        .nodes
                        .entry(node.id.clone())
                        .or_default()
                        .push(p, keep);
                }
                let ids: HashSet<&str> = nodes.iter().map(|n| n.id.as_str()).collect();
                state.nodes.retain(|id, _| ids.contains(id.as_str()));
            }
            Err(status) => errors.push(format!("listing nodes: {}", status.message())),
        }
        state.cluster.push(point, keep);
        for id in watched {
            if let Some(e) = failed.get(id) {
                errors.push(format!("reading volume {id}: {e}"));
            }
            let p = self.volume_point(&state, id, at, failed.get(id));
            if let Some(w) = state.watched.get_mut(id) {
                w.series.push(p, keep);
            }
        }
        state.coverage = if turn > 1 {
            format!(
                "The {} attached volumes are read in turn, {} per sample: each volume's figures are up to {} s old.",
                attached.len(),
                BUDGET,
                (turn as u64) * self.interval.as_secs()
            )
        } else {
            String::new()
        };
        // One failing volume is reported on its own chart; the cluster-wide message names the
        // first problem only.
        state.last_error = errors.into_iter().next().unwrap_or_default();
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

/// Used and total bytes of a node: its pools, or its drives when it reports no pools.
pub fn node_capacity(node: &StorageNode) -> (u64, u64) {
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
