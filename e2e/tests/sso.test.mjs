// Single sign-on with the organisation's OpenID provider: a real provider (panva's
// oidc-provider), console-server as the relying party, the built-in mock (or a gateway to a
// console-server behaving like upstream's osd) trusting the provider's ID tokens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes, generateKeyPairSync, createSign, createHmac } from 'node:crypto';
import http from 'node:http';
import { once } from 'node:events';
import { suite } from './fixtures/suite.mjs';
import { sdk } from './fixtures/sdk.mjs';
import { token } from './fixtures/jwt.mjs';
import { audit } from './fixtures/axe.mjs';
import { createVolume, signIn } from './fixtures/actions.mjs';
import {
  CLIENT_SECRET, logInAtProvider, offline, provider, secretFile, signInWithSso, signingKey, ssoArgs,
} from './fixtures/sso.mjs';

// Admin tokens of the mock's shared secret: how the tests ask the cluster what it recorded.
const SECRET = 'e2e-shared-secret';
const t = suite();

/** A console-server with the built-in mock, signing users in with `idp`. */
async function ssoConsole(idp, { extra = [], name } = {}) {
  const server = await t.server({ args: [...ssoArgs(idp, { extra, name }), '--jwt-shared-secret', SECRET] });
  await idp.addClient(server.url, { secret: CLIENT_SECRET });
  return server;
}

function admin(address) {
  return sdk(address, { token: token({ secret: SECRET, groups: ['*'] }) });
}

/** The names of the volumes `owner` owns, as the cluster says. */
async function ownedBy(address, owner) {
  const { volumes } = await admin(address).OpenStorageVolume.InspectWithFilters({});
  return volumes
    .filter((v) => v.volume.spec.ownership?.owner === owner)
    .map((v) => v.name)
    .sort();
}

/** Nothing secret in what console-server printed: no JWT, no client secret. */
function assertQuietLogs(server) {
  const log = server.output.join('');
  assert.doesNotMatch(log, /eyJ[\w-]+\.[\w-]+/, 'a token in the log');
  assert.ok(!log.includes(CLIENT_SECRET), 'the client secret in the log');
}

/** No serious or critical axe violation, in the light and the dark colour scheme. */
async function assertAccessible(page) {
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    assert.deepEqual(await audit(page), [], `accessibility violations (${scheme} scheme)`);
  }
}

async function sessionCookie(page, url) {
  return (await page.context().cookies(url)).find((c) => c.name === 'osc_session');
}

test('sign in at the provider, land back where you started, and act as that user', async () => {
  const idp = await provider();
  const server = await ssoConsole(idp);
  const page = await t.page({ bypassCSP: true });
  await page.goto(`${server.url}/credentials`);
  const denied = page.locator('[data-kind=permission-denied]');
  await denied.waitFor();
  await denied.getByRole('link', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { name: 'Single sign-on' }).waitFor();
  // The token box stays below, the way in when the provider is down.
  await page.getByRole('heading', { name: 'Sign in with an SDK token' }).waitFor();
  await assertAccessible(page);
  await signInWithSso(page, server.url, 'alice');
  await page.waitForURL(`${server.url}/credentials`);
  await page.getByTestId('connection-who').filter({ hasText: 'Signed in as Alice Liddell' }).waitFor();
  assert.equal(await page.getByTestId('connection-roles').textContent(), 'system.user');
  await page.getByTestId('credentials-empty').waitFor();

  await createVolume(page, server.url, { name: 'alice-db', size: 1 });
  assert.deepEqual(await ownedBy(server.address, 'alice'), ['alice-db']);
  // Roles and name on every screen, from the verified claims.
  await page.getByRole('link', { name: 'Volumes', exact: true }).click();
  assert.equal(await page.getByTestId('connection-roles').textContent(), 'system.user');

  // No token where page scripts could read it.
  const readable = await page.evaluate(() => [document.cookie, JSON.stringify(localStorage), JSON.stringify(sessionStorage)]);
  assert.equal(readable[0], '', 'no cookie is readable by scripts');
  assert.doesNotMatch(readable.join(' '), /eyJ/);
  const cookie = await sessionCookie(page, server.url);
  assert.ok(cookie.httpOnly);
  assert.equal(cookie.sameSite, 'Lax');
  assert.doesNotMatch(cookie.value, /eyJ/, 'the session is sealed');

  await page.goto(`${server.url}/settings`);
  await page.getByTestId('sso-user').filter({ hasText: 'Signed in as Alice Liddell (system.user) through Example SSO.' }).waitFor();
  await assertAccessible(page);
  page.assertNoErrors();
  assertQuietLogs(server);
});

