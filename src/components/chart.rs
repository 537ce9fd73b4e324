//! Line charts drawn as SVG (a few hundred bytes of code per chart type; a charting crate
//! would add far more to the bundle for the same lines). Each chart is an image with its
//! summary in words (`role="img"`, `aria-label`), a read-out under the pointer, and a table
//! of now / min / max / mean so the numbers are there without the picture.

use crate::browser::cluster::here;
use leptos::prelude::*;
use leptos_router::components::A;
use wasm_bindgen::JsCast;

use crate::logic::chart::{self, Line};
use crate::logic::format;

/// Samples and the lines drawn through them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChartData {
    /// Whether an answer arrived (until then the chart is loading, not empty).
    pub loaded: bool,
    /// Unix seconds, oldest first.
    pub times: Vec<i64>,
    pub lines: Vec<Line>,
}

/// The plot's box in SVG units (the viewBox and grid lines below spell these figures out, so
/// no float is turned into text for them).
const WIDTH: f64 = 600.0;
/// Samples without a figure after which a chart says the cluster does not report it (the
/// first one or two have no rate yet: a rate needs two readings).
const NOT_REPORTED_AFTER: usize = 3;
const HEIGHT: f64 = 150.0;

/// What the chart says in words: per line, now, min, max and mean.
fn describe(title: &str, range: i64, data: &ChartData, unit: fn(f64) -> String) -> String {
    let lines: Vec<String> = data
        .lines
        .iter()
        .map(|line| match chart::summary(&line.values) {
            Some(s) => format!(
                "{} now {}, min {}, max {}, mean {}",
                line.name,
                s.now.map_or("unknown".into(), unit),
                unit(s.min),
                unit(s.max),
                unit(s.mean)
            ),
            None => format!("{} not known yet", line.name),
        })
        .collect();
    format!(
        "{title}, last {}: {}",
        crate::logic::capacity_outlook::range(range),
        lines.join("; ")
    )
}

/// An end of the time axis, in local time; nothing before the first sample.
fn times_label(unix_seconds: i64) -> String {
    if unix_seconds <= 0 {
        return String::new();
    }
    crate::browser::clock::local_time(unix_seconds)
}

