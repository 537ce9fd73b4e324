// Trunk post-build hook: writes brotli (.br, quality 11) and gzip (.gz, level 9) copies of the
// app's text and wasm files next to them, so console-server sends the smallest encoding the
// browser accepts without compressing on every request. Node's zlib only: nothing to install.
import { readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const dir = process.env.TRUNK_STAGING_DIR || process.argv[2] || 'dist';
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
