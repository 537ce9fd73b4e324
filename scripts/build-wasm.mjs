// Trunk post-build hook: builds the app's wasm, split per screen, into trunk's staging folder,
// adds its loader to index.html, then writes the compressed copies (precompress.mjs).
//
// Trunk's own Rust pipeline runs cargo, wasm-bindgen and wasm-opt in one step and cannot split
// (trunk-rs/trunk#1022), so this hook does it in the order splitting needs:
//   1. cargo builds the wasm with its relocations kept (`--emit-relocs`, .cargo/config.toml);
//   2. wasm-split-cli (wasm_split_cli_support) cuts each `#[lazy_route]` screen, and the code
//      only screens share, out of it: a main module, chunks, and `__wasm_split.js` that loads them;
//   3. wasm-bindgen makes the main module's JS (keeping the exports the chunks link against);
//   4. release builds: wasm-opt on every module, esbuild on the JS.
// Every file of one build goes in one folder named by a hash of its contents (`app-<hash>/`),
// the files naming each other relatively: console-server caches the whole folder for good. (Trunk
// empties dist/ on each build, so a page opened before an upgrade cannot fetch its old chunks:
// it ends on the crash screen, and reloading opens the new build.)
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { precompress } from './precompress.mjs';

const root = resolve(new URL('..', import.meta.url).pathname);
const stage = process.env.TRUNK_STAGING_DIR || process.argv[2];
if (!stage) throw new Error('build-wasm: run by trunk (TRUNK_STAGING_DIR), or give the output folder');
const release = process.env.TRUNK_PROFILE !== 'debug';
const profile = release ? 'wasm-release' : 'dev';
const bin = 'openstorage-console';
// Where the page names the build's files (trunk's --public-url, "/" by default).
const publicUrl = (process.env.TRUNK_PUBLIC_URL || '/').replace(/\/?$/, '/');
// The wasm-opt installed by setup.sh (npm's binaryen): another one on PATH would change the bytes.
const wasmOptBin = join(root, 'scripts', 'wasm-opt', 'node_modules', '.bin', 'wasm-opt');
const WASM_OPT_VERSION = 'wasm-opt version 132';

const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

// 1. The wasm, with relocations (the split tool needs them to move code between modules). Its
// path as cargo reports it, wherever the target folder is.
let messages;
try {
  messages = execFileSync(
    'cargo',
    ['build', '--target', 'wasm32-unknown-unknown', '--profile', profile, '--bin', bin, '--message-format=json-render-diagnostics'],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 256 * 1024 * 1024 },
  ).toString('utf8');
} catch {
  // cargo has printed why; its JSON messages would only bury that.
  console.error('build-wasm: cargo build failed');
  process.exit(1);
}
const input = messages
  .split('\n')
  .filter((line) => line.startsWith('{'))
  .map((line) => JSON.parse(line))
  .filter((m) => m.reason === 'compiler-artifact' && m.target?.name === bin)
  .flatMap((m) => m.filenames)
  .find((f) => f.endsWith('.wasm'));
if (!input) throw new Error(`build-wasm: cargo reported no ${bin}.wasm`);
const work = join(dirname(dirname(dirname(input))), 'wasm-split', profile);

// 2. Split. The main module is named app.wasm, and the loader imports it as ./app.js.
rmSync(work, { recursive: true, force: true });
const split = join(work, 'split');
const out = join(work, 'app');
mkdirSync(out, { recursive: true });
run('wasm-split-cli', [input, split, '--target', 'web', '--out-name', 'app']);

// 3. wasm-bindgen on the main module only; the chunks are plain wasm the loader instantiates.
run('wasm-bindgen', [
  '--target', 'web', '--keep-lld-exports', '--no-demangle', '--no-typescript',
  '--out-dir', out, '--out-name', 'app', join(split, 'app.wasm'),
]);
renameSync(join(split, '__wasm_split.js'), join(out, '__wasm_split.js'));
const modules = ['app_bg.wasm'];
for (const name of readdirSync(split).filter((n) => n.endsWith('.wasm') && n !== 'app.wasm')) {
  renameSync(join(split, name), join(out, name));
  modules.push(name);
}

