// The history kept in a real Prometheus (`--prometheus`): days until full on the overview and
// a node's page from seeded history, with the capacity chart's projection; ranges up to 7
// days; Prometheus stopped while a page is open and back again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite } from './fixtures/suite.mjs';
import { sdk } from './fixtures/sdk.mjs';
import { audit } from './fixtures/axe.mjs';
import { Prometheus, capacitySeed, freePort } from './fixtures/prometheus.mjs';

const t = suite();

test('the overview and a node say when storage will be full, and the chart draws it', async () => {
  const prometheus = await Prometheus.reserve();
  try {
    // Only seeded history: this server exports nothing, so the answer is known.
    const server = await t.server({ args: ['--prometheus', prometheus.url] });
    const api = sdk(server.address);
    const { nodes } = await api.OpenStorageNode.EnumerateWithFilters({});
    const [first] = nodes;
    const pool = { node: first.id, uuid: first.pools[0].uuid };
    prometheus.seed(capacitySeed('openstorage-mock', nodes, pool));
    await prometheus.start([]);

    const page = await t.page({ bypassCSP: true });
    await page.goto(server.url);
    const outlook = page.getByTestId('capacity-outlook');
    await outlook.filter({ hasText: "Full in about 10 days at the last 7 days' rate." }).waitFor();

    // Seven days back, and the projection to 100 % on the capacity chart.
    const perf = page.getByTestId('cluster-performance');
    const range = perf.getByTestId('history-range');
    assert.deepEqual(await range.locator('option').allTextContents(), [
      'Last 15 minutes',
      'Last hour',
      'Last 6 hours',
      'Last 24 hours',
      'Last 7 days',
    ]);
    await range.selectOption(String(7 * 86400));
    const capacity = perf.getByTestId('chart-capacity');
    await capacity.getByRole('img', { name: /^Capacity used, last 7 days: Used now .*; projected full on \d{4}-/ }).waitFor();
    assert.match(await capacity.getByTestId('chart-projection').getAttribute('d'), /^M[\d.]+,[\d.]+ h0 L600(\.0)?,[\d.]+$/);
    await audit(page);

    // The fleet page, where every cluster's capacity is side by side.
    await page.goto(`${server.url}/clusters`);
    await page
      .getByTestId('fleet-row')
      .getByTestId('fleet-outlook')
      .filter({ hasText: "Full in about 10 days at the last 7 days' rate." })
      .waitFor();

    // The node's own outlook, and its pools'.
    await page.goto(`${server.url}/nodes/${first.id}`);
    await page.getByTestId('node-outlook').filter({ hasText: "Full in about 10 days at the last 7 days' rate." }).waitFor();
    await page
      .getByTestId('node-pools')
      .getByRole('row')
      .filter({ hasText: first.pools[0].uuid.slice(0, 8) })
      .getByTestId('pool-outlook')
      .filter({ hasText: "Not filling at the last 7 days' rate." })
      .waitFor();
    page.assertNoErrors();
  } finally {
    await prometheus.remove();
  }
});

test('Prometheus stopped while a page is open: the charts say so and show the hour in memory, then recover', async () => {
  const prometheus = await Prometheus.reserve();
  try {
    const metrics = `127.0.0.1:${await freePort()}`;
    const server = await t.server({
      args: ['--sample-interval', '1s', '--metrics-listen', metrics, '--prometheus', prometheus.url],
    });
    await prometheus.start([metrics]);
    const page = await t.page({ allowNetworkErrors: true });
    await page.goto(server.url);
    const perf = page.getByTestId('cluster-performance');
    const capacity = perf.getByTestId('chart-capacity');
    await capacity.getByRole('img', { name: /Used now \d/ }).waitFor();
    await perf.getByTestId('history-range').locator('option[value="604800"]').waitFor({ state: 'attached' });
    // Until its first scrapes, Prometheus holds nothing of the cluster, and the note says so.
    const note = perf.getByTestId('history-prometheus-note');
    await note.waitFor({ state: 'detached', timeout: 20000 });

    await prometheus.stop();
    await note
      .filter({ hasText: `Prometheus (${prometheus.url}) could not be reached` })
      .filter({ hasText: 'Showing the last hour kept in memory.' })
      .waitFor({ timeout: 20000 });
    // The hour in memory is drawn meanwhile, and the rest of the page goes on.
    await capacity.getByRole('img', { name: /Used now \d/ }).waitFor();
    await page.getByTestId('nodes-table').waitFor();
    await perf.getByTestId('history-range').locator('option[value="604800"]').waitFor({ state: 'attached' });

    await prometheus.start();
    await note.waitFor({ state: 'detached', timeout: 20000 });
    await capacity.getByRole('img', { name: /Used now \d/ }).waitFor();
    page.assertNoErrors();
  } finally {
    await prometheus.remove();
  }
});

test('without Prometheus the charts offer the hour kept in memory only', async () => {
  const server = await t.server({ args: ['--sample-interval', '1s'] });
  const page = await t.page();
  await page.goto(server.url);
  const range = page.getByTestId('cluster-performance').getByTestId('history-range');
  await page.getByTestId('cluster-performance').getByTestId('chart-capacity').getByRole('img', { name: /Used now \d/ }).waitFor();
  assert.deepEqual(await range.locator('option').allTextContents(), ['Last 15 minutes', 'Last hour']);
  // Not enough history for a forecast in an hour kept in memory.
  await page.getByTestId('capacity-outlook').filter({ hasText: /^Not enough history yet/ }).waitFor();
  page.assertNoErrors();
});
