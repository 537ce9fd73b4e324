// Charts, node pages and alerts against a real console-server: the performance history it
// keeps, the mock's time-varying figures, and the alerts it raises.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite } from './fixtures/suite.mjs';
import { awsCredential, sdk } from './fixtures/sdk.mjs';
import { openFromNav } from './fixtures/actions.mjs';

const t = suite();
const GIB = 1024 ** 3;

/** A volume attached on the node that answers (its I/O runs from then). */
async function attachedVolume(api, name, labels = {}) {
  const { volume_id } = await api.OpenStorageVolume.Create({
    name,
    spec: { size: 20 * GIB, ha_level: 1 },
    labels,
  });
  await api.OpenStorageMountAttach.Attach({ volume_id });
  return volume_id;
}

/** The "Now" cell of a chart's first line, once it holds a figure. */
async function nowFigure(chart) {
  const cell = chart.locator('.chart__summary tbody tr').first().locator('td').first();
  await assert.doesNotReject(async () => {
    for (let i = 0; i < 100; i++) {
      const text = (await cell.textContent()) ?? '';
      if (text && text !== '—') return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`no figure in ${await chart.getAttribute('data-testid')}`);
  });
  return cell.textContent();
}

test('a volume page shows performance charts with data on open, read-outs and a summary', async () => {
  const server = await t.server({ args: ['--sample-interval', '1s'] });
  const api = sdk(server.address);
  const id = await attachedVolume(api, 'busy');
  const page = await t.page();
  await page.goto(`${server.url}/volumes/${id}`);
  const perf = page.getByTestId('volume-performance');
  const iops = perf.getByTestId('chart-iops');
  const now = await nowFigure(iops);
  assert.match(now, /^[\d.]+k? ops\/s$/);
  assert.notEqual(now, '0 ops/s', 'an attached volume of the mock does I/O');
  for (const chart of ['chart-throughput', 'chart-latency', 'chart-capacity']) {
    await nowFigure(perf.getByTestId(chart));
  }
  assert.match(await perf.getByTestId('chart-throughput').locator('td').first().textContent(), /\/s$/);
  assert.match(await perf.getByTestId('chart-latency').locator('td').first().textContent(), / ms$/);
  // The picture is an image whose name states the summary.
  const svg = iops.getByRole('img');
  assert.match(await svg.getAttribute('aria-label'), /^IOPS, last 15 minutes: Read now [\d.]+k? ops\/s, min .*; Write now/);
  await iops.locator('path.chart__line--0').waitFor();
  assert.match(await iops.locator('path.chart__line--0').getAttribute('d'), /^M[\d.]+,[\d.]+/);
  assert.equal(await iops.getByTestId('chart-zero').count(), 0);
  // Hovering reads out the sample under the pointer.
  const box = await svg.boundingBox();
  await svg.hover({ position: { x: box.width - 2, y: box.height / 2 } });
  await assert.doesNotReject(() =>
    iops.getByTestId('chart-readout').filter({ hasText: /Read [\d.]+k? ops\/s, Write/ }).waitFor({ timeout: 5000 }),
  );
  // The hour range asks again and still shows the samples.
  await perf.getByTestId('history-range').first().selectOption('3600');
  await iops.getByRole('img', { name: /last 60 minutes: Read now/ }).waitFor();
  // Nodes are named by hostname and link to their page.
  const { volume } = await api.OpenStorageVolume.Inspect({ volume_id: id });
  const { nodes } = await api.OpenStorageNode.EnumerateWithFilters({});
  const hostname = (nodeId) => nodes.find((n) => n.id === nodeId).hostname;
  const replicas = page.getByTestId('volume-replicas');
  for (const nodeId of volume.replica_sets[0].nodes) {
    await replicas.getByRole('link', { name: hostname(nodeId), exact: true }).waitFor();
  }
  await page.getByTestId('volume-attached-on').getByRole('link', { name: hostname(volume.attached_on) }).click();
  await page.waitForURL(`**/nodes/${volume.attached_on}`);
  await page.getByTestId('node-hostname').filter({ hasText: hostname(volume.attached_on) }).waitFor();
  page.assertNoErrors();
});

