//! The history kept in Prometheus (`--prometheus`): PromQL range queries over the figures of
//! Portworx's metrics reference, which Portworx nodes export and console-server exports for
//! clusters that do not (`export.rs`). One query per chart (its figures told apart by a
//! `figure` label), aligned to its step so every console-server answers the same points, and
//! stepped so no chart gets more than `MAX_POINTS`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use prometheus_http_query::response::Data;

use super::forecast::Sample;
use crate::proto::console::HistoryPoint;

/// Points per chart at most: a range that would give more is stepped to fit.
pub const MAX_POINTS: i64 = 400;
/// The longest range kept.
pub const MAX_RANGE: Duration = Duration::from_secs(7 * 86_400);
/// How long a chart waits for Prometheus before showing the hour kept in memory.
pub const QUERY_TIMEOUT: Duration = Duration::from_secs(4);
/// Steps longer than this average the samples in each step; shorter ones take the latest.
const AVERAGE_FROM: i64 = 60;
/// The capacity forecast's step: 336 points over 7 days.
const FORECAST_STEP: i64 = 1800;

/// How console-server proves itself to a secured Prometheus: a file read at each query, so a
/// rotated secret is used at once.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// A bearer token.
    Token(PathBuf),
    /// `user:password`.
    Basic(PathBuf),
}

impl Credentials {
    /// The Authorization header's value.
    pub fn header(&self) -> Result<String, String> {
        use base64::Engine;
        match self {
            Credentials::Token(path) => {
                crate::secret_file::read(path, "a Prometheus token").map(|t| format!("Bearer {t}"))
            }
            Credentials::Basic(path) => {
                let pair = crate::secret_file::read(path, "a Prometheus user:password")?;
                if !pair.contains(':') {
                    return Err("it holds no `user:password`".into());
                }
                Ok(format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(pair)
                ))
            }
        }
    }
}

/// What a chart or a forecast is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Cluster,
    Node(String),
    Volume(String),
}

/// One cluster's history in one Prometheus.
pub struct Prometheus {
    client: prometheus_http_query::Client,
    /// The URL as given (never with credentials, which come from files), for notes.
    url: String,
    /// The `cluster` label of the cluster's series.
    cluster: String,
    credentials: Option<Credentials>,
    /// The sampler's interval: no step is shorter.
    interval: i64,
}

impl std::fmt::Debug for Prometheus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prometheus")
            .field("url", &self.url)
            .field("cluster", &self.cluster)
            .finish_non_exhaustive()
    }
}

/// A label value inside double quotes.
fn quoted(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The step for `range` seconds: the sampler's interval or more (in whole 10 s past 10 s), so
/// the range holds at most `MAX_POINTS`.
pub fn step_for(range: i64, interval: i64) -> i64 {
    let fit = (range + MAX_POINTS - 1) / MAX_POINTS;
    let round = if fit > 10 { (fit + 9) / 10 * 10 } else { fit };
    round.max(interval).max(1)
}

/// The range's end: `until` rounded up to a whole step. Every console-server asked for the same
/// `until` evaluates the same times, and the last step covers the latest samples (rounded
/// down, a 7-day chart's last point would be up to a step old).
fn aligned_end(until: i64, step: i64) -> i64 {
    until + (step - until.rem_euclid(step)) % step
}

/// The last step, evaluated after `until`, is drawn at `until`: no point lies in the future.
fn until_now(mut series: Series, until: i64) -> Series {
    for (_, samples) in &mut series {
        for sample in samples.iter_mut() {
            sample.0 = sample.0.min(until);
        }
    }
    series
}

/// Builds the PromQL of one target at one step.
struct Queries<'a> {
    selector: String,
    target: &'a Target,
    step: i64,
}

