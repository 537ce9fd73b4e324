// Volumes and snapshots in the browser, checked against what the server says over gRPC.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite } from './fixtures/suite.mjs';
import { sdk } from './fixtures/sdk.mjs';
import { addLabel, deleteVolume, fillVolumeForm, openScreen } from './fixtures/actions.mjs';

const GIB = 1024 ** 3;
const t = suite();

async function volumeIds(api) {
  return (await api.OpenStorageVolume.Enumerate({})).volume_ids;
}

// These tests choose the size unit and HA level every time they fill the create form.
const FORM_DEFAULTS = { unit: 'GiB', ha: '1' };

test('create a 100 GiB HA 3 volume through the form, and again (idempotent)', async () => {
  const { server, api } = await t.fresh();
  const page = await t.page();
  await page.goto(`${server.url}/volumes`);
  await page.getByTestId('volumes-empty').waitFor();
  await page.getByRole('link', { name: 'Create volume' }).first().click();
  await page.getByRole('heading', { name: 'Create volume' }).waitFor();
  await fillVolumeForm(page, { ...FORM_DEFAULTS, name: 'pvc-db', size: '100', ha: '3' });
  await addLabel(page, 'app', 'postgres');
  await page.getByRole('button', { name: 'Create volume' }).click();
  await page.waitForURL(/\/volumes\/[0-9a-f-]{36}$/);
  await page.getByTestId('volume-name').waitFor();

  const id = page.url().split('/').pop();
  const { volume, labels } = await api.OpenStorageVolume.Inspect({ volume_id: id });
  assert.equal(Number(volume.spec.size), 100 * GIB);
  assert.equal(Number(volume.spec.ha_level), 3);
  assert.equal(labels.app, 'postgres');
  assert.equal(await page.getByTestId('volume-name').textContent(), 'pvc-db');
  assert.equal(await page.getByTestId('volume-size').textContent(), '100 GiB');
  assert.equal(await page.getByTestId('volume-ha').textContent(), '3');
  assert.match(await page.getByTestId('volume-labels').textContent(), /app=postgres/);

  // The same name and size again: the same volume, and the console says so.
  await page.goto(`${server.url}/volumes/new`);
  await fillVolumeForm(page, { ...FORM_DEFAULTS, name: 'pvc-db', size: '100', ha: '3' });
  await page.getByRole('button', { name: 'Create volume' }).click();
  await page.getByTestId('volume-existed').waitFor();
  assert.equal(page.url().split('/').pop().split('?')[0], id);
  assert.deepEqual(await volumeIds(api), [id]);
  page.assertNoErrors();
});

test('bad input is caught next to the field and nothing is sent', async () => {
  const { server, api } = await t.fresh();
  const page = await t.page();
  const sent = [];
  page.on('request', (r) => {
    if (r.url().includes('OpenStorageVolume/')) sent.push(r.url());
  });
  await page.goto(`${server.url}/volumes/new`);
  const cases = [
    { name: 'bad name!', size: '10', field: '#volume-name-error', message: /cannot contain/ },
    { name: 'ok', size: '0', field: '#volume-size-error', message: /more than 0/ },
    { name: 'ok', size: '-5', field: '#volume-size-error', message: /negative/ },
    { name: 'ok', size: 'ten', field: '#volume-size-error', message: /Enter a number/ },
    { name: '', size: '10', field: '#volume-name-error', message: /Enter a name/ },
  ];
  for (const c of cases) {
    await fillVolumeForm(page, { ...FORM_DEFAULTS, ...c });
    await page.getByRole('button', { name: 'Create volume' }).click();
    await page.locator(c.field).filter({ hasText: c.message }).waitFor();
  }
  // An encrypted volume needs a passphrase.
  await fillVolumeForm(page, { ...FORM_DEFAULTS, name: 'secret-vol', size: '1' });
  await page.getByLabel('Encrypted').check();
  await page.getByRole('button', { name: 'Create volume' }).click();
  await page.locator('#volume-passphrase-error').filter({ hasText: /passphrase/ }).waitFor();
  assert.deepEqual(sent, [], 'no SDK call was made');
  assert.deepEqual(await volumeIds(api), []);
  assert.match(page.url(), /\/volumes\/new$/);
  page.assertNoErrors();
});

test("a name reused with another size shows the server's error and keeps the form", async () => {
  const { server, api } = await t.fresh();
  await api.OpenStorageVolume.Create({ name: 'taken', spec: { size: 10 * GIB, ha_level: 1 } });
  const page = await t.page();
  await page.goto(`${server.url}/volumes/new`);
  await fillVolumeForm(page, { ...FORM_DEFAULTS, name: 'taken', size: '20' });
  await page.getByRole('button', { name: 'Create volume' }).click();
  const alert = page.getByRole('alert').filter({ hasText: /Already exists/ });
  await alert.waitFor();
  // The server's own words (upstream's), with the sizes it compared.
  assert.match(await alert.textContent(), /Existing volume has a size of 10737418240 which differs from requested size of 21474836480/);
  assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'taken');
  assert.equal(await page.getByLabel('Size', { exact: true }).inputValue(), '20');
  assert.equal((await volumeIds(api)).length, 1);
  page.assertNoErrors();
});

