//! The performance charts of one subject (the cluster, a node, a volume) from console-server's
//! history: a range picker (15 minutes and 1 hour from memory; up to 7 days where the cluster
//! keeps its history in Prometheus) and the charts asked for, refreshed at the sampling
//! interval, with the capacity's projection when it is filling. Endpoints without the Metrics
//! service get a note, not an error.

use std::time::Duration;

use leptos::prelude::*;

use crate::api::metrics::{self, Subject};
use crate::api::view::Viewed;
use crate::components::chart::{ChartData, LineChart};
use crate::components::polled_view::QueryError;
use crate::hooks::connection::use_connection;
use crate::hooks::polled::use_keyed_polled;
use crate::logic::capacity_outlook;
use crate::logic::chart::{figure, Line};
use crate::logic::format;
use crate::proto::console::{CapacityForecast, HistoryPoint, HistoryResponse, HistorySource};

/// The charts a page can ask for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    Iops,
    Throughput,
    Latency,
    Capacity,
    Cpu,
    Memory,
}

#[derive(Debug, Clone, PartialEq)]
enum Answer {
    History(HistoryResponse),
    /// No Metrics service here, and why.
    Absent(String),
}

const RANGES: [(u32, &str); 5] = [
    (900, "Last 15 minutes"),
    (3600, "Last hour"),
    (6 * 3600, "Last 6 hours"),
    (86_400, "Last 24 hours"),
    (7 * 86_400, "Last 7 days"),
];
/// Ranges the hour in memory holds.
const IN_MEMORY: usize = 2;

fn ops(v: f64) -> String {
    format!("{} ops/s", figure(v))
}

fn per_second(v: f64) -> String {
    format!("{}/s", format::bytes(v.max(0.0) as u64))
}

fn millis(v: f64) -> String {
    format!("{} ms", figure(v))
}

fn size(v: f64) -> String {
    format::bytes(v.max(0.0) as u64)
}

fn percent(v: f64) -> String {
    format!("{}%", figure(v))
}

fn line(
    name: &'static str,
    points: &[HistoryPoint],
    pick: fn(&HistoryPoint) -> Option<f64>,
) -> Line {
    Line {
        name,
        values: points.iter().map(pick).collect(),
    }
}

/// The lines of one chart.
fn lines(kind: Kind, points: &[HistoryPoint]) -> Vec<Line> {
    match kind {
        Kind::Iops => vec![
            line("Read", points, |p| p.read_iops),
            line("Write", points, |p| p.write_iops),
        ],
        Kind::Throughput => vec![
            line("Read", points, |p| p.read_bytes_per_second),
            line("Write", points, |p| p.write_bytes_per_second),
        ],
        Kind::Latency => vec![line("Average", points, |p| p.latency_ms)],
        Kind::Capacity => vec![
            line("Used", points, |p| p.used_bytes.map(|b| b as f64)),
            line("Capacity", points, |p| {
                (p.capacity_bytes > 0).then_some(p.capacity_bytes as f64)
            }),
        ],
        Kind::Cpu => vec![line("CPU", points, |p| p.cpu_percent)],
        Kind::Memory => vec![
            line("Used", points, |p| p.memory_used_bytes.map(|b| b as f64)),
            line("Total", points, |p| {
                (p.memory_total_bytes > 0).then_some(p.memory_total_bytes as f64)
            }),
        ],
    }
}

/// How a chart is titled, formats its figures, says "no I/O", and is found by tests.
struct Spec {
    title: &'static str,
    unit: fn(f64) -> String,
    zero_note: Option<&'static str>,
    unknown_note: &'static str,
    testid: &'static str,
}

const NO_IO: &str = "No I/O in this period.";

fn spec(kind: Kind) -> Spec {
    let (title, unit, zero_note, testid): (_, fn(f64) -> String, _, _) = match kind {
        Kind::Iops => ("IOPS", ops, Some(NO_IO), "chart-iops"),
        Kind::Throughput => ("Throughput", per_second, Some(NO_IO), "chart-throughput"),
        Kind::Latency => ("Average latency", millis, None, "chart-latency"),
        Kind::Capacity => ("Capacity used", size, None, "chart-capacity"),
        Kind::Cpu => ("CPU", percent, None, "chart-cpu"),
        Kind::Memory => ("Memory", size, None, "chart-memory"),
    };
    let unknown_note = match kind {
        // A latency needs operations: none in the period means none to average.
        Kind::Latency => "No operations in this period, so no latency.",
        _ => "The cluster does not report this figure.",
    };
    Spec {
        title,
        unit,
        zero_note,
        unknown_note,
        testid,
    }
}

