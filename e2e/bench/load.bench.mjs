// Benchmark: the console's first and cached visit in headless Chromium throttled as an admin on
// a VPN laptop (DevTools' throttling: 10 Mbit/s each way, 40 ms round trips, a CPU four times
// slower). Measures navigation to the cluster id on the overview, and the bytes over the wire;
// and a first visit straight to a volume's page, the screen whose code (loaded on demand) is the
// largest, to its name on screen.
// Prints a Markdown table for docs/measurements.md. Not a test: figures, with the targets beside
// them. `make bench-load` runs it against a release console-server and the release app.
//
//   CONSOLE_SERVER=target/release/console-server UI_DIR=dist node bench/load.bench.mjs
import { startServer } from '../tests/fixtures/server.mjs';
import { launchBrowser } from '../tests/fixtures/browser.mjs';
import { sdk } from '../tests/fixtures/sdk.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const NETWORK = { offline: false, latency: 40, downloadThroughput: 10e6 / 8, uploadThroughput: 10e6 / 8 };
const CPU_SLOWDOWN = 4;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const range = (xs) => `${Math.min(...xs)}–${Math.max(...xs)}`;

// Set before the page's own scripts: the time (from the navigation's start) at which the
// element is on screen with text, read from the page's clock, not from polling it.
const MARK_SHOWN = (selector) => {
  const seen = () => {
    const element = document.querySelector(selector);
    if (element && element.textContent.trim() && window.__shownAt === undefined) {
      window.__shownAt = performance.now();
    }
  };
  new MutationObserver(seen).observe(document, { childList: true, subtree: true, characterData: true });
};

/** One visit in `context`: a new throttled page, until `selector` shows; milliseconds and bytes. */
async function visit(context, url, selector = '[data-testid=cluster-id]') {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(MARK_SHOWN, selector);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', NETWORK);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  const urls = new Map();
  const bytes = { app: 0, calls: 0, fromCache: 0 };
  cdp.on('Network.responseReceived', (e) => {
    urls.set(e.requestId, e.response.url);
    if (e.response.fromDiskCache || e.response.fromMemoryCache) bytes.fromCache += 1;
  });
  cdp.on('Network.loadingFinished', (e) => {
    const path = new URL(urls.get(e.requestId) ?? url).pathname;
    bytes[path.startsWith('/openstorage.') ? 'calls' : 'app'] += e.encodedDataLength;
  });
  await page.goto(url);
  await page.waitForFunction(() => window.__shownAt !== undefined, null, { timeout: 60_000 });
  const ms = Math.round(await page.evaluate(() => window.__shownAt));
  await cdp.detach();
  await page.close();
  if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
  return { ms, ...bytes };
}

const server = await startServer();
const browser = await launchBrowser();
try {
  const { volume_id } = await sdk(server.address).OpenStorageVolume.Create({
    name: 'bench-volume',
    spec: { size: String(8 * 1024 ** 3), ha_level: '1' },
  });
  const first = [];
  const cached = [];
  const volume = [];
  for (let run = 0; run < RUNS; run++) {
    // A fresh context is an empty cache: the first visit. The same context again: cached.
    const context = await browser.newContext();
    first.push(await visit(context, server.url));
    cached.push(await visit(context, server.url));
    await context.close();
    const deepLink = await browser.newContext();
    volume.push(await visit(deepLink, `${server.url}/volumes/${volume_id}`, '[data-testid=volume-name]'));
    await deepLink.close();
  }
  const row = (name, target, runs) =>
    `| ${name} | ${target} | ${median(runs.map((r) => r.ms))} ms (${range(runs.map((r) => r.ms))}) | ${median(runs.map((r) => r.app)).toLocaleString('en')} B | ${median(runs.map((r) => r.calls)).toLocaleString('en')} B |`;
  console.log(`\nThrottled: 10 Mbit/s, 40 ms RTT, CPU ×${CPU_SLOWDOWN}; ${RUNS} runs, median (range).\n`);
  console.log('| visit | target | to the cluster id (a volume\'s name) | app bytes over the wire | SDK calls\' bytes |');
  console.log('|---|---|---|---|---|');
  console.log(row('first (empty cache)', '≤ 1,200 ms', first));
  console.log(row('cached', '≤ 400 ms', cached));
  console.log(row('first, straight to a volume\'s page', '', volume));
} finally {
  await browser.close();
  await server.kill();
}
