// The Volumes page over console-server's view service: 100,000 volumes a page at a time, and
// changes made by another client pushed to the page without a reload or polling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite } from './fixtures/suite.mjs';
import { sdk } from './fixtures/sdk.mjs';
import { countCalls } from './fixtures/actions.mjs';

const GIB = 1024 ** 3;
const t = suite();

test('100,000 seeded volumes: first page, filter and sort in the browser', async () => {
  const server = await t.server({ args: ['--seed-volumes', '100000'] });
  const api = sdk(server.address);
  // What the cluster holds, from the SDK itself (not from the view the page uses).
  const { volumes } = await api.OpenStorageVolume.InspectWithFilters({});
  assert.equal(volumes.length, 100_000);
  const named = volumes.filter((v) => v.name.toLowerCase().includes('db-0001'));
  const dbProdGold = named.filter((v) => v.labels.env === 'prod');
  const largest = Math.max(...volumes.map((v) => Number(v.volume.spec.size)));

  const page = await t.page();
  const calls = countCalls(page);
  await page.goto(`${server.url}/volumes`);
  await page.getByTestId('volumes-count').filter({ hasText: /^100000 volumes$/ }).waitFor({ timeout: 30_000 });
  assert.equal(await page.getByTestId('volumes-table').locator('tbody tr').count(), 50);
  await page.getByText('Page 1 of 2000').waitFor();

  await page.getByLabel('Filter by name').fill('DB-0001');
  await page.getByTestId('volumes-count').filter({ hasText: `${named.length} of 100000 volumes match` }).waitFor();
  await page.getByLabel('Filter by label').fill('env=prod');
  await page.getByTestId('volumes-count').filter({ hasText: `${dbProdGold.length} of 100000 volumes match` }).waitFor();
  const rows = page.getByTestId('volumes-table').locator('tbody tr');
  for (const name of await rows.locator('td:first-child').allTextContents()) {
    assert.match(name, /^db-0001/i);
  }
  await page.getByLabel('Filter by name').fill('');
  await page.getByLabel('Filter by label').fill('');
  await page.getByTestId('volumes-count').filter({ hasText: /^100000 volumes$/ }).waitFor();

  await page.getByRole('button', { name: 'Size' }).click();
  await page.getByRole('button', { name: 'Size' }).click();
  await page.locator('th[aria-sort=descending]', { hasText: 'Size' }).waitFor();
  await rows.first().locator('td:nth-child(3)', { hasText: largest === 1024 * GIB ? /^1 TiB$/ : /GiB$/ }).waitFor();
  await page.getByRole('button', { name: 'Next page' }).click();
  await page.getByText('Page 2 of 2000').waitFor();

  // Only pages travel: no call lists every volume.
  assert.equal(calls.InspectWithFilters ?? 0, 0, JSON.stringify(calls));
  assert.ok(calls.Query >= 5, JSON.stringify(calls));
  page.assertNoErrors();
});

test('a volume another client creates, relabels and deletes shows without a reload', async () => {
  const server = await t.server();
  const api = sdk(server.address);
  await api.OpenStorageVolume.Create({ name: 'existing', spec: { size: GIB, ha_level: 1 } });
  const page = await t.page();
  const calls = countCalls(page);
  await page.goto(`${server.url}/volumes`);
  await page.getByTestId('volumes-count').filter({ hasText: /^1 volumes$/ }).waitFor();
  const table = page.getByTestId('volumes-table');

  const { volume_id: id } = await api.OpenStorageVolume.Create({
    name: 'arrived', spec: { size: 2 * GIB, ha_level: 1 }, labels: { team: 'a' },
  });
  // Well inside the 60 s the page waits between queries while the stream is open.
  await table.getByRole('row', { name: /arrived/ }).waitFor({ timeout: 5_000 });
  await page.getByTestId('volumes-count').filter({ hasText: /^2 volumes$/ }).waitFor({ timeout: 5_000 });
  await api.OpenStorageVolume.Update({ volume_id: id, labels: { team: 'b' } });
  await table.getByRole('row', { name: /arrived/ }).getByText('team=b').waitFor({ timeout: 5_000 });
  await api.OpenStorageVolume.Delete({ volume_id: id });
  await table.getByRole('row', { name: /arrived/ }).waitFor({ state: 'detached', timeout: 5_000 });
  await page.getByTestId('volumes-count').filter({ hasText: /^1 volumes$/ }).waitFor();

  // Three changes, a few queries: the page followed the stream, it did not poll every volume.
  assert.equal(calls.Watch, 1, JSON.stringify(calls));
  assert.equal(calls.InspectWithFilters ?? 0, 0, JSON.stringify(calls));
  assert.ok(calls.Query <= 8, JSON.stringify(calls));
  page.assertNoErrors();
});
