// Several clusters behind one console-server: the fleet page, the header's switcher, addresses
// that name their cluster, the last cluster remembered, sign-in per cluster, and a cluster that
// is down while the other works. The upstream is `--driver fake`, as upstream's own osd behaves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite } from './fixtures/suite.mjs';
import { sdk } from './fixtures/sdk.mjs';
import { token } from './fixtures/jwt.mjs';
import { audit } from './fixtures/axe.mjs';
import { openFromNav, signIn } from './fixtures/actions.mjs';

const GIB = 1024 ** 3;
const t = suite();

/** A console in front of a fake-driver upstream named east, and a built-in mock named lab. */
async function eastAndLab() {
  const upstream = await t.server({ ui: false, args: ['--driver', 'fake'] });
  const console = await t.server({ args: ['--upstream', `east=${upstream.url}`, '--mock', 'lab'] });
  return { upstream, console };
}

const row = (page, name) => page.locator(`[data-testid=fleet-row][data-cluster="${name}"]`);

test('the fleet page shows each cluster from its own server, and addresses name their cluster', async () => {
  const { upstream, console } = await eastAndLab();
  const east = (await sdk(upstream.address).OpenStorageCluster.InspectCurrent({})).cluster;
  const labApi = sdk(console.address, { cluster: 'lab' });
  const lab = (await labApi.OpenStorageCluster.InspectCurrent({})).cluster;
  assert.notEqual(east.id, lab.id);
  const { volume_id: labVolume } = await labApi.OpenStorageVolume.Create({
    name: 'lab-vol',
    spec: { size: GIB, ha_level: 1 },
  });

  const page = await t.page({ bypassCSP: true });
  await page.goto(`${console.url}/clusters`);
  for (const [name, cluster] of [['east', east], ['lab', lab]]) {
    await row(page, name).getByTestId('fleet-cluster-id').filter({ hasText: cluster.id }).waitFor();
    assert.equal(await row(page, name).getByTestId('fleet-reach').textContent(), 'Reachable');
  }
  // The fleet page and the header's switcher, in both colour schemes.
  for (const colorScheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme });
    assert.deepEqual(await audit(page), [], `accessibility violations (${colorScheme})`);
  }
  assert.equal(await row(page, 'lab').getByTestId('fleet-volumes').textContent(), '1', "lab's volume, not east's");
  assert.equal(await row(page, 'east').getByTestId('fleet-volumes').textContent(), '0');

  // A deep link to a volume of the second cluster opens it.
  await page.goto(`${console.url}/clusters/lab/volumes/${labVolume}`);
  await page.getByTestId('volume-name').filter({ hasText: 'lab-vol' }).waitFor();
  // Links inside a cluster stay in it: the main navigation, a row, a filter.
  await openFromNav(page, 'Volumes');
  await page.waitForURL(`${console.url}/clusters/lab/volumes`);
  await page.getByLabel('State').selectOption({ label: 'Detached' });
  await page.waitForURL(/\/clusters\/lab\/volumes\?state=\d+$/);
  await page.getByRole('link', { name: 'lab-vol' }).click();
  await page.waitForURL(`${console.url}/clusters/lab/volumes/${labVolume}`);

  // Switching keeps the screen: the volume's page becomes the other cluster's volumes.
  await page.getByTestId('cluster-switcher').selectOption('east');
  await page.waitForURL(`${console.url}/clusters/east/volumes`);
  await page.getByTestId('volumes-empty').waitFor();
  await openFromNav(page, 'Backups');
  await page.waitForURL(`${console.url}/clusters/east/backups`);
  await page.getByTestId('cluster-switcher').selectOption('lab');
  await page.waitForURL(`${console.url}/clusters/lab/backups`);
  // The page has started (the load event comes before the app's code runs).
  assert.equal(await page.getByTestId('cluster-switcher').inputValue(), 'lab');

  // Opening the console again goes on to the last cluster used.
  await page.goto(console.url);
  await page.waitForURL(`${console.url}/clusters/lab/`);
  assert.equal(await page.getByTestId('cluster-id').textContent(), lab.id);
  assert.equal(await page.getByTestId('cluster-switcher').inputValue(), 'lab');

  // An address naming a cluster this console does not serve says so, and is not remembered.
  await page.goto(`${console.url}/clusters/staging/volumes`);
  await page.getByTestId('unknown-cluster').filter({ hasText: 'staging' }).waitFor();
  await page.goto(console.url);
  await page.getByTestId('cluster-id').filter({ hasText: east.id }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/', 'no cluster left to resume');
  page.assertNoErrors();
});

