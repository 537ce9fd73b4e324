// Disaster recovery in the browser: this cluster's pairing token shown only when asked; a pair
// made with another cluster's token (a second console-server), checked and deleted; bad input
// refused beside its field; a volume migrated to the paired cluster to completion, every volume
// migrated and cancelled; a cluster without the services reads "does not offer"; with auth,
// only an administrator sees the token and a user's role is named when refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite } from './fixtures/suite.mjs';
import { sdk } from './fixtures/sdk.mjs';
import { token } from './fixtures/jwt.mjs';
import { signIn } from './fixtures/actions.mjs';

const t = suite();

test('pair with another cluster and migrate volumes to it', async () => {
  const here = await t.server({ args: [] });
  const there = await t.server({ args: ['--driver', 'fake'] });
  const api = sdk(here.address);
  const theirs = (await sdk(there.address).OpenStorageClusterPair.GetToken({})).result.token;
  await api.OpenStorageVolume.Create({ name: 'to-move', spec: { size: 1024 ** 3, ha_level: 1 } });
  const page = await t.page();
  await page.goto(`${here.url}/dr`);

  const card = page.getByTestId('pairing-token');
  await card.getByRole('button', { name: 'Show pairing token' }).click();
  const mine = (await api.OpenStorageClusterPair.GetToken({})).result.token;
  assert.equal(await card.getByTestId('pairing-token-value').textContent(), mine);
  await card.getByRole('button', { name: 'Hide token' }).click();
  assert.equal(await card.getByTestId('pairing-token-value').count(), 0);

  // Bad input is refused beside each field; nothing is sent.
  await page.getByTestId('pairs-empty').waitFor();
  await page.getByLabel("Other cluster's address").fill('http://dr.example.com/');
  await page.getByLabel('Port (empty: 9001)').fill('0');
  await page.getByRole('button', { name: 'Pair clusters' }).click();
  assert.match(await page.locator('#pair-address-error').textContent(), /without http:\/\//);
  assert.match(await page.locator('#pair-port-error').textContent(), /1 to 65535/);
  assert.match(await page.locator('#pair-token-error').textContent(), /Paste the other cluster's pairing token/);
  assert.deepEqual((await api.OpenStorageClusterPair.Enumerate({})).result.pairs, {});

  await page.getByLabel("Other cluster's address").fill('10.20.0.5');
  await page.getByLabel('Port (empty: 9001)').fill('');
  await page.getByLabel('Its pairing token').fill(theirs);
  await page.getByLabel('Mode').selectOption({ label: 'Disaster recovery' });
  await page.getByRole('button', { name: 'Pair clusters' }).click();
  const row = page.getByTestId('pair-row');
  await row.waitFor();
  assert.equal(await page.getByLabel('Its pairing token').inputValue(), '', 'the token is not kept in the form');
  const { pairs, default_id } = (await api.OpenStorageClusterPair.Enumerate({})).result;
  const pair = pairs[default_id];
  assert.equal(pair.endpoint, '10.20.0.5:9001');
  assert.equal(pair.mode, 'DisasterRecovery');
  assert.match(await row.textContent(), /Disaster recovery/);
  await row.getByRole('button', { name: `Check pair ${pair.name}` }).click();
  await row.getByText(`The cluster knows the pair with ${pair.name} at 10.20.0.5:9001.`).waitFor();

  // A volume migrates to completion; every volume is cancelled.
  const form = page.getByTestId('migration-form');
  await form.getByRole('button', { name: 'Start migration' }).click();
  assert.match(await page.locator('#migrate-name-error').textContent(), /volume's name or id/);
  await form.getByLabel('Volume name or id, or group id').fill('to-move');
  await form.getByRole('button', { name: 'Start migration' }).click();
  await page.getByTestId('migration-row').filter({ hasText: 'to-move' }).getByTestId('migration-status').filter({ hasText: 'Complete' }).waitFor({ timeout: 15000 });
  await form.getByLabel('What').selectOption({ label: 'Every volume' });
  await form.getByRole('button', { name: 'Start migration' }).click();
  await form.getByText(/Migration migrate-\d+ started/).waitFor();
  await page.getByTestId('migration-row').getByRole('button', { name: 'Cancel' }).first().click();
  await page.getByTestId('migration-status').filter({ hasText: 'Cancelled' }).first().waitFor();
  const status = (await api.OpenStorageMigrate.Status({ request: {} })).result.info[pair.id].list;
  assert.ok(status.some((m) => m.status === 'Canceled'));
  assert.ok(status.some((m) => m.local_volume_name === 'to-move' && m.status === 'Complete'));

  await row.getByRole('button', { name: `Delete pair ${pair.name}` }).click();
  await page.getByRole('button', { name: 'Delete pair', exact: true }).click();
  await page.getByTestId('pairs-empty').waitFor();
  await page.getByTestId('migrate-needs-pair').waitFor();
  page.assertNoErrors();
});

test('cluster domains: deactivated after confirming, activated again', async () => {
  const server = await t.server({ args: [] });
  const page = await t.page();
  await page.goto(`${server.url}/dr`);
  const zone = page.getByTestId('domain-row').filter({ hasText: 'zone-2' });
  await zone.getByTestId('domain-state').filter({ hasText: 'Active' }).waitFor();
  await zone.getByRole('button', { name: 'Deactivate zone-2' }).click();
  await page.getByRole('button', { name: 'Deactivate domain' }).click();
  await zone.getByTestId('domain-state').filter({ hasText: 'Inactive' }).waitFor();
  const api = sdk(server.address).OpenStorageClusterDomains;
  assert.equal((await api.Inspect({ cluster_domain_name: 'zone-2' })).is_active, false);
  await zone.getByRole('button', { name: 'Activate zone-2' }).click();
  await zone.getByTestId('domain-state').filter({ hasText: 'Active' }).waitFor();
  assert.equal((await api.Inspect({ cluster_domain_name: 'zone-2' })).is_active, true);
  page.assertNoErrors();
});

test("upstream's own cluster has no domains: it reads so, not as an error", async () => {
  const server = await t.server({ args: ['--driver', 'fake'] });
  const page = await t.page();
  await page.goto(`${server.url}/dr`);
  await page.getByTestId('domains-none').waitFor();
  await page.getByTestId('pairs-empty').waitFor();
  assert.equal(await page.getByRole('alert').count(), 0);
  page.assertNoErrors();
});

test('a cluster without pairs and migrations says so, with no error banner', async () => {
  const server = await t.server({ args: ['--not-supported', 'cluster-pair', '--not-supported', 'migrate'] });
  const page = await t.page();
  await page.goto(`${server.url}/dr`);
  await page.getByTestId('pairs-not-offered').waitFor();
  await page.getByTestId('migrations-not-offered').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Pair clusters' }).isDisabled(), true);
  assert.equal(await page.getByRole('alert').count(), 0);
  page.assertNoErrors();
});

test('with auth, only an administrator sees the token, and a user is refused by role', async () => {
  const SECRET = 'dr-secret';
  const server = await t.server({ args: ['--jwt-shared-secret', SECRET] });
  const page = await t.page();
  await signIn(page, server.url, token({ secret: SECRET, roles: ['system.user'], sub: 'uma', name: 'Uma' }));
  await page.goto(`${server.url}/dr`);
  const denied = page.getByRole('alert').filter({ hasText: 'Permission denied' }).first();
  await denied.waitFor();
  assert.match(await denied.textContent(), /system\.user/);
  await signIn(page, server.url, token({ secret: SECRET, roles: ['system.admin'], sub: 'ops', name: 'Ops' }));
  await page.goto(`${server.url}/dr`);
  await page.getByTestId('pairs-empty').waitFor();
  const card = page.getByTestId('pairing-token');
  await card.getByRole('button', { name: 'Show pairing token' }).click();
  await card.getByRole('alert').filter({ hasText: 'Must be system admin to get pair token' }).waitFor();
  assert.equal(await card.getByTestId('pairing-token-value').count(), 0);
  page.assertNoErrors();
});
