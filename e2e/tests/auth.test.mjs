// Signing in with SDK tokens against a console-server with auth on, and pointing the console
// at another endpoint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite } from './fixtures/suite.mjs';
import { sdk } from './fixtures/sdk.mjs';
import { token } from './fixtures/jwt.mjs';
import { addCredential, createVolume, openFromNav, openOverview, signIn } from './fixtures/actions.mjs';

const SECRET = 'e2e-shared-secret';
const t = suite();

async function authServer() {
  const server = await t.server({ args: ['--jwt-shared-secret', SECRET] });
  return server;
}

test('a guest sees the cluster and volumes, and is asked to sign in for credentials', async () => {
  const server = await authServer();
  const page = await t.page();
  await openOverview(page, server.url);
  assert.equal(await page.getByTestId('connection-who').textContent(), 'Guest (no token)');
  await page.getByRole('link', { name: 'Volumes', exact: true }).click();
  await page.getByTestId('volumes-empty').waitFor();
  await openFromNav(page, 'Credentials');
  const denied = page.locator('[data-kind=permission-denied]');
  await denied.waitFor();
  // The cluster's own words (upstream's SDK), with the console's way out.
  assert.match(await denied.textContent(), /Access denied without authentication token/);
  await denied.getByRole('link', { name: 'Sign in with a token' }).click();
  await page.getByRole('heading', { name: 'Sign in with an SDK token' }).waitFor();
  page.assertNoErrors();
});

test('a wrong token is rejected by the server, with a way to enter another', async () => {
  const server = await authServer();
  const page = await t.page();
  await signIn(page, server.url, token({ secret: 'not-the-cluster-secret' }), { who: null });
  await openFromNav(page, 'Overview');
  const rejected = page.locator('[data-kind=unauthenticated]').first();
  await rejected.waitFor();
  assert.match(await rejected.textContent(), /Your token was rejected: .*signature/);
  await rejected.getByRole('link', { name: 'Enter another token' }).waitFor();
  page.assertNoErrors();
});

test('an expired token is refused when entered, and noticed by the console when it runs out', async () => {
  const server = await authServer();
  const page = await t.page();
  await signIn(page, server.url, token({ secret: SECRET, expiresIn: -60 }), { who: null });
  await page.locator('#settings-token-error').filter({ hasText: 'expired' }).waitFor();
  assert.equal(await page.getByTestId('connection-who').textContent(), 'Guest (no token)');

  // A token that expires while in use: the console stops sending it and says why.
  await signIn(page, server.url, token({ secret: SECRET, expiresIn: 6 }), { who: null });
  await page.getByTestId('connection-who').filter({ hasText: 'Signed in as Ada Admin' }).waitFor();
  await new Promise((r) => setTimeout(r, 6500));
  const sentAfterExpiry = [];
  page.on('request', (r) => {
    if (r.headers().authorization) sentAfterExpiry.push(r.url());
  });
  await openFromNav(page, 'Credentials');
  const banner = page.locator('[data-kind=unauthenticated]').first();
  await banner.waitFor();
  assert.match(await banner.textContent(), /it expired at .*enter a new token/);
  assert.equal(await page.getByTestId('connection-who').textContent(), 'Token expired');
  assert.deepEqual(sentAfterExpiry, [], 'an expired token is not sent');
  page.assertNoErrors();
});

test('an admin token can do everything; it stays out of localStorage unless remembered; sign out', async () => {
  const server = await authServer();
  const page = await t.page();
  const admin = token({ secret: SECRET });
  await signIn(page, server.url, admin, { who: null });
  await page.getByTestId('signed-in-as').filter({ hasText: 'Signed in as Ada Admin (system.admin)' }).waitFor();
  assert.equal(await page.getByLabel('Token', { exact: true }).inputValue(), '', 'the field does not keep it');
  assert.equal(await page.evaluate(() => Object.values(localStorage).join()).then((v) => v.includes(admin)), false);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('osc.token')), admin);

  const headers = [];
  page.on('request', (r) => {
    if (r.url().includes('/openstorage.api.')) headers.push(r.headers());
  });
  await openFromNav(page, 'Credentials');
  await page.getByTestId('credentials-empty').waitFor();
  await addCredential(page, { name: 'aws', accessKey: 'a', secretKey: 's', region: 'r' });
  assert.ok(headers.length > 0 && headers.every((h) => h.authorization === `bearer ${admin}`));
  assert.ok(headers.every((h) => /^\d+[HMSmun]$/.test(h['grpc-timeout'] ?? '')), 'every call carries a deadline');
  assert.ok(!page.url().includes(admin));

  await signIn(page, server.url, admin, { remember: true, who: null });
  assert.equal(await page.evaluate(() => localStorage.getItem('osc.token')), admin);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('osc.token')), null);
  await page.getByRole('button', { name: 'Sign out' }).first().click();
  await page.getByTestId('signed-in-as').filter({ hasText: 'Not signed in' }).waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem('osc.token')), null);
  assert.equal(await page.getByTestId('connection-who').textContent(), 'Guest (no token)');
  page.assertNoErrors();
});