test('each user sees their own volumes, and signing out ends the provider\'s session too', async () => {
  const idp = await provider();
  const server = await ssoConsole(idp);
  const bob = await t.page();
  await bob.goto(`${server.url}/settings`);
  await signInWithSso(bob, server.url, 'bob');
  await createVolume(bob, server.url, { name: 'bob-logs', size: 1 });

  const alice = await t.page();
  await alice.goto(`${server.url}/settings?return=%2Fvolumes`);
  await signInWithSso(alice, server.url, 'alice');
  await alice.waitForURL(`${server.url}/volumes`);
  await createVolume(alice, server.url, { name: 'alice-db', size: 1 });
  await alice.goto(`${server.url}/volumes`);
  await alice.getByTestId('volumes-table').getByText('alice-db').waitFor();
  assert.equal(await alice.getByTestId('volumes-table').getByText('bob-logs').count(), 0);
  assert.deepEqual(await ownedBy(server.address, 'bob'), ['bob-logs']);

  await alice.goto(`${server.url}/settings`);
  await alice.getByTestId('sso-user').waitFor();
  await alice.getByRole('button', { name: 'Sign out' }).first().click();
  // The provider asks before ending its own session (RP-initiated logout).
  await alice.getByRole('button', { name: 'Yes, sign me out' }).click();
  await alice.waitForURL(`${server.url}/settings`);
  await alice.getByRole('link', { name: 'Sign in with Example SSO' }).waitFor();
  assert.equal(await alice.getByTestId('connection-who').textContent(), 'Guest (no token)');
  assert.equal(await sessionCookie(alice, server.url), undefined);
  // Signing in again needs the password again: the provider's session ended as well.
  await alice.getByRole('link', { name: 'Sign in with Example SSO' }).click();
  await alice.locator('input[name=login]').waitFor();
  alice.assertNoErrors();
  bob.assertNoErrors();
  assertQuietLogs(server);
});

test('through --upstream to a cluster that trusts the provider, as upstream\'s osd does', async () => {
  const idp = await provider();
  // Behaves like upstream's osd started with --oidc-issuer and --oidc-client-id.
  const cluster = await t.server({
    ui: false,
    args: ['--driver', 'fake', '--oidc-issuer', idp.issuer, '--oidc-client-id', 'console', '--jwt-shared-secret', SECRET],
  });
  const gateway = await t.server({ args: [...ssoArgs(idp), '--upstream', `http://${cluster.address}`] });
  await idp.addClient(gateway.url, { secret: CLIENT_SECRET });
  const page = await t.page();
  await page.goto(`${gateway.url}/settings?return=%2Fvolumes`);
  await signInWithSso(page, gateway.url, 'alice');
  await page.waitForURL(`${gateway.url}/volumes`);
  await createVolume(page, gateway.url, { name: 'through-gateway', size: 1 });
  assert.deepEqual(await ownedBy(cluster.address, 'alice'), ['through-gateway']);
  await page.goto(`${gateway.url}/volumes`);
  await page.getByTestId('volumes-table').getByText('through-gateway').waitFor();
  page.assertNoErrors();
  assertQuietLogs(gateway);

  // A cluster that does not trust the provider refuses the session, in its own words.
  const other = await t.server({ ui: false, args: ['--driver', 'fake', '--jwt-shared-secret', SECRET] });
  const strict = await t.server({ args: [...ssoArgs(idp), '--upstream', `http://${other.address}`] });
  await idp.addClient(strict.url, { secret: CLIENT_SECRET });
  const refused = await t.page();
  await refused.goto(`${strict.url}/settings?return=%2Fvolumes`);
  await signInWithSso(refused, strict.url, 'alice');
  const banner = refused.locator('[data-kind=unauthenticated]').first();
  await banner.waitFor();
  assert.match(await banner.textContent(), new RegExp(`${idp.issuer.replace(/[.:/]/g, '\\$&')} is not a trusted issuer`));
  refused.assertNoErrors();
});

