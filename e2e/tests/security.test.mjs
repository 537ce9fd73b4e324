// The console runs under its Content-Security-Policy, cannot be framed, and its files arrive
// compressed and cached.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite } from './fixtures/suite.mjs';
import { sdk } from './fixtures/sdk.mjs';
import { openOverview } from './fixtures/actions.mjs';

const t = suite();

test('every screen works under the CSP with no violation', async () => {
  const server = await t.server();
  const api = sdk(server.address);
  const { volume_id } = await api.OpenStorageVolume.Create({ name: 'csp-vol', spec: { size: 1024 ** 3, ha_level: 1 } });
  const page = await t.page();
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  const first = await page.goto(server.url);
  const csp = first.headers()['content-security-policy'];
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' 'sha256-/);
  assert.equal(first.headers()['x-frame-options'], 'DENY');
  await page.getByTestId('cluster-id').waitFor();
  for (const [link, ready] of [
    ['Volumes', () => page.getByTestId('volumes-table').waitFor()],
    ['Backups', () => page.getByRole('heading', { name: 'Start a backup' }).waitFor()],
    ['Credentials', () => page.getByTestId('credentials-empty').waitFor()],
    ['Settings', () => page.getByRole('heading', { name: 'Sign in with an SDK token' }).waitFor()],
  ]) {
    await page.getByRole('link', { name: link, exact: true }).click();
    await ready();
  }
  await page.goto(`${server.url}/volumes/${volume_id}`);
  await page.getByTestId('volume-name').waitFor();
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  page.assertNoErrors();
});

test('the app is sent brotli-compressed, and its hashed files are cached for good', async () => {
  const server = await t.server();
  const page = await t.page();
  const files = [];
  page.on('response', (res) => {
    if (/\.(wasm|js|css)$/.test(new URL(res.url()).pathname)) files.push(res);
  });
  await openOverview(page, server.url);
  assert.ok(files.length >= 3, 'wasm, js and css were fetched');
  for (const res of files) {
    const headers = await res.allHeaders();
    assert.equal(headers['content-encoding'], 'br', res.url());
    assert.equal(headers['cache-control'], 'public, max-age=31536000, immutable', res.url());
  }
  page.assertNoErrors();
});
