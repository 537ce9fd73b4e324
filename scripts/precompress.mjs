// Trunk post-build hook: in release builds minifies the JS glue (minify-js.mjs); then writes
// brotli (.br, quality 11) and gzip (.gz, level 9) copies of the app's text and wasm files next
// to them, so console-server sends the smallest encoding the browser accepts without
// compressing on every request.
import { readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { minifyJs } from './minify-js.mjs';

const dir = process.env.TRUNK_STAGING_DIR || process.argv[2] || 'dist';
// Release builds only: a debug build's JS stays readable.
if (process.env.TRUNK_PROFILE === 'release') minifyJs(dir);
const COMPRESSIBLE = /\.(wasm|js|css|html|svg|json)$/;

for (const name of readdirSync(dir)) {
  const path = join(dir, name);
  if (!COMPRESSIBLE.test(name) || !statSync(path).isFile()) continue;
  const raw = readFileSync(path);
  writeFileSync(
    `${path}.br`,
    brotliCompressSync(raw, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
      },
    }),
  );
  writeFileSync(`${path}.gz`, gzipSync(raw, { level: 9 }));
}
