// `make run-sso`'s provider: node e2e/idp/main.mjs PORT CONSOLE_URL [SECRET]
// Serves the demo users (alice, bob, admin; any password) until stopped.
import { startProvider, USERS } from './provider.mjs';

const [port = '9101', consoleUrl = 'http://127.0.0.1:9100', secret = 'console-secret'] = process.argv.slice(2);
// IDP_ID_TOKEN_TTL (seconds) makes short-lived ID tokens, to watch sessions refresh.
const idp = await startProvider({ port: Number(port), idTokenTtl: Number(process.env.IDP_ID_TOKEN_TTL ?? 3600) });
await idp.addClient(consoleUrl, { secret });
console.log(`OpenID provider ${idp.issuer} (client "console" for ${consoleUrl}); users: ${Object.keys(USERS).join(', ')} (any password)`);