impl Queries<'_> {
    /// A metric's series for the target, averaged over each step when steps are long.
    fn series(&self, metric: &str) -> String {
        let s = format!("{metric}{{{}}}", self.selector);
        if self.step > AVERAGE_FROM {
            format!("avg_over_time({s}[{}s])", self.step)
        } else {
            s
        }
    }

    /// One figure of the target from `inner` (a per-exporter expression): the cluster's is the
    /// sum over its nodes, a node's or a volume's the one series. `max by` keeps one series
    /// where two console-servers (or a node and console-server) export the same figure.
    fn of(&self, inner: String) -> String {
        match self.target {
            Target::Cluster => format!("sum(max by (nodeID) ({inner}))"),
            _ => format!("max({inner})"),
        }
    }

    fn figure(&self, metric: &str) -> String {
        self.of(self.series(metric))
    }

    /// Milliseconds per operation, reads and writes weighed by their rates.
    fn latency(&self, prefix: &str, read_latency: &str, write_latency: &str) -> String {
        let busy = |latency: &str, iops: &str| {
            self.of(format!(
                "{} * {}",
                self.series(latency),
                self.series(&format!("{prefix}{iops}"))
            ))
        };
        format!(
            "1000 * (({} or vector(0)) + ({} or vector(0))) / ({} + {})",
            busy(read_latency, "read_iops"),
            busy(write_latency, "write_iops"),
            self.figure(&format!("{prefix}read_iops")),
            self.figure(&format!("{prefix}write_iops")),
        )
    }

    /// The chart's figures as one query, each series labelled with its `figure`.
    fn history(&self) -> String {
        let (prefix, read_bytes, write_bytes, used, capacity) = match self.target {
            Target::Volume(_) => (
                "px_volume_",
                "px_volume_readthroughput",
                "px_volume_writethroughput",
                "px_volume_usage_bytes",
                "px_volume_capacity_bytes",
            ),
            _ => (
                "px_node_stats_",
                "px_node_stats_readthroughput",
                "px_node_stats_writethroughput",
                "px_cluster_disk_utilized_bytes",
                "px_cluster_disk_total_bytes",
            ),
        };
        let mut figures = vec![
            ("read_iops", self.figure(&format!("{prefix}read_iops"))),
            ("write_iops", self.figure(&format!("{prefix}write_iops"))),
            ("read_bytes", self.figure(read_bytes)),
            ("write_bytes", self.figure(write_bytes)),
            (
                "latency_ms",
                self.latency(
                    prefix,
                    &format!("{prefix}read_latency_seconds"),
                    &format!("{prefix}write_latency_seconds"),
                ),
            ),
            ("used", self.figure(used)),
            ("capacity", self.figure(capacity)),
        ];
        if matches!(self.target, Target::Node(_)) {
            figures.push(("cpu", self.figure("px_cluster_cpu_percent")));
            figures.push(("memory_used", self.figure("px_node_stats_used_mem")));
            figures.push(("memory_total", self.figure("px_node_stats_total_mem")));
        }
        labelled(&figures)
    }

    /// The used and total bytes of the target and, for a node, of each of its pools.
    fn capacity(&self) -> String {
        let mut figures = vec![
            ("used", self.figure("px_cluster_disk_utilized_bytes")),
            ("capacity", self.figure("px_cluster_disk_total_bytes")),
        ];
        if matches!(self.target, Target::Node(_)) {
            figures.push((
                "used",
                format!(
                    "max by (pool) ({})",
                    self.series("px_pool_stats_used_bytes")
                ),
            ));
            figures.push((
                "capacity",
                format!(
                    "max by (pool) ({})",
                    self.series("px_pool_stats_total_bytes")
                ),
            ));
        }
        labelled(&figures)
    }
}

/// `figures` as one query whose series carry a `figure` label with their name.
fn labelled(figures: &[(&str, String)]) -> String {
    figures
        .iter()
        .map(|(name, query)| format!("label_replace({query}, \"figure\", \"{name}\", \"\", \"\")"))
        .collect::<Vec<_>>()
        .join(" or ")
}

/// A range query's answer: each series' labels and samples.
type Series = Vec<(std::collections::HashMap<String, String>, Vec<(i64, f64)>)>;

/// What a chart gets from Prometheus.
#[derive(Debug, Default)]
pub struct Charted {
    pub points: Vec<HistoryPoint>,
    /// The step between points, seconds.
    pub step: i64,
    /// The first point's time when it is after the range's start (by more than a step).
    pub starts_at: Option<i64>,
}