test('snapshot, restore, clone, resize, labels and delete from the volume page', async () => {
  const { server, api } = await t.fresh();
  const { volume_id: id } = await api.OpenStorageVolume.Create({ name: 'data', spec: { size: 10 * GIB, ha_level: 1 } });
  const page = await t.page();
  await page.goto(`${server.url}/volumes/${id}`);
  await page.getByTestId('no-snapshots').waitFor();

  await page.getByLabel('Snapshot name (optional)').fill('data-snap1');
  await page.getByRole('button', { name: 'Take snapshot' }).click();
  const snapRow = page.getByTestId('snapshots-table').getByRole('row', { name: /data-snap1/ });
  await snapRow.waitFor();
  const [snapId] = (await api.OpenStorageVolume.SnapshotEnumerate({ volume_id: id })).volume_snapshot_ids;
  assert.ok(snapId);

  await snapRow.getByRole('button', { name: 'Restore…' }).click();
  await page.getByRole('button', { name: 'Restore volume' }).click();
  await page.getByText('Volume data was restored to snapshot data-snap1.').waitFor();
  const restored = await api.OpenStorageVolume.Inspect({ volume_id: id });
  assert.equal(restored.volume.attach_info['restored-from-snapshot'], snapId);

  // Resize: shrinking is caught in the form, growing goes through.
  await page.getByLabel('New size').fill('5');
  await page.getByRole('button', { name: 'Resize volume' }).click();
  await page.locator('#resize-size-error').filter({ hasText: /only grow/ }).waitFor();
  await page.getByLabel('New size').fill('20');
  await page.getByRole('button', { name: 'Resize volume' }).click();
  await page.getByTestId('volume-size').filter({ hasText: '20 GiB' }).waitFor();
  assert.equal(Number((await api.OpenStorageVolume.Inspect({ volume_id: id })).volume.spec.size), 20 * GIB);

  await page.getByLabel('Replicas').selectOption('2');
  await page.getByRole('button', { name: 'Change HA level' }).click();
  await page.getByTestId('volume-ha').filter({ hasText: '2' }).waitFor();

  await addLabel(page, 'tier', 'gold');
  await page.getByRole('button', { name: 'Save labels' }).click();
  await page.getByTestId('volume-labels').filter({ hasText: 'tier=gold' }).waitFor();

  // Delete is refused while a snapshot exists, and the refusal is shown.
  await page.getByRole('button', { name: 'Delete volume' }).click();
  const confirmButton = page.getByRole('group', { name: 'Delete volume' }).getByRole('button', { name: 'Delete volume' });
  assert.equal(await confirmButton.isDisabled(), true, 'disabled until the name is typed');
  await page.getByLabel(/Type data to confirm/).fill('dat');
  assert.equal(await confirmButton.isDisabled(), true);
  await page.getByLabel(/Type data to confirm/).fill('data');
  await confirmButton.click();
  await page.getByRole('alert').filter({ hasText: /snapshot/ }).waitFor();

  // Clone the snapshot into a new volume; then delete the snapshot and the volume.
  await snapRow.getByRole('button', { name: 'Clone…' }).click();
  await page.getByLabel('Name of the new volume').first().fill('data-copy');
  await page.getByRole('button', { name: 'Clone snapshot' }).click();
  await page.getByTestId('volume-name').filter({ hasText: 'data-copy' }).waitFor();
  const copy = await api.OpenStorageVolume.Inspect({ volume_id: 'data-copy' });
  assert.equal(copy.volume.source.parent, snapId);

  await page.goto(`${server.url}/volumes/${id}`);
  await snapRow.getByRole('button', { name: 'Delete…' }).click();
  await page.getByRole('button', { name: 'Delete snapshot' }).click();
  await page.getByTestId('no-snapshots').waitFor();
  await deleteVolume(page, 'data');
  await page.waitForURL(/\/volumes$/);
  assert.deepEqual(await volumeIds(api), [copy.volume.id]);
  page.assertNoErrors();
});

test('an unknown volume shows a not-found screen with a way back', async () => {
  const { server } = await t.fresh();
  const page = await t.page();
  await page.goto(`${server.url}/volumes/does-not-exist`);
  await page.getByTestId('volume-not-found').waitFor();
  await page.getByRole('link', { name: 'Back to the volumes' }).click();
  await page.getByRole('heading', { name: 'Volumes', exact: true }).waitFor();
  page.assertNoErrors();
});

