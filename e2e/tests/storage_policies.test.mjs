// Storage policies in the browser: made, edited, made default and deleted in the console and
// checked through the SDK; the create-volume form says which policy applies and what it
// refused or changed; a cluster without the service reads "does not offer"; with auth, a role
// that may not change policies is named in the refusal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite } from './fixtures/suite.mjs';
import { sdk } from './fixtures/sdk.mjs';
import { token } from './fixtures/jwt.mjs';
import { createVolume, signIn } from './fixtures/actions.mjs';

const GIB = 1024 ** 3;
const t = suite();

async function fillPolicy(page, { name, size, sizeOp, ha }) {
  if (name !== undefined) await page.getByLabel('Name', { exact: true }).fill(name);
  if (size !== undefined) await page.locator('#policy-size').fill(size);
  if (sizeOp !== undefined) await page.locator('#policy-size-op').selectOption({ label: sizeOp });
  if (ha !== undefined) await page.locator('#policy-ha').fill(ha);
}

for (const driver of ['realistic', 'fake']) {
  test(`a policy made in the console is enforced by the cluster (${driver} driver)`, async () => {
    const server = await t.server({ args: ['--driver', driver] });
    const api = sdk(server.address);
    const page = await t.page();
    await page.goto(`${server.url}/policies`);
    await page.getByTestId('policies-empty').waitFor();

    // Bad input is refused next to its field and nothing is sent.
    await fillPolicy(page, { name: 'gold', size: 'ten', ha: '4' });
    await page.getByRole('button', { name: 'Create policy' }).click();
    assert.match(await page.locator('#policy-size-error').textContent(), /Enter a number/);
    assert.match(await page.locator('#policy-ha-error').textContent(), /HA level from 1 to 3/);
    assert.equal(await page.locator('#policy-size').getAttribute('aria-invalid'), 'true');
    assert.deepEqual((await api.OpenStoragePolicy.Enumerate({})).storage_policies, []);

    // Fixed, it is created as typed: at least 10 GiB, HA 2, refusing volumes that differ.
    await fillPolicy(page, { size: '10', sizeOp: 'at least', ha: '2' });
    await page.getByLabel('Refuse volumes that differ').check();
    await page.getByRole('button', { name: 'Create policy' }).click();
    const row = page.getByTestId('policy-row').filter({ hasText: 'gold' });
    await row.waitFor();
    assert.match(await row.textContent(), /size at least 10 GiB, HA level 2/);
    assert.match(await row.textContent(), /Refused/);
    const { storage_policy: gold } = await api.OpenStoragePolicy.Inspect({ name: 'gold' });
    assert.equal(gold.policy.size, String(10 * GIB));
    assert.equal(gold.policy.size_operator, 'Minimum');
    assert.equal(gold.policy.ha_level, '2');
    assert.equal(gold.force, true);

    await row.getByRole('button', { name: 'Make default' }).click();
    await row.getByTestId('policy-default').waitFor();
    assert.equal((await api.OpenStoragePolicy.DefaultInspect({})).storage_policy.name, 'gold');

    // The create form names the default and its rules; the cluster refuses a volume that
    // differs, and what was typed stays.
    await createVolume(page, server.url, { name: 'small', size: 1 }, { waitForVolume: false });
    assert.match(await page.getByTestId('volume-policy-rules').textContent(), /gold: size at least 10 GiB, HA level 2\. The cluster refuses/);
    const refused = page.getByRole('alert');
    await refused.filter({ hasText: 'Storage Policy Violation' }).waitFor();
    assert.equal(await page.getByLabel('Name').inputValue(), 'small');
    await assert.rejects(api.OpenStorageVolume.Inspect({ volume_id: 'small' }), /not found/i);

    // A volume that fits is made under the policy, which its page names.
    await page.locator('#volume-ha').selectOption('2');
    await page.getByLabel('Size', { exact: true }).fill('12');
    await page.getByRole('button', { name: 'Create volume' }).click();
    await page.getByTestId('volume-policy').filter({ hasText: 'gold' }).waitFor();

    // Edited in the console: no longer refusing. A rule the form does not show is kept.
    const labelled = { ...gold, policy: { ...gold.policy, volume_labels: { tier: 'gold' } } };
    await api.OpenStoragePolicy.Update({ storage_policy: labelled });
    await page.goto(`${server.url}/policies`);
    await row.getByRole('button', { name: 'Edit gold' }).click();
    await page.getByRole('heading', { name: 'Edit storage policy gold' }).waitFor();
    assert.equal(await page.locator('#policy-size').inputValue(), '10');
    await page.getByLabel('Refuse volumes that differ').uncheck();
    await page.getByRole('button', { name: 'Save policy' }).click();
    await row.filter({ hasText: 'Changed to fit' }).waitFor();
    const edited = (await api.OpenStoragePolicy.Inspect({ name: 'gold' })).storage_policy;
    assert.equal(edited.force, false);
    assert.deepEqual(edited.policy.volume_labels, { tier: 'gold' });

    // Now a small volume is changed to fit, and the form says how.
    await createVolume(page, server.url, { name: 'lifted', size: 1 }, { waitForVolume: false });
    const adjusted = page.getByTestId('volume-adjusted');
    await adjusted.waitFor();
    assert.match(await adjusted.textContent(), /storage policy gold, which changed: size 1 GiB → 10 GiB, HA level 1 → 2/);
    const lifted = (await api.OpenStorageVolume.Inspect({ volume_id: 'lifted' })).volume.spec;
    assert.equal(lifted.size, String(10 * GIB));

    // Released and deleted.
    await page.goto(`${server.url}/policies`);
    await row.getByRole('button', { name: 'Release default' }).click();
    await row.getByRole('button', { name: 'Make default' }).waitFor();
    assert.equal((await api.OpenStoragePolicy.DefaultInspect({})).storage_policy, null);
    await row.getByRole('button', { name: 'Delete…' }).click();
    await row.getByRole('button', { name: 'Delete policy' }).click();
    await page.getByTestId('policies-empty').waitFor();
    assert.deepEqual((await api.OpenStoragePolicy.Enumerate({})).storage_policies, []);
    page.assertNoErrors();
  });
}

