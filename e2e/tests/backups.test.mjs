// Credentials and backups in the browser: the SDK tutorial's whole flow, live progress,
// pause/resume/stop, failures, restores, schedules, and secrets that never come back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite } from './fixtures/suite.mjs';
import { awsCredential } from './fixtures/sdk.mjs';
import { addCredential, fillVolumeForm, openFromNav, restoreBackup, startBackup } from './fixtures/actions.mjs';

const GIB = 1024 ** 3;
const t = suite();

// The dummy AWS credential the forms get: only its name and secret key change.
const DUMMY_AWS = { accessKey: 'dummy-access', endpoint: 'dummy-endpoint', region: 'dummy-region' };

/** Polls a task row until it reaches `final`, returning every distinct progress text seen while running. */
async function watchTask(row, final) {
  const running = new Set();
  for (let i = 0; i < 200; i++) {
    const state = await row.getAttribute('data-state');
    if (state === 'Running') running.add(await row.getByTestId('task-progress').textContent());
    if (state === final) return running;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`task did not reach ${final}`);
}

// The core workflow on both kinds of cluster the mock can be: the realistic driver (read-only
// snapshots, backups with progress) and one that behaves like upstream's fake driver (writable
// snapshots, backups Done at once with no total reported).
for (const driver of ['realistic', 'fake']) {
test(`the SDK tutorial through the console (${driver} driver): volume, snapshot, credential, backup, history, catalog, restore`, async () => {
  const { server, api } = await t.fresh({ args: ['--backup-rate', '5GiB', '--driver', driver] });
  const page = await t.page();
  const urls = [];
  page.on('request', (r) => urls.push(r.url()));
  const { cluster } = await api.OpenStorageCluster.InspectCurrent({});
  await page.goto(server.url);
  assert.equal(await page.getByTestId('cluster-id').textContent(), cluster.id);

  // Create a 100 GiB HA 3 volume and snapshot it.
  await openFromNav(page, 'Volumes');
  await page.getByRole('link', { name: 'Create volume' }).first().click();
  await fillVolumeForm(page, { name: 'myvol', size: '100', ha: '3' });
  await page.getByRole('button', { name: 'Create volume' }).click();
  await page.getByTestId('volume-name').filter({ hasText: 'myvol' }).waitFor();
  const volumeUrl = page.url();
  const volumeId = volumeUrl.split('/').pop();
  // No name typed: the console names it (real SDK servers require a name).
  await page.getByRole('button', { name: 'Take snapshot' }).click();
  await page.getByTestId('snapshots-table').waitFor();
  const kind = await page.getByTestId('snapshot-kind').first().textContent();
  assert.equal(kind, driver === 'realistic' ? 'Snapshot (read-only)' : 'Writable (clone or snapshot)');
  const [snapId] = (await api.OpenStorageVolume.SnapshotEnumerate({ volume_id: volumeId })).volume_snapshot_ids;
  const snap = await api.OpenStorageVolume.Inspect({ volume_id: snapId });
  assert.match(snap.name, /^myvol-snap-\d{8}-\d{6}$/);

  // An AWS credential with dummy values; the secret never comes back.
  const secret = `SECRET-${Date.now()}-do-not-show`;
  await openFromNav(page, 'Credentials');
  await page.getByTestId('credentials-empty').waitFor();
  await addCredential(page, { ...DUMMY_AWS, name: 'aws-tutorial', secretKey: secret });
  assert.equal(await page.getByLabel('Secret key', { exact: true }).inputValue(), '', 'cleared after submit');
  await page.getByRole('button', { name: 'Validate' }).click();
  await page.getByText('Valid: the cluster accepted these credentials.').waitFor();

  // Back up from the volume page and watch it run to Done.
  await page.goto(volumeUrl);
  await page.getByTestId('history-empty').waitFor();
  await page.getByRole('button', { name: 'Back up now' }).click();
  const row = page.getByTestId('task-row').first();
  await row.waitFor();
  const progress = await watchTask(row, 'Done');
  if (driver === 'realistic') {
    assert.ok(progress.size >= 2, `the progress bar advanced over ${progress.size} updates: ${[...progress]}`);
    assert.match(await row.getByTestId('task-progress').textContent(), /25 GiB of 25 GiB \(100%\)/);
  } else {
    // Done at once, the volume's size as done and no total: no "of 0 B", no made-up rate.
    assert.equal(await row.getByTestId('task-progress').textContent(), '100 GiB (total not reported)');
    assert.equal(await row.getByTestId('task-rate').textContent(), '—');
  }
  const historyRow = page.getByTestId('history-row').first();
  await historyRow.waitFor();
  assert.match(await historyRow.textContent(), /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Done/);

  // The backup is in the catalog; restore it to a new volume and follow the restore.
  await openFromNav(page, 'Backups');
  const catalogRow = page.getByTestId('catalog-row').first();
  await catalogRow.waitFor();
  assert.match(await catalogRow.textContent(), /myvol/);
  const stored = (await api.OpenStorageCloudBackup.EnumerateWithFilters({ src_volume_id: volumeId })).backups;
  assert.equal(stored.length, 1);
  await restoreBackup(page, catalogRow, 'myvol-restored');
  const restoreRow = page.getByTestId('task-row').filter({ hasText: 'Restore' });
  await restoreRow.waitFor();
  await watchTask(restoreRow, 'Done');
  await page.getByRole('link', { name: 'myvol-restored' }).first().click();
  await page.getByTestId('volume-name').filter({ hasText: 'myvol-restored' }).waitFor();
  await page.getByTestId('volume-state').filter({ hasText: 'Detached' }).waitFor();

  // The secret is nowhere: not in the DOM, browser storage or any request URL.
  for (const path of ['/credentials', '/backups', new URL(volumeUrl).pathname]) {
    await page.goto(`${server.url}${path}`);
    await page.waitForLoadState('networkidle');
    assert.ok(!(await page.content()).includes(secret), `the secret is not in the page at ${path}`);
  }
  const storage = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  assert.ok(!storage.includes(secret));
  assert.ok(!urls.some((u) => u.includes(secret)));
  page.assertNoErrors();
});
}

