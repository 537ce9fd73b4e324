// Benchmark: the Volumes page with 100,000 volumes, in headless Chromium on loopback, against
// the mock and through --upstream to a second console-server; then, signed in, through
// --upstream (with a service token) to an upstream with auth and 10,000 volumes. Prints
// Markdown tables for docs/measurements.md. Not a test: figures, with the targets beside them.
// `make bench-ui` runs it.
//
//   CONSOLE_SERVER=target/release/console-server UI_DIR=dist node bench/volumes.bench.mjs
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from '../tests/fixtures/server.mjs';
import { launchBrowser } from '../tests/fixtures/browser.mjs';
import { sdk } from '../tests/fixtures/sdk.mjs';
import { jwt, token } from '../tests/fixtures/jwt.mjs';
import { writeFileSync } from 'node:fs';

const VOLUMES = Number(process.env.BENCH_VOLUMES ?? 100_000);
const AUTH_VOLUMES = Number(process.env.BENCH_AUTH_VOLUMES ?? 10_000);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
const GIB = 1024 ** 3;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const rssMiB = (pid) => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Math.round(Number(line.split(/\s+/)[1]) / 1024);
};
const accessLines = (file) => {
  try {
    return readFileSync(file, 'utf8').split('\n').filter((l) => l.includes('/openstorage.')).length;
  } catch {
    return 0;
  }
};
/** Bytes of the answers to one id check (Enumerate) and one full listing (InspectWithFilters),
 * as they cross the wire (the protobuf message), read raw with grpc-js. */
async function answerBytes(address, authorization) {
  const grpc = (await import('@grpc/grpc-js')).default;
  const client = new grpc.Client(address, grpc.credentials.createInsecure(), {
    'grpc.max_receive_message_length': -1,
  });
  const raw = (method) => new Promise((resolve, reject) => {
    const metadata = new grpc.Metadata();
    if (authorization) metadata.set('authorization', `bearer ${authorization}`);
    client.makeUnaryRequest(`/openstorage.api.OpenStorageVolume/${method}`, () => Buffer.alloc(0), (b) => b, {},
      metadata, (err, bytes) => (err ? reject(err) : resolve(bytes.length)));
  });
  const sizes = { enumerate: await raw('Enumerate'), listing: await raw('InspectWithFilters') };
  client.close();
  return sizes;
}