test('replicas given one session key share sessions; another key\'s, or a tampered cookie, is signed out', async () => {
  const idp = await provider();
  const key = secretFile(randomBytes(48).toString('base64'));
  const first = await ssoConsole(idp, { extra: ['--session-key-file', key] });
  const second = await ssoConsole(idp, { extra: ['--session-key-file', key] });
  const foreign = await ssoConsole(idp, { extra: ['--session-key-file', secretFile(randomBytes(48).toString('base64'))] });
  const page = await t.page();
  await page.goto(`${first.url}/settings`);
  await signInWithSso(page, first.url, 'alice');
  await page.getByTestId('connection-who').filter({ hasText: 'Signed in as Alice Liddell' }).waitFor();
  // The browser sends the cookie to every port of 127.0.0.1: the other replica reads it.
  await page.goto(`${second.url}/settings`);
  await page.getByTestId('sso-user').filter({ hasText: 'Alice Liddell' }).waitFor();
  await createVolume(page, second.url, { name: 'on-the-replica', size: 1 });
  assert.deepEqual(await ownedBy(second.address, 'alice'), ['on-the-replica']);

  const cookie = await sessionCookie(page, first.url);
  const tampered = `${cookie.value.slice(0, 20)}${cookie.value[20] === 'A' ? 'B' : 'A'}${cookie.value.slice(21)}`;
  await page.context().addCookies([{ ...cookie, value: tampered }]);
  await page.goto(`${first.url}/settings`);
  await page.getByRole('link', { name: 'Sign in with Example SSO' }).waitFor();
  assert.equal(await page.getByTestId('connection-who').textContent(), 'Guest (no token)');

  await page.context().addCookies([cookie]);
  await page.goto(`${foreign.url}/settings`);
  await page.getByRole('link', { name: 'Sign in with Example SSO' }).waitFor();
  assert.equal(await page.getByTestId('connection-who').textContent(), 'Guest (no token)');
  assert.equal(await sessionCookie(page, foreign.url), undefined, 'a cookie that does not open is removed');
  page.assertNoErrors();
});

test('sign-in faults: the provider down, a cancelled sign-in, forged and replayed answers', async () => {
  // A port nobody listens on.
  const closed = http.createServer().listen(0, '127.0.0.1');
  await once(closed, 'listening');
  const deadIssuer = `http://127.0.0.1:${closed.address().port}`;
  closed.close();
  const down = await t.server({ args: ['--oidc-issuer', deadIssuer, '--oidc-client-id', 'console', '--jwt-shared-secret', SECRET] });
  const page = await t.page({ bypassCSP: true });
  await page.goto(`${down.url}/settings`);
  const unavailable = page.getByTestId('sso-unavailable');
  await unavailable.waitFor();
  assert.match(await unavailable.textContent(), /is unavailable: the OpenID provider .* cannot be reached/);
  await assertAccessible(page);
  // The break-glass way in still works.
  await signIn(page, down.url, token({ secret: SECRET }), { who: 'Signed in as Ada Admin' });
  page.assertNoErrors();

  const idp = await provider();
  const server = await ssoConsole(idp);
  const notice = async (p, text) => {
    const shown = p.getByTestId('sso-notice');
    await shown.waitFor();
    assert.match(await shown.textContent(), text);
  };
  // The provider goes down after start-up: "Sign in with …" says so rather than leaving the
  // user on the browser's error page.
  const gone = await provider();
  const orphan = await ssoConsole(gone);
  const late = await t.page({ allowNetworkErrors: true });
  await late.goto(`${orphan.url}/settings?return=%2Fvolumes`);
  await late.getByRole('link', { name: 'Sign in with Example SSO' }).waitFor();
  await gone.stop();
  await late.getByRole('link', { name: 'Sign in with Example SSO' }).click();
  await late.waitForURL(`${orphan.url}/settings?return=%2Fvolumes`);
  await notice(late, /Sign-in with Example SSO is unavailable: the OpenID provider .* cannot be reached/);
  late.assertNoErrors();

  // Cancelled at the provider.
  const cancel = await t.page({ bypassCSP: true });
  await offline(cancel);
  await cancel.goto(`${server.url}/settings?return=%2Fvolumes`);
  await cancel.getByRole('link', { name: 'Sign in with Example SSO' }).click();
  await cancel.getByRole('link', { name: '[ Cancel ]' }).click();
  await cancel.waitForURL(`${server.url}/settings?return=%2Fvolumes`);
  await notice(cancel, /Sign-in at Example SSO was cancelled or refused \(access_denied: End-User aborted interaction\)/);
  await assertAccessible(cancel);
  cancel.assertNoErrors();

  // An answer whose state is not the sign-in's.
  const forged = await t.page();
  await offline(forged);
  await forged.goto(`${server.url}/auth/login?return=%2Fvolumes`);
  await forged.locator('input[name=login]').waitFor();
  await forged.goto(`${server.url}/auth/callback?code=stolen&state=forged`);
  await notice(forged, /its state differs/);
  assert.equal(await forged.getByTestId('connection-who').textContent(), 'Guest (no token)');
  forged.assertNoErrors();

  // A real answer, replayed: the sign-in it answered is used up.
  const replay = await t.page();
  let callback;
  replay.on('request', (r) => { if (r.url().includes('/auth/callback')) callback = r.url(); });
  await replay.goto(`${server.url}/settings`);
  await signInWithSso(replay, server.url, 'alice');
  await replay.getByTestId('connection-who').filter({ hasText: 'Alice Liddell' }).waitFor();
  const other = await t.page();
  await other.goto(callback);
  await notice(other, /does not match one started in this browser/);
  assert.equal(await other.getByTestId('connection-who').textContent(), 'Guest (no token)');
  await replay.goto(callback);
  await notice(replay, /does not match one started in this browser/);
  replay.assertNoErrors();
  other.assertNoErrors();
  assertQuietLogs(server);
});

