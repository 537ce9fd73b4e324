// Benchmark: the charts from Prometheus against the hour in memory. A real Prometheus seeded with
// 7 days of the mock's figures (every 30 s: 3 nodes, 11 series each) and scraping console-server
// every 10 s; headless Chromium.
// - first paint: from picking a range on the overview to the capacity chart drawn for it
//   (1 hour and 7 days from Prometheus; 1 hour from memory);
// - cost: 10 tabs on the overview for 60 s at one range: the queries Prometheus answers, its
//   query time and CPU, and console-server's CPU.
// Prints Markdown for docs/measurements.md. Not a test. `make bench-history` runs it against a
// release console-server and the release app:
//
//   CONSOLE_SERVER=target/release/console-server UI_DIR=dist node bench/history.bench.mjs
import { readFileSync } from 'node:fs';
import { startServer } from '../tests/fixtures/server.mjs';
import { launchBrowser } from '../tests/fixtures/browser.mjs';
import { sdk } from '../tests/fixtures/sdk.mjs';
import { Prometheus, freePort } from '../tests/fixtures/prometheus.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TABS = 10;
const WATCH_SECONDS = Number(process.env.BENCH_WATCH ?? 60);
const GIB = 1024 ** 3;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** 7 days of each node's figures every 30 s, as console-server exports them. */
function seed(nodes) {
  const end = Math.floor(Date.now() / 1000) - 60;
  const times = [];
  for (let t = end - 7 * 86400; t <= end; t += 30) times.push(t);
  const wave = (t, period, phase) => 0.5 + 0.5 * Math.sin((2 * Math.PI * (t + phase)) / period);
  const figures = {
    px_cluster_disk_total_bytes: () => 2048 * GIB,
    px_cluster_disk_utilized_bytes: (t) => 300 * GIB + ((t - end + 7 * 86400) / 86400) * 20 * GIB,
    px_cluster_cpu_percent: (t, i) => 20 + 30 * wave(t, 86400, i * 3600),
    px_node_stats_total_mem: () => 64 * GIB,
    px_node_stats_used_mem: (t, i) => 24 * GIB + 8 * GIB * wave(t, 86400, i * 1800),
    px_node_stats_read_iops: (t, i) => 500 * wave(t, 86400, i * 600),
    px_node_stats_write_iops: (t, i) => 300 * wave(t, 86400, i * 900),
    px_node_stats_readthroughput: (t, i) => 40e6 * wave(t, 86400, i * 600),
    px_node_stats_writethroughput: (t, i) => 20e6 * wave(t, 86400, i * 900),
    px_node_stats_read_latency_seconds: () => 0.0008,
    px_node_stats_write_latency_seconds: () => 0.0015,
  };
  let text = '';
  for (const [name, f] of Object.entries(figures)) {
    text += `# TYPE ${name} gauge\n`;
    nodes.forEach((node, i) => {
      const labels = `cluster="openstorage-mock",node="${node.hostname}",nodeID="${node.id}"`;
      for (const t of times) text += `${name}{${labels}} ${f(t, i)} ${t}\n`;
    });
  }
  return { text: `${text}# EOF\n`, samples: times.length * nodes.length * Object.keys(figures).length };
}

/** Milliseconds from picking `range` on an open overview to the capacity chart drawn for it. */
async function firstPaint(page, range, words) {
  const perf = page.getByTestId('cluster-performance');
  await perf.getByTestId('history-range').selectOption('900');
  await perf.getByRole('img', { name: /^Capacity used, last 15 minutes: Used now/ }).waitFor();
  const started = performance.now();
  await perf.getByTestId('history-range').selectOption(String(range));
  await perf.getByRole('img', { name: new RegExp(`^Capacity used, last ${words}: Used now`) }).waitFor();
  return Math.round(performance.now() - started);
}

/** A process's CPU seconds so far (user + system), from /proc. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Prometheus' own figures: query_range requests, inner query time and CPU. */
async function prometheusFigures(prometheus) {
  const text = await (await fetch(`${prometheus.url}/metrics`)).text();
  // Sample lines only (`# HELP` lines name the metric too).
  const value = (re) => Number(text.match(re)?.[1] ?? 0);
  return {
    ranges: value(/^prometheus_http_requests_total\{code="200",handler="\/api\/v1\/query_range"\} (\S+)$/m),
    evalSeconds: value(/^prometheus_engine_query_duration_seconds_sum\{slice="inner_eval"\} (\S+)$/m),
    cpu: value(/^process_cpu_seconds_total (\S+)$/m),
  };
}