test('stop a running backup; pause and resume, which real SDK servers refuse, are not offered', async () => {
  const { server, api } = await t.fresh({ args: ['--backup-rate', '1GiB'] });
  await api.OpenStorageVolume.Create({ name: 'big', spec: { size: 400 * GIB, ha_level: 1 } });
  await api.OpenStorageCredentials.Create(awsCredential('c'));
  const page = await t.page();
  await page.goto(`${server.url}/backups`);
  await startBackup(page, 'big');
  const row = page.locator('[data-testid=task-row][data-state=Running]');
  await row.waitFor();
  assert.equal(await row.getByRole('button', { name: 'Pause' }).count(), 0);
  assert.equal(await row.getByRole('button', { name: 'Resume' }).count(), 0);
  await row.getByRole('button', { name: 'Stop' }).click();
  await page.locator('[data-testid=task-row][data-state=Stopped]').waitFor();
  const { statuses } = await api.OpenStorageCloudBackup.Status({});
  assert.deepEqual(Object.values(statuses).map((s) => s.status), ['SdkCloudBackupStatusTypeStopped']);
  page.assertNoErrors();
});

test('a failed backup shows the reason from the server', async () => {
  const { server, api } = await t.fresh({ args: ['--backup-rate', '50GiB', '--fail-backups-matching', 'tier=doomed'] });
  await api.OpenStorageVolume.Create({ name: 'doomed', spec: { size: 40 * GIB, ha_level: 1 }, labels: { tier: 'doomed' } });
  await api.OpenStorageCredentials.Create(awsCredential('c'));
  const page = await t.page();
  await page.goto(`${server.url}/backups`);
  await startBackup(page, 'doomed');
  await page.locator('[data-testid=task-row][data-state=Failed]').waitFor();
  const reason = await page.getByTestId('task-reason').textContent();
  assert.match(reason, /tier=doomed/);
  // The catalog can show only failed backups.
  await page.locator('#catalog-state').selectOption({ label: 'Failed' });
  await page.getByTestId('catalog-row').filter({ hasText: 'Failed' }).waitFor();
  page.assertNoErrors();
});

test('missing credential fields are caught before anything is sent', async () => {
  const { server, api } = await t.fresh();
  const page = await t.page();
  const sent = [];
  page.on('request', (r) => {
    if (r.url().includes('OpenStorageCredentials/Create')) sent.push(r.url());
  });
  await page.goto(`${server.url}/credentials`);
  await page.getByTestId('credentials-empty').waitFor();
  await page.getByRole('button', { name: 'Add credential' }).click();
  for (const id of ['name', 'access_key', 'secret_key', 'region']) {
    await page.locator(`#cred-${id}-error`).filter({ hasText: 'Enter' }).waitFor();
  }
  assert.equal(await page.locator('#cred-endpoint-error').textContent(), '', 'the endpoint is prefilled');
  // Another provider shows only its own fields.
  await page.getByLabel('Provider').selectOption('azure');
  assert.equal(await page.getByLabel('Secret key', { exact: true }).count(), 0);
  await page.getByLabel('Name', { exact: true }).fill('azure-1');
  await page.getByLabel('Storage account name').fill('acct');
  await page.getByRole('button', { name: 'Add credential' }).click();
  await page.locator('#cred-account_key-error').filter({ hasText: 'Enter' }).waitFor();
  assert.deepEqual(sent, []);
  assert.deepEqual((await api.OpenStorageCredentials.Enumerate({})).credential_ids, []);
  page.assertNoErrors();
});

