// Attaching and mounting a volume in the browser: each step goes to the cluster and the page
// shows what Inspect then says; a path the console cannot use is refused next to its field and
// nothing is sent; the cluster's refusals show as they are; upstream's fake driver (Attach
// answers a device and changes nothing) reads honestly; a cluster without the service reads
// "does not offer"; with auth, a role that may not attach is named in the refusal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite } from './fixtures/suite.mjs';
import { sdk } from './fixtures/sdk.mjs';
import { token } from './fixtures/jwt.mjs';
import { signIn } from './fixtures/actions.mjs';

const t = suite();

async function volume(api, name, more = {}) {
  const { volume_id } = await api.OpenStorageVolume.Create({ name, spec: { size: 1024 ** 3, ha_level: 1, ...more } });
  return volume_id;
}

async function inspect(api, id) {
  return (await api.OpenStorageVolume.Inspect({ volume_id: id })).volume;
}

test('a volume is attached, mounted, refused out of order and detached', async () => {
  const server = await t.server({ args: [] });
  const api = sdk(server.address);
  const id = await volume(api, 'web-data');
  const page = await t.page();
  await page.goto(`${server.url}/volumes/${id}`);
  const card = page.getByTestId('attachment');
  await card.waitFor();

  // A path the console cannot use is refused beside the field; nothing reaches the cluster.
  await page.getByLabel('Mount at').fill('mnt/web');
  await card.getByRole('button', { name: 'Mount', exact: true }).click();
  assert.match(await page.locator('#mount-path-error').textContent(), /absolute path/);
  assert.equal(await page.getByLabel('Mount at').getAttribute('aria-invalid'), 'true');

  // The cluster refuses to mount what is not attached, in its own words.
  await page.getByLabel('Mount at').fill('/mnt/web');
  await card.getByRole('button', { name: 'Mount', exact: true }).click();
  await card.getByRole('alert').filter({ hasText: 'is not attached' }).waitFor();
  assert.deepEqual((await inspect(api, id)).attach_path ?? [], []);

  await card.getByRole('button', { name: 'Attach' }).click();
  const attached = await inspect(api, id);
  await card.getByText(`Attached as ${attached.device_path}.`).waitFor();
  assert.ok(attached.attached_on, 'attached on the node that answers');
  await page.getByTestId('volume-attached-on').filter({ hasText: /\S/ }).waitFor();

  await card.getByRole('button', { name: 'Mount', exact: true }).click();
  await card.getByTestId('mount-path-row').filter({ hasText: '/mnt/web' }).waitFor();
  assert.deepEqual((await inspect(api, id)).attach_path, ['/mnt/web']);
  assert.equal(await page.getByLabel('Mount at').inputValue(), '', 'the field is cleared after mounting');

  // Mounted, it is not detached unless unmounted first.
  await card.getByRole('button', { name: 'Detach' }).click();
  await card.getByRole('alert').filter({ hasText: 'is mounted at /mnt/web' }).waitFor();
  await page.getByLabel('Unmount first').check();
  await card.getByRole('button', { name: 'Detach' }).click();
  await card.getByText('Detached.').waitFor();
  await card.getByTestId('mount-path-row').waitFor({ state: 'detached' });
  const detached = await inspect(api, id);
  assert.equal(detached.attached_on ?? '', '');
  assert.deepEqual(detached.attach_path ?? [], []);
  page.assertNoErrors();
});

test("upstream's fake driver: Attach answers a device and Inspect stays as it was", async () => {
  const server = await t.server({ args: ['--driver', 'fake'] });
  const api = sdk(server.address);
  const id = await volume(api, 'fake-data');
  const page = await t.page();
  await page.goto(`${server.url}/volumes/${id}`);
  const card = page.getByTestId('attachment');
  await card.getByRole('button', { name: 'Attach' }).click();
  await card.getByText(`Attached as /dev/fake/${id}.`).waitFor();
  assert.equal((await inspect(api, id)).attached_on ?? '', '');
  await page.getByLabel('Mount at').fill('/mnt/a');
  await card.getByRole('button', { name: 'Mount', exact: true }).click();
  const row = card.getByTestId('mount-path-row').filter({ hasText: '/mnt/a' });
  await row.waitFor();
  await row.getByRole('button', { name: 'Unmount /mnt/a' }).click();
  await card.getByText('Unmounted from /mnt/a.').waitFor();
  await row.waitFor({ state: 'detached' });
  page.assertNoErrors();
});

test('a cluster without attach and mount says so, with no error banner', async () => {
  const server = await t.server({ args: ['--not-supported', 'mount-attach'] });
  const id = await volume(sdk(server.address), 'plain');
  const page = await t.page();
  await page.goto(`${server.url}/volumes/${id}`);
  const card = page.getByTestId('attachment');
  await card.getByTestId('attachment-not-offered').waitFor();
  assert.equal(await card.getByRole('button', { name: 'Attach' }).isDisabled(), true);
  assert.equal(await card.getByRole('button', { name: 'Mount', exact: true }).isDisabled(), true);
  assert.equal(await card.getByRole('alert').count(), 0);
  page.assertNoErrors();
});

test('with auth, a role that may not attach is named in the refusal', async () => {
  const SECRET = 'attach-secret';
  const server = await t.server({ args: ['--jwt-shared-secret', SECRET] });
  const admin = token({ secret: SECRET, roles: ['system.admin'] });
  const viewer = token({ secret: SECRET, roles: ['system.view'], sub: 'vera', name: 'Vera' });
  const api = sdk(server.address, { token: admin });
  // Shared with Vera for reading, so she sees the volume; her role may not attach it.
  const id = await volume(api, 'watched', { ownership: { acls: { collaborators: { vera: 'Read' } } } });
  const page = await t.page();
  await signIn(page, server.url, viewer);
  await page.goto(`${server.url}/volumes/${id}`);
  const card = page.getByTestId('attachment');
  await card.getByRole('button', { name: 'Attach' }).click();
  await card.getByRole('alert').filter({ hasText: 'system.view' }).waitFor();
  assert.equal((await inspect(api, id)).attached_on ?? '', '');
  page.assertNoErrors();
});
