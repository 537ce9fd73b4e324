// A volume's access in the browser, with auth on: its owner shares it through Volume.Update,
// a line the console cannot read is refused next to the field, and a user who may not change
// the ACL gets the cluster's refusal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite } from './fixtures/suite.mjs';
import { sdk } from './fixtures/sdk.mjs';
import { token } from './fixtures/jwt.mjs';
import { signIn } from './fixtures/actions.mjs';

const SECRET = 'access-secret';
const t = suite();

test("a volume's owner shares it in the console, as the cluster permits", async () => {
  const server = await t.server({ args: ['--jwt-shared-secret', SECRET] });
  const ada = token({ secret: SECRET, roles: ['system.user'], sub: 'ada', name: 'Ada' });
  const bob = token({ secret: SECRET, roles: ['system.user'], sub: 'bob', name: 'Bob' });
  const { volume_id: id } = await sdk(server.address, { token: ada }).OpenStorageVolume.Create({
    name: 'shared-data',
    spec: { size: 1024 ** 3, ha_level: 1 },
  });
  const page = await t.page();
  await signIn(page, server.url, ada);
  await page.goto(`${server.url}/volumes/${id}`);
  const acl = page.getByLabel('Shared with');
  await acl.waitFor();
  assert.equal(await page.getByLabel('Owner').inputValue(), 'ada');

  await acl.fill('user bob write\ngroup ops forever');
  await page.getByRole('button', { name: 'Save access' }).click();
  assert.match(await page.locator('#access-acl-error').textContent(), /Line 2: the access must be read, write or admin/);
  let stored = (await sdk(server.address, { token: ada }).OpenStorageVolume.Inspect({ volume_id: id })).volume.spec.ownership;
  assert.deepEqual(stored.acls?.collaborators ?? {}, {}, 'nothing was sent');

  await acl.fill('user bob write\ngroup ops read');
  await page.getByRole('button', { name: 'Save access' }).click();
  await page.getByTestId('volume-acl').filter({ hasText: 'user bob (write)' }).waitFor();
  stored = (await sdk(server.address, { token: ada }).OpenStorageVolume.Inspect({ volume_id: id })).volume.spec.ownership;
  assert.equal(stored.owner, 'ada');
  assert.deepEqual(stored.acls.collaborators, { bob: 'Write' });
  assert.deepEqual(stored.acls.groups, { ops: 'Read' });

  // Bob may write to it but not change who may use it.
  await signIn(page, server.url, bob);
  await page.goto(`${server.url}/volumes/${id}`);
  await acl.waitFor();
  await acl.fill('user bob admin');
  await page.getByRole('button', { name: 'Save access' }).click();
  const denied = page.getByRole('alert').filter({ hasText: 'Only owner or those with admin access type can update volume acls' });
  await denied.waitFor();
  page.assertNoErrors();
});
