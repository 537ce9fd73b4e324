// Every screen audited with axe-core inside Chromium, in the light and the dark colour scheme:
// no serious or critical violation (contrast, names, labels, roles, ARIA use).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { suite } from './fixtures/suite.mjs';
import { awsCredential, backupDone, sdk } from './fixtures/sdk.mjs';
import { audit } from './fixtures/axe.mjs';
import { fillVolumeForm } from './fixtures/actions.mjs';

const GIB = 1024 ** 3;
const t = suite();
let server;
let volumeId;
let nodeId;

// One cluster with something on every screen: volumes, a snapshot, a credential, a finished
// backup and a schedule.
before(async () => {
  // Charts with figures: samples every second, an attached volume, an offline node (alarm).
  server = await t.server({ args: ['--sample-interval', '1s', '--fail-node', '3'] });
  const api = sdk(server.address);
  ({ node: { id: nodeId } } = await api.OpenStorageNode.InspectCurrent({}));
  ({ volume_id: volumeId } = await api.OpenStorageVolume.Create({
    name: 'audited',
    spec: { size: GIB, ha_level: 2 },
    labels: { app: 'db' },
  }));
  await api.OpenStorageVolume.Create({ name: 'second', spec: { size: 2 * GIB, ha_level: 1 } });
  await api.OpenStorageMountAttach.Attach({ volume_id: volumeId });
  await api.OpenStorageVolume.SnapshotCreate({ volume_id: volumeId, name: 'audited-snap' });
  const { credential_id } = await api.OpenStorageCredentials.Create(awsCredential('audit-s3'));
  const { task_id } = await api.OpenStorageCloudBackup.Create({ volume_id: volumeId, credential_id });
  await backupDone(api, task_id);
  await api.OpenStorageCloudBackup.SchedCreate({
    cloud_sched_info: {
      src_volume_id: volumeId,
      credential_id,
      schedules: [{ retain: 3, daily: { hour: 2, minute: 0 } }],
      max_backups: 3,
    },
  });
  // A default storage policy, after the volumes (which it would otherwise shape).
  await api.OpenStoragePolicy.Create({
    storage_policy: { name: 'gold', policy: { size: String(GIB), size_operator: 'Minimum', ha_level: 2 } },
  });
  await api.OpenStoragePolicy.SetDefault({ name: 'gold' });
});

