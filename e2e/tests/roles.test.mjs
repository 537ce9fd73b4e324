// Roles in the browser: system roles shown read-only, a custom role made, edited and deleted
// in the console and checked through the SDK; rules the console cannot read are refused next
// to the field and nothing is sent; a role made in the console decides what its tokens may
// call; a cluster without the service reads "does not offer"; a user whose role may not list
// roles is refused with the role's name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite } from './fixtures/suite.mjs';
import { sdk } from './fixtures/sdk.mjs';
import { token } from './fixtures/jwt.mjs';
import { signIn } from './fixtures/actions.mjs';

const SECRET = 'roles-secret';
const t = suite();

test('a role made in the console decides what its tokens may call', async () => {
  const server = await t.server({ args: ['--jwt-shared-secret', SECRET] });
  const admin = token({ secret: SECRET });
  const api = sdk(server.address, { token: admin });
  const page = await t.page();
  await signIn(page, server.url, admin);
  await page.goto(`${server.url}/roles`);
  const adminRow = page.getByTestId('role-row').filter({ hasText: 'system.admin' });
  await adminRow.waitFor();
  assert.match(await adminRow.textContent(), /system/);
  assert.equal(await adminRow.getByRole('button').count(), 0, 'system roles are read-only');
  assert.equal(await page.getByRole('button', { name: 'Edit system.guest' }).count(), 1, 'the guest role may be edited');

  // Bad input is refused beside its field; nothing is sent.
  await page.getByLabel('Name').fill('system.admin');
  await page.getByLabel('Rules').fill('volumes: inspect*');
  await page.getByRole('button', { name: 'Create role' }).click();
  assert.match(await page.locator('#role-name-error').textContent(), /system role/);
  assert.match(await page.locator('#role-rules-error').textContent(), /Line 1: "volumes" is not an SDK service/);
  const before = (await api.OpenStorageRole.Enumerate({})).names;
  assert.ok(!before.includes('volume.reader'));

  await page.getByLabel('Name').fill('volume.reader');
  await page.getByLabel('Rules').fill('volume: inspect*, enumerate*\nidentity: *');
  await page.getByRole('button', { name: 'Create role' }).click();
  const reader = page.getByTestId('role-row').filter({ hasText: 'volume.reader' });
  await reader.waitFor();
  let { role } = await api.OpenStorageRole.Inspect({ name: 'volume.reader' });
  assert.deepEqual(role.rules, [
    { services: ['volume'], apis: ['inspect*', 'enumerate*'] },
    { services: ['identity'], apis: ['*'] },
  ]);

  // The cluster enforces it: a token with only this role may list volumes, not create them.
  const readerToken = token({ secret: SECRET, roles: ['volume.reader'], sub: 'rita', name: 'Rita' });
  const asReader = sdk(server.address, { token: readerToken }).OpenStorageVolume;
  await asReader.EnumerateWithFilters({});
  await assert.rejects(asReader.Create({ name: 'nope', spec: { size: 1024 ** 3, ha_level: 1 } }), /volume\.reader/);

  // Edited: a denial added; the name stays.
  await reader.getByRole('button', { name: 'Edit volume.reader' }).click();
  assert.equal(await page.locator('#role-name').count(), 0, 'the name is not editable');
  await page.getByLabel('Rules').fill('volume: inspect*, enumerate*, !enumeratewithfilters\nidentity: *');
  await page.getByRole('button', { name: 'Save role' }).click();
  await page.getByText('Role volume.reader saved.').waitFor();
  await reader.filter({ hasText: '!enumeratewithfilters' }).waitFor();
  ({ role } = await api.OpenStorageRole.Inspect({ name: 'volume.reader' }));
  assert.deepEqual(role.rules[0].apis, ['inspect*', 'enumerate*', '!enumeratewithfilters']);
  await assert.rejects(asReader.EnumerateWithFilters({}), /denied/);

  await reader.getByRole('button', { name: 'Delete volume.reader' }).click();
  await page.getByRole('button', { name: 'Delete role' }).click();
  await reader.waitFor({ state: 'detached' });
  assert.ok(!(await api.OpenStorageRole.Enumerate({})).names.includes('volume.reader'));
  page.assertNoErrors();
});

test('a user whose role may not list roles is refused with its name', async () => {
  const server = await t.server({ args: ['--jwt-shared-secret', SECRET] });
  const page = await t.page();
  await signIn(page, server.url, token({ secret: SECRET, roles: ['system.user'], sub: 'uma', name: 'Uma' }));
  await page.goto(`${server.url}/roles`);
  const denied = page.getByRole('alert').filter({ hasText: 'Permission denied' });
  await denied.waitFor();
  assert.match(await denied.textContent(), /system\.user/);
  page.assertNoErrors();
});

test('a cluster without roles says so, with no error banner', async () => {
  const server = await t.server({ args: ['--not-supported', 'role'] });
  const page = await t.page();
  await page.goto(`${server.url}/roles`);
  await page.getByTestId('roles-not-offered').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Create role' }).isDisabled(), true);
  assert.equal(await page.getByRole('alert').count(), 0);
  page.assertNoErrors();
});