test('names with markup are shown as text', async () => {
  const { server, api } = await t.fresh();
  const nasty = '<script>window.__pwned=1</script>"quoted"<img src=x onerror=window.__pwned=2>';
  const { volume_id: id } = await api.OpenStorageVolume.Create({
    name: nasty,
    spec: { size: GIB, ha_level: 1 },
    labels: { note: '<b>bold</b>' },
  });
  const page = await t.page();
  await page.goto(`${server.url}/volumes`);
  await page.getByRole('link', { name: nasty }).waitFor();
  await page.getByText('note=<b>bold</b>').waitFor();
  await page.goto(`${server.url}/volumes/${id}`);
  assert.equal(await page.getByTestId('volume-name').textContent(), nasty);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.locator('img[src=x]').count(), 0);
  page.assertNoErrors();
});

/** 10,000 volumes made through the SDK, then paged, filtered and sorted in the browser:
 * through the view service, or (`--no-view`) from one SDK listing. */
async function tenThousand(args) {
  const server = await t.server({ args });
  const api = sdk(server.address);
  const started = Date.now();
  const total = 10_000;
  for (let batch = 0; batch < total; batch += 500) {
    await Promise.all(
      Array.from({ length: 500 }, (_, i) => {
        const n = batch + i;
        return api.OpenStorageVolume.Create({
          name: `bulk-${String(n).padStart(5, '0')}`,
          spec: { size: (1 + (n % 100)) * GIB, ha_level: 1 },
          labels: { shard: n % 2 === 0 ? 'even' : 'odd' },
        });
      }),
    );
  }
  const seeded = Date.now() - started;
  const page = await t.page();
  await page.addInitScript(() => {
    window.__longest = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  const t0 = Date.now();
  await page.goto(`${server.url}/volumes`);
  await page.getByTestId('volumes-count').filter({ hasText: '10000 volumes' }).waitFor({ timeout: 60_000 });
  const rendered = Date.now() - t0;
  assert.equal(await page.getByTestId('volumes-table').locator('tbody tr').count(), 50, 'one page of rows');
  const note = page.getByTestId('view-absent');
  if (args.includes('--no-view')) {
    assert.match(await note.textContent(), /no console view service.*console-server in front of the cluster/);
  } else {
    assert.equal(await note.count(), 0, 'the view service answers');
  }

  const t1 = Date.now();
  await page.getByLabel('Filter by name').fill('bulk-0999');
  await page.getByTestId('volumes-count').filter({ hasText: '10 of 10000 volumes match' }).waitFor();
  const filtered = Date.now() - t1;
  await page.getByLabel('Filter by label').fill('shard=odd');
  await page.getByTestId('volumes-count').filter({ hasText: '5 of 10000 volumes match' }).waitFor();
  await page.getByLabel('Filter by label').fill('shard');
  await page.locator('#filter-label-error').filter({ hasText: 'key=value' }).waitFor();

  await page.getByLabel('Filter by name').fill('');
  await page.getByLabel('Filter by label').fill('');
  await page.getByTestId('volumes-count').filter({ hasText: /^10000 volumes$/ }).waitFor();
  await page.getByRole('button', { name: 'Size' }).click();
  await page.getByRole('button', { name: 'Size' }).click();
  await page.locator('th[aria-sort=descending]', { hasText: 'Size' }).waitFor();
  // Largest first: the first row settles on 100 GiB once the sorted page arrives.
  await page.getByTestId('volumes-table').locator('tbody tr').first().locator('td:nth-child(3)', { hasText: /^100 GiB$/ }).waitFor();
  await page.getByRole('button', { name: 'Next page' }).click();
  await page.getByText('Page 2 of 200').waitFor();

  const longest = await page.evaluate(() => window.__longest);
  console.log(`10,000 volumes (${args.join(' ') || 'view service'}): seeded in ${seeded} ms, first render ${rendered} ms, filter ${filtered} ms, longest main-thread task ${Math.round(longest)} ms`);
  assert.ok(longest < 3000, `the page froze for ${longest} ms`);
  page.assertNoErrors();
}

test('10,000 volumes render, page and filter without freezing the page', () => tenThousand([]));

test('without a view service the console lists with SDK calls, and says so', () => tenThousand(['--no-view']));


test('the create form works with the keyboard alone', async () => {
  const { server, api } = await t.fresh();
  const page = await t.page();
  await openScreen(page, `${server.url}/volumes/new`, { name: 'Create volume' });
  // Tab from the top of the page until the name field has focus.
  for (let i = 0; i < 30 && (await page.evaluate(() => document.activeElement?.id)) !== 'volume-name'; i++) {
    await page.keyboard.press('Tab');
  }
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'volume-name');
  await page.keyboard.type('keyboard-vol');
  await page.keyboard.press('Tab');
  await page.keyboard.type('3');
  await page.keyboard.press('Enter');
  await page.getByTestId('volume-name').filter({ hasText: 'keyboard-vol' }).waitFor();
  const { volume } = await api.OpenStorageVolume.Inspect({ volume_id: 'keyboard-vol' });
  assert.equal(Number(volume.spec.size), 3 * GIB);
  page.assertNoErrors();
});
