// The Overview screen against a real console-server with the built-in mock cluster.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite } from './fixtures/suite.mjs';
import { sdk } from './fixtures/sdk.mjs';
import { openOverview, openScreen } from './fixtures/actions.mjs';

const t = suite();

test('the overview shows the cluster the server reports over gRPC', async () => {
  const server = await t.server();
  const { cluster } = await sdk(server.address).OpenStorageCluster.InspectCurrent({});
  const { nodes } = await sdk(server.address).OpenStorageNode.EnumerateWithFilters({});
  const version = await sdk(server.address).OpenStorageIdentity.Version({});

  const page = await t.page();
  await openOverview(page, server.url);
  assert.equal(await page.getByTestId('cluster-id').textContent(), cluster.id);
  assert.equal(await page.getByTestId('cluster-name').textContent(), cluster.name);
  assert.equal(cluster.status, 'STATUS_OK');
  assert.equal(await page.getByTestId('cluster-status').textContent(), 'OK');
  assert.equal(await page.getByTestId('sdk-version').textContent(), version.sdk_version.version);
  assert.match(await page.getByTestId('driver-version').textContent(), new RegExp(version.version.driver));

  const rows = page.getByTestId('nodes-table').locator('tbody tr');
  assert.equal(await rows.count(), nodes.length);
  for (const node of nodes) {
    await page.getByRole('cell', { name: node.hostname, exact: true }).waitFor();
  }
  assert.equal(await page.getByTestId('connection-indicator').textContent(), 'Connected');
  page.assertNoErrors();
});

test('a client-side route reloads into the app, and an unknown one says not found', async () => {
  const server = await t.server();
  const page = await t.page();
  await openScreen(page, `${server.url}/no/such/page`, { name: 'Page not found' });
  await page.getByRole('link', { name: 'Go to the cluster overview' }).click();
  await page.getByTestId('cluster-id').waitFor();
  page.assertNoErrors();
});

test('losing the server shows the unreachable banner, and a restart clears it without a reload', async () => {
  const server = await t.server();
  const page = await t.page({ allowNetworkErrors: true });
  await openOverview(page, server.url);
  // Marks this document, so a reload would be detected.
  await page.evaluate(() => { window.__sameDocument = true; });

  await server.kill();
  const banner = page.getByTestId('unreachable-banner');
  await banner.waitFor({ timeout: 15000 });
  const said = await banner.textContent();
  assert.match(said, /Cannot reach the SDK endpoint/);
  assert.equal(said.split('Cannot reach').length - 1, 1, `said once: ${said}`);
  assert.equal(await page.getByTestId('connection-indicator').textContent(), 'Unreachable');

  await server.restart();
  const { cluster } = await sdk(server.address).OpenStorageCluster.InspectCurrent({});
  await banner.waitFor({ state: 'detached', timeout: 40000 });
  // The restarted mock is a new cluster: the page shows its id, in the same document.
  await page.getByTestId('cluster-id').filter({ hasText: cluster.id }).waitFor({ timeout: 10000 });
  assert.equal(await page.evaluate(() => window.__sameDocument), true);
  assert.equal(await page.getByTestId('connection-indicator').textContent(), 'Connected');
  page.assertNoErrors();
});
