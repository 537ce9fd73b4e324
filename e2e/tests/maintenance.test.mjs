// Volume maintenance in the browser: a filesystem trim and check started and watched to the
// end with the cluster's own words, a check refused on a mounted filesystem, a checksum run
// stopped; upstream's fake driver (which lacks all three) reads "does not offer"; with auth, a
// role that may not verify checksums is named in the refusal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite } from './fixtures/suite.mjs';
import { sdk } from './fixtures/sdk.mjs';
import { token } from './fixtures/jwt.mjs';
import { signIn } from './fixtures/actions.mjs';

const t = suite();

async function mountedVolume(api, name) {
  const { volume_id: id } = await api.OpenStorageVolume.Create({ name, spec: { size: 1024 ** 3, ha_level: 1 } });
  await api.OpenStorageMountAttach.Attach({ volume_id: id });
  await api.OpenStorageMountAttach.Mount({ volume_id: id, mount_path: '/mnt/data' });
  return id;
}

test('trim, check and checksum are started, watched and stopped', async () => {
  const server = await t.server({ args: [] });
  const api = sdk(server.address);
  const id = await mountedVolume(api, 'kept-tidy');
  const page = await t.page();
  await page.goto(`${server.url}/volumes/${id}`);
  const trim = page.getByTestId('maintenance-trim');
  await trim.getByTestId('maintenance-state').filter({ hasText: 'Not running' }).waitFor();
  await trim.getByRole('button', { name: 'Start filesystem trim' }).click();
  await trim.getByTestId('maintenance-state').filter({ hasText: /Started|In progress/ }).waitFor();
  assert.equal(await trim.getByRole('button', { name: 'Start filesystem trim' }).isDisabled(), true, 'one at a time');
  await trim.getByTestId('maintenance-state').filter({ hasText: 'Completed' }).waitFor({ timeout: 15000 });

  // A check on a mounted filesystem is the cluster's to refuse; its words are shown.
  const check = page.getByTestId('maintenance-check');
  await check.getByRole('button', { name: 'Start filesystem check' }).click();
  await check.getByRole('alert').filter({ hasText: 'is mounted at /mnt/data' }).waitFor();
  await api.OpenStorageMountAttach.Unmount({ volume_id: id, mount_path: '/mnt/data' });
  await page.reload();
  await check.getByLabel('Mode').selectOption({ label: 'Fix what is safe to fix' });
  await check.getByRole('button', { name: 'Start filesystem check' }).click();
  await check.getByTestId('maintenance-state').filter({ hasText: 'Completed; the filesystem is healthy' }).waitFor({ timeout: 15000 });
  const status = await api.OpenStorageFilesystemCheck.Status({ volume_id: id });
  assert.equal(status.mode, 'fix_safe');
  assert.equal(await page.getByTestId('maintenance-trim').getByRole('button', { name: 'Start filesystem trim' }).isDisabled(), true, 'nothing mounted to trim');

  const sum = page.getByTestId('maintenance-checksum');
  await sum.getByRole('button', { name: 'Start checksum verification' }).click();
  await sum.getByTestId('maintenance-state').filter({ hasText: 'Running' }).waitFor();
  await sum.getByRole('button', { name: 'Stop checksum verification' }).click();
  await sum.getByTestId('maintenance-state').filter({ hasText: 'Stopped' }).waitFor();
  assert.equal((await api.OpenStorageVerifyChecksum.Status({ volume_id: id })).status, 'VERIFY_CHECKSUM_STOPPED');
  page.assertNoErrors();
});

test("upstream's fake driver lacks all three: each says so, with no error banner", async () => {
  const server = await t.server({ args: ['--driver', 'fake'] });
  const id = await mountedVolume(sdk(server.address), 'plain');
  const page = await t.page();
  await page.goto(`${server.url}/volumes/${id}`);
  for (const [slug, words] of [['trim', 'filesystem trim'], ['check', 'filesystem check'], ['checksum', 'checksum verification']]) {
    const row = page.getByTestId(`maintenance-${slug}`);
    await row.getByTestId('maintenance-not-offered').filter({ hasText: `This cluster does not offer ${words}.` }).waitFor();
    assert.equal(await row.getByRole('button', { name: `Start ${words}` }).isDisabled(), true);
  }
  assert.equal(await page.getByTestId('maintenance').getByRole('alert').count(), 0);
  page.assertNoErrors();
});

test('with auth, a role that may not verify checksums is named in the refusal', async () => {
  const SECRET = 'maintenance-secret';
  const server = await t.server({ args: ['--jwt-shared-secret', SECRET] });
  const uma = token({ secret: SECRET, roles: ['system.user'], sub: 'uma', name: 'Uma' });
  const { volume_id: id } = await sdk(server.address, { token: uma }).OpenStorageVolume.Create({
    name: 'umas', spec: { size: 1024 ** 3, ha_level: 1 },
  });
  const page = await t.page();
  await signIn(page, server.url, uma);
  await page.goto(`${server.url}/volumes/${id}`);
  const sum = page.getByTestId('maintenance-checksum');
  await sum.getByRole('button', { name: 'Start checksum verification' }).click();
  await sum.getByRole('alert').filter({ hasText: 'system.user' }).waitFor();
  page.assertNoErrors();
});