test('schedules are created and deleted, and a credential in use says so', async () => {
  const { server, api } = await t.fresh();
  await api.OpenStorageVolume.Create({ name: 'nightly', spec: { size: GIB, ha_level: 1 } });
  const page = await t.page();
  await page.goto(`${server.url}/credentials`);
  await addCredential(page, { ...DUMMY_AWS, name: 'aws', secretKey: 'x' });
  await page.goto(`${server.url}/backups`);
  await page.getByTestId('schedules-empty').waitFor();
  await page.getByLabel('Time (UTC, HH:MM)').fill('25:00');
  await page.getByRole('button', { name: 'Create schedule' }).click();
  await page.getByText('Enter a time as HH:MM').waitFor();
  await page.getByLabel('Time (UTC, HH:MM)').fill('02:30');
  await page.getByLabel('Backups to keep').fill('5');
  await page.getByRole('button', { name: 'Create schedule' }).click();
  const row = page.getByTestId('schedule-row');
  await row.filter({ hasText: 'daily at 02:30 UTC' }).waitFor();
  assert.match(await row.textContent(), /5 backups/);
  const { cloud_sched_list } = await api.OpenStorageCloudBackup.SchedEnumerate({});
  assert.equal(Object.keys(cloud_sched_list).length, 1);

  // The credential is used by the schedule: deleting it is refused, with the reason.
  await page.goto(`${server.url}/credentials`);
  await page.getByRole('button', { name: 'Delete…' }).click();
  await page.getByRole('button', { name: 'Delete credential' }).click();
  await page.getByRole('alert').filter({ hasText: /backup schedule/ }).waitFor();

  await page.goto(`${server.url}/backups`);
  await page.getByRole('button', { name: 'Delete the schedule of nightly…' }).click();
  // Asked first: nothing is deleted until it is confirmed.
  assert.equal(Object.keys((await api.OpenStorageCloudBackup.SchedEnumerate({})).cloud_sched_list).length, 1);
  await page.getByRole('button', { name: 'Delete schedule' }).click();
  await page.getByTestId('schedules-empty').waitFor();
  page.assertNoErrors();
});

test('a reused credential name is flagged but allowed, and the two are told apart by id', async () => {
  const { server, api } = await t.fresh();
  const page = await t.page();
  await page.goto(`${server.url}/credentials`);
  await addCredential(page, { ...DUMMY_AWS, name: 'shared', secretKey: 'first' });
  await page.getByLabel('Name', { exact: true }).fill('shared');
  await page.getByTestId('name-reused').filter({ hasText: 'A credential named shared already exists' }).waitFor();
  await page.getByLabel('Access key', { exact: true }).fill('second-access');
  await page.getByLabel('Secret key', { exact: true }).fill('second');
  await page.getByLabel('Region', { exact: true }).fill('r');
  await page.getByRole('button', { name: 'Add credential' }).click();
  await page.getByRole('cell', { name: 'shared', exact: true }).nth(1).waitFor();
  const { credential_ids } = await api.OpenStorageCredentials.Enumerate({});
  assert.equal(credential_ids.length, 2);
  const table = await page.getByTestId('credentials-table').textContent();
  for (const id of credential_ids) assert.ok(table.includes(id.slice(0, 8)), `id ${id} is shown`);
  page.assertNoErrors();
});

test('pickers find any volume by name, and tasks name every volume, past the first hundred', async () => {
  const { server, api } = await t.fresh({ args: ['--seed-volumes', '300', '--backup-rate', '100GiB'] });
  // Sorts after every seeded name: beyond what a picker offers before a search.
  const { volume_id: target } = await api.OpenStorageVolume.Create({ name: 'zzz-target', spec: { size: GIB, ha_level: 1 } });
  await api.OpenStorageCredentials.Create(awsCredential('c'));
  const page = await t.page();
  await page.goto(`${server.url}/backups`);
  const options = page.locator('#backup-volume option');
  await options.first().waitFor({ state: 'attached' });
  assert.equal(await options.count(), 100, 'the first hundred by name');
  assert.equal(await page.locator('#backup-volume option', { hasText: 'zzz-target' }).count(), 0);
  await page.locator('#backup-volume-search').fill('zzz-t');
  await page.locator('#backup-volume option', { hasText: 'zzz-target' }).waitFor({ state: 'attached' });
  assert.equal(await page.locator('#backup-volume').inputValue(), target, 'the match is chosen');
  await page.getByRole('button', { name: 'Start backup' }).click();
  // The task names its volume although the page's names stop at the first hundred.
  const row = page.locator(`[data-testid=task-row]`).first();
  await row.getByRole('link', { name: 'zzz-target' }).waitFor();
  // So does the catalog's picker.
  await page.locator('#catalog-volume-search').fill('zzz');
  await page.locator('#catalog-volume option', { hasText: 'zzz-target' }).waitFor({ state: 'attached' });
  page.assertNoErrors();
});
