// The console through `--upstream` in front of upstreams that behave like real clusters: a
// `--driver fake` console-server, whose Watch invents volumes as upstream's `osd` does, with
// and without auth. Changes show on the Volumes page within a second without trusting Watch,
// and signed-in users get the shared view, its live changes and the charts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { suite } from './fixtures/suite.mjs';
import { sdk } from './fixtures/sdk.mjs';
import { jwt, token } from './fixtures/jwt.mjs';
import { countCalls, openFromNav, signIn } from './fixtures/actions.mjs';

const t = suite();
const GIB = 1024 ** 3;
const WITHIN_A_SECOND = { timeout: 1_000 };

test('through the gateway, each change shows on the Volumes page within a second', async () => {
  const upstream = await t.server({ ui: false, args: ['--driver', 'fake'] });
  // No full listing during the test; the id check every 2 s finds changes made elsewhere.
  const gateway = await t.server({
    args: ['--upstream', upstream.url, '--view-refresh', '1h', '--view-check', '2s'],
  });
  const api = sdk(gateway.address);
  const page = await t.page();
  await page.goto(`${gateway.url}/volumes`);
  await page.getByTestId('volumes-empty').waitFor();
  const table = page.getByTestId('volumes-table');
  const row = (name) => table.getByRole('row', { name: new RegExp(`\\b${name}\\b`) });

  const { volume_id: id } = await api.OpenStorageVolume.Create({
    name: 'made-here', spec: { size: GIB, ha_level: 1 },
  });
  await row('made-here').waitFor(WITHIN_A_SECOND);
  const { volume_id: clone } = await api.OpenStorageVolume.Clone({ name: 'its-clone', parent_id: id });
  await row('its-clone').waitFor(WITHIN_A_SECOND);
  await api.OpenStorageVolume.Update({ volume_id: id, labels: { team: 'b' } });
  await row('made-here').getByText('team=b').waitFor(WITHIN_A_SECOND);
  // The fake driver's snapshots are writable: listed as volumes, as upstream's are.
  const { snapshot_id: snap } = await api.OpenStorageVolume.SnapshotCreate({ volume_id: id, name: 'its-snap' });
  await row('its-snap').waitFor(WITHIN_A_SECOND);
  await api.OpenStorageVolume.Delete({ volume_id: snap });
  await row('its-snap').waitFor({ state: 'detached', ...WITHIN_A_SECOND });
  await api.OpenStorageVolume.Delete({ volume_id: clone });
  await row('its-clone').waitFor({ state: 'detached', ...WITHIN_A_SECOND });

  // Made and deleted on the cluster directly (pxctl, the Python SDK): within 5 s.
  const direct = sdk(upstream.address);
  const { volume_id: elsewhere } = await direct.OpenStorageVolume.Create({
    name: 'made-elsewhere', spec: { size: GIB, ha_level: 1 },
  });
  await row('made-elsewhere').waitFor({ timeout: 5_000 });
  await direct.OpenStorageVolume.Delete({ volume_id: elsewhere });
  await row('made-elsewhere').waitFor({ state: 'detached', timeout: 5_000 });
  await page.getByTestId('volumes-count').filter({ hasText: /^1 volumes$/ }).waitFor();
  page.assertNoErrors();
});

test('signed in through a gateway with a service token: the shared view, live changes and charts', async () => {
  const secret = 'production-e2e-secret';
  const upstream = await t.server({ ui: false, args: ['--driver', 'fake', '--jwt-shared-secret', secret] });
  const now = Math.floor(Date.now() / 1000);
  const service = jwt({
    iss: 'openstorage.io', sub: 'console', name: 'Console', email: 'console@example.com',
    roles: ['system.admin'], groups: ['*'], iat: now, exp: now + 3600,
  }, secret);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'service-token-'));
  const file = path.join(dir, 'token');
  fs.writeFileSync(file, service, { mode: 0o600 });
  const gateway = await t.server({ args: ['--upstream', upstream.url, '--upstream-token-file', file] });

  const alice = token({ secret, roles: ['system.user'], sub: 'alice@example.com', name: 'Alice' });
  const bob = token({ secret, roles: ['system.user'], sub: 'bob@example.com', name: 'Bob' });
  await sdk(upstream.address, { token: bob }).OpenStorageVolume.Create({ name: 'bobs', spec: { size: GIB, ha_level: 1 } });
  const { volume_id: mine } = await sdk(upstream.address, { token: alice }).OpenStorageVolume.Create({
    name: 'alices', spec: { size: GIB, ha_level: 1 },
  });

  const page = await t.page();
  await signIn(page, gateway.url, alice, { who: null });
  const calls = countCalls(page);
  await openFromNav(page, 'Volumes');
  const table = page.getByTestId('volumes-table');
  await table.getByRole('row', { name: /alices/ }).waitFor();
  assert.equal(await table.getByRole('row', { name: /bobs/ }).count(), 0, "bob's volume is not alice's to see");
  // Her own change through the console's endpoint, live within a second.
  await sdk(gateway.address, { token: alice }).OpenStorageVolume.Create({
    name: 'alices-second', spec: { size: GIB, ha_level: 1 },
  });
  await table.getByRole('row', { name: /alices-second/ }).waitFor(WITHIN_A_SECOND);
  // The shared view, not a listing per tab.
  assert.ok(calls.Query >= 1, JSON.stringify(calls));
  assert.equal(calls.InspectWithFilters ?? 0, 0, JSON.stringify(calls));

  // Her volume's page has the performance history.
  await page.goto(`${gateway.url}/volumes/${mine}`);
  await page.getByTestId('history-range').waitFor();
  assert.equal(await page.getByTestId('history-absent').count(), 0);
  page.assertNoErrors();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('signed in through a gateway with a service token to a cluster that keeps no alerts, as upstream\'s osd: still connected', async () => {
  const secret = 'no-alerts-e2e-secret';
  // Upstream's osd answers Alerts with UNAVAILABLE "Resource has not been initialized".
  const upstream = await t.server({ ui: false, args: ['--driver', 'fake', '--jwt-shared-secret', secret, '--not-supported', 'alerts'] });
  const now = Math.floor(Date.now() / 1000);
  const admin = jwt({
    iss: 'openstorage.io', sub: 'ada@example.com', name: 'Ada Admin', email: 'ada@example.com',
    roles: ['system.admin'], groups: ['*'], iat: now, exp: now + 3600,
  }, secret);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'service-token-'));
  const file = path.join(dir, 'token');
  fs.writeFileSync(file, admin, { mode: 0o600 });
  const gateway = await t.server({ args: ['--upstream', upstream.url, '--upstream-token-file', file] });

  const page = await t.page();
  await signIn(page, gateway.url, admin, { who: 'Ada Admin' });
  // The header's alarm count is asked as the overview opens: its answer must not read as a
  // cluster out of reach.
  const alarms = page.waitForResponse((r) => r.url().endsWith('/openstorage.console.v1.Metrics/Alarms'));
  await openFromNav(page, 'Overview');
  await page.getByTestId('cluster-id').waitFor();
  await alarms;
  await page.getByTestId('connection-indicator').filter({ hasText: 'Connected' }).waitFor();
  await openFromNav(page, 'Alerts');
  await page.getByTestId('alerts-not-kept').waitFor();
  assert.equal(await page.getByTestId('connection-indicator').textContent(), 'Connected');
  page.assertNoErrors();
  fs.rmSync(dir, { recursive: true, force: true });
});