test('chart summaries fit their cards from 1024 to 1920 px wide, light and dark', async () => {
  const server = await t.server({ args: ['--sample-interval', '1s'] });
  await attachedVolume(sdk(server.address), 'busy');
  const page = await t.page();
  await page.goto(server.url);
  await nowFigure(page.getByTestId('chart-throughput'));
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of [1024, 1280, 1440, 1920]) {
      await page.setViewportSize({ width, height: 900 });
      const overflowing = await page.evaluate(() => [...document.querySelectorAll('.chart')]
        .filter((figure) => {
          const table = figure.querySelector('.chart__summary');
          return table && (table.getBoundingClientRect().right > figure.getBoundingClientRect().right - 1
            || figure.scrollWidth > figure.clientWidth);
        })
        .map((figure) => figure.dataset.testid));
      assert.deepEqual(overflowing, [], `${scheme}, ${width} px`);
    }
  }
  page.assertNoErrors();
});

test('against a mock whose stats are all zero the charts say "no I/O"', async () => {
  const server = await t.server({ args: ['--sample-interval', '1s', '--mock-io', 'idle'] });
  const api = sdk(server.address);
  const id = await attachedVolume(api, 'quiet');
  const page = await t.page();
  await page.goto(`${server.url}/volumes/${id}`);
  const perf = page.getByTestId('volume-performance');
  for (const chart of ['chart-iops', 'chart-throughput']) {
    const figure = perf.getByTestId(chart);
    await figure.getByTestId('chart-zero').waitFor({ timeout: 20000 });
    assert.equal(await figure.getByTestId('chart-zero').textContent(), 'No I/O in this period.');
    assert.match(await figure.getByRole('img').getAttribute('aria-label'), /Read now 0 /);
  }
  // No operations: the average latency is unknown, not zero.
  assert.match(
    await perf.getByTestId('chart-latency').getByRole('img').getAttribute('aria-label'),
    /Average not known yet/,
  );
  page.assertNoErrors();
});

test('the overview links each node to its page: status, pools, drives, volumes and charts', async () => {
  const server = await t.server({ args: ['--sample-interval', '1s', '--fail-node', '3'] });
  const api = sdk(server.address);
  await attachedVolume(api, 'on-first-node');
  const { node } = await api.OpenStorageNode.InspectCurrent({});
  const { nodes } = await api.OpenStorageNode.EnumerateWithFilters({});
  const page = await t.page();
  await page.goto(server.url);
  await page.getByTestId('nodes-table').getByRole('link', { name: node.hostname }).click();
  await page.waitForURL(`**/nodes/${node.id}`);
  assert.equal(await page.getByTestId('node-hostname').textContent(), node.hostname);
  assert.match(await page.title(), new RegExp(`Node ${node.hostname}`));
  const facts = page.getByTestId('node-facts');
  await facts.getByText(node.mgmt_ip, { exact: true }).waitFor();
  await facts.getByText('OK', { exact: true }).waitFor();
  const pool = node.pools[0];
  const poolRow = page.getByTestId('node-pools').locator('tbody tr');
  assert.equal(await poolRow.count(), node.pools.length);
  assert.match(await poolRow.first().textContent(), new RegExp(`NVMe.*\\(${Math.floor((100 * Number(pool.Used)) / Number(pool.TotalSize))}%\\)`));
  assert.equal(await page.getByTestId('node-drives').locator('tbody tr').count(), Object.keys(node.disks).length);
  const perf = page.getByTestId('node-performance');
  await nowFigure(perf.getByTestId('chart-cpu'));
  await nowFigure(perf.getByTestId('chart-throughput'));
  // Its volumes are counted, and listed on the Volumes page filtered by the node.
  const { volume_ids } = await api.OpenStorageVolume.Enumerate({});
  let onNode = 0;
  for (const volume_id of volume_ids) {
    const { volume } = await api.OpenStorageVolume.Inspect({ volume_id });
    if (volume.attached_on === node.id || volume.replica_sets.some((r) => r.nodes.includes(node.id))) onNode += 1;
  }
  assert.ok(onNode >= 1);
  await page.getByTestId('node-volume-count').filter({ hasText: new RegExp(`^${onNode} volumes? ha`) }).waitFor();
  await page.getByTestId('node-volumes-link').click();
  await page.waitForURL(`**/volumes?node=${node.id}`);
  await page.getByTestId('volumes-table').getByRole('row', { name: /on-first-node/ }).waitFor();
  assert.equal(await page.locator('#filter-node option:checked').textContent(), node.hostname);
  assert.equal(await page.getByTestId('volumes-table').locator('tbody tr').count(), onNode);
  // The node --fail-node took down says so.
  const failed = nodes.find((n) => n.status === 'STATUS_OFFLINE');
  assert.ok(failed, 'the third node is offline');
  await page.goto(`${server.url}/nodes/${failed.id}`);
  await page.getByTestId('node-facts').getByText('Offline', { exact: true }).waitFor();
  // Its volumes load on their own: wait for the answer, whichever it is.
  await page.locator('[data-testid=node-volumes-empty], [data-testid=node-volume-count]').first().waitFor();
  await page.goto(`${server.url}/nodes/no-such-node`);
  await page.getByTestId('node-not-found').waitFor();
  page.assertNoErrors();
});

