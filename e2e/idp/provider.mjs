// A real OpenID provider for the tests and for `make run-sso`: panva's oidc-provider (OpenID
// Certified) with its development login and consent pages, three demo users and one client per
// console. It keeps everything in memory, in a store the tests can reach to revoke a user's
// grants (as an administrator would at a real provider). Loopback only.
import http from 'node:http';
import { once } from 'node:events';
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

/** A new RSA signing key as a private JWK with key id `kid`, for `startProvider({ keys })`. */
export function signingKey(kid) {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' };
}

/** The demo users: log in with the name (any password). */
export const USERS = {
  alice: { name: 'Alice Liddell', email: 'alice@example.com', roles: ['system.user'], groups: ['eng'] },
  bob: { name: 'Bob Builder', email: 'bob@example.com', roles: ['system.user'], groups: ['ops'] },
  admin: { name: 'Ada Admin', email: 'admin@example.com', roles: ['system.admin'], groups: ['*'] },
};

/** Everything the provider stores, by model and id: grants, sessions, tokens, clients. */
class Store {
  constructor() {
    this.items = new Map();
  }

  adapter() {
    const store = this;
    return class {
      constructor(model) {
        this.model = model;
      }

      key(id) {
        return `${this.model}:${id}`;
      }

      async upsert(id, payload, expiresIn) {
        const expires = expiresIn ? Date.now() + expiresIn * 1000 : Infinity;
        store.items.set(this.key(id), { payload, expires });
        if (payload.grantId) store.items.set(`grant-of:${this.key(id)}`, { payload: payload.grantId, expires });
        if (payload.uid) store.items.set(`uid:${this.model}:${payload.uid}`, { payload: id, expires });
        if (payload.userCode) store.items.set(`userCode:${this.model}:${payload.userCode}`, { payload: id, expires });
      }

      async find(id) {
        const item = store.items.get(this.key(id));
        if (!item || item.expires < Date.now()) return undefined;
        return item.payload;
      }

      async findByUid(uid) {
        const id = store.items.get(`uid:${this.model}:${uid}`)?.payload;
        return id ? this.find(id) : undefined;
      }

      async findByUserCode(code) {
        const id = store.items.get(`userCode:${this.model}:${code}`)?.payload;
        return id ? this.find(id) : undefined;
      }

      async consume(id) {
        const item = store.items.get(this.key(id));
        if (item) item.payload.consumed = Math.floor(Date.now() / 1000);
      }

      async destroy(id) {
        store.items.delete(this.key(id));
      }

      async revokeByGrantId(grantId) {
        for (const [key, item] of store.items) {
          if (item.payload?.grantId === grantId) store.items.delete(key);
        }
      }
    };
  }

  /** Removes every grant and refresh token of `accountId`: its sessions can no longer refresh. */
  revokeUser(accountId) {
    let removed = 0;
    for (const [key, item] of [...this.items]) {
      const p = item.payload;
      if (p && typeof p === 'object' && p.accountId === accountId
          && /^(Grant|RefreshToken|AccessToken):/.test(key)) {
        this.items.delete(key);
        removed += 1;
      }
    }
    return removed;
  }
}

/**
 * Starts the provider on 127.0.0.1:`port` (0: a free one). `idTokenTtl` is the ID tokens' life
 * in seconds; `namespace` puts roles and groups under that custom claim namespace; `keys` are
 * its signing keys (private JWKs; default: oidc-provider's development key).
 * Returns { issuer, addClient(url, secret), revokeUser(name), stop() }.
 */
export async function startProvider({ port = 0, idTokenTtl = 3600, namespace = null, keys } = {}) {
  const server = http.createServer();
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const store = new Store();
  const custom = (claim) => (namespace ? `${namespace}${claim}` : claim);
  const provider = new Provider(issuer, {
    adapter: store.adapter(),
    claims: {
      openid: ['sub'],
      profile: ['name', custom('roles'), custom('groups')],
      email: ['email', 'email_verified'],
    },
    // The clusters read name, email and roles from the ID token itself.
    conformIdTokenClaims: false,
    cookies: { keys: ['openstorage-console-test-provider'] },
    ...(keys ? { jwks: { keys } } : {}),
    features: {
      devInteractions: { enabled: true },
      revocation: { enabled: true },
      rpInitiatedLogout: { enabled: true },
    },
    pkce: { required: () => true },
    // Refresh tokens for every sign-in of a client allowed them, as Keycloak and Azure AD
    // issue them (oidc-provider's default wants offline_access with prompt=consent each time).
    async issueRefreshToken(_ctx, client) {
      return client.grantTypeAllowed('refresh_token');
    },
    ttl: {
      IdToken: idTokenTtl,
      AccessToken: idTokenTtl,
      RefreshToken: 24 * 3600,
      Grant: 24 * 3600,
      Session: 24 * 3600,
      Interaction: 600,
      AuthorizationCode: 60,
    },
    async findAccount(_ctx, id) {
      const user = USERS[id];
      if (!user) return undefined;
      return {
        accountId: id,
        async claims() {
          return {
            sub: id,
            name: user.name,
            email: user.email,
            email_verified: true,
            [custom('roles')]: user.roles,
            [custom('groups')]: user.groups,
          };
        },
      };
    },
  });
  // The development pages warn loudly on every start; the tests need no reminder.
  provider.on('server_error', (_ctx, err) => console.error('oidc-provider:', err));
  const answer = provider.callback();
  server.on('request', (req, res) => {
    // Browsers ask every site for an icon; a 404 would be a console error in the tests.
    if (req.url === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    answer(req, res);
  });
  const Client = store.adapter();
  const clients = new Client('Client');
  // Every console registered so far, per client: replicas and a gateway share one client.
  const consoles = new Map();
  return {
    issuer,
    provider,
    /**
     * Registers the console at `consoleUrl` with client `id` (its callback and sign-in screen),
     * beside the consoles registered before.
     */
    async addClient(consoleUrl, { id = 'console', secret = 'console-secret' } = {}) {
      const urls = [...(consoles.get(id) ?? []), consoleUrl];
      consoles.set(id, urls);
      await clients.upsert(id, {
        client_id: id,
        client_secret: secret,
        redirect_uris: urls.map((url) => `${url}/auth/callback`),
        post_logout_redirect_uris: urls.map((url) => `${url}/settings`),
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      });
    },
    revokeUser: (name) => store.revokeUser(name),
    async stop() {
      if (!server.listening) return;
      server.closeAllConnections();
      server.close();
      await once(server, 'close').catch(() => {});
    },
  };
}