#[component]
pub fn HistoryCharts(
    /// Whose history: the cluster, a node or a volume.
    #[prop(into)]
    subject: Signal<Subject>,
    /// Which charts, in order.
    charts: &'static [Kind],
    /// Where each chart links (the list it summarises), by kind.
    #[prop(optional)]
    links: Option<fn(Kind) -> Option<&'static str>>,
    /// The subject's capacity forecast, projected on the capacity chart.
    #[prop(optional)]
    outlook: Option<Signal<Option<CapacityForecast>>>,
) -> impl IntoView {
    let conn = use_connection();
    let range = RwSignal::new(900u32);
    let query = use_keyed_polled(
        move || (subject.get(), range.get()),
        |answer: &Answer| match answer {
            // At the step between points: a 7-day chart's last point moves once a minute at
            // most, so it asks Prometheus once a minute, not every 10 s.
            Answer::History(h) => Duration::from_secs(u64::from(h.interval_seconds.clamp(1, 60))),
            Answer::Absent(_) => Duration::from_secs(300),
        },
        move |(subject, range)| {
            let sdk = conn.sdk.get_untracked();
            async move {
                Ok(match metrics::history(&sdk, subject, range).await? {
                    Viewed::Answered(h) => Answer::History(h),
                    Viewed::Absent(why) => Answer::Absent(why),
                })
            }
        },
    );
    // `None` until the current subject and range have an answer.
    let points = Memo::new(move |_| match query.data.get() {
        Some(Answer::History(h)) => Some(h.points),
        _ => None,
    });
    let absent = move || match query.data.get() {
        Some(Answer::Absent(why)) => Some(why),
        _ => None,
    };
    let notes = move || match query.data.get() {
        Some(Answer::History(h)) => [h.coverage, h.last_error]
            .into_iter()
            .filter(|n| !n.is_empty())
            .collect::<Vec<_>>(),
        _ => Vec::new(),
    };
    let history = move || match query.data.get() {
        Some(Answer::History(h)) => Some(h),
        _ => None,
    };
    // Longer ranges once the cluster is known to keep its history in Prometheus (even while
    // Prometheus is away: the choice stays, the note says why the hour is shown).
    let prometheus = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(h) = history() {
            if h.source == HistorySource::Prometheus as i32 || !h.prometheus_note.is_empty() {
                prometheus.set(true);
            }
        }
    });
    let offered = move || {
        let n = if prometheus.get() {
            RANGES.len()
        } else {
            IN_MEMORY
        };
        RANGES[..n].to_vec()
    };
    let prometheus_note = move || {
        history()
            .map(|h| h.prometheus_note)
            .filter(|n| !n.is_empty())
    };
    let starts = move || {
        history()
            .filter(|h| h.starts_at > 0)
            .map(|h| crate::browser::clock::local_time(h.starts_at))
    };
    let projection = Signal::derive(move || {
        let f = outlook?.get()?;
        capacity_outlook::full_at(&f, 3 * i64::from(range.get()))
    });
    let range_secs = Signal::derive(move || i64::from(range.get()));
    // Where the endpoint keeps no history, say so instead of charts that would never load.
    let shown = move || absent().is_none();
    view! {
        <div class="history">
            <Show when=shown>
            <div class="history__controls">
                <label>
                    "Time range "
                    <select
                        data-testid="history-range"
                        prop:value=move || range.get().to_string()
                        on:change=move |ev| {
                            if let Ok(v) = event_target_value(&ev).parse() {
                                range.set(v);
                            }
                        }
                    >
                        {move || offered()
                            .into_iter()
                            .map(|(secs, name)| view! { <option value=secs.to_string() selected=move || range.get() == secs>{name}</option> })
                            .collect_view()}
                    </select>
                </label>
            </div>
            </Show>
            <QueryError error=query.error/>
            {move || absent().map(|why| view! {
                <p class="muted" data-testid="history-absent">
                    "Performance history is kept by console-server and is not available on this endpoint: " {why}
                </p>
            })}
            {move || notes().into_iter().map(|n| view! { <p class="muted history__note">{n}</p> }).collect_view()}
            {move || prometheus_note().map(|n| view! { <p class="history__note" role="status" data-testid="history-prometheus-note">{n}</p> })}
            {move || starts().map(|at| view! {
                <p class="muted history__note" data-testid="history-starts">{format!("No history before {at}.")}</p>
            })}
            <Show when=shown>
            <div class="charts">
                {charts
                    .iter()
                    .map(|kind| {
                        let kind = *kind;
                        let Spec { title, unit, zero_note, unknown_note, testid } = spec(kind);
                        let data = Signal::derive(move || {
                            points.with(|p| {
                                let p = p.as_deref().unwrap_or_default();
                                ChartData {
                                    loaded: points.with(Option::is_some),
                                    times: p.iter().map(|p| p.time).collect(),
                                    lines: lines(kind, p),
                                }
                            })
                        });
                        let href = links.and_then(|l| l(kind));
                        let projection = (kind == Kind::Capacity).then_some(projection);
                        view! { <LineChart title unit data range=range_secs zero_note unknown_note href projection testid/> }
                    })
                    .collect_view()}
            </div>
            </Show>
        </div>
    }
}