/** 10 tabs on the overview at `range` for WATCH_SECONDS. */
async function watch(browser, server, range, prometheus) {
  const context = await browser.newContext();
  const pages = [];
  for (let i = 0; i < TABS; i++) {
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByTestId('cluster-performance').getByTestId('history-range').locator(`option[value="${range}"]`).waitFor({ state: 'attached' });
    await page.getByTestId('cluster-performance').getByTestId('history-range').selectOption(String(range));
    pages.push(page);
  }
  const before = prometheus ? await prometheusFigures(prometheus) : null;
  const serverBefore = cpuSeconds(server.child.pid);
  await new Promise((r) => setTimeout(r, WATCH_SECONDS * 1000));
  const after = prometheus ? await prometheusFigures(prometheus) : null;
  const serverCpu = cpuSeconds(server.child.pid) - serverBefore;
  await context.close();
  return {
    queriesPerMinute: before ? Math.round(((after.ranges - before.ranges) * 60) / WATCH_SECONDS) : null,
    evalMsPerQuery: before ? ((after.evalSeconds - before.evalSeconds) * 1000) / Math.max(1, after.ranges - before.ranges) : null,
    prometheusCpu: before ? (after.cpu - before.cpu) / WATCH_SECONDS : null,
    serverCpu: serverCpu / WATCH_SECONDS,
  };
}

const prometheus = await Prometheus.reserve();
const metrics = `127.0.0.1:${await freePort()}`;
const withPrometheus = await startServer({ args: ['--metrics-listen', metrics, '--prometheus', prometheus.url] });
const inMemory = await startServer({ args: [] });
const browser = await launchBrowser();
try {
  const { nodes } = await sdk(withPrometheus.address).OpenStorageNode.EnumerateWithFilters({});
  const seeded = seed(nodes);
  const loading = performance.now();
  prometheus.seed(seeded.text);
  const loadSeconds = ((performance.now() - loading) / 1000).toFixed(0);
  await prometheus.start([metrics]);
  // Until Prometheus holds live points of the cluster (its first scrapes).
  for (let i = 0; i < 150; i++) {
    const answer = await (await fetch(`${prometheus.url}/api/v1/query?query=px_cluster_cpu_percent`)).json();
    if (answer.data.result.length > 0) break;
    await new Promise((r) => setTimeout(r, 200));
  }

  const paints = { prom1h: [], prom7d: [], mem1h: [] };
  const page = await browser.newPage();
  await page.goto(withPrometheus.url);
  await page.getByTestId('cluster-performance').getByTestId('history-range').locator('option[value="604800"]').waitFor({ state: 'attached' });
  for (let i = 0; i < RUNS; i++) {
    paints.prom1h.push(await firstPaint(page, 3600, '60 minutes'));
    paints.prom7d.push(await firstPaint(page, 604800, '7 days'));
  }
  await page.goto(inMemory.url);
  for (let i = 0; i < RUNS; i++) paints.mem1h.push(await firstPaint(page, 3600, '60 minutes'));
  await page.close();

  const cost1h = await watch(browser, withPrometheus, 3600, prometheus);
  const cost7d = await watch(browser, withPrometheus, 604800, prometheus);
  const costMemory = await watch(browser, inMemory, 3600, null);

  const date = new Date().toISOString().slice(0, 10);
  const pct = (x) => `${(x * 100).toFixed(1)} %`;
  console.log(`Measured ${date}: Prometheus ${seeded.samples.toLocaleString('en')} seeded samples (loaded by promtool in ${loadSeconds} s), ${RUNS} runs each, ${TABS} tabs for ${WATCH_SECONDS} s.\n`);
  console.log('| chart | first paint (median of runs) | 10 tabs: query_range calls / min | Prometheus eval per call | Prometheus CPU | console-server CPU |');
  console.log('|---|---|---|---|---|---|');
  console.log(`| 1 hour, from memory | ${median(paints.mem1h)} ms | — | — | — | ${pct(costMemory.serverCpu)} |`);
  console.log(`| 1 hour, from Prometheus | ${median(paints.prom1h)} ms | ${cost1h.queriesPerMinute} | ${cost1h.evalMsPerQuery.toFixed(1)} ms | ${pct(cost1h.prometheusCpu)} | ${pct(cost1h.serverCpu)} |`);
  console.log(`| 7 days, from Prometheus | ${median(paints.prom7d)} ms | ${cost7d.queriesPerMinute} | ${cost7d.evalMsPerQuery.toFixed(1)} ms | ${pct(cost7d.prometheusCpu)} | ${pct(cost7d.serverCpu)} |`);
} finally {
  await browser.close();
  await withPrometheus.kill();
  await inMemory.kill();
  await prometheus.remove();
}