#[component]
pub fn LineChart(
    /// The chart's heading, e.g. "Throughput".
    title: &'static str,
    /// A value with its unit: `12 MiB/s`, `340 ops/s`.
    unit: fn(f64) -> String,
    /// The series to draw and their times.
    #[prop(into)]
    data: Signal<ChartData>,
    /// Seconds of history on the x axis, ending at the last sample.
    #[prop(into)]
    range: Signal<i64>,
    /// Said instead of drawing flat lines when every figure is zero.
    #[prop(default = None)]
    zero_note: Option<&'static str>,
    /// Said when samples arrive but none has a figure.
    #[prop(default = "The cluster does not report this figure.")]
    unknown_note: &'static str,
    /// The list this chart summarises.
    #[prop(default = None)]
    href: Option<&'static str>,
    /// Where the first line is projected to go (Unix seconds, value): drawn dashed from its
    /// last sample, the time axis stretched to reach it.
    #[prop(default = None)]
    projection: Option<Signal<Option<(i64, f64)>>>,
    testid: &'static str,
) -> impl IntoView {
    let projected = move || projection.and_then(|p| p.get());
    // The time of the sample under the pointer: new samples shift indexes, not times.
    let hover = RwSignal::new(None::<i64>);
    let hovered = move || {
        let t = hover.get()?;
        data.with(|d| d.times.iter().position(|x| *x == t))
    };
    let bounds = move || {
        data.with(|d| {
            let last = d.times.last().copied().unwrap_or(0);
            let to = projected().map_or(last, |(t, _)| t.max(last));
            (last - range.get(), to)
        })
    };
    // Events are delegated to the document, so the chart is found by reference, not from
    // the event's current target.
    let plot = NodeRef::<leptos::svg::Svg>::new();
    let on_move = move |ev: leptos::ev::PointerEvent| {
        let Some(svg) = plot.get_untracked() else {
            return;
        };
        let svg: &web_sys::Element = svg.unchecked_ref();
        let rect = svg.get_bounding_client_rect();
        if rect.width() <= 0.0 {
            return;
        }
        let fraction = (f64::from(ev.client_x()) - rect.left()) / rect.width();
        let (from, to) = bounds();
        hover.set(data.with(|d| {
            chart::nearest(&d.times, (from, to), fraction).and_then(|i| d.times.get(i).copied())
        }));
    };
    let empty = move || data.with(|d| d.lines.iter().all(|l| chart::summary(&l.values).is_none()));
    let zero = move || data.with(|d| chart::all_zero(&d.lines));
    let label = move || {
        let words = data.with(|d| describe(title, range.get(), d, unit));
        match projected() {
            Some((t, _)) => format!(
                "{words}; projected full on {}",
                crate::browser::clock::local_time(t)
            ),
            None => words,
        }
    };
    // From the first line's last sample to where it is projected to go.
    let projection_path = move || {
        let (t, v) = projected()?;
        let (from, to) = bounds();
        data.with(|d| {
            let line = d.lines.first()?;
            let i = line.values.iter().rposition(Option::is_some)?;
            let top = chart::axis_top(&d.lines);
            let d = chart::path(
                &[d.times[i], t],
                &[line.values[i], Some(v)],
                (from, to),
                top,
                (WIDTH, HEIGHT),
            );
            Some(view! { <path class="chart__projection" d=d data-testid="chart-projection"/> })
        })
    };
    let paths = move || {
        let (from, to) = bounds();
        data.with(|d| {
            let top = chart::axis_top(&d.lines);
            d.lines
                .iter()
                .enumerate()
                .map(|(i, line)| {
                    let d = chart::path(&d.times, &line.values, (from, to), top, (WIDTH, HEIGHT));
                    view! { <path class=format!("chart__line chart__line--{i}") d=d/> }
                })
                .collect_view()
        })
    };
    let top_label = move || data.with(|d| unit(chart::axis_top(&d.lines)));
    let cursor = move || {
        let i = hovered()?;
        let (from, to) = bounds();
        let t = data.with(|d| d.times.get(i).copied())?;
        let x = format::fixed((t - from) as f64 / (to - from).max(1) as f64 * WIDTH, 1);
        Some(view! { <line class="chart__cursor" x1=x.clone() x2=x y1="0" y2="150"/> })
    };
    let readout = move || {
        let i = hovered()?;
        data.with(|d| {
            let t = *d.times.get(i)?;
            let values: Vec<String> = d
                .lines
                .iter()
                .map(|l| {
                    let v = l.values.get(i).copied().flatten();
                    format!("{} {}", l.name, v.map_or("unknown".into(), unit))
                })
                .collect();
            Some(format!(
                "{} — {}",
                crate::browser::clock::local_time_seconds(t),
                values.join(", ")
            ))
        })
    };
    let rows = move || {
        data.with(|d| {
            d.lines
                .iter()
                .enumerate()
                .map(|(i, line)| {
                    let s = chart::summary(&line.values);
                    let cell = move |v: Option<f64>| v.map_or("—".to_string(), unit);
                    view! {
                        <tr>
                            <th scope="row">
                                <span class=format!("chart__swatch chart__swatch--{i}") aria-hidden="true"></span>
                                {line.name}
                            </th>
                            <td>{cell(s.and_then(|s| s.now))}</td>
                            <td>{cell(s.map(|s| s.min))}</td>
                            <td>{cell(s.map(|s| s.max))}</td>
                            <td>{cell(s.map(|s| s.mean))}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <figure class="chart" data-testid=testid>
            <ChartTitle title href/>
            <div
                class="chart__plot"
                on:pointermove=on_move
                on:pointerleave=move |_| hover.set(None)
            >
                <span class="chart__top" aria-hidden="true">{top_label}</span>
                <svg
                    node_ref=plot
                    class="chart__svg"
                    viewBox="0 0 600 150"
                    preserveAspectRatio="none"
                    role="img"
                    aria-label=label
                >
                    <line class="chart__grid" x1="0" x2="600" y1="75" y2="75"/>
                    <line class="chart__grid" x1="0" x2="600" y1="150" y2="150"/>
                    {paths}
                    {projection_path}
                    {cursor}
                </svg>
                <p class="chart__axis" aria-hidden="true">
                    <span>{move || times_label(bounds().0)}</span>
                    <span>{move || times_label(bounds().1)}</span>
                </p>
                <p class="chart__readout" aria-hidden="true" data-testid="chart-readout">
                    {move || readout().unwrap_or_default()}
                </p>
            </div>
            {move || {
                if !data.with(|d| d.loaded) {
                    Some(view! {
                        <p class="chart__note muted" role="status">"Loading…"</p>
                    }.into_any())
                } else if empty() && data.with(|d| d.times.len() >= NOT_REPORTED_AFTER) {
                    Some(view! {
                        <p class="chart__note muted" data-testid="chart-not-reported">
                            {unknown_note}
                        </p>
                    }.into_any())
                } else if empty() {
                    Some(view! {
                        <p class="chart__note muted" data-testid="chart-waiting">
                            "Collecting samples: the first figures arrive within one sampling interval."
                        </p>
                    }.into_any())
                } else if zero() {
                    zero_note.map(|note| view! {
                        <p class="chart__note" data-testid="chart-zero">{note}</p>
                    }.into_any())
                } else {
                    None
                }
            }}
            <table class="chart__summary" aria-label=format!("{title}: summary")>
                <thead>
                    <tr>
                        <th scope="col">""</th>
                        <th scope="col">"Now"</th>
                        <th scope="col">"Min"</th>
                        <th scope="col">"Max"</th>
                        <th scope="col">"Mean"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </figure>
    }
}

/// A chart's title, a link to the list it summarises where there is one.
#[component]
fn ChartTitle(
    /// The heading.
    title: &'static str,
    /// Where the heading links (the list the chart summarises), if anywhere.
    href: Option<&'static str>,
) -> impl IntoView {
    view! {
        <figcaption class="chart__title">
            {match href {
                // A screen goes through the router, which keeps the cluster in the address.
                Some(href) if href.starts_with('/') => view! { <A href={here(href)}>{title}</A> }.into_any(),
                Some(href) => view! { <a href=href>{title}</a> }.into_any(),
                None => view! { <span>{title}</span> }.into_any(),
            }}
        </figcaption>
    }
}

/// One bar of a bar list: a label that links to its list, and a count.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub count: u64,
    pub href: String,
    /// A tone class for the bar (`good`, `bad`, …).
    pub tone: &'static str,
}

/// Counts as horizontal bars; each label links to the list it counts. The bars are drawn for
/// the eye only: the counts are text.
#[component]
pub fn BarList(
    /// The list's heading.
    title: &'static str,
    /// `None` until the counts arrive.
    #[prop(into)]
    bars: Signal<Option<Vec<Bar>>>,
    /// Where the heading links, if anywhere.
    #[prop(optional)]
    href: Option<&'static str>,
    /// The `data-testid` of the list, for tests.
    testid: &'static str,
) -> impl IntoView {
    let max = move || {
        bars.with(|b| {
            b.iter()
                .flatten()
                .map(|b| b.count)
                .max()
                .unwrap_or(0)
                .max(1)
        })
    };
    view! {
        <figure class="chart" data-testid=testid>
            <ChartTitle title href/>
            {move || bars.with(|b| b.as_ref().is_some_and(|b| b.iter().all(|b| b.count == 0))).then(|| view! {
                <p class="chart__note muted" data-testid="bars-empty">"None."</p>
            })}
            <ul class="bars" aria-label=title>
                {move || {
                    let max = max();
                    // All zero: "None." says it; bars of nothing would only repeat it.
                    bars.get()
                        .filter(|b| b.iter().any(|b| b.count > 0))
                        .unwrap_or_default()
                        .into_iter()
                        .map(|bar| {
                            let width = format!("{}%", format::fixed(bar.count as f64 / max as f64 * 100.0, 1));
                            view! {
                                <li class="bars__row">
                                    <A href={here(bar.href)} attr:class="bars__label">{bar.label}</A>
                                    <span class="bars__track" aria-hidden="true">
                                        <span class=format!("bars__bar bars__bar--{}", bar.tone) style:width=width></span>
                                    </span>
                                    <span class="bars__count">{bar.count}</span>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </figure>
    }
}