/** The view's cost on the cluster a minute at the default intervals (listing 30 s, check 5 s). */
function costLine(volumes, { enumerate, listing }) {
  const mb = (b) => (b / 1e6).toFixed(1);
  return `| ${volumes.toLocaleString('en')} | ${mb(listing)} MB | ${mb(enumerate)} MB | 2 + 12 = 14 | ${mb(2 * listing + 12 * enumerate)} MB |`;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Opens the Volumes page in `where` (a browser: a fresh context and cache; or a context). */
async function openVolumes(where, url) {
  const page = await where.newPage();
  page.on('pageerror', (e) => console.error('page error', e.message));
  const started = Date.now();
  await page.goto(`${url}/volumes`);
  // The first rows are in when the count is (volumes the run itself made are counted too).
  await page.getByTestId('volumes-count').filter({ hasText: /^\d+ volumes$/ }).waitFor({ timeout: 60_000 });
  return { page, firstRows: Date.now() - started };
}

/** Milliseconds from an action in the page to the table showing its result. */
async function timeInPage(page, action) {
  return page.evaluate(async (action) => {
    const body = document.querySelector('[data-testid=volumes-table] tbody');
    const count = document.querySelector('[data-testid=volumes-count]');
    const before = body.textContent + count.textContent;
    const t0 = performance.now();
    if (action.sort) {
      [...document.querySelectorAll('th button')].find((b) => b.textContent.startsWith(action.sort)).click();
    } else {
      const input = document.getElementById('filter-name');
      input.value = action.filter;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }
    await new Promise((resolve, reject) => {
      const give_up = setTimeout(() => reject(new Error(`no change after ${JSON.stringify(action)}`)), 10_000);
      const check = () => {
        if (body.textContent + count.textContent !== before) {
          clearTimeout(give_up);
          resolve();
        } else requestAnimationFrame(check);
      };
      check();
    });
    return performance.now() - t0;
  }, action);
}

/** A browser whose every new page and context is signed in with `signedIn` (a token), as a
 * user who chose "remember me" would be. */
function signedInBrowser(browser, signedIn) {
  if (!signedIn) return browser;
  const newContext = async () => {
    const context = await browser.newContext();
    await context.addInitScript((t) => localStorage.setItem('osc.token', t), signedIn);
    return context;
  };
  return { newContext, newPage: async () => (await newContext()).newPage() };
}

async function measure(name, plainBrowser, url, writer, upstreamLog, { volumes = VOLUMES, signedIn } = {}) {
  const browser = signedInBrowser(plainBrowser, signedIn);
  // Let the server settle (a gateway's view lists the upstream at start).
  await (await openVolumes(browser, url)).page.close();
  await sleep(5000);
  const cold = [];
  for (let i = 0; i < 3; i++) {
    const { page, firstRows } = await openVolumes(browser, url);
    cold.push(firstRows);
    await page.close();
  }
  // A returning user: the app's files come from the browser's cache (they are immutable).
  const context = await browser.newContext();
  await (await openVolumes(context, url)).page.close();
  const warm = [];
  for (let i = 0; i < 3; i++) {
    const { page, firstRows } = await openVolumes(context, url);
    warm.push(firstRows);
    await page.close();
  }
  await context.close();
  const { page } = await openVolumes(browser, url);
  const sorts = [];
  for (const column of ['Size', 'Size', 'Created', 'Name', 'Name', 'Status']) {
    sorts.push(await timeInPage(page, { sort: column }));
  }
  const filters = [];
  let text = '';
  for (const key of '98765') {
    text += key;
    try {
      filters.push(await timeInPage(page, { filter: text }));
    } catch {
      break; // no match changes any more (a smaller cluster)
    }
  }
  await timeInPage(page, { filter: '' });
  await page.getByTestId('volumes-count').filter({ hasText: `${volumes} volumes` }).waitFor();
  // Sort by name ascending, so a new volume named "aaa-…" is the first row.
  const nameHeader = page.locator('th', { hasText: 'Name' });
  while ((await nameHeader.getAttribute('aria-sort')) !== 'ascending') {
    await page.getByRole('button', { name: 'Name' }).click();
    await sleep(200);
  }
  const changes = [];
  for (let i = 0; i < 5; i++) {
    const volume = `aaa-bench-${name}-${i}`;
    const t0 = Date.now();
    await writer.OpenStorageVolume.Create({ name: volume, spec: { size: GIB, ha_level: 1 } });
    await page.getByRole('row', { name: new RegExp(volume) }).waitFor({ timeout: 30_000 });
    changes.push(Date.now() - t0);
  }

  // An idle tab: bytes it receives (CDP counts streamed chunks too) with nothing changing.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  let bytes = 0;
  cdp.on('Network.dataReceived', (e) => (bytes += e.encodedDataLength || e.dataLength));
  cdp.on('Network.responseReceived', () => (bytes += 300));
  await sleep(IDLE_SECONDS * 1000);
  const idleKiBPerMinute = Math.round((bytes / 1024) * (60 / IDLE_SECONDS));
  const heap = await cdp.send('Runtime.getHeapUsage');

  // Upstream calls per minute with 1 tab open, then 10.
  const perMinute = {};
  if (upstreamLog) {
    for (const tabs of [1, 10]) {
      const extra = [];
      for (let i = 1; i < tabs; i++) extra.push((await openVolumes(browser, url)).page);
      await sleep(2000);
      const before = accessLines(upstreamLog);
      await sleep(IDLE_SECONDS * 1000);
      perMinute[tabs] = Math.round((accessLines(upstreamLog) - before) * (60 / IDLE_SECONDS));
      await Promise.all(extra.map((p) => p.close()));
    }
  }
  await page.close();
  return {
    name,
    firstRows: median(warm),
    firstRowsCold: median(cold),
    sort: median(sorts),
    filter: median(filters),
    change: median(changes),
    idleKiBPerMinute,
    heapMiB: Math.round(heap.usedSize / 2 ** 20),
    perMinute,
  };
}

const browser = await launchBrowser();
const servers = [];
const logs = mkdtempSync(path.join(tmpdir(), 'bench-'));
try {
  const results = [];
  const mock = await startServer({ args: ['--seed-volumes', String(VOLUMES)] });
  servers.push(mock);
  const r1 = await measure('mock', browser, mock.url, sdk(mock.address));
  r1.rss = `${rssMiB(mock.child.pid)} MiB`;
  results.push(r1);
  await mock.kill();

  const upstreamLog = path.join(logs, 'upstream-access.log');
  const upstream = await startServer({
    args: ['--seed-volumes', String(VOLUMES), '--access-log', upstreamLog],
    ui: false,
  });
  servers.push(upstream);
  const gateway = await startServer({ args: ['--upstream', upstream.url] });
  servers.push(gateway);
  const r2 = await measure('gateway', browser, gateway.url, sdk(upstream.address), upstreamLog);
  const bigCost = await answerBytes(upstream.address);
  r2.rss = `${rssMiB(gateway.child.pid)} MiB (upstream ${rssMiB(upstream.child.pid)} MiB)`;
  results.push(r2);
  await gateway.kill();
  // The same tabs without the view (each tab lists every volume every 5 s), for comparison.
  const plain = await startServer({ args: ['--upstream', upstream.url, '--no-view'] });
  servers.push(plain);
  const tabs = [];
  for (let i = 0; i < 10; i++) tabs.push((await openVolumes(browser, plain.url)).page);
  await sleep(2000);
  const before = accessLines(upstreamLog);
  await sleep(IDLE_SECONDS * 1000);
  const withoutView = Math.round((accessLines(upstreamLog) - before) * (60 / IDLE_SECONDS));

  console.log(`\n${VOLUMES.toLocaleString('en')} volumes, headless Chromium, loopback (median of runs)\n`);
  console.log('| | target | mock | through --upstream |');
  console.log('|---|---|---|---|');
  const row = (what, target, f) => console.log(`| ${what} | ${target} | ${results.map(f).join(' | ')} |`);
  row('navigation to first rows (app cached)', '≤ 500 ms', (r) => `${r.firstRows} ms`);
  row('navigation to first rows (empty cache)', '', (r) => `${r.firstRowsCold} ms`);
  row('sort change to updated rows', '≤ 100 ms', (r) => `${Math.round(r.sort)} ms`);
  row('filter keystroke to updated rows', '≤ 100 ms', (r) => `${Math.round(r.filter)} ms`);
  row('change by another client visible', '≤ 2 s', (r) => `${r.change} ms`);
  row('idle tab, bytes received', '≤ 300 KB/min', (r) => `${r.idleKiBPerMinute} KiB/min`);
  row("tab's JS heap", '', (r) => `${r.heapMiB} MiB`);
  row("console-server's memory (RSS)", '', (r) => r.rss);
  row('upstream calls/min, 1 tab', 'same for 1 and 10', (r) => (r.perMinute[1] ?? '—').toString());
  row('upstream calls/min, 10 tabs', 'same for 1 and 10', (r) => (r.perMinute[10] ?? '—').toString());
  console.log(`\nWithout the view (--no-view), 10 tabs make ${withoutView} upstream calls/min.`);
  await plain.kill();
  await upstream.kill();

  // Signed in, on a cluster with auth: the gateway reads it with a service token and asks it
  // about the user's token; the user sees their own volumes through the shared view.
  const secret = 'bench-secret';
  const authLog = path.join(logs, 'auth-upstream-access.log');
  const authUpstream = await startServer({
    args: ['--seed-volumes', String(AUTH_VOLUMES), '--jwt-shared-secret', secret, '--access-log', authLog],
    ui: false,
  });
  servers.push(authUpstream);
  const now = Math.floor(Date.now() / 1000);
  const tokenFile = path.join(logs, 'service-token');
  writeFileSync(tokenFile, jwt({
    iss: 'openstorage.io', sub: 'console', name: 'Console', email: 'console@example.com',
    roles: ['system.admin'], groups: ['*'], iat: now, exp: now + 7200,
  }, secret), { mode: 0o600 });
  const authGateway = await startServer({ args: ['--upstream', authUpstream.url, '--upstream-token-file', tokenFile] });
  servers.push(authGateway);
  // An admin (groups *) sees every seeded volume, as the cluster would show them.
  const admin = token({ secret, roles: ['system.admin'], sub: 'ada@example.com' });
  const adminJwt = jwt({ ...JSON.parse(Buffer.from(admin.split('.')[1], 'base64url')), groups: ['*'] }, secret);
  const r3 = await measure('signed in', browser, authGateway.url, sdk(authUpstream.address, { token: adminJwt }), authLog, {
    volumes: AUTH_VOLUMES, signedIn: adminJwt,
  });
  const smallCost = await answerBytes(authUpstream.address, adminJwt);
  console.log('\nThe view\'s cost on the cluster at the defaults (a listing every 30 s, an id check every 5 s)\n');
  console.log('| volumes | one listing | one id check | calls/min | bytes/min |');
  console.log('|---|---|---|---|---|');
  console.log(costLine(AUTH_VOLUMES, smallCost));
  console.log(costLine(VOLUMES, bigCost));
  console.log(`\nSigned in, through --upstream with --upstream-token-file to an upstream with auth, ${AUTH_VOLUMES.toLocaleString('en')} volumes\n`);
  console.log('| | target | signed in |');
  console.log('|---|---|---|');
  const one = (what, target, value) => console.log(`| ${what} | ${target} | ${value} |`);
  one('navigation to first rows (app cached)', '≤ 500 ms', `${r3.firstRows} ms`);
  one('sort change to updated rows', '≤ 100 ms', `${Math.round(r3.sort)} ms`);
  one('change by another client visible', '≤ 5 s', `${r3.change} ms`);
  one('idle tab, bytes received', '≤ 300 KB/min', `${r3.idleKiBPerMinute} KiB/min`);
  one('upstream calls/min, 1 tab', 'same for 1 and 10', String(r3.perMinute[1]));
  one('upstream calls/min, 10 tabs', 'same for 1 and 10', String(r3.perMinute[10]));
} finally {
  await browser.close();
  await Promise.all(servers.map((s) => s.kill()));
  rmSync(logs, { recursive: true, force: true });
}
