//! The history kept in Prometheus (`--prometheus`): PromQL range queries over the figures of
//! Portworx's metrics reference, which Portworx nodes export and console-server exports for
//! clusters that do not (`export.rs`). One query per chart (its figures told apart by a
//! `figure` label), aligned to its step so every console-server answers the same points, and
//! stepped so no chart gets more than `MAX_POINTS`.

mod credentials;
mod promql;

use std::collections::BTreeMap;
use std::time::Duration;

use prometheus_http_query::response::Data;

use self::promql::{aligned_end, step_for, Queries};
use super::forecast::Sample;
use crate::proto::console::HistoryPoint;

pub use self::credentials::Credentials;
pub use self::promql::MAX_POINTS;

/// The longest range kept.
pub const MAX_RANGE: Duration = Duration::from_secs(7 * 86_400);
/// How long a chart waits for Prometheus before showing the hour kept in memory.
pub const QUERY_TIMEOUT: Duration = Duration::from_secs(4);
/// The capacity forecast's step: 336 points over 7 days.
const FORECAST_STEP: i64 = 1800;

/// What a chart or a forecast is of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
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

/// The last step, evaluated after `until`, is drawn at `until`: no point lies in the future.
fn until_now(mut series: Series, until: i64) -> Series {
    for (_, samples) in &mut series {
        for sample in samples.iter_mut() {
            sample.0 = sample.0.min(until);
        }
    }
    series
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
        let parsed = reqwest::Url::parse(url).map_err(|e| e.to_string())?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err("give Prometheus' http:// or https:// address".into());
        }
        // The URL is logged and shown in the charts' notes: a password has no place in it.
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(
                "the URL holds a user or password: put `user:password` in a file for                  --prometheus-basic-auth-file instead"
                    .into(),
            );
        }
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

    /// The subject's points over the `range` seconds up to `until` (Unix seconds).
    pub async fn history(
        &self,
        subject: &Subject,
        range: i64,
        until: i64,
    ) -> Result<Charted, String> {
        let step = step_for(range, self.interval);
        let end = aligned_end(until, step);
        let start = end - (range / step) * step;
        let query = Queries::new(&self.cluster, subject, step).history();
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

    /// The used and total bytes of the subject (and of a node's pools, by pool uuid) over the
    /// last 7 days up to `until`; none where the cluster reports no capacity (upstream's fake
    /// driver).
    pub async fn capacity(
        &self,
        subject: &Subject,
        until: i64,
    ) -> Result<(Vec<Sample>, BTreeMap<String, Vec<Sample>>), String> {
        let step = FORECAST_STEP;
        let end = aligned_end(until, step);
        let start = end - super::forecast::WEEK;
        let query = Queries::new(&self.cluster, subject, step).capacity();
        let series = self.range(query, start, end, step).await?;
        if series.iter().all(|(_, samples)| samples.is_empty()) {
            return Err(self.nothing_kept());
        }
        let series = until_now(series, until);
        // (pool, time) → (used, capacity); the whole subject is pool "".
        let mut figures: BTreeMap<(String, i64), (Option<f64>, Option<f64>)> = BTreeMap::new();
        for (labels, samples) in series {
            let pool = labels.get("pool").cloned().unwrap_or_default();
            let figure = labels.get("figure").map(String::as_str);
            if figure == Some("present") {
                continue;
            }
            let used = figure == Some("used");
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
            // The crate's own checks of the answer (its media type, its JSON).
            None => format!("answered something other than Prometheus' API: {client}"),
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
    fn the_last_step_is_drawn_at_now() {
        let series = until_now(
            vec![(Default::default(), vec![(990, 1.0), (1010, 2.0)])],
            1001,
        );
        assert_eq!(series[0].1, [(990, 1.0), (1001, 2.0)]);
    }

    #[test]
    fn a_url_with_a_password_or_another_scheme_is_refused() {
        let at = |url: &str| Prometheus::new(url, "prod", None, Duration::from_secs(10));
        assert!(at("http://127.0.0.1:9090").is_ok());
        let refused = at("http://admin:hunter2@127.0.0.1:9090").unwrap_err();
        assert!(
            refused.contains("--prometheus-basic-auth-file"),
            "{refused}"
        );
        assert!(!refused.contains("hunter2"));
        assert!(at("ftp://127.0.0.1:9090").is_err());
        assert!(at("127.0.0.1:9090").is_err());
    }
}