test("a token's claims are read by the browser: names in any script, and what is wrong with a malformed one", async () => {
  const server = await authServer();
  const page = await t.page();
  // Non-ASCII in the name: the payload's bytes are UTF-8, decoded as such.
  await signIn(page, server.url, token({ secret: SECRET, name: 'Zoë Ωmega 数据', roles: ['system.admin', 'ops'] }), { who: null });
  await page.getByTestId('signed-in-as').filter({ hasText: 'Signed in as Zoë Ωmega 数据 (system.admin, ops)' }).waitFor();
  assert.equal(await page.getByTestId('connection-who').textContent(), 'Signed in as Zoë Ωmega 数据');
  await page.getByRole('button', { name: 'Sign out' }).first().click();
  await page.getByTestId('signed-in-as').filter({ hasText: 'Not signed in' }).waitFor();

  const b64 = (text) => Buffer.from(text).toString('base64url');
  const header = b64('{"alg":"HS256","typ":"JWT"}');
  const malformed = [
    ['abc.def', 'three parts'],
    [`${header}.!!!.c2ln`, 'not valid base64url'],
    [`${header}.${b64('not json')}.c2ln`, 'not a JSON object'],
    [`${header}.${b64('[1,2]')}.c2ln`, 'not a JSON object'],
    [`${header}.${b64('{"sub":"x","exp":"soon"}')}.c2ln`, 'not a JSON object'],
    [`${header}.${b64('{"sub":{"id":1}}')}.c2ln`, 'not a JSON object'],
    [`${header}.${b64('{"roles":"admin"}')}.c2ln`, 'not a JSON object'],
  ];
  for (const [value, words] of malformed) {
    await page.getByLabel('Token', { exact: true }).fill(value);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#settings-token-error').filter({ hasText: words }).waitFor();
    assert.equal(await page.getByTestId('connection-who').textContent(), 'Guest (no token)', value);
  }
  // Padded base64url and a "Bearer " prefix are accepted.
  const padded = token({ secret: SECRET, name: 'Ada' }).split('.');
  padded[1] += '='.repeat((4 - (padded[1].length % 4)) % 4);
  await page.getByLabel('Token', { exact: true }).fill(`Bearer ${padded.join('.')}`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('signed-in-as').filter({ hasText: 'Signed in as Ada' }).waitFor();
  page.assertNoErrors();
});

test('the endpoint setting points the console at another server, and is remembered', async () => {
  const home = await t.server();
  // Another console-server answers a console of another origin only when told to.
  const other = await t.server({ ui: false, args: ['--allow-origin', home.url] });
  const { cluster } = await sdk(other.address).OpenStorageCluster.InspectCurrent({});
  const page = await t.page();
  await page.goto(`${home.url}/settings`);
  await page.getByLabel('Endpoint URL').fill('not a url');
  await page.getByRole('button', { name: 'Save connection' }).click();
  await page.locator('#settings-endpoint-error').filter({ hasText: 'http' }).waitFor();
  await page.getByLabel('Endpoint URL').fill(other.url);
  await page.getByRole('button', { name: 'Save connection' }).click();
  await page.getByText(`Saved: the console now talks to ${other.url}.`).waitFor();
  await openFromNav(page, 'Overview');
  await page.getByTestId('cluster-id').filter({ hasText: cluster.id }).waitFor();
  await page.reload();
  await page.getByTestId('cluster-id').filter({ hasText: cluster.id }).waitFor();
  page.assertNoErrors();
});

test("a volume belongs to the token's subject: the page shows its owner, and another user cannot open it", async () => {
  const server = await authServer();
  const page = await t.page();
  await signIn(page, server.url, token({ secret: SECRET, roles: ['system.user'] }), { who: null });
  await page.getByTestId('signed-in-as').filter({ hasText: 'Signed in as' }).waitFor();
  await createVolume(page, server.url, { name: 'ada-private', size: '1' });
  assert.equal(await page.getByTestId('volume-owner').textContent(), 'ada@example.com');
  assert.equal(await page.getByTestId('volume-acl').textContent(), 'only the owner');
  const volumeUrl = page.url();

  // Another user neither lists it nor opens it: the cluster's refusal is shown.
  await signIn(page, server.url, token({ secret: SECRET, roles: ['system.user'], sub: 'bob@example.com', name: 'Bob' }), { who: null });
  await page.getByTestId('signed-in-as').filter({ hasText: 'Signed in as Bob' }).waitFor();
  await page.goto(`${server.url}/volumes`);
  await page.getByTestId('volumes-empty').waitFor();
  assert.equal(await page.getByRole('link', { name: 'ada-private' }).count(), 0);
  await page.goto(volumeUrl);
  await page.locator('[data-kind=permission-denied]').filter({ hasText: 'Access denied to volume' }).waitFor();
  page.assertNoErrors();
});

test('a guest on the backups page sees tasks and schedules, and why the rest needs a token; nothing stays "Loading"', async () => {
  const server = await authServer();
  const page = await t.page();
  await page.goto(`${server.url}/backups`);
  // Upstream's guest role may read tasks and schedules, not credentials or schedule policies.
  await page.getByTestId('no-tasks').waitFor();
  await page.getByTestId('schedules-empty').waitFor();
  await page.locator('[data-kind=permission-denied]').first().waitFor();
  assert.equal(await page.getByRole('button', { name: 'Start backup' }).isDisabled(), true);
  assert.equal(await page.getByText(/Loading (backups|schedules)/).count(), 0);
  page.assertNoErrors();
});