test('a session outlives its 30-second ID tokens, and ends when the provider revokes it', async () => {
  const idp = await provider({ idTokenTtl: 30 });
  const server = await ssoConsole(idp);
  const page = await t.page();
  await page.goto(`${server.url}/settings?return=%2Fvolumes`);
  await signInWithSso(page, server.url, 'alice');
  await page.waitForURL(`${server.url}/volumes`);
  const before = await sessionCookie(page, server.url);
  // Two minutes with the tab open: four ID tokens' lives. The page keeps polling the cluster.
  await page.waitForTimeout(120_000);
  assert.equal(await page.locator('[data-kind=unauthenticated]').count(), 0);
  await createVolume(page, server.url, { name: 'after-two-minutes', size: 1 });
  assert.deepEqual(await ownedBy(server.address, 'alice'), ['after-two-minutes']);
  const after = await sessionCookie(page, server.url);
  assert.notEqual(after.value, before.value, 'the session was refreshed');

  // Revoked at the provider while the tab is away; 16 s later the ID token is due for a
  // refresh, which fails when the page comes back (its first question or first call, whichever
  // is first), and the user is back at sign-in with the address they were on kept.
  await page.goto('about:blank');
  assert.ok(idp.revokeUser('alice') > 0);
  await new Promise((resolve) => { setTimeout(resolve, 16_000); });
  await page.goto(`${server.url}/volumes`);
  await page.waitForURL(`${server.url}/settings?return=%2Fvolumes`, { timeout: 45_000 });
  const notice = page.getByTestId('sso-notice');
  await notice.waitFor();
  assert.match(await notice.textContent(), /Your single sign-on session has ended: .*invalid_grant/);
  await page.getByRole('link', { name: 'Sign in with Example SSO' }).waitFor();
  page.assertNoErrors();
  assertQuietLogs(server);
});

test('the provider rotates its signing keys: sign-in and the cluster follow', async () => {
  const before = await provider({ keys: [signingKey('2026-a')] });
  const server = await ssoConsole(before);
  const alice = await t.page();
  await alice.goto(`${server.url}/settings`);
  await signInWithSso(alice, server.url, 'alice');
  await alice.getByTestId('connection-who').filter({ hasText: 'Alice Liddell' }).waitFor();
  // The same issuer, restarted with a new key: console-server knows only the old one.
  await before.stop();
  const after = await provider({ port: Number(new URL(before.issuer).port), keys: [signingKey('2026-b')] });
  assert.equal(after.issuer, before.issuer);
  await after.addClient(server.url, { secret: CLIENT_SECRET });
  const bob = await t.page();
  await bob.goto(`${server.url}/settings`);
  await signInWithSso(bob, server.url, 'bob');
  await bob.getByTestId('connection-who').filter({ hasText: 'Bob Builder' }).waitFor();
  await createVolume(bob, server.url, { name: 'after-rotation', size: 1 });
  assert.deepEqual(await ownedBy(server.address, 'bob'), ['after-rotation']);
  alice.assertNoErrors();
  bob.assertNoErrors();
});

