// Screens keep what the user is doing while their data refreshes, and say plainly whether data
// is loading, empty, loaded or failed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite } from './fixtures/suite.mjs';
import { awsCredential, sdk } from './fixtures/sdk.mjs';
import { addCredential } from './fixtures/actions.mjs';

const GIB = 1024 ** 3;
const SECRET = 'e2e-shared-secret';
const t = suite();

const activeId = (page) => page.evaluate(() => document.activeElement?.id ?? '');
const activeText = (page) => page.evaluate(() => document.activeElement?.textContent ?? '');

test("a credential's delete confirmation stays open across refreshes, with focus inside it", async () => {
  const server = await t.server();
  const api = sdk(server.address);
  await api.OpenStorageCredentials.Create(awsCredential('first', { bucket: 'first-bucket' }));
  const page = await t.page();
  await page.goto(`${server.url}/credentials`);
  const row = page.getByTestId('credential-row').filter({ hasText: 'first' });
  await row.getByRole('button', { name: 'Delete…' }).click();
  const confirm = row.getByRole('group', { name: 'Delete credential' });
  await confirm.waitFor();
  assert.equal(await activeText(page), 'Cancel', 'focus moves into the confirmation');

  // A change elsewhere in the list proves the table refreshed while the question was open.
  await api.OpenStorageCredentials.Create(awsCredential('second', { bucket: 'second-bucket' }));
  await page.getByRole('cell', { name: 'second', exact: true }).waitFor({ timeout: 15_000 });
  await page.waitForTimeout(15_000);
  assert.equal(await confirm.isVisible(), true, 'still open 15 s later');
  assert.equal(await activeText(page), 'Cancel', 'focus stayed');
  await confirm.getByRole('button', { name: 'Delete credential' }).click();
  await row.waitFor({ state: 'detached' });
  page.assertNoErrors();
});

test('focus stays on the volume filter and on a sort button across two refreshes', async () => {
  const server = await t.server();
  const api = sdk(server.address);
  for (const name of ['keep-a', 'keep-b']) {
    await api.OpenStorageVolume.Create({ name, spec: { size: GIB, ha_level: 1 } });
  }
  const page = await t.page();
  await page.goto(`${server.url}/volumes`);
  await page.getByTestId('volumes-count').filter({ hasText: '2 volumes' }).waitFor();

  const filter = page.getByLabel('Filter by name');
  await filter.click();
  await filter.pressSequentially('keep');
  // Each new volume shows up only through a refresh: two of them, two refreshes.
  for (const [name, count] of [['keep-c', 3], ['keep-d', 4]]) {
    await api.OpenStorageVolume.Create({ name, spec: { size: GIB, ha_level: 1 } });
    await page.getByTestId('volumes-count').filter({ hasText: `${count} volumes` }).waitFor({ timeout: 15_000 });
    assert.equal(await activeId(page), 'filter-name', `focus on the filter after refresh ${count - 2}`);
  }
  await page.keyboard.type('-d');
  await page.getByTestId('volumes-count').filter({ hasText: '1 of 4 volumes match' }).waitFor();
  await filter.fill('');

  const size = page.getByRole('button', { name: 'Size' });
  await size.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('columnheader', { name: 'Size' }).and(page.locator('[aria-sort=ascending]')).waitFor();
  for (const [name, count] of [['keep-e', 5], ['keep-f', 6]]) {
    await api.OpenStorageVolume.Create({ name, spec: { size: GIB, ha_level: 1 } });
    await page.getByTestId('volumes-count').filter({ hasText: `${count} volumes` }).waitFor({ timeout: 15_000 });
    assert.match(await activeText(page), /^Size/, `focus on the sort button after refresh ${count - 4}`);
  }
  // The keyboard still works where focus is.
  await page.keyboard.press('Enter');
  await page.getByRole('columnheader', { name: 'Size' }).and(page.locator('[aria-sort=descending]')).waitFor();
  page.assertNoErrors();
});

test('a guest on /credentials with auth on sees the permission message and no "Loading"', async () => {
  const server = await t.server({ args: ['--jwt-shared-secret', SECRET] });
  const page = await t.page();
  await page.goto(`${server.url}/credentials`);
  await page.locator('[data-kind=permission-denied]').waitFor();
  await page.locator('[data-state=failed]').waitFor();
  assert.equal(await page.getByText(/Loading/).count(), 0, 'nothing claims to be loading');
  // Still true after the next attempts.
  await page.waitForTimeout(2_000);
  assert.equal(await page.getByText(/Loading/).count(), 0);
  assert.equal(await page.locator('[data-kind=permission-denied]').count(), 1, 'one message, not one per retry');
  page.assertNoErrors();
});

test('after adding a credential the form is blank: the next one, of another provider, inherits nothing', async () => {
  const server = await t.server();
  const page = await t.page();
  await page.goto(`${server.url}/credentials`);
  await page.getByTestId('credentials-empty').waitFor();
  await addCredential(page, {
    name: 's3-one', accessKey: 'access', secretKey: 'secret', endpoint: 'minio.local:9000', region: 'eu-west-1', bucket: 's3-bucket',
  });
  await page.getByText('Credential s3-one added.').waitFor();

  assert.equal(await page.getByLabel('Provider').inputValue(), 's3', 'the provider choice is kept');
  for (const [label, value] of [['Name', ''], ['Access key', ''], ['Endpoint', 's3.amazonaws.com'], ['Region', ''], ['Bucket (optional)', '']]) {
    assert.equal(await page.getByLabel(label, { exact: true }).inputValue(), value, `${label} reset`);
  }
  await page.getByLabel('Provider').selectOption({ label: 'NFS' });
  for (const label of ['Name', 'NFS server', 'Sub path', 'Mount options', 'Bucket (optional)', 'Encryption key (optional)']) {
    assert.equal(await page.getByLabel(label, { exact: true }).inputValue(), '', `${label} starts empty`);
  }
  // And the NFS credential the cluster stores has no bucket from the S3 one.
  await page.getByLabel('Name', { exact: true }).fill('nfs-two');
  await page.getByLabel('NFS server', { exact: true }).fill('nfs.local');
  await page.getByRole('button', { name: 'Add credential' }).click();
  const nfsRow = page.getByTestId('credential-row').filter({ hasText: 'nfs-two' });
  await nfsRow.waitFor();
  assert.equal(await nfsRow.locator('td').nth(3).textContent(), 'default');
  page.assertNoErrors();
});

test('an invalid form puts focus on its first invalid field, which names its error', async () => {
  const server = await t.server();
  const page = await t.page();
  await page.goto(`${server.url}/volumes/new`);
  await page.getByRole('button', { name: 'Create volume' }).click();
  await page.locator('#volume-name[aria-invalid=true]').waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'volume-name');
  const described = await page.locator('#volume-name').getAttribute('aria-describedby');
  const error = await page.locator(`#${described.split(' ').pop()}`).textContent();
  assert.ok(error.length > 0, 'the error is tied to the field');
  assert.equal(await page.locator('#volume-size').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.title(), 'Create volume · OpenStorage Console');
  page.assertNoErrors();
});
