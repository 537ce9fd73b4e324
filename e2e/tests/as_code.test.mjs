// "Show as code": each form shows the SDK call it would send, in Python, Go and grpcurl. The
// Python snippet runs, as it is, with upstream's published client against a fresh server and
// sends the request the form sent; the grpcurl JSON decodes with the SDK's descriptor into
// that request too; secrets typed into a form never appear in any snippet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { suite } from './fixtures/suite.mjs';
import { firstNode, sdk } from './fixtures/sdk.mjs';
import { addLabel, deleteVolume, fillVolumeForm, openFromNav } from './fixtures/actions.mjs';

const t = suite();
const GIB = 1024 ** 3;
const HARNESS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'as_code.py');
// The venv with upstream's Python client (scripts/sdk-venv.sh; `make e2e` sets this).
const PYTHON = process.env.SDK_PYTHON;
const SECRETS = {
  OPENSTORAGE_PASSPHRASE: 'passphrase-5f1e-never-shown',
  OPENSTORAGE_AWS_SECRET_KEY: 'secret-key-9b2c-never-shown',
  OPENSTORAGE_ENCRYPTION_KEY: 'encryption-key-77aa-never-shown',
  // A pairing token has the form of one (hex), so a cluster takes it.
  OPENSTORAGE_CLUSTER_TOKEN: '5e'.repeat(64),
};

/** Records the request messages the page sends, by method, decoded from their gRPC-Web frame. */
function sentRequests(page) {
  const sent = {};
  page.on('request', (request) => {
    const method = new URL(request.url()).pathname;
    const body = request.postDataBuffer();
    if (!method.startsWith('/openstorage.api.') || !body) return;
    sent[method] = body.subarray(5, 5 + body.readUInt32BE(1)).toString('hex');
  });
  return sent;
}

/** Opens a form's disclosure and reads a tab's code. */
async function codeOf(page, id, language) {
  const toggle = page.getByTestId(`${id}-code-toggle`);
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await page.locator(`#${id}-code`).getByRole('button', { name: language, exact: true }).click();
  const code = page.getByTestId(`${id}-code`);
  await code.and(page.locator(`[data-language="${language.toLowerCase()}"]`)).waitFor();
  return code.textContent();
}

/** Every tab's code, checked for the secrets typed into the form. */
async function allCode(page, id) {
  const code = {};
  for (const language of ['Python', 'Go', 'grpcurl']) {
    code[language] = await codeOf(page, id, language);
    for (const secret of Object.values(SECRETS)) {
      assert.ok(!code[language].includes(secret), `${language} code of ${id} shows a secret`);
    }
  }
  return code;
}

async function harness(dir, mode, code, args) {
  const file = path.join(dir, `${mode}-${Math.random().toString(16).slice(2)}`);
  await writeFile(file, code);
  const { stdout } = await promisify(execFile)(PYTHON, [HARNESS, mode, file, ...args], {
    env: { ...process.env, ...SECRETS },
  });
  return JSON.parse(stdout);
}

/** Runs the Python snippet against `address` and the grpcurl one with a stand-in grpcurl;
 * both must send the request the form sent. Returns the Python program's output. */
async function runBoth(dir, code, address, formHex, replacements = []) {
  assert.ok(formHex, 'the form sent its request');
  const py = await harness(dir, 'python', code.Python, [address, formHex, ...replacements]);
  assert.ok(!py.output.includes('Failed:'), py.output);
  if (replacements.length === 0) assert.ok(py.same, JSON.stringify(py));
  // The same request, the ids replaced as they were in the snippet to run it on the other server.
  const expected = replacements.reduce((json, pair) => {
    const [old, now] = pair.split('=');
    return json.replaceAll(old, now);
  }, JSON.stringify(py.form));
  assert.deepEqual(py.snippet, JSON.parse(expected));
  const curl = await harness(dir, 'grpcurl', code.grpcurl, [formHex]);
  assert.ok(curl.same, JSON.stringify(curl));
  assert.ok(curl.args.includes('-plaintext'), curl.args.join(' '));
  return py;
}

/** The read a form offers after its call, run as it is against the console it came from. */
async function followUp(page, id) {
  const code = page.getByTestId(`${id}-then-code`);
  await code.waitFor();
  await page.locator(`#${id}-then-code`).getByRole('button', { name: 'Python', exact: true }).click();
  const { stdout } = await promisify(execFile)(PYTHON, ['-c', await code.textContent()]);
  assert.ok(!stdout.includes('Failed:'), stdout);
  return stdout;
}