const SCREENS = [
  [
    'overview',
    '/',
    async (page) => {
      await page.getByTestId('nodes-table').waitFor();
      await page.getByTestId('chart-volume-states').locator('li').first().waitFor();
    },
  ],
  ['volumes', '/volumes', (page) => page.getByTestId('volumes-table').waitFor()],
  ['create volume', '/volumes/new', (page) => page.getByRole('heading', { name: 'Create volume' }).waitFor()],
  [
    'create volume with errors',
    '/volumes/new',
    async (page) => {
      await page.getByRole('button', { name: 'Create volume' }).click();
      await page.locator('#volume-name[aria-invalid=true]').waitFor();
    },
  ],
  [
    'create volume shown as code',
    '/volumes/new',
    async (page) => {
      await fillVolumeForm(page, { name: 'audited', size: '1' });
      await page.getByTestId('volume-create-code-toggle').click();
      await page.getByTestId('volume-create-code').waitFor();
    },
  ],
  [
    'volume',
    () => `/volumes/${volumeId}`,
    async (page) => {
      await page.getByTestId('snapshots-table').waitFor();
      await page.getByTestId('history-table').waitFor();
      await page.getByTestId('volume-performance').locator('path.chart__line--0').first().waitFor();
    },
  ],
  [
    'volume with an open confirmation',
    () => `/volumes/${volumeId}`,
    async (page) => {
      await page.getByTestId('snapshots-table').getByRole('button', { name: 'Delete…' }).click();
      await page.getByRole('group', { name: 'Delete snapshot' }).waitFor();
    },
  ],
  [
    'backups',
    '/backups',
    async (page) => {
      await page.getByTestId('tasks-table').waitFor();
      await page.getByTestId('catalog-table').waitFor();
      await page.getByTestId('schedules-table').waitFor();
    },
  ],
  ['credentials', '/credentials', (page) => page.getByTestId('credentials-table').waitFor()],
  ['storage policies', '/policies', (page) => page.getByTestId('policy-default').waitFor()],
  [
    'roles, with a rule refused beside its field',
    '/roles',
    async (page) => {
      await page.getByTestId('role-row').filter({ hasText: 'system.guest' }).waitFor();
      await page.getByLabel('Rules').fill('volumes: *');
      await page.getByRole('button', { name: 'Create role' }).click();
      await page.locator('#role-rules-error').filter({ hasText: 'not an SDK service' }).waitFor();
    },
  ],
  [
    'volume attached and mounted',
    () => `/volumes/${volumeId}`,
    async (page) => {
      const card = page.getByTestId('attachment');
      await card.getByRole('button', { name: 'Attach' }).click();
      await card.getByText(/Attached as/).waitFor();
      await page.getByLabel('Mount at').fill('/mnt/audited');
      await card.getByRole('button', { name: 'Mount', exact: true }).click();
      await card.getByTestId('mount-path-row').waitFor();
    },
  ],
  ['create volume under a policy', '/volumes/new', (page) => page.getByTestId('volume-policy-rules').filter({ hasText: 'gold' }).waitFor()],
  [
    'node',
    () => `/nodes/${nodeId}`,
    async (page) => {
      await page.getByTestId('node-pools').waitFor();
      await page.getByTestId('node-performance').locator('path.chart__line--0').first().waitFor();
    },
  ],
  [
    'node with a diagnostics job and a pool resize refused beside its field',
    () => `/nodes/${nodeId}`,
    async (page) => {
      const jobs = page.getByTestId('node-jobs');
      await jobs.getByRole('button', { name: 'Collect from every node' }).click();
      await jobs.getByTestId('job-row').first().waitFor();
      const form = page.getByTestId('pool-resize');
      await form.getByLabel('Size in GiB or percentage').fill('1');
      await form.getByRole('button', { name: 'Resize pool' }).click();
      await page.locator('#resize-value-error').filter({ hasText: /\S/ }).waitFor();
    },
  ],
  [
    'disaster recovery with a pair, a migration and the token shown',
    '/dr',
    async (page) => {
      const pairs = await page.getByTestId('pair-row').count();
      if (pairs === 0) {
        await page.getByLabel("Other cluster's address").fill('10.20.0.5');
        await page.getByLabel('Its pairing token').fill('ab'.repeat(64));
        await page.getByRole('button', { name: 'Pair clusters' }).click();
      }
      await page.getByTestId('pair-row').waitFor();
      const form = page.getByTestId('migration-form');
      await form.getByLabel('Volume name or id, or group id').fill('audited');
      await form.getByRole('button', { name: 'Start migration' }).click();
      await page.getByTestId('migration-row').first().waitFor();
      await page.getByRole('button', { name: 'Show pairing token' }).click();
      await page.getByTestId('pairing-token-value').waitFor();
    },
  ],
  ['alerts', '/alerts', (page) => page.getByTestId('alerts-table').waitFor()],
  ['settings', '/settings', (page) => page.getByRole('heading', { name: 'Sign in with an SDK token' }).waitFor()],
  ['clusters', '/clusters', (page) => page.getByTestId('fleet-reach').filter({ hasText: 'Reachable' }).waitFor()],
  ['not found', '/no/such/page', (page) => page.getByRole('heading', { name: 'Page not found' }).waitFor()],
];

for (const scheme of ['light', 'dark']) {
  test(`every screen passes the accessibility audit in the ${scheme} scheme`, async () => {
    // axe is injected as a script, which the console's CSP rightly forbids.
    const page = await t.page({ bypassCSP: true });
    await page.emulateMedia({ colorScheme: scheme });
    const found = [];
    for (const [name, path, ready] of SCREENS) {
      await page.goto(`${server.url}${typeof path === 'function' ? path() : path}`);
      await ready(page);
      for (const v of await audit(page)) found.push(`${name}: ${v}`);
    }
    assert.deepEqual(found, [], 'serious or critical accessibility violations');
    page.assertNoErrors();
  });
}