// What each screen fetches, read from the loader while it is readable, for the size budget
// (scripts/budget.mjs): `const __chunk_N = makeLoad(() => { ... new URL("./chunk_N.wasm" ...`, and
// per screen `export const __wasm_split_load_<screen>_<hash> = ... new URL("./<file>" ...) ...
// , [<chunks>]));`. Read one export at a time, and checked against the files written.
const link = readFileSync(join(out, '__wasm_split.js'), 'utf8');
const chunkFile = new Map([...link.matchAll(/const (__chunk_\d+) = makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("\.\/([\w.]+)"/g)].map((m) => [m[1], m[2]]));
const screens = {};
for (const part of link.split(/^export const /m).slice(1)) {
  const m = part.match(/^__wasm_split_load_(\w+?)_\d+ = [^\n]*\n\s*const src = fetch\(new URL\("\.\/([\w.]+)"[\s\S]*?\n, \[([\w\s,]*)\]\)\);\s*$/);
  if (!m) throw new Error(`build-wasm: cannot read the loader's export ${part.slice(0, 80)}`);
  const [, name, file, deps] = m;
  const chunks = deps.split(',').map((d) => d.trim()).filter(Boolean);
  if (chunks.some((d) => !chunkFile.has(d))) throw new Error(`build-wasm: a chunk of ${name} is not in the loader`);
  screens[name.replace(/^_+|_view$/g, '')] = [file, ...chunks.map((d) => chunkFile.get(d))];
}
const listed = new Set(Object.values(screens).flat());
const unlisted = modules.filter((name) => name !== 'app_bg.wasm' && !listed.has(name));
if (Object.keys(screens).length === 0 || unlisted.length > 0) {
  throw new Error(`build-wasm: the loader does not account for every module (${Object.keys(screens).length} screens; not listed: ${unlisted})`);
}
writeFileSync(join(out, 'screens.json'), JSON.stringify(screens));

// 4. Release: wasm-opt each module (-O1 --converge: smaller than -Oz once compressed), two at a
// time, and minify the JS (wasm-bindgen's output, and the loader).
if (release) {
  const version = execFileSync(wasmOptBin, ['--version']).toString().trim();
  if (!version.startsWith(WASM_OPT_VERSION)) throw new Error(`build-wasm: ${wasmOptBin} is ${version}, not ${WASM_OPT_VERSION}; run make setup`);
  const wasmOpt = promisify(execFile);
  const queue = [...modules];
  const worker = async () => {
    for (let name; (name = queue.shift()); ) {
      const path = join(out, name);
      await wasmOpt(wasmOptBin, ['-O1', '--converge', '--strip-debug', '--strip-producers', path, '-o', path]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(2, availableParallelism()) }, worker));
  const esbuild = createRequire(new URL('./wasm-opt/package.json', import.meta.url))('esbuild');
  for (const name of ['app.js', '__wasm_split.js']) {
    const path = join(out, name);
    const { code } = esbuild.transformSync(readFileSync(path, 'utf8'), { minify: true, format: 'esm', target: 'es2020' });
    writeFileSync(path, code);
  }
}

// The build's folder, named by its contents.
const hash = createHash('sha256');
for (const name of readdirSync(out).sort()) hash.update(name).update(readFileSync(join(out, name)));
const folder = `app-${hash.digest('hex').slice(0, 16)}`;
renameSync(out, join(stage, folder));

// The loader: the main module's JS, the screens' loader it imports and the wasm are fetched at
// once; the screens' modules on demand.
const base = `${publicUrl}${folder}`;
const loader =
  `<link rel=modulepreload href=${base}/app.js>` +
  `<link rel=modulepreload href=${base}/__wasm_split.js>` +
  `<link rel=preload href=${base}/app_bg.wasm as=fetch type=application/wasm crossorigin>` +
  `<script type=module>import init from '${base}/app.js';await init({module_or_path:'${base}/app_bg.wasm'})</script>`;
const htmlPath = join(stage, 'index.html');
// Trunk leaves its skipped rust link (index.html says why it is there) in the page.
const html = readFileSync(htmlPath, 'utf8').replace(/<link [^>]*data-trunk-skip[^>]*>/, '');
if (!html.includes('</head>')) throw new Error('build-wasm: index.html has no </head>');
writeFileSync(htmlPath, html.replace('</head>', `${loader}</head>`));

// Compressed copies for console-server (release: trunk serve, for development, sends files as
// they are).
if (release) {
  precompress(stage);
  if (!existsSync(join(stage, folder, 'app_bg.wasm.br'))) throw new Error('build-wasm: no compressed copies');
}