test('a cluster that is down shows as down while the other works, and comes back', async () => {
  const { upstream, console } = await eastAndLab();
  const lab = (await sdk(console.address, { cluster: 'lab' }).OpenStorageCluster.InspectCurrent({})).cluster;
  await upstream.kill();
  const page = await t.page();
  await page.goto(`${console.url}/clusters`);
  await row(page, 'east').getByTestId('fleet-reach').filter({ hasText: 'Unreachable' }).waitFor();
  await row(page, 'lab').getByTestId('fleet-cluster-id').filter({ hasText: lab.id }).waitFor();
  assert.equal(await row(page, 'lab').getByTestId('fleet-reach').textContent(), 'Reachable');
  // The working cluster's screens work.
  await row(page, 'lab').getByRole('link', { name: 'lab' }).click();
  await page.waitForURL(`${console.url}/clusters/lab/`);
  assert.equal(await page.getByTestId('cluster-id').textContent(), lab.id);
  assert.equal(await page.getByTestId('unreachable-banner').count(), 0, "lab's screens are not down");

  await upstream.restart();
  await page.goto(`${console.url}/clusters`);
  await row(page, 'east').getByTestId('fleet-reach').filter({ hasText: 'Reachable' }).waitFor({ timeout: 30_000 });
  page.assertNoErrors();
});

test('sign-in is per cluster', async () => {
  const secret = 'fleet-e2e-secret';
  const console = await t.server({ args: ['--mock', 'a', '--mock', 'b', '--jwt-shared-secret', secret] });
  const page = await t.page();
  await signIn(page, `${console.url}/clusters/b`, token({ secret }), { who: 'Ada Admin' });
  await openFromNav(page, 'Credentials');
  await page.waitForURL(`${console.url}/clusters/b/credentials`);
  await page.getByTestId('credentials-empty').waitFor();

  // Cluster a has not seen the token: its screens are a guest's.
  await page.getByTestId('cluster-switcher').selectOption('a');
  await page.waitForURL(`${console.url}/clusters/a/credentials`);
  await page.locator('[data-kind=permission-denied]').waitFor();
  assert.equal(await page.getByTestId('connection-who').textContent(), 'Guest (no token)');
  page.assertNoErrors();
});

test("a pair with another of the console's clusters is made by picking it by name", async () => {
  const console = await t.server({ args: ['--mock', 'prod', '--mock', 'dr'] });
  const drApi = sdk(console.address, { cluster: 'dr' });
  const dr = (await drApi.OpenStorageCluster.InspectCurrent({})).cluster;
  const { nodes } = await drApi.OpenStorageNode.EnumerateWithFilters({});
  const prodApi = sdk(console.address, { cluster: 'prod' });
  await prodApi.OpenStorageVolume.Create({ name: 'to-move', spec: { size: GIB, ha_level: 1 } });

  const page = await t.page();
  await page.goto(`${console.url}/clusters/prod/dr`);
  const picker = page.getByLabel('A cluster of this console');
  // Only the other cluster is offered (once the console has said which it serves).
  await picker.locator('option[value=dr]').waitFor({ state: 'attached' });
  assert.deepEqual(await picker.locator('option').allTextContents(), ["None: enter another cluster's address and token", 'dr']);
  await picker.selectOption('dr');
  await page.getByText(/Filled in from dr/).waitFor();
  const address = await page.getByLabel("Other cluster's address").inputValue();
  assert.ok(nodes.some((n) => n.mgmt_ip === address), `${address} is one of dr's nodes`);
  await page.getByRole('button', { name: 'Pair clusters' }).click();
  await page.getByText(`Paired with dr (${dr.id}).`).waitFor();
  await page.getByTestId('pair-row').filter({ hasText: 'dr' }).waitFor();
  const { pairs } = (await prodApi.OpenStorageClusterPair.Enumerate({})).result;
  assert.deepEqual(Object.keys(pairs), [dr.id], "the pair is prod's, with dr's id");

  // A migration's destination reads by name.
  const form = page.getByTestId('migration-form');
  assert.match(await form.getByLabel('To').locator('option').first().textContent(), /\bdr\b/);
  await form.getByLabel('Volume name or id, or group id').fill('to-move');
  await form.getByRole('button', { name: 'Start migration' }).click();
  await page.getByTestId('migration-row').filter({ hasText: 'to-move' }).filter({ hasText: 'dr' }).waitFor();
  page.assertNoErrors();
});
