// Screens whose code loads on demand (src/pages/on_demand.rs, split by scripts/build-wasm.mjs):
// the first visit fetches only the main module; a screen's module comes on its first visit,
// cached for good and fetched once; a module that cannot be fetched ends on the crash screen,
// and after its reload the screen loads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sdk } from './fixtures/sdk.mjs';
import { suite } from './fixtures/suite.mjs';
import { openOverview, openScreen } from './fixtures/actions.mjs';

const t = suite();

// The wasm files a page fetched, by name.
function wasmFetches(page) {
  const fetched = [];
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (url.pathname.endsWith('.wasm')) fetched.push({ name: url.pathname.split('/').pop(), response });
  });
  return fetched;
}
const screenModules = (fetched) => fetched.filter(({ name }) => name.startsWith('split_')).map(({ name }) => name);

test('the overview loads only the main module; a screen its own on its first visit, once', async () => {
  const server = await t.server();
  const page = await t.page();
  const fetched = wasmFetches(page);
  await openOverview(page, server.url);
  assert.deepEqual(fetched.map(({ name }) => name), ['app_bg.wasm']);

  await page.getByRole('link', { name: 'Roles', exact: true }).click();
  await page.getByRole('heading', { name: 'Roles', level: 1 }).waitFor();
  const roles = screenModules(fetched);
  assert.equal(roles.length, 1, `one screen module: ${roles}`);
  assert.match(roles[0], /roles_route/);
  const module = fetched.find(({ name }) => name === roles[0]).response;
  assert.equal(module.status(), 200);
  assert.equal((await module.allHeaders())['content-encoding'], 'br');
  assert.match((await module.allHeaders())['cache-control'], /immutable/);
  // The chunks it shares with other screens come with it.
  assert.ok(fetched.some(({ name }) => name.startsWith('chunk_')), 'shared chunks fetched');

  const before = fetched.length;
  await page.getByRole('link', { name: 'Overview', exact: true }).click();
  await page.getByTestId('cluster-id').waitFor();
  await page.getByRole('link', { name: 'Roles', exact: true }).click();
  await page.getByRole('heading', { name: 'Roles', level: 1 }).waitFor();
  assert.equal(fetched.length, before, 'a screen visited before is not fetched again');
  page.assertNoErrors();
});

test('a link straight to a screen loads that screen and no other', async () => {
  const server = await t.server();
  const page = await t.page();
  const fetched = wasmFetches(page);
  await openScreen(page, `${server.url}/dr`, { name: 'Disaster recovery', level: 1 });
  const modules = screenModules(fetched);
  assert.equal(modules.length, 1, `${modules}`);
  assert.match(modules[0], /dr_route/);
  page.assertNoErrors();
});

test("the volume screens, the links followed most, come with the main module", async () => {
  const server = await t.server();
  const { volume_id: id } = await sdk(server.address).OpenStorageVolume.Create({
    name: 'data',
    spec: { size: 1024 ** 3, ha_level: 1 },
  });
  const page = await t.page();
  const fetched = wasmFetches(page);
  await page.goto(`${server.url}/volumes/${id}`);
  await page.getByTestId('volume-name').filter({ hasText: 'data' }).waitFor();
  await page.getByRole('link', { name: 'Volumes', exact: true }).click();
  await page.getByRole('link', { name: 'data', exact: true }).waitFor();
  await page.getByRole('link', { name: 'Create volume' }).click();
  await page.getByLabel('Name', { exact: true }).waitFor();
  assert.deepEqual(fetched.map(({ name }) => name), ['app_bg.wasm']);
  page.assertNoErrors();
});

test('a screen whose code cannot be fetched ends on the crash screen, and reloading recovers', async () => {
  const server = await t.server();
  const page = await t.page({ allowNetworkErrors: true });
  await openOverview(page, server.url);
  // As after an upgrade that removed this build's files, or a dropped connection.
  const rolesModule = /split_[^/]*roles_route[^/]*\.wasm$/;
  await page.route(rolesModule, (route) => route.abort('failed'));
  await page.getByRole('link', { name: 'Roles', exact: true }).click();
  const crash = page.getByTestId('crash-screen');
  await crash.waitFor();
  assert.match(await crash.textContent(), /Reload to start again/);

  await page.unroute(rolesModule);
  await page.getByRole('button', { name: 'Reload the console' }).click();
  // The address had not moved on yet: the reload opens the overview, and the screen loads now.
  await page.getByTestId('cluster-id').waitFor();
  await page.getByRole('link', { name: 'Roles', exact: true }).click();
  await page.getByRole('heading', { name: 'Roles', level: 1 }).waitFor();
});
