//! The PromQL of a chart and of a forecast, over the names and labels of Portworx's metrics
//! reference; the step that fits a range in `MAX_POINTS`, and where a range ends.

use super::Subject;

/// Points per chart at most: a range that would give more is stepped to fit.
pub const MAX_POINTS: i64 = 400;
/// Steps this long or longer average the samples in each step; shorter ones take the latest.
const AVERAGE_FROM: i64 = 60;

/// A label value inside double quotes.
fn quoted(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The step for `range` seconds: the sampler's interval or more (in whole 10 s past 10 s), so
/// the range's points (`range / step + 1`) are at most `MAX_POINTS`.
pub fn step_for(range: i64, interval: i64) -> i64 {
    let fit = (range + MAX_POINTS - 2) / (MAX_POINTS - 1);
    let round = if fit > 10 { (fit + 9) / 10 * 10 } else { fit };
    round.max(interval).max(1)
}

/// The range's end: `until` rounded up to a whole step. Every console-server asked for the same
/// `until` evaluates the same times, and the last step covers the latest samples (rounded
/// down, a 7-day chart's last point would be up to a step old).
pub fn aligned_end(until: i64, step: i64) -> i64 {
    until + (step - until.rem_euclid(step)) % step
}

/// Builds the PromQL of one subject at one step.
pub struct Queries<'a> {
    /// Label matchers, one set per way the subject may be labelled (a volume is `volumeid`
    /// to older Portworx releases and console-server, `volume` to Portworx 3).
    selectors: Vec<String>,
    subject: &'a Subject,
    step: i64,
}

