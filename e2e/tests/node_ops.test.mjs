// On a node's page: a pool grown by size and by percentage with the cluster's operation shown
// until it is done, bad input refused beside the field; diagnostics collected as a job that is
// paused, resumed and finishes; upstream's own cluster (which lacks all three) reads "does not
// offer"; with auth, a role that may not resize pools is named in the refusal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite } from './fixtures/suite.mjs';
import { firstNode, sdk } from './fixtures/sdk.mjs';
import { token } from './fixtures/jwt.mjs';
import { signIn } from './fixtures/actions.mjs';

const GIB = 1024 ** 3;
const t = suite();

test('a pool is resized and diagnostics are collected as a job', async () => {
  const server = await t.server({ args: [] });
  const api = sdk(server.address);
  const node = await firstNode(api);
  const pool = node.pools[0];
  const gib = Number(BigInt(pool.TotalSize) / BigInt(GIB));
  const page = await t.page();
  await page.goto(`${server.url}/nodes/${node.id}`);
  const form = page.getByTestId('pool-resize');
  await form.getByRole('button', { name: 'Resize pool' }).waitFor();

  // Bad input is refused next to the field; nothing is sent.
  await form.getByLabel('Size in GiB or percentage').fill(String(gib));
  await form.getByRole('button', { name: 'Resize pool' }).click();
  assert.match(await page.locator('#resize-value-error').textContent(), /more than the pool's current/);
  await form.getByLabel('By a percentage of its size').check();
  await form.getByLabel('Size in GiB or percentage').fill('5000');
  await form.getByRole('button', { name: 'Resize pool' }).click();
  assert.match(await page.locator('#resize-value-error').textContent(), /1 to 1000/);
  assert.equal((await firstNode(api)).pools[0].last_operation, null);

  await form.getByLabel('Size in GiB or percentage').fill('50');
  await form.getByLabel('How').selectOption({ label: 'Resize the drives' });
  await form.getByRole('button', { name: 'Resize pool' }).click();
  await form.getByText(/Resize of pool 0 started/).waitFor();
  await page.getByTestId('pool-operation').filter({ hasText: 'in progress' }).waitFor();
  await page.getByTestId('pool-operation').filter({ hasText: '(done)' }).waitFor({ timeout: 15000 });
  const after = (await firstNode(api)).pools[0];
  assert.equal(BigInt(after.TotalSize), BigInt(pool.TotalSize) + BigInt(pool.TotalSize) / 2n);
  assert.equal(after.last_operation.params.operation, 'resize-disk');

  // Diagnostics: a job listed with each node's part; paused, resumed, finished.
  const jobs = page.getByTestId('node-jobs');
  await jobs.getByTestId('jobs-empty').waitFor();
  // From every node (4 s each): time enough to pause it.
  await jobs.getByRole('button', { name: 'Collect from every node' }).click();
  const row = jobs.getByTestId('job-row');
  await row.getByRole('button', { name: 'Pause' }).click();
  await row.getByTestId('job-state').filter({ hasText: 'Paused' }).waitFor();
  const [job] = (await api.OpenStorageJob.Enumerate({})).jobs;
  assert.equal(job.state, 'PAUSED');
  assert.equal(job.collect_diags.request.node.all, true);
  await row.getByRole('button', { name: 'Resume' }).click();
  await row.getByTestId('job-state').filter({ hasText: 'Running' }).waitFor();
  await row.getByRole('button', { name: 'Cancel' }).click();
  await row.getByTestId('job-state').filter({ hasText: 'Cancelled' }).waitFor();
  assert.equal(await row.getByRole('button').count(), 0, 'a finished job has no actions');

  // One node's collection runs to the end.
  await jobs.getByRole('button', { name: 'Collect diagnostics from this node' }).click();
  const mine = jobs.getByTestId('job-row').first();
  await mine.getByTestId('job-state').filter({ hasText: 'Done' }).waitFor({ timeout: 15000 });
  assert.match(await mine.textContent(), new RegExp(`diags of ${node.id} collected`));
  const listed = (await api.OpenStorageJob.Enumerate({})).jobs.map((j) => j.state).sort();
  assert.deepEqual(listed, ['CANCELLED', 'DONE']);
  page.assertNoErrors();
});

test("upstream's own cluster lacks pools, jobs and diagnostics: each says so", async () => {
  const server = await t.server({ args: ['--driver', 'fake'] });
  const node = await firstNode(sdk(server.address));
  const page = await t.page();
  await page.goto(`${server.url}/nodes/${node.id}`);
  const jobs = page.getByTestId('node-jobs');
  await jobs.getByTestId('jobs-not-offered').waitFor();
  await jobs.getByRole('button', { name: 'Collect from every node' }).click();
  await jobs.getByTestId('diags-not-offered').waitFor();
  assert.equal(await jobs.getByRole('button', { name: 'Collect from every node' }).isDisabled(), true);
  const form = page.getByTestId('pool-resize');
  await form.getByLabel('Size in GiB or percentage').fill('99999');
  await form.getByRole('button', { name: 'Resize pool' }).click();
  await form.getByTestId('pool-resize-not-offered').waitFor();
  assert.equal(await form.getByRole('button', { name: 'Resize pool' }).isDisabled(), true);
  assert.equal(await page.getByRole('alert').count(), 0);
  page.assertNoErrors();
});

test('with auth, a role that may not resize pools is named in the refusal', async () => {
  const SECRET = 'node-ops-secret';
  const server = await t.server({ args: ['--jwt-shared-secret', SECRET] });
  const admin = token({ secret: SECRET });
  const node = await firstNode(sdk(server.address, { token: admin }));
  const page = await t.page();
  await signIn(page, server.url, token({ secret: SECRET, roles: ['system.user'], sub: 'uma', name: 'Uma' }));
  await page.goto(`${server.url}/nodes/${node.id}`);
  const form = page.getByTestId('pool-resize');
  await form.getByLabel('By a percentage of its size').check();
  await form.getByLabel('Size in GiB or percentage').fill('10');
  await form.getByRole('button', { name: 'Resize pool' }).click();
  await form.getByRole('alert').filter({ hasText: 'system.user' }).waitFor();
  page.assertNoErrors();
});

test('with auth, a guest is told jobs need a sign-in, and is not told the cluster has none', async () => {
  const SECRET = 'node-ops-guest-secret';
  const server = await t.server({ args: ['--jwt-shared-secret', SECRET] });
  const node = await firstNode(sdk(server.address, { token: token({ secret: SECRET }) }));
  const page = await t.page();
  await page.goto(`${server.url}/nodes/${node.id}`);
  const jobs = page.getByTestId('node-jobs');
  await jobs.locator('[data-kind=permission-denied]').waitFor();
  assert.equal(await jobs.getByTestId('jobs-empty').count(), 0, 'the jobs were never read');
  page.assertNoErrors();
});