impl Prometheus {
    pub fn new(
        url: &str,
        cluster: &str,
        credentials: Option<Credentials>,
        interval: Duration,
    ) -> Result<Prometheus, String> {
        // The query's own deadline (`range`) speaks for a slow answer.
        let http = reqwest::Client::builder()
            .connect_timeout(QUERY_TIMEOUT)
            .build()
            .map_err(|e| e.to_string())?;
        let client = prometheus_http_query::Client::from(http, url.trim_end_matches('/'))
            .map_err(|e| e.to_string())?;
        if let Some(credentials) = &credentials {
            credentials.header()?;
        }
        Ok(Prometheus {
            client,
            url: url.to_string(),
            cluster: cluster.to_string(),
            credentials,
            interval: interval.as_secs().max(1) as i64,
        })
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    fn queries<'a>(&self, target: &'a Target, step: i64) -> Queries<'a> {
        let mut selector = format!("cluster={}", quoted(&self.cluster));
        match target {
            Target::Cluster => {}
            Target::Node(id) => selector.push_str(&format!(",nodeID={}", quoted(id))),
            Target::Volume(id) => selector.push_str(&format!(",volumeid={}", quoted(id))),
        }
        Queries {
            selector,
            target,
            step,
        }
    }

    /// A range query; the reason in words when it fails.
    async fn range(
        &self,
        query: String,
        start: i64,
        end: i64,
        step: i64,
    ) -> Result<Series, String> {
        let mut request = self.client.query_range(query, start, end, step as f64);
        if let Some(credentials) = &self.credentials {
            let mut value = http::HeaderValue::try_from(credentials.header()?)
                .map_err(|_| "the credentials file holds characters a header cannot".to_string())?;
            value.set_sensitive(true);
            request = request.header(http::header::AUTHORIZATION, value);
        }
        let answer = tokio::time::timeout(QUERY_TIMEOUT, request.get())
            .await
            .map_err(|_| format!("did not answer in {} s", QUERY_TIMEOUT.as_secs()))?
            .map_err(|e| describe(&e))?;
        let Data::Matrix(matrix) = answer.data() else {
            return Err("the answer is not a range of samples".into());
        };
        Ok(matrix
            .iter()
            .map(|series| {
                let samples = series
                    .samples()
                    .iter()
                    .filter(|s| s.value().is_finite())
                    .map(|s| (s.timestamp().round() as i64, s.value()))
                    .collect();
                (series.metric().clone(), samples)
            })
            .collect())
    }

    /// The target's points over the `range` seconds up to `until` (Unix seconds).
    pub async fn history(
        &self,
        target: &Target,
        range: i64,
        until: i64,
    ) -> Result<Charted, String> {
        let step = step_for(range, self.interval);
        let end = aligned_end(until, step);
        let start = end - (range / step) * step;
        let query = self.queries(target, step).history();
        let series = self.range(query, start, end, step).await?;
        if series.iter().all(|(_, samples)| samples.is_empty()) {
            return Err(self.nothing_kept());
        }
        let series = until_now(series, until);
        let mut points: BTreeMap<i64, HistoryPoint> = BTreeMap::new();
        for (labels, samples) in series {
            let figure = labels.get("figure").map(String::as_str).unwrap_or_default();
            for (time, value) in samples {
                let p = points.entry(time).or_insert_with(|| HistoryPoint {
                    time,
                    ..Default::default()
                });
                set(p, figure, value);
            }
        }
        let first = points.keys().next().copied();
        Ok(Charted {
            points: points.into_values().collect(),
            step,
            starts_at: first.filter(|t| *t > start + step),
        })
    }

    /// The used and total bytes of the target (and of a node's pools, by pool uuid) over the
    /// last 7 days up to `until`.
    pub async fn capacity(
        &self,
        target: &Target,
        until: i64,
    ) -> Result<(Vec<Sample>, BTreeMap<String, Vec<Sample>>), String> {
        let step = FORECAST_STEP;
        let end = aligned_end(until, step);
        let start = end - super::forecast::WEEK;
        let query = self.queries(target, step).capacity();
        // Nothing at all is a cluster that reports no capacity (upstream's fake driver) as
        // much as one not scraped: the charts' note tells the two apart.
        let series = until_now(self.range(query, start, end, step).await?, until);
        // (pool, time) → (used, capacity); the whole target is pool "".
        let mut figures: BTreeMap<(String, i64), (Option<f64>, Option<f64>)> = BTreeMap::new();
        for (labels, samples) in series {
            let pool = labels.get("pool").cloned().unwrap_or_default();
            let used = labels.get("figure").is_some_and(|f| f == "used");
            for (time, value) in samples {
                let slot = figures.entry((pool.clone(), time)).or_default();
                if used {
                    slot.0 = Some(value);
                } else {
                    slot.1 = Some(value);
                }
            }
        }
        let mut whole = Vec::new();
        let mut pools: BTreeMap<String, Vec<Sample>> = BTreeMap::new();
        for ((pool, time), pair) in figures {
            let (Some(used), Some(capacity)) = pair else {
                continue;
            };
            let sample = Sample {
                time,
                used,
                capacity,
            };
            if pool.is_empty() {
                whole.push(sample);
            } else {
                pools.entry(pool).or_default().push(sample);
            }
        }
        Ok((whole, pools))
    }

    fn nothing_kept(&self) -> String {
        format!(
            "keeps no figures of cluster {} yet: is it scraping console-server's \
             --metrics-listen (or the cluster's own exporters)?",
            self.cluster
        )
    }
}

