// Failure handling: a server lost mid-session, a slow server, and a crash in the console.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite } from './fixtures/suite.mjs';
import { sdk } from './fixtures/sdk.mjs';
import { fillVolumeForm, openFromNav } from './fixtures/actions.mjs';

const t = suite();

test('a half-filled form survives losing the server, and the console recovers without a reload', async () => {
  const server = await t.server();
  const page = await t.page({ allowNetworkErrors: true });
  await page.goto(`${server.url}/volumes/new`);
  await page.getByTestId('connection-indicator').filter({ hasText: 'Connected' }).waitFor();
  await fillVolumeForm(page, { name: 'half-filled', size: '42' });
  await page.evaluate(() => { window.__sameDocument = true; });

  await server.kill();
  await page.getByTestId('connection-indicator').filter({ hasText: 'Unreachable' }).waitFor({ timeout: 40_000 });
  await page.getByTestId('unreachable-banner').waitFor();
  assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'half-filled');

  await server.restart();
  await page.getByTestId('connection-indicator').filter({ hasText: 'Connected' }).waitFor({ timeout: 40_000 });
  assert.equal(await page.getByTestId('unreachable-banner').count(), 0);
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'no reload happened');
  assert.equal(await page.getByLabel('Size', { exact: true }).inputValue(), '42');
  await page.getByRole('button', { name: 'Create volume' }).click();
  await page.getByTestId('volume-name').filter({ hasText: 'half-filled' }).waitFor();
  const { volume_ids } = await sdk(server.address).OpenStorageVolume.Enumerate({});
  assert.equal(volume_ids.length, 1);
  page.assertNoErrors();
});

test('a server slower than the deadline gives a clear timeout message', async () => {
  const server = await t.server({ args: ['--latency', '2500'] });
  const page = await t.page({ allowNetworkErrors: true });
  await page.goto(`${server.url}/settings`);
  await page.getByLabel('Request timeout (seconds)').fill('1');
  await page.getByRole('button', { name: 'Save connection' }).click();
  await openFromNav(page, 'Overview');
  const banner = page.getByTestId('unreachable-banner');
  await banner.waitFor({ timeout: 20_000 });
  assert.match(await banner.textContent(), /too slow to answer.*timed out/);
  assert.equal(await page.getByTestId('connection-indicator').textContent(), 'Too slow');
  page.assertNoErrors();
});

test('a panic shows the crash screen with a reload button', async () => {
  const server = await t.server();
  const page = await t.page();
  const logged = [];
  page.on('console', (m) => logged.push(m.text()));
  await page.goto(`${server.url}/debug/crash`);
  await page.getByRole('button', { name: 'Crash the console' }).click();
  const screen = page.getByTestId('crash-screen');
  await screen.waitFor();
  assert.match(await screen.textContent(), /Something went wrong/);
  assert.ok(logged.some((t) => t.includes('crash test requested')), 'the panic is logged to the console');
  await page.getByRole('button', { name: 'Reload the console' }).click();
  await page.getByRole('heading', { name: 'Crash test' }).waitFor();
});

test('a button that starts work is disabled while its call runs: no double submit', async () => {
  const server = await t.server({ args: ['--latency', '800'] });
  const page = await t.page();
  const creates = [];
  page.on('request', (r) => {
    if (r.url().endsWith('.OpenStorageVolume/Create')) creates.push(r.url());
  });
  await page.goto(`${server.url}/volumes/new`);
  await fillVolumeForm(page, { name: 'once', size: '1' });
  const button = page.getByRole('button', { name: /Create volume|Creating/ });
  await button.click();
  await page.getByRole('button', { name: 'Creating…' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Creating…' }).isDisabled(), true);
  await page.getByRole('button', { name: 'Creating…' }).click({ force: true }).catch(() => {});
  await page.getByTestId('volume-name').filter({ hasText: 'once' }).waitFor();
  assert.equal(creates.length, 1, 'one Create call');
  page.assertNoErrors();
});
