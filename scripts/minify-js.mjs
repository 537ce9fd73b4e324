// Minifies the app's JS glue (wasm-bindgen's output, which trunk's own minifier cannot parse)
// in trunk's staging folder, and updates the file's integrity hash in index.html to match.
// Called by precompress.mjs before the compressed copies are written.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const esbuild = createRequire(new URL('./wasm-opt/package.json', import.meta.url))('esbuild');

const integrity = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

export function minifyJs(dir) {
  const htmlPath = join(dir, 'index.html');
  let html = readFileSync(htmlPath, 'utf8');
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.js'))) {
    const path = join(dir, name);
    const source = readFileSync(path);
    const { code } = esbuild.transformSync(source.toString('utf8'), { minify: true, format: 'esm', target: 'es2020' });
    const before = integrity(source);
    if (html.includes(before)) html = html.replace(before, integrity(Buffer.from(code)));
    writeFileSync(path, code);
  }
  writeFileSync(htmlPath, html);
}