impl<'a> Queries<'a> {
    pub fn new(cluster: &str, subject: &'a Subject, step: i64) -> Queries<'a> {
        let cluster = format!("cluster={}", quoted(cluster));
        let selectors = match subject {
            Subject::Cluster => vec![cluster],
            Subject::Node(id) => vec![format!("{cluster},nodeID={}", quoted(id))],
            Subject::Volume(id) => ["volumeid", "volume"]
                .iter()
                .map(|label| format!("{cluster},{label}={}", quoted(id)))
                .collect(),
        };
        Queries {
            selectors,
            subject,
            step,
        }
    }

    /// A metric's series for the subject, averaged over each step when steps are long.
    fn series(&self, metric: &str) -> String {
        let each: Vec<String> = self
            .selectors
            .iter()
            .map(|selector| {
                let s = format!("{metric}{{{selector}}}");
                if self.step >= AVERAGE_FROM {
                    format!("avg_over_time({s}[{}s])", self.step)
                } else {
                    s
                }
            })
            .collect();
        match each.as_slice() {
            [one] => one.clone(),
            _ => format!("({})", each.join(" or ")),
        }
    }

    /// One figure of the subject from `inner` (a per-exporter expression): the cluster's is
    /// the sum over its nodes, a node's or a volume's the one series. `max by` keeps one series
    /// where two console-servers (or a node and console-server) export the same figure.
    fn of(&self, inner: String) -> String {
        match self.subject {
            Subject::Cluster => format!("sum(max by (nodeID) ({inner}))"),
            _ => format!("max({inner})"),
        }
    }

    fn figure(&self, metric: &str) -> String {
        self.of(self.series(metric))
    }

    /// Milliseconds per operation, reads and writes weighed by their rates.
    fn latency(&self, prefix: &str) -> String {
        let busy = |op: &str| {
            self.of(format!(
                "{} * {}",
                self.series(&format!("{prefix}{op}_latency_seconds")),
                self.series(&format!("{prefix}{op}_iops"))
            ))
        };
        format!(
            "1000 * (({} or vector(0)) + ({} or vector(0))) / ({} + {})",
            busy("read"),
            busy("write"),
            self.figure(&format!("{prefix}read_iops")),
            self.figure(&format!("{prefix}write_iops")),
        )
    }

    /// The chart's figures as one query, each series labelled with its `figure`.
    pub fn history(&self) -> String {
        let (prefix, used, capacity) = match self.subject {
            Subject::Volume(_) => (
                "px_volume_",
                "px_volume_usage_bytes",
                "px_volume_capacity_bytes",
            ),
            _ => (
                "px_node_stats_",
                "px_cluster_disk_utilized_bytes",
                "px_cluster_disk_total_bytes",
            ),
        };
        let mut figures = vec![
            ("read_iops", self.figure(&format!("{prefix}read_iops"))),
            ("write_iops", self.figure(&format!("{prefix}write_iops"))),
            (
                "read_bytes",
                self.figure(&format!("{prefix}readthroughput")),
            ),
            (
                "write_bytes",
                self.figure(&format!("{prefix}writethroughput")),
            ),
            ("latency_ms", self.latency(prefix)),
            ("used", self.figure(used)),
            ("capacity", self.figure(capacity)),
        ];
        if matches!(self.subject, Subject::Node(_)) {
            figures.push(("cpu", self.figure("px_cluster_cpu_percent")));
            figures.push(("memory_used", self.figure("px_node_stats_used_mem")));
            figures.push(("memory_total", self.figure("px_node_stats_total_mem")));
        }
        labelled(&figures)
    }

    /// The used and total bytes of the subject and, for a node, of each of its pools; and
    /// `present`, the nodes' CPU, which every exporter writes: Prometheus holds the cluster
    /// even where the cluster reports no capacity.
    pub fn capacity(&self) -> String {
        let mut figures = vec![
            ("used", self.figure("px_cluster_disk_utilized_bytes")),
            ("capacity", self.figure("px_cluster_disk_total_bytes")),
            (
                "present",
                format!("count({})", self.series("px_cluster_cpu_percent")),
            ),
        ];
        if matches!(self.subject, Subject::Node(_)) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_fit_the_range_in_400_points_at_the_sampling_interval_or_more() {
        for (range, interval, step) in [
            (900, 10, 10),
            (3600, 10, 10),
            (6 * 3600, 10, 60),
            (86_400, 10, 220),
            (7 * 86_400, 10, 1520),
            (900, 30, 30),
            (900, 1, 3),
            (3990, 1, 10),
            (4000, 1, 20),
        ] {
            assert_eq!(step_for(range, interval), step, "{range} s at {interval} s");
            assert!(
                range / step < MAX_POINTS,
                "{range} s: {} points (the range's and one)",
                range / step + 1
            );
        }
    }

    #[test]
    fn ranges_end_on_the_step_at_or_after_now() {
        assert_eq!(aligned_end(1000, 10), 1000);
        assert_eq!(aligned_end(1001, 10), 1010);
        assert_eq!(aligned_end(1009, 1800), 1800);
    }

    fn history(subject: &Subject, step: i64) -> String {
        Queries::new("prod", subject, step).history()
    }

    #[test]
    fn a_clusters_figures_are_sums_over_its_nodes_once_each() {
        let q = history(&Subject::Cluster, 10);
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
    fn steps_of_a_minute_or_more_average_and_selectors_are_quoted() {
        let q = history(&Subject::Node("n\"1".into()), 60);
        assert!(q.contains("max(avg_over_time(px_cluster_cpu_percent{cluster=\"prod\",nodeID=\"n\\\"1\"}[60s]))"), "{q}");
    }

    #[test]
    fn a_volume_is_found_by_either_label_portworx_gives_it() {
        let v = history(&Subject::Volume("v1".into()), 10);
        assert!(
            v.contains("max((px_volume_usage_bytes{cluster=\"prod\",volumeid=\"v1\"} or px_volume_usage_bytes{cluster=\"prod\",volume=\"v1\"}))"),
            "{v}"
        );
        assert!(v.contains("1000 * ((max((px_volume_read_latency_seconds{cluster=\"prod\",volumeid=\"v1\"} or "), "{v}");
    }

    #[test]
    fn a_forecast_asks_whether_prometheus_holds_the_subject_at_all() {
        let q = Queries::new("prod", &Subject::Node("n1".into()), 1800).capacity();
        assert!(q.contains("label_replace(count(avg_over_time(px_cluster_cpu_percent{cluster=\"prod\",nodeID=\"n1\"}[1800s])), \"figure\", \"present\""), "{q}");
        assert!(q.contains("max by (pool) (avg_over_time(px_pool_stats_total_bytes{cluster=\"prod\",nodeID=\"n1\"}[1800s]))"), "{q}");
    }
}
