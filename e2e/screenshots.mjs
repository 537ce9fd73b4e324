// The README's pictures, taken from a real run: a fresh console-server with the built-in mock
// (a volume made, snapshotted and attached through the SDK, as the tutorial does; a short
// sampling interval so the charts have points), opened in headless Chromium. Not a test, but it
// fails on any page or console error, so a picture is never of a broken page.
// `make screenshots` runs it; OUT names the folder (docs/images).
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { startServer } from './tests/fixtures/server.mjs';
import { launchBrowser, openPage } from './tests/fixtures/browser.mjs';
import { sdk } from './tests/fixtures/sdk.mjs';

const OUT = process.env.OUT || path.resolve('../docs/images');
const GIB = 1024 ** 3;
const SETTLE_MS = 12000;

const server = await startServer({ args: ['--sample-interval', '2s', '--seed-volumes', '40'] });
const browser = await launchBrowser();
try {
  const api = sdk(server.address);
  const made = await api.OpenStorageVolume.Create({
    name: 'orders-db',
    spec: { size: String(100 * GIB), ha_level: 3, format: 'FS_TYPE_EXT4' },
  });
  await api.OpenStorageVolume.SnapshotCreate({ volume_id: made.volume_id, name: 'orders-db-nightly' });
  await api.OpenStorageMountAttach.Attach({ volume_id: made.volume_id });
  // Let the sampler read the attached volumes a few times, so the charts have lines.
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

  await mkdir(OUT, { recursive: true });
  const page = await openPage(browser);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(server.url);
  await page.getByTestId('cluster-id').waitFor();
  // The charts drawn: no chart of the cluster still loading or waiting for its first samples.
  const charts = page.getByTestId('cluster-performance');
  await charts.locator('svg').first().waitFor();
  await page.waitForFunction(() => {
    const section = document.querySelector('[data-testid=cluster-performance]');
    return section && !section.querySelector('[data-testid=chart-waiting], .chart__note[role=status]');
  });
  await page.screenshot({ path: path.join(OUT, 'overview.png') });

  await page.goto(`${server.url}/volumes/${made.volume_id}`);
  await page.getByRole('heading', { name: 'orders-db', level: 1 }).waitFor();
  await page.getByText('orders-db-nightly').first().waitFor();
  await page.screenshot({ path: path.join(OUT, 'volume.png') });
  page.assertNoErrors();
  console.log(`screenshots in ${OUT}: overview.png, volume.png`);
} finally {
  await browser.close();
  await server.kill();
}