/// Why a query failed, in words that follow "Prometheus (URL)"; never the query's URL, which
/// reqwest's own words carry.
fn describe(err: &prometheus_http_query::Error) -> String {
    use prometheus_http_query::Error;
    match err {
        Error::Client(client) => match client.inner() {
            Some(request) => {
                let what = if request.is_connect() {
                    "could not be reached".to_string()
                } else if let Some(status) = request.status() {
                    format!("answered {status}")
                } else if request.is_decode() {
                    "answered something other than Prometheus' API".to_string()
                } else {
                    "did not answer".to_string()
                };
                // The innermost cause says why (connection refused, no such host).
                let mut cause: Option<&dyn std::error::Error> = std::error::Error::source(request);
                let mut last = None;
                while let Some(c) = cause {
                    last = Some(c.to_string());
                    cause = c.source();
                }
                match last {
                    Some(last) => format!("{what}: {last}"),
                    None => what,
                }
            }
            None => format!("did not answer: {client}"),
        },
        Error::Prometheus(answer) => format!("answered an error: {answer}"),
        other => format!("did not answer: {other}"),
    }
}

/// Sets one figure of a point from Prometheus.
fn set(p: &mut HistoryPoint, figure: &str, value: f64) {
    match figure {
        "read_iops" => p.read_iops = Some(value),
        "write_iops" => p.write_iops = Some(value),
        "read_bytes" => p.read_bytes_per_second = Some(value),
        "write_bytes" => p.write_bytes_per_second = Some(value),
        "latency_ms" => p.latency_ms = Some(value),
        "used" => p.used_bytes = Some(value.max(0.0) as u64),
        "capacity" => p.capacity_bytes = value.max(0.0) as u64,
        "cpu" => p.cpu_percent = Some(value),
        "memory_used" => p.memory_used_bytes = Some(value.max(0.0) as u64),
        "memory_total" => p.memory_total_bytes = value.max(0.0) as u64,
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_fit_the_range_in_400_points_at_the_sampling_interval_or_more() {
        assert_eq!(step_for(900, 10), 10);
        assert_eq!(step_for(3600, 10), 10);
        assert_eq!(step_for(6 * 3600, 10), 60);
        assert_eq!(step_for(86_400, 10), 220);
        assert_eq!(step_for(7 * 86_400, 10), 1520);
        assert!(7 * 86_400 / step_for(7 * 86_400, 10) <= MAX_POINTS);
        assert_eq!(step_for(900, 30), 30, "never finer than the samples");
        assert_eq!(step_for(900, 1), 3);
    }

    fn queries(target: &Target, step: i64) -> String {
        let p =
            Prometheus::new("http://127.0.0.1:9", "prod", None, Duration::from_secs(10)).unwrap();
        p.queries(target, step).history()
    }

    #[test]
    fn ranges_end_on_the_step_at_or_after_now() {
        assert_eq!(aligned_end(1000, 10), 1000);
        assert_eq!(aligned_end(1001, 10), 1010);
        assert_eq!(aligned_end(1009, 1800), 1800);
        let series = until_now(
            vec![(Default::default(), vec![(990, 1.0), (1010, 2.0)])],
            1001,
        );
        assert_eq!(series[0].1, [(990, 1.0), (1001, 2.0)]);
    }

    #[test]
    fn a_clusters_figures_are_sums_over_its_nodes_once_each() {
        let q = queries(&Target::Cluster, 10);
        assert!(q.contains(
            "label_replace(sum(max by (nodeID) (px_node_stats_read_iops{cluster=\"prod\"})), \"figure\", \"read_iops\", \"\", \"\")"
        ), "{q}");
        assert!(q.contains("sum(max by (nodeID) (px_cluster_disk_total_bytes{cluster=\"prod\"}))"));
        assert!(
            !q.contains("avg_over_time"),
            "short steps read the latest sample"
        );
        assert!(
            !q.contains("px_cluster_cpu_percent"),
            "CPU is a node's figure"
        );
    }

    #[test]
    fn long_steps_average_and_selectors_are_quoted() {
        let q = queries(&Target::Node("n\"1".into()), 1520);
        assert!(q.contains("max(avg_over_time(px_cluster_cpu_percent{cluster=\"prod\",nodeID=\"n\\\"1\"}[1520s]))"), "{q}");
        let v = queries(&Target::Volume("v1".into()), 10);
        assert!(
            v.contains("max(px_volume_usage_bytes{cluster=\"prod\",volumeid=\"v1\"})"),
            "{v}"
        );
        assert!(v.contains("1000 * ((max(px_volume_read_latency_seconds{cluster=\"prod\",volumeid=\"v1\"} * px_volume_read_iops{cluster=\"prod\",volumeid=\"v1\"}) or vector(0))"), "{v}");
    }
}
