//! The volume's performance: IOPS, throughput, latency and capacity used over time, from
//! console-server's history (sampling starts when someone first opens the volume).

use leptos::prelude::*;

use crate::api::metrics::Subject;
use crate::components::history_charts::{HistoryCharts, Kind};

#[component]
pub fn VolumePerformance(volume_id: String) -> impl IntoView {
    let subject = Signal::stored(Subject::Volume(volume_id));
    view! {
        <section class="section" aria-labelledby="performance-heading" data-testid="volume-performance">
            <h2 id="performance-heading">"Performance"</h2>
            <HistoryCharts
                subject
                charts=&[Kind::Iops, Kind::Throughput, Kind::Latency, Kind::Capacity]
            />
        </section>
    }
}