/** Two servers like upstream's (fake driver, unless `args` says otherwise), their SDK clients,
 * and a folder for snippets. */
async function twoServers(run, args = ['--driver', 'fake']) {
  assert.ok(PYTHON, 'SDK_PYTHON names the venv with upstream\'s Python client (make e2e sets it)');
  const dir = await mkdtemp(path.join(tmpdir(), 'as-code-'));
  try {
    const here = await t.server({ args });
    const fresh = await t.server({ args });
    await run({ dir, here, fresh, api: sdk(here.address), other: sdk(fresh.address) });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const idFrom = (output, field) => output.match(new RegExp(`${field}: "([^"]+)"`))[1];

test('the tutorial in the console, as code: four snippets do on a fresh server what the forms did', async () => twoServers(async ({ dir, here, fresh, api, other }) => {
    const page = await t.page({ permissions: ['clipboard-read', 'clipboard-write'] });
    const sent = sentRequests(page);

    // 1. A 100 GiB HA 3 encrypted volume with a label.
    await page.goto(`${here.url}/volumes/new`);
    await page.getByTestId('volume-create-code-toggle').click();
    await page.getByTestId('volume-create-code-needs').filter({ hasText: 'Enter a name.' }).waitFor();
    await fillVolumeForm(page, { name: 'myvol', size: '10', ha: '3' });
    await addLabel(page, 'app', 'db');
    await page.getByLabel('Encrypted').check();
    await page.getByLabel('Passphrase').fill(SECRETS.OPENSTORAGE_PASSPHRASE);
    let code = await allCode(page, 'volume-create');
    assert.match(code.Python, /size=10\*1024\*1024\*1024,/);
    // The code follows the form as the user types (the grpcurl tab is open).
    await page.getByLabel('Size', { exact: true }).fill('100');
    await page.getByTestId('volume-create-code').filter({ hasText: '"size": 107374182400' }).waitFor();
    code = await allCode(page, 'volume-create');
    assert.match(code.Python, /volume = api_pb2_grpc\.OpenStorageVolumeStub\(channel\)/);
    assert.match(code.Python, /size=100\*1024\*1024\*1024,\n\s+format=api_pb2.FS_TYPE_EXT4,\n\s+ha_level=3,/);
    assert.match(code.Python, /passphrase=os\.environ\['OPENSTORAGE_PASSPHRASE'\]/);
    assert.match(code.Go, /HaLevel: 3,/);
    assert.match(code.grpcurl, /openstorage\.api\.OpenStorageVolume\/Create <<EOF/);
    // Copy puts the tab's text on the clipboard.
    await page.locator('#volume-create-code').getByRole('button', { name: 'Copy' }).click();
    await page.locator('#volume-create-code').getByRole('button', { name: 'Copied' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), code.grpcurl);

    await page.getByRole('button', { name: 'Create volume' }).click();
    await page.getByTestId('volume-name').filter({ hasText: 'myvol' }).waitFor();
    const volumeHere = page.url().split('/').pop();
    let py = await runBoth(dir, code, fresh.address, sent['/openstorage.api.OpenStorageVolume/Create']);
    const volumeThere = idFrom(py.output, 'volume_id');
    const [made, copied] = await Promise.all([
      api.OpenStorageVolume.Inspect({ volume_id: volumeHere }),
      other.OpenStorageVolume.Inspect({ volume_id: volumeThere }),
    ]);
    assert.equal(Number(copied.volume.spec.size), 100 * GIB);
    for (const key of ['size', 'ha_level', 'format', 'encrypted', 'io_profile', 'shared']) {
      assert.deepEqual(copied.volume.spec[key], made.volume.spec[key], key);
    }
    assert.deepEqual(copied.volume.locator.volume_labels, made.volume.locator.volume_labels);
    assert.equal(copied.name, made.name);

    // 2. A snapshot of it, run there with that server's volume id.
    await page.getByLabel('Snapshot name (optional)').fill('myvol-snap');
    code = await allCode(page, 'snapshot');
    // In the narrow action card the code scrolls: the disclosure stays inside its card.
    const card = await page.locator('form.card', { has: page.getByTestId('snapshot-code') }).boundingBox();
    for (const part of [page.getByTestId('snapshot-code'), page.locator('#snapshot-code').getByRole('button', { name: 'Copy' })]) {
      const box = await part.boundingBox();
      assert.ok(box.x + box.width <= card.x + card.width, `${JSON.stringify(box)} inside ${JSON.stringify(card)}`);
    }
    await page.getByRole('button', { name: 'Take snapshot' }).click();
    await page.getByTestId('snapshots-table').getByRole('row', { name: /myvol-snap/ }).waitFor();
    // After it, the read that follows it: Inspect of the new snapshot.
    const [snapshotHere] = (await api.OpenStorageVolume.SnapshotEnumerate({ volume_id: volumeHere })).volume_snapshot_ids;
    assert.match(await followUp(page, 'snapshot'), new RegExp(`id: "${snapshotHere}"`));
    py = await runBoth(dir, code, fresh.address, sent['/openstorage.api.OpenStorageVolume/SnapshotCreate'], [
      `${volumeHere}=${volumeThere}`,
    ]);
    assert.equal(py.snippet.volume_id, volumeThere);
    const snapshotThere = idFrom(py.output, 'snapshot_id');
    assert.equal((await other.OpenStorageVolume.Inspect({ volume_id: snapshotThere })).name, 'myvol-snap');

    // 3. An AWS credential: its secrets come from the environment.
    await openFromNav(page, 'Credentials');
    await page.getByLabel('Name', { exact: true }).fill('aws');
    await page.getByLabel('Bucket (optional)').fill('backups');
    await page.getByLabel('Access key', { exact: true }).fill('AKIA-tutorial');
    await page.getByLabel('Secret key', { exact: true }).fill(SECRETS.OPENSTORAGE_AWS_SECRET_KEY);
    await page.getByLabel('Region', { exact: true }).fill('us-east-1');
    await page.getByLabel('Encryption key (optional)').fill(SECRETS.OPENSTORAGE_ENCRYPTION_KEY);
    code = await allCode(page, 'credential');
    assert.match(code.Python, /aws_credential=api_pb2\.SdkAwsCredentialRequest\(/);
    assert.match(code.Python, /secret_key=os\.environ\['OPENSTORAGE_AWS_SECRET_KEY'\]/);
    await page.getByRole('button', { name: 'Add credential' }).click();
    await page.getByRole('cell', { name: 'aws', exact: true }).waitFor();
    assert.match(await followUp(page, 'credential'), /name: "aws"/);
    // The secrets reached the form's request and the snippet's alike (the two are equal).
    py = await runBoth(dir, code, fresh.address, sent['/openstorage.api.OpenStorageCredentials/Create']);
    assert.equal(py.snippet.aws_credential.secret_key, SECRETS.OPENSTORAGE_AWS_SECRET_KEY);
    const credentialThere = idFrom(py.output, 'credential_id');
    const [{ credential_ids: [credentialHere] }, mine] = await Promise.all([
      api.OpenStorageCredentials.Enumerate({}),
      other.OpenStorageCredentials.Inspect({ credential_id: credentialThere }),
    ]);
    const theirs = await api.OpenStorageCredentials.Inspect({ credential_id: credentialHere });
    for (const key of ['name', 'bucket', 'aws_credential']) {
      assert.deepEqual(mine[key], theirs[key], key);
    }

    // 4. A backup of the volume with that credential.
    await openFromNav(page, 'Backups');
    await page.locator('#backup-volume').selectOption(volumeHere);
    await page.locator('#backup-credential').selectOption(credentialHere);
    await page.getByLabel('Full', { exact: true }).check();
    code = await allCode(page, 'backup-start');
    assert.match(code.Python, /full=True,/);
    await page.getByRole('button', { name: 'Start backup' }).click();
    await page.getByText(/Backup started/).waitFor();
    // The tutorial's Status call, for this backup.
    assert.match(await followUp(page, 'backup-start'), new RegExp(`src_volume_id: "${volumeHere}"`));
    py = await runBoth(dir, code, fresh.address, sent['/openstorage.api.OpenStorageCloudBackup/Create'], [
      `${volumeHere}=${volumeThere}`,
      `${credentialHere}=${credentialThere}`,
    ]);
    const { statuses } = await other.OpenStorageCloudBackup.Status({ volume_id: volumeThere });
    assert.ok(Object.values(statuses).some((s) => s.src_volume_id === volumeThere), 'the backup ran there');

    // And a schedule for it: weekly, nested oneofs and an enum inside.
    await page.locator('#schedule-volume').selectOption(volumeHere);
    await page.locator('#schedule-credential').selectOption(credentialHere);
    await page.getByLabel('Runs').selectOption('week');
    await page.getByLabel('Time (UTC, HH:MM)').fill('02:30');
    await page.getByLabel('Backups to keep').fill('5');
    code = await allCode(page, 'schedule');
    assert.match(code.Go, /PeriodType: &api\.SdkSchedulePolicyInterval_Weekly\{Weekly: &api\.SdkSchedulePolicyIntervalWeekly\{/);
    await page.getByRole('button', { name: 'Create schedule' }).click();
    await page.getByTestId('schedule-row').filter({ hasText: '02:30 UTC' }).waitFor();
    py = await runBoth(dir, code, fresh.address, sent['/openstorage.api.OpenStorageCloudBackup/SchedCreate'], [
      `${volumeHere}=${volumeThere}`,
      `${credentialHere}=${credentialThere}`,
    ]);
    const [{ cloud_sched_list: madeSchedules }, { cloud_sched_list: copiedSchedules }] = await Promise.all([
      api.OpenStorageCloudBackup.SchedEnumerate({}),
      other.OpenStorageCloudBackup.SchedEnumerate({}),
    ]);
    const [madeSchedule] = Object.values(madeSchedules);
    const [copiedSchedule] = Object.values(copiedSchedules);
    assert.deepEqual(copiedSchedule.schedules, madeSchedule.schedules);
    assert.equal(copiedSchedule.max_backups, madeSchedule.max_backups);
    page.assertNoErrors();
}));

test("a volume's changes as code: clone, resize, HA level, labels and delete do on another server what the forms did", async () => twoServers(async ({ dir, here, fresh, api, other }) => {
    const spec = { name: 'data', spec: { size: 10 * GIB, ha_level: 1 } };
    const [{ volume_id: idHere }, { volume_id: idThere }] = await Promise.all([
      api.OpenStorageVolume.Create(spec),
      other.OpenStorageVolume.Create(spec),
    ]);
    const page = await t.page();
    const sent = sentRequests(page);
    /** Runs a form's Python snippet there: it sends the form's request, ids aside. */
    const same = (code, method) => runBoth(dir, code, fresh.address, sent[method], [`${idHere}=${idThere}`]);
    const volumePage = `${here.url}/volumes/${idHere}`;
    await page.goto(volumePage);

    await page.locator('#clone-name').fill('data-clone');
    let code = await allCode(page, 'clone');
    assert.match(code.Python, /volume\.Clone\(api_pb2\.SdkVolumeCloneRequest\(/);
    await page.getByRole('button', { name: 'Clone volume' }).click();
    await page.getByTestId('volume-name').filter({ hasText: 'data-clone' }).waitFor();
    await same(code, '/openstorage.api.OpenStorageVolume/Clone');
    assert.equal((await other.OpenStorageVolume.Inspect({ volume_id: 'data-clone' })).volume.source.parent, idThere);

    await page.goto(volumePage);
    await page.getByLabel('New size').fill('20');
    code = await allCode(page, 'resize');
    assert.match(code.Python, /spec=api_pb2\.VolumeSpecUpdate\(\n\s+size=20\*1024\*1024\*1024,/);
    assert.match(code.Go, /SizeOpt: &api\.VolumeSpecUpdate_Size\{Size: 20 \* 1024 \* 1024 \* 1024\}/);
    await page.getByRole('button', { name: 'Resize volume' }).click();
    await page.getByTestId('volume-size').filter({ hasText: '20 GiB' }).waitFor();
    await same(code, '/openstorage.api.OpenStorageVolume/Update');

    await page.getByLabel('Replicas').selectOption('2');
    code = await allCode(page, 'ha-level');
    await page.getByRole('button', { name: 'Change HA level' }).click();
    await page.getByTestId('volume-ha').filter({ hasText: '2' }).waitFor();
    await same(code, '/openstorage.api.OpenStorageVolume/Update');

    await addLabel(page, 'tier', 'gold');
    code = await allCode(page, 'labels');
    assert.match(code.Python, /labels=\{'tier': 'gold'\}/);
    await page.getByRole('button', { name: 'Save labels' }).click();
    await page.getByTestId('volume-labels').filter({ hasText: 'tier=gold' }).waitFor();
    await same(code, '/openstorage.api.OpenStorageVolume/Update');

    const [made, copied] = await Promise.all([
      api.OpenStorageVolume.Inspect({ volume_id: idHere }),
      other.OpenStorageVolume.Inspect({ volume_id: idThere }),
    ]);
    for (const key of ['size', 'ha_level']) assert.deepEqual(copied.volume.spec[key], made.volume.spec[key], key);
    assert.deepEqual(copied.volume.locator.volume_labels, made.volume.locator.volume_labels);

    code = await allCode(page, 'delete');
    await deleteVolume(page, 'data');
    await page.waitForURL(/\/volumes$/);
    await same(code, '/openstorage.api.OpenStorageVolume/Delete');
    await assert.rejects(other.OpenStorageVolume.Inspect({ volume_id: idThere }), /NOT_FOUND|not found/i);
    page.assertNoErrors();
}));

/** Makes the same things on both servers; the ids each got, as `here=there` replacements. */
async function onBoth(api, other, make) {
  const [a, b] = await Promise.all([make(api), make(other)]);
  return [a, b];
}

test("row actions as code: a snapshot's restore, clone and delete, a backup's restore and delete, a schedule's and a credential's delete", async () => twoServers(async ({ dir, here, fresh, api, other }) => {
  const [[volHere, snapHere], [volThere, snapThere]] = await onBoth(api, other, async (c) => {
    const { volume_id } = await c.OpenStorageVolume.Create({ name: 'data', spec: { size: 10 * GIB, ha_level: 1 } });
    const { snapshot_id } = await c.OpenStorageVolume.SnapshotCreate({ volume_id, name: 'data-snap' });
    return [volume_id, snapshot_id];
  });
  const page = await t.page();
  const sent = sentRequests(page);
  const ids = [`${volHere}=${volThere}`, `${snapHere}=${snapThere}`];
  // Longer ids first: a backup's id holds its volume's.
  const same = (code, method, more = []) => runBoth(dir, code, fresh.address, sent[method], [...more, ...ids]);
  const volumePage = `${here.url}/volumes/${volHere}`;
  await page.goto(volumePage);
  const row = page.getByTestId('snapshots-table').getByRole('row', { name: /data-snap/ });

  // Restore: the confirmation shows the call it makes.
  await row.getByRole('button', { name: 'Restore…' }).click();
  let code = await allCode(page, `snapshot-restore-${snapHere}`);
  assert.match(code.Python, /volume\.SnapshotRestore\(api_pb2\.SdkVolumeSnapshotRestoreRequest\(/);
  await row.getByRole('button', { name: 'Restore volume' }).click();
  await page.getByText('Volume data was restored to snapshot data-snap.').waitFor();
  await same(code, '/openstorage.api.OpenStorageVolume/SnapshotRestore');

  // Clone: the code follows the name typed.
  await row.getByRole('button', { name: 'Clone…' }).click();
  await page.getByTestId(`snapshot-clone-${snapHere}-code-toggle`).click();
  await page.getByTestId(`snapshot-clone-${snapHere}-code-needs`).filter({ hasText: 'Enter a name.' }).waitFor();
  await row.getByLabel('Name of the new volume').fill('snap-clone');
  code = await allCode(page, `snapshot-clone-${snapHere}`);
  assert.match(code.Python, /name='snap-clone',/);
  await row.getByRole('button', { name: 'Clone snapshot' }).click();
  await page.getByTestId('volume-name').filter({ hasText: 'snap-clone' }).waitFor();
  await same(code, '/openstorage.api.OpenStorageVolume/Clone');
  assert.equal((await other.OpenStorageVolume.Inspect({ volume_id: 'snap-clone' })).volume.source.parent, snapThere);

  // The volume page offers the read behind it: Inspect, run as it is.
  code = await allCode(page, 'inspect');
  const { stdout } = await promisify(execFile)(PYTHON, ['-c', code.Python]);
  assert.match(stdout, /name: "snap-clone"/);

  await page.goto(volumePage);
  await row.getByRole('button', { name: 'Delete…' }).click();
  code = await allCode(page, `snapshot-delete-${snapHere}`);
  await row.getByRole('button', { name: 'Delete snapshot' }).click();
  await page.getByText('Snapshot data-snap was deleted.').waitFor();
  await same(code, '/openstorage.api.OpenStorageVolume/Delete');
  await assert.rejects(other.OpenStorageVolume.Inspect({ volume_id: snapThere }), /NOT_FOUND|not found/i);

  // A backup with a credential, on both, then its restore and delete from the catalog.
  const [[credHere, backupHere, schedHere], [credThere, backupThere, schedThere]] = await onBoth(api, other, async (c) => {
    const { credential_id } = await c.OpenStorageCredentials.Create({
      name: 'aws', bucket: 'backups',
      aws_credential: { access_key: 'AKIA-row', secret_key: 'row-secret', endpoint: 's3.amazonaws.com', region: 'us-east-1' },
    });
    const volume_id = (await c.OpenStorageVolume.Inspect({ volume_id: 'data' })).volume.id;
    await c.OpenStorageCloudBackup.Create({ volume_id, credential_id, full: true });
    let backups = [];
    for (let i = 0; i < 50 && backups.length === 0; i += 1) {
      ({ backups } = await c.OpenStorageCloudBackup.EnumerateWithFilters({ credential_id, all: true }));
      if (backups.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    const { backup_schedule_id } = await c.OpenStorageCloudBackup.SchedCreate({
      cloud_sched_info: { src_volume_id: volume_id, credential_id, schedules: [{ daily: { hour: 3, minute: 0 } }], max_backups: 2 },
    });
    return [credential_id, backups[0].id, backup_schedule_id];
  });
  const more = [`${credHere}=${credThere}`, `${backupHere}=${backupThere}`, `${schedHere}=${schedThere}`];
  await openFromNav(page, 'Backups');
  const key = () => `${backupHere}-${credHere}`.replace(/[^A-Za-z0-9-]/g, '-');
  const backup = page.getByTestId('catalog-row').first();
  await backup.getByRole('button', { name: 'Restore…' }).click();
  await backup.getByLabel('Name of the restored volume').fill('data-back');
  code = await allCode(page, `backup-restore-${key()}`);
  assert.match(code.Python, /restore_volume_name='data-back',/);
  await backup.getByRole('button', { name: 'Restore backup' }).click();
  await backup.getByText(/Restoring into/).waitFor();
  // The restore's Status, as the tutorial polls it, run against this console.
  await page.getByTestId(`backup-restore-status-${key()}-code-toggle`).click();
  await page.locator(`#backup-restore-status-${key()}-code`).getByRole('button', { name: 'Python', exact: true }).click();
  const status = await promisify(execFile)(PYTHON, ['-c', await page.getByTestId(`backup-restore-status-${key()}-code`).textContent()]);
  assert.ok(!status.stdout.includes('Failed:'), status.stdout);
  await same(code, '/openstorage.api.OpenStorageCloudBackup/Restore', more);
  assert.ok((await other.OpenStorageVolume.Inspect({ volume_id: 'data-back' })).volume, 'restored there');

  await backup.getByRole('button', { name: 'Delete…' }).click();
  code = await allCode(page, `backup-delete-${key()}`);
  await backup.getByRole('button', { name: 'Delete backup' }).click();
  await page.getByTestId('catalog-empty').waitFor();
  await same(code, '/openstorage.api.OpenStorageCloudBackup/Delete', more);

  // A schedule's delete asks first, and shows its call.
  await page.getByRole('button', { name: 'Delete the schedule of data…' }).click();
  code = await allCode(page, `schedule-delete-${schedHere}`);
  await page.getByRole('button', { name: 'Delete schedule' }).click();
  await page.getByTestId('schedules-empty').waitFor();
  await same(code, '/openstorage.api.OpenStorageCloudBackup/SchedDelete', more);
  assert.deepEqual((await other.OpenStorageCloudBackup.SchedEnumerate({})).cloud_sched_list, {});

  await openFromNav(page, 'Credentials');
  await page.getByRole('button', { name: 'Delete…' }).click();
  code = await allCode(page, `credential-delete-${credHere}`);
  await page.getByRole('button', { name: 'Delete credential' }).click();
  await page.getByTestId('credential-row').waitFor({ state: 'detached' });
  await same(code, '/openstorage.api.OpenStorageCredentials/Delete', more);
  assert.deepEqual((await other.OpenStorageCredentials.Enumerate({})).credential_ids, []);
  page.assertNoErrors();
}));

test("an admin's forms as code: storage policy, role, access, mount, filesystem check, pool resize, diagnostics, cluster pair and migration", async () => twoServers(async ({ dir, here, fresh, api, other }) => {
  const page = await t.page();
  const sent = sentRequests(page);
  const [volHere, volThere] = await onBoth(api, other, async (c) => {
    const { volume_id } = await c.OpenStorageVolume.Create({ name: 'data', spec: { size: 10 * GIB, ha_level: 1 } });
    await c.OpenStorageMountAttach.Attach({ volume_id });
    return volume_id;
  });
  const ids = [`${volHere}=${volThere}`];
  const same = (code, method, more = []) => runBoth(dir, code, fresh.address, sent[method], [...ids, ...more]);

  // A storage policy, then its delete.
  await page.goto(`${here.url}/policies`);
  await page.getByLabel('Name', { exact: true }).fill('gold');
  await page.locator('#policy-ha').fill('4');
  await page.getByTestId('policy-code-toggle').click();
  await page.getByTestId('policy-code-needs').filter({ hasText: /HA level from 1 to 3/ }).waitFor();
  await page.locator('#policy-ha').fill('2');
  await page.locator('#policy-size').fill('10');
  await page.getByLabel('Refuse volumes that differ').check();
  let code = await allCode(page, 'policy');
  assert.match(code.Python, /policy\.Create\(api_pb2\.SdkOpenStoragePolicyCreateRequest\(/);
  await page.getByRole('button', { name: 'Create policy' }).click();
  const policy = page.getByTestId('policy-row').filter({ hasText: 'gold' });
  await policy.waitFor();
  await same(code, '/openstorage.api.OpenStoragePolicy/Create');
  const [madePolicy, copiedPolicy] = await onBoth(api, other, (c) => c.OpenStoragePolicy.Inspect({ name: 'gold' }));
  assert.deepEqual(copiedPolicy.storage_policy.policy, madePolicy.storage_policy.policy);
  await policy.getByRole('button', { name: 'Delete…' }).click();
  code = await allCode(page, 'policy-delete-gold');
  await page.getByRole('button', { name: 'Delete policy' }).click();
  await page.getByTestId('policies-empty').waitFor();
  await same(code, '/openstorage.api.OpenStoragePolicy/Delete');
  assert.deepEqual((await other.OpenStoragePolicy.Enumerate({})).storage_policies, []);

  // A role, then its delete.
  await page.goto(`${here.url}/roles`);
  await page.getByLabel('Name').fill('volume.reader');
  await page.getByLabel('Rules').fill('volume: inspect*, enumerate*\nidentity: *');
  code = await allCode(page, 'role');
  await page.getByRole('button', { name: 'Create role' }).click();
  await page.getByRole('button', { name: 'Delete volume.reader' }).waitFor();
  await same(code, '/openstorage.api.OpenStorageRole/Create');
  const [madeRole, copiedRole] = await onBoth(api, other, (c) => c.OpenStorageRole.Inspect({ name: 'volume.reader' }));
  assert.deepEqual(copiedRole.role, madeRole.role);
  await page.getByRole('button', { name: 'Delete volume.reader' }).click();
  code = await allCode(page, 'role-delete-volume-reader');
  await page.getByRole('button', { name: 'Delete role' }).click();
  await page.getByRole('button', { name: 'Delete volume.reader' }).waitFor({ state: 'detached' });
  await same(code, '/openstorage.api.OpenStorageRole/Delete');

  // On the volume's page: access, a filesystem check, a mount.
  await page.goto(`${here.url}/volumes/${volHere}`);
  await page.getByLabel('Shared with').fill('user ada read\ngroup ops admin');
  code = await allCode(page, 'access');
  await page.getByRole('button', { name: 'Save access' }).click();
  await page.getByText('Access saved.').waitFor();
  await same(code, '/openstorage.api.OpenStorageVolume/Update');
  const [madeVolume, copiedVolume] = await onBoth(api, other, (c) => c.OpenStorageVolume.Inspect({ volume_id: 'data' }));
  assert.deepEqual(copiedVolume.volume.spec.ownership.acls, madeVolume.volume.spec.ownership.acls);

  const check = page.getByTestId('maintenance-check');
  await check.getByLabel('Mode').selectOption({ label: 'Fix what is safe to fix' });
  code = await allCode(page, 'check-start');
  assert.match(code.Python, /mode='fix_safe',/);
  await check.getByRole('button', { name: 'Start filesystem check' }).click();
  await check.getByTestId('maintenance-state').filter({ hasText: /Started|In progress|Completed/ }).waitFor();
  assert.match(await followUp(page, 'check-start'), /fix_safe|status/);
  await same(code, '/openstorage.api.OpenStorageFilesystemCheck/Start');

  // Upstream's published Python package has no checksum service: the Python tab says so, and
  // so does the program when run, instead of failing on a missing stub.
  code = await allCode(page, 'checksum-start');
  assert.match(code.Python, /has no OpenStorageVerifyChecksum/);
  await assert.rejects(promisify(execFile)(PYTHON, ['-c', code.Python]), /has no OpenStorageVerifyChecksum/);
  assert.match(code.grpcurl, /openstorage\.api\.OpenStorageVerifyChecksum\/Start <<EOF/);

  await page.getByLabel('Mount at').fill('/mnt/data');
  code = await allCode(page, 'mount');
  await page.getByTestId('attachment').getByRole('button', { name: 'Mount', exact: true }).click();
  await page.getByTestId('mount-path-row').filter({ hasText: '/mnt/data' }).waitFor();
  await same(code, '/openstorage.api.OpenStorageMountAttach/Mount');
  assert.deepEqual((await other.OpenStorageVolume.Inspect({ volume_id: volThere })).volume.attach_path, ['/mnt/data']);

  // On a node's page: a pool resize and diagnostics.
  const [nodeHere, nodeThere] = await onBoth(api, other, firstNode);
  const nodes = [`${nodeHere.id}=${nodeThere.id}`, `${nodeHere.pools[0].uuid}=${nodeThere.pools[0].uuid}`];
  await page.goto(`${here.url}/nodes/${nodeHere.id}`);
  const resize = page.getByTestId('pool-resize');
  await resize.getByLabel('By a percentage of its size').check();
  await resize.getByLabel('Size in GiB or percentage').fill('50');
  code = await allCode(page, 'pool-resize');
  assert.match(code.Python, /percentage=50,/);
  await resize.getByRole('button', { name: 'Resize pool' }).click();
  await resize.getByText(/Resize of pool 0 started/).waitFor();
  await same(code, '/openstorage.api.OpenStoragePool/Resize', nodes);
  code = await allCode(page, 'diags');
  await page.getByRole('button', { name: 'Collect diagnostics from this node' }).click();
  await page.getByText(/Diagnostics job .* started/).waitFor();
  await same(code, '/openstorage.api.OpenStorageDiags/Collect', nodes);

  // Disaster recovery: a pair (its token from the environment), a migration, the pair's delete.
  await page.goto(`${here.url}/dr`);
  await page.getByLabel("Other cluster's address").fill('10.20.0.5');
  await page.getByLabel('Its pairing token').fill(SECRETS.OPENSTORAGE_CLUSTER_TOKEN);
  code = await allCode(page, 'pair');
  assert.match(code.Python, /remote_cluster_token=os\.environ\['OPENSTORAGE_CLUSTER_TOKEN'\]/);
  await page.getByRole('button', { name: 'Pair clusters' }).click();
  const pair = page.getByTestId('pair-row');
  await pair.waitFor();
  await same(code, '/openstorage.api.OpenStorageClusterPair/Create');
  const [{ result: pairsHere }, { result: pairsThere }] = await onBoth(api, other, (c) => c.OpenStorageClusterPair.Enumerate({}));
  assert.deepEqual(Object.keys(pairsThere.pairs), Object.keys(pairsHere.pairs));

  const migration = page.getByTestId('migration-form');
  await migration.getByLabel('Volume name or id, or group id').fill('data');
  code = await allCode(page, 'migrate');
  assert.match(code.Python, /volume=api_pb2\.SdkCloudMigrateStartRequest\.MigrateVolume\(/);
  await migration.getByRole('button', { name: 'Start migration' }).click();
  await migration.getByText(/Migration .* started/).waitFor();
  assert.match(await followUp(page, 'migrate'), /task_id/);
  await same(code, '/openstorage.api.OpenStorageMigrate/Start');

  const pairId = pairsHere.default_id;
  await pair.getByRole('button', { name: /Delete pair/ }).click();
  code = await allCode(page, `pair-delete-${pairId}`);
  await page.getByRole('button', { name: 'Delete pair', exact: true }).click();
  await page.getByTestId('pairs-empty').waitFor();
  await same(code, '/openstorage.api.OpenStorageClusterPair/Delete');
  assert.deepEqual((await other.OpenStorageClusterPair.Enumerate({})).result.pairs, {});
  page.assertNoErrors();
}, []));
