// The app's size budget: the bytes a browser fetches (the brotli copies the build wrote) for a
// first visit to the console, for a first visit straight to each screen whose code loads on
// demand, and for each piece of code a screen loads when it is first used (a `#[lazy]`
// function: "Show as code"'s generator), against the numbers in scripts/app-budget. Part of
// `make test`; fails when any grew past its number.
//
// The first visit is index.html, the CSS, the main module's JS and wasm, and the loader of the
// screens' modules (`__wasm_split.js`). A screen's first visit adds its module and the chunks
// it shares with other screens, as listed in the loader.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const dist = process.argv[2] || 'dist';
const budgetFile = new URL('./app-budget', import.meta.url);
const [firstBudget, screenBudget, lazyBudget] = readFileSync(budgetFile, 'utf8')
  .split('\n')
  .filter((line) => line.trim() && !line.startsWith('#'))
  .map((line) => Number(line.trim()));

const fail = (message) => {
  console.error(`budget: ${message}`);
  process.exit(1);
};
const sent = (path) => {
  if (!existsSync(`${path}.br`)) fail(`${path}.br is missing; build the app first (make app)`);
  return statSync(`${path}.br`).size;
};

const folders = readdirSync(dist).filter((name) => /^app-[0-9a-f]+$/.test(name));
if (folders.length !== 1) fail(`expected one app-<hash> folder in ${dist}, found ${folders.length}; run make app`);
const app = join(dist, folders[0]);
const shell = readdirSync(dist).filter((name) => /\.(css|html)$/.test(name));
const first = [...shell.map((name) => join(dist, name)), ...['app.js', 'app_bg.wasm', '__wasm_split.js'].map((name) => join(app, name))];

const row = (name, bytes, of = '') => console.log(`${name.padEnd(44)} ${String(bytes).padStart(10)}${of}`);
console.log(`${'first visit (brotli, as sent)'.padEnd(44)} ${'bytes'.padStart(10)}`);
let firstTotal = 0;
for (const path of first) {
  const bytes = sent(path);
  firstTotal += bytes;
  row(path.slice(dist.length + 1), bytes);
}
row('total', firstTotal, ` of ${firstBudget}`);

// Each screen's files, as the build read them from the loader (scripts/build-wasm.mjs).
const screens = JSON.parse(readFileSync(join(app, 'screens.json'), 'utf8'));
if (Object.keys(screens).length === 0) fail(`no on-demand screens in ${app}/screens.json`);

// Screens are `#[lazy_route]`s (`…_route`); the rest are `#[lazy]` functions.
const entries = Object.entries(screens);
const isScreen = ([name]) => name.endsWith('_route');
const ownBytes = (files) => files.reduce((sum, f) => sum + sent(join(app, f)), 0);

console.log(`\n${'first visit straight to a screen'.padEnd(44)} ${'bytes'.padStart(10)}  (module + shared chunks)`);
let heaviest = 0;
for (const [name, files] of entries.filter(isScreen)) {
  const own = ownBytes(files);
  heaviest = Math.max(heaviest, firstTotal + own);
  row(`${name} (${files.length} files, +${own})`, firstTotal + own);
}
row('heaviest', heaviest, ` of ${screenBudget}`);

console.log(`\n${'code loaded when first used'.padEnd(44)} ${'bytes'.padStart(10)}  (module + shared chunks)`);
let heaviestLazy = 0;
for (const [name, files] of entries.filter((entry) => !isScreen(entry))) {
  const own = ownBytes(files);
  heaviestLazy = Math.max(heaviestLazy, own);
  row(`${name} (${files.length} files)`, own);
}
row('heaviest', heaviestLazy, ` of ${lazyBudget}`);

if (firstTotal > firstBudget || heaviest > screenBudget || heaviestLazy > lazyBudget) {
  fail(`the app is ${firstTotal} B on a first visit (budget ${firstBudget}), ${heaviest} B on the heaviest
first visit to a screen (budget ${screenBudget}) and ${heaviestLazy} B for the heaviest code loaded when
first used (budget ${lazyBudget}), brotli (scripts/app-budget).
Every screen pays for itself: find what grew (see docs/measurements.md for how). If the
growth is deliberate, record the before and after figures in docs/measurements.md and
raise the number in scripts/app-budget in the same commit.`);
}
