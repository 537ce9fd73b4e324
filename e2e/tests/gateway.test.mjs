// The console through `console-server --upstream`: one process serves the console and forwards
// the SDK to another (a mock SDK server standing in for a real cluster).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite } from './fixtures/suite.mjs';
import { sdk } from './fixtures/sdk.mjs';
import { token } from './fixtures/jwt.mjs';
import { addCredential, createVolume, openFromNav, signIn, startBackup } from './fixtures/actions.mjs';

const t = suite();

test('volumes, credentials and backups work end to end through the gateway', async () => {
  const upstream = await t.server({ ui: false, args: ['--backup-rate', '20GiB'] });
  const gateway = await t.server({ args: ['--upstream', upstream.url] });
  const api = sdk(upstream.address);
  const { cluster } = await api.OpenStorageCluster.InspectCurrent({});

  const page = await t.page();
  await page.goto(gateway.url);
  assert.equal(await page.getByTestId('cluster-id').textContent(), cluster.id, "the upstream's cluster");

  await createVolume(page, gateway.url, { name: 'gw-vol', size: '100' });

  await page.goto(`${gateway.url}/credentials`);
  await addCredential(page, { name: 'aws', accessKey: 'a', secretKey: 's', region: 'r' });

  await page.goto(`${gateway.url}/backups`);
  await startBackup(page, 'gw-vol');
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
  await signIn(page, gateway.url, token({ secret }), { who: null });
  await openFromNav(page, 'Credentials');
  await page.getByTestId('credentials-empty').waitFor();
  // A token through a gateway gets no history from console-server: the node page says so once,
  // with no charts left loading for ever.
  await openFromNav(page, 'Overview');
  await page.getByTestId('nodes-table').getByRole('link').first().click();
  // The overview says the same until the node page's code has loaded.
  await page.getByTestId('node-hostname').waitFor();
  await page.getByTestId('history-absent').waitFor();
  assert.equal(await page.getByTestId('history-range').count(), 0, 'no time range without history');
  assert.equal(await page.locator('.charts').count(), 0, 'no charts without history');
  page.assertNoErrors();
});