test('the alerts page lists the alarm of a failed backup, filters by severity, and deletes', async () => {
  const server = await t.server({
    args: ['--fail-backups-matching', 'tier=doomed', '--backup-rate', '100GiB', '--sample-interval', '1s'],
  });
  const api = sdk(server.address);
  const doomed = await attachedVolume(api, 'doomed', { tier: 'doomed' });
  const fine = await attachedVolume(api, 'fine');
  const { credential_id } = await api.OpenStorageCredentials.Create(awsCredential('s3'));
  for (const volume_id of [doomed, fine]) {
    await api.OpenStorageCloudBackup.Create({ volume_id, credential_id });
  }
  // Wait for both backups to finish (the alerts come with them).
  let finished = [];
  for (let i = 0; i < 100 && finished.length < 2; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 200));
    const { statuses } = await api.OpenStorageCloudBackup.Status({});
    finished = Object.values(statuses)
      .map((s) => s.status)
      .filter((s) => ['SdkCloudBackupStatusTypeDone', 'SdkCloudBackupStatusTypeFailed'].includes(s));
  }
  assert.deepEqual(finished.sort(), ['SdkCloudBackupStatusTypeDone', 'SdkCloudBackupStatusTypeFailed']);
  const page = await t.page();
  await page.goto(`${server.url}/alerts`);
  // The header counts the active alarm.
  await page.getByTestId('alarm-count').filter({ hasText: /^1 active alarm$/ }).waitFor();
  const table = page.getByTestId('alerts-table');
  const alarm = table.getByTestId('alert-row').filter({ hasText: 'Cloud backup of volume doomed failed' });
  await alarm.waitFor();
  assert.equal(await alarm.getAttribute('data-severity'), 'Alarm');
  assert.match(await alarm.textContent(), /Active/);
  const notice = table.getByTestId('alert-row').filter({ hasText: 'Cloud backup of volume fine completed' });
  await notice.waitFor();
  assert.equal(await notice.getAttribute('data-severity'), 'Notice');

  await page.getByLabel('Severity').selectOption({ label: 'Alarm' });
  await notice.waitFor({ state: 'detached' });
  await alarm.waitFor();
  const severities = await table.getByTestId('alert-row').evaluateAll((rows) => rows.map((r) => r.dataset.severity));
  assert.deepEqual([...new Set(severities)], ['Alarm']);
  await page.getByLabel('Raised').selectOption({ label: 'Last hour' });
  await alarm.waitFor();
  await page.getByLabel('Raised').selectOption({ label: 'Any time' });
  await page.getByLabel('Resource').selectOption({ label: 'Node' });
  await page.getByTestId('alerts-empty').waitFor();
  await page.getByLabel('Resource').selectOption({ label: 'Volume' });

  // Resources link to their pages.
  await alarm.getByRole('link', { name: doomed }).click();
  await page.waitForURL(`**/volumes/${doomed}`);
  await page.goBack();
  await page.waitForURL('**/alerts');

  // Delete: the alarm goes, the notice stays.
  await page.getByLabel('Severity').selectOption({ label: 'Any' });
  await alarm.getByRole('button', { name: 'Delete' }).click();
  await alarm.getByRole('button', { name: 'Delete alert' }).click();
  await alarm.waitFor({ state: 'detached' });
  await notice.waitFor();
  page.assertNoErrors();
});

