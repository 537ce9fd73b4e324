// The console through `console-server --upstream`: one process serves the console and forwards
// the SDK to another (a mock SDK server standing in for a real cluster).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite } from './fixtures/suite.mjs';
import { sdk } from './fixtures/sdk.mjs';
import { token } from './fixtures/jwt.mjs';

const t = suite();

test('volumes, credentials and backups work end to end through the gateway', async () => {
  const upstream = await t.server({ ui: false, args: ['--backup-rate', '20GiB'] });
  const gateway = await t.server({ args: ['--upstream', upstream.url] });
  const api = sdk(upstream.address);
  const { cluster } = await api.OpenStorageCluster.InspectCurrent({});

  const page = await t.page();
  await page.goto(gateway.url);
  assert.equal(await page.getByTestId('cluster-id').textContent(), cluster.id, "the upstream's cluster");

  await page.goto(`${gateway.url}/volumes/new`);
  await page.getByLabel('Name', { exact: true }).fill('gw-vol');
  await page.getByLabel('Size', { exact: true }).fill('100');
  await page.getByRole('button', { name: 'Create volume' }).click();
  await page.getByTestId('volume-name').filter({ hasText: 'gw-vol' }).waitFor();

  await page.goto(`${gateway.url}/credentials`);
  await page.getByLabel('Name', { exact: true }).fill('aws');
  await page.getByLabel('Access key', { exact: true }).fill('a');
  await page.getByLabel('Secret key', { exact: true }).fill('s');
  await page.getByLabel('Region', { exact: true }).fill('r');
  await page.getByRole('button', { name: 'Add credential' }).click();
  await page.getByRole('cell', { name: 'aws', exact: true }).waitFor();

  await page.goto(`${gateway.url}/backups`);
  await page.locator('#backup-volume option', { hasText: 'gw-vol' }).waitFor({ state: 'attached' });
  await page.getByRole('button', { name: 'Start backup' }).click();
  await page.locator('[data-testid=task-row][data-state=Done]').waitFor({ timeout: 30_000 });
  await page.getByTestId('catalog-row').first().waitFor();

  const { volume_ids } = await api.OpenStorageVolume.Enumerate({});
  assert.equal(volume_ids.length, 1, 'the volume lives on the upstream');
  const { backups } = await api.OpenStorageCloudBackup.EnumerateWithFilters({});
  assert.equal(backups.length, 1);
  page.assertNoErrors();
});

test('a token is passed through to an upstream with auth on', async () => {
  const secret = 'gateway-e2e-secret';
  const upstream = await t.server({ ui: false, args: ['--jwt-shared-secret', secret] });
  const gateway = await t.server({ args: ['--upstream', upstream.url] });
  const page = await t.page();
  await page.goto(`${gateway.url}/credentials`);
  await page.locator('[data-kind=permission-denied]').waitFor();
  await page.goto(`${gateway.url}/settings`);
  await page.getByLabel('Token', { exact: true }).fill(token({ secret }));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Credentials' }).click();
  await page.getByTestId('credentials-empty').waitFor();
  // A token through a gateway gets no history from console-server: the node page says so once,
  // with no charts left loading for ever.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }).click();
  await page.getByTestId('nodes-table').getByRole('link').first().click();
  // The overview says the same until the node page's code has loaded.
  await page.getByTestId('node-hostname').waitFor();
  await page.getByTestId('history-absent').waitFor();
  assert.equal(await page.getByTestId('history-range').count(), 0, 'no time range without history');
  assert.equal(await page.locator('.charts').count(), 0, 'no charts without history');
  page.assertNoErrors();
});