test('a cluster without storage policies reads "does not offer", never as an error', async () => {
  const server = await t.server({ args: ['--not-supported', 'storage-policy'] });
  const page = await t.page();
  await page.goto(`${server.url}/policies`);
  await page.getByTestId('policies-not-offered').waitFor();
  assert.equal(await page.getByRole('alert').count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Create policy' }).isDisabled(), true);
  // The create form offers no policy, and volumes are made as asked.
  await createVolume(page, server.url, { name: 'plain', size: 1 }, { waitForVolume: false });
  await page.getByRole('heading', { name: 'plain' }).waitFor();
  assert.equal(await page.locator('#volume-policy').count(), 0);
  page.assertNoErrors();
});

test('with auth, a user may read policies but not change them, and the role is named', async () => {
  const SECRET = 'policies-secret';
  const server = await t.server({ args: ['--jwt-shared-secret', SECRET] });
  const admin = token({ secret: SECRET });
  await sdk(server.address, { token: admin }).OpenStoragePolicy.Create({
    storage_policy: { name: 'shared', policy: { ha_level: 2 }, ownership: { acls: { public: { type: 'Read' } } } },
  });
  const page = await t.page();
  await signIn(page, server.url, token({ secret: SECRET, roles: ['system.user'], sub: 'uma@example.com' }), { who: 'Ada Admin' });
  await page.goto(`${server.url}/policies`);
  await page.getByTestId('policy-row').filter({ hasText: 'shared' }).waitFor();
  await fillPolicy(page, { name: 'mine', ha: '1' });
  await page.getByRole('button', { name: 'Create policy' }).click();
  const denied = page.getByRole('alert').filter({ hasText: 'Permission denied' });
  await denied.waitFor();
  assert.match(await denied.textContent(), /system\.user/);
  page.assertNoErrors();
});