test('the overview charts the cluster and links volumes by state to the filtered list', async () => {
  const server = await t.server({ args: ['--sample-interval', '1s'] });
  const api = sdk(server.address);
  await attachedVolume(api, 'attached-one');
  await api.OpenStorageVolume.Create({ name: 'detached-one', spec: { size: GIB, ha_level: 1 } });
  const page = await t.page();
  await page.goto(server.url);
  const perf = page.getByTestId('cluster-performance');
  await nowFigure(perf.getByTestId('chart-iops'));
  await nowFigure(perf.getByTestId('chart-capacity'));
  assert.equal(await perf.getByTestId('chart-iops').getByRole('link', { name: 'IOPS' }).getAttribute('href'), '/volumes');
  const states = perf.getByTestId('chart-volume-states');
  const attached = states.locator('li').filter({ hasText: 'Attached' });
  await attached.waitFor();
  assert.equal(await attached.locator('.bars__count').textContent(), '1');
  await attached.getByRole('link', { name: 'Attached' }).click();
  await page.waitForURL('**/volumes?state=*');
  // The filter shows what it holds, and the table agrees.
  assert.equal(await page.getByLabel('State').inputValue(), await page.evaluate(() => new URL(location.href).searchParams.get('state')));
  assert.equal(await page.getByLabel('State').locator('option:checked').textContent(), 'Attached');
  await page.getByTestId('volumes-table').getByRole('link', { name: 'attached-one' }).waitFor();
  await page.getByTestId('volumes-table').getByRole('link', { name: 'detached-one' }).waitFor({ state: 'detached' });
  // Choosing another state puts it in the URL; the nav link to all volumes clears it.
  await page.getByLabel('State').selectOption({ label: 'Detached' });
  await page.waitForURL('**/volumes?state=4');
  await page.getByTestId('volumes-table').getByRole('link', { name: 'detached-one' }).waitFor();
  await openFromNav(page, 'Volumes');
  await page.waitForURL((url) => url.pathname === '/volumes' && url.search === '');
  assert.equal(await page.getByLabel('State').inputValue(), '0');
  await page.getByTestId('volumes-table').getByRole('link', { name: 'attached-one' }).waitFor();
  await page.getByTestId('volumes-table').getByRole('link', { name: 'detached-one' }).waitFor();
  // `?state=0` is "Any", as the select shows it, not a filter on state 0.
  await page.goto(`${server.url}/volumes?state=0`);
  await page.getByTestId('volumes-table').getByRole('link', { name: 'detached-one' }).waitFor();
  await page.getByTestId('volumes-table').getByRole('link', { name: 'attached-one' }).waitFor();
  assert.equal(await page.getByLabel('State').inputValue(), '0');
  page.assertNoErrors();
});

test('through --upstream to a cluster with constant stats and no alerts: flat charts, an empty alerts page, no error', async () => {
  // The mock's fake driver answers Stats as upstream's does: the same counters every time.
  const upstream = await t.server({ args: ['--driver', 'fake'], ui: false });
  const api = sdk(upstream.address);
  const id = await attachedVolume(api, 'constant');
  const gateway = await t.server({ args: ['--upstream', upstream.url, '--sample-interval', '1s'] });
  const page = await t.page();
  await page.goto(`${gateway.url}/volumes/${id}`);
  const perf = page.getByTestId('volume-performance');
  await perf.getByTestId('chart-iops').getByTestId('chart-zero').waitFor({ timeout: 20000 });
  await perf.getByTestId('chart-throughput').getByTestId('chart-zero').waitFor();
  assert.match(await perf.getByTestId('chart-iops').getByRole('img').getAttribute('aria-label'), /Read now 0 ops\/s, min 0 ops\/s, max 0 ops\/s/);
  await page.goto(`${gateway.url}/alerts`);
  await page.getByTestId('alerts-empty').waitFor();
  await page.goto(gateway.url);
  await page.getByTestId('cluster-performance').getByTestId('chart-iops').getByTestId('chart-zero').waitFor({ timeout: 20000 });
  assert.equal(await page.getByTestId('alarm-count').count(), 0);
  assert.equal(await page.getByTestId('connection-indicator').textContent(), 'Connected');
  page.assertNoErrors();
});