test('roles under a custom claim namespace, and clusters the session does not serve', async () => {
  const idp = await provider({ namespace: 'https://px.example.com/' });
  const server = await t.server({
    args: [...ssoArgs(idp, { extra: ['--oidc-custom-claim-namespace', 'https://px.example.com/', '--oidc-cluster', 'prod'] }),
      '--mock', 'prod', '--mock', 'lab', '--jwt-shared-secret', SECRET],
  });
  await idp.addClient(server.url, { secret: CLIENT_SECRET });
  const page = await t.page();
  await page.goto(`${server.url}/clusters/prod/settings?return=%2Fclusters%2Fprod%2Froles`);
  await signInWithSso(page, server.url, 'admin');
  await page.waitForURL(`${server.url}/clusters/prod/roles`);
  assert.equal(await page.getByTestId('connection-roles').textContent(), 'system.admin');
  // Only an administrator may list roles: the cluster read the namespaced claim too.
  await page.getByTestId('roles-table').waitFor();
  assert.equal(await page.locator('[data-kind=permission-denied]').count(), 0);
  // The other cluster keeps its own token sign-in.
  await page.goto(`${server.url}/clusters/lab/settings`);
  await page.getByText('does not serve this cluster').waitFor();
  assert.equal(await page.getByTestId('connection-who').textContent(), 'Guest (no token)');
  await signIn(page, `${server.url}/clusters/lab`, token({ secret: SECRET, name: 'Lab Admin' }), { who: 'Signed in as Lab Admin' });
  page.assertNoErrors();
});

/**
 * An ID token for `user` issued to the console's client, got as any relying party gets one:
 * the authorization code (with PKCE) caught by a little server of the test's own, registered
 * as one more of the client's redirect URIs, then exchanged at the provider.
 */
async function idTokenFor(page, idp, user) {
  let code;
  const catcher = http.createServer((req, res) => {
    code = new URL(req.url, 'http://x').searchParams.get('code');
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
  catcher.listen(0, '127.0.0.1');
  await once(catcher, 'listening');
  const catcherUrl = `http://127.0.0.1:${catcher.address().port}`;
  try {
    await idp.addClient(catcherUrl, { secret: CLIENT_SECRET });
    const verifier = randomBytes(32).toString('base64url');
    const redirect = `${catcherUrl}/auth/callback`;
    const authorize = new URL(`${idp.issuer}/auth`);
    for (const [k, v] of Object.entries({
      client_id: 'console', response_type: 'code', redirect_uri: redirect, scope: 'openid profile email',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256', nonce: 'n', state: 's',
    })) authorize.searchParams.set(k, v);
    await offline(page);
    await page.goto(authorize.href);
    await logInAtProvider(page, catcherUrl, user);
    const answer = await fetch(`${idp.issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`console:${CLIENT_SECRET}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirect, code_verifier: verifier }),
    });
    const body = await answer.json();
    assert.equal(answer.status, 200, JSON.stringify(body));
    return body.id_token;
  } finally {
    catcher.closeAllConnections();
    catcher.close();
  }
}

const b64 = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

test('SDK clients may use the provider\'s ID tokens; forged ones are refused', async () => {
  const idp = await provider();
  const server = await ssoConsole(idp);
  const page = await t.page();
  const idToken = await idTokenFor(page, idp, 'alice');
  const alice = sdk(server.address, { token: idToken });
  await alice.OpenStorageVolume.Create({ name: 'from-python', spec: { size: String(1 << 30) } });
  assert.deepEqual(await ownedBy(server.address, 'alice'), ['from-python']);

  const [header, payload, signature] = idToken.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  const refused = async (forged, why) => {
    const api = sdk(server.address, { token: forged });
    await assert.rejects(api.OpenStorageVolume.InspectWithFilters({}), (err) => {
      assert.equal(err.code, 7, err.message); // PERMISSION_DENIED, as upstream
      assert.match(err.details, why);
      return true;
    });
  };
  // Another user's name under alice's signature.
  await refused(`${header}.${b64({ ...claims, sub: 'admin', roles: ['system.admin'] })}.${signature}`, /signature does not verify/);
  // No signature at all.
  await refused(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`, /Unable to authenticate token/);
  // Algorithm confusion: HS256 with the client secret, which a provider's keys never are.
  const hsHead = b64({ alg: 'HS256', typ: 'JWT' });
  const hsBody = b64(claims);
  const hs = createHmac('sha256', CLIENT_SECRET).update(`${hsHead}.${hsBody}`).digest('base64url');
  await refused(`${hsHead}.${hsBody}.${hs}`, /signing algorithm is refused \(algorithm `HS256` is not one of: RS256\)/);
  // Signed by a key the provider does not publish.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const rsHead = b64({ alg: 'RS256', typ: 'JWT', kid: 'not-the-providers' });
  const sign = createSign('RSA-SHA256').update(`${rsHead}.${hsBody}`);
  await refused(`${rsHead}.${hsBody}.${sign.sign(privateKey).toString('base64url')}`, /a key the provider does not publish/);
  page.assertNoErrors();
});
