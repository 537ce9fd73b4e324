// What real clusters do differently below the SDK layer, on both of the mock's drivers: the
// realistic one (read-only snapshots, deletes that refuse to orphan snapshots) and one that
// behaves like upstream's fake driver (writable snapshots listed with clones, deletes that keep
// the snapshots). The console must show what the data says and claim nothing the cluster did not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite } from './fixtures/suite.mjs';
import { awsCredential, backupDone, sdk } from './fixtures/sdk.mjs';
import { deleteVolume, restoreBackup } from './fixtures/actions.mjs';

const GIB = 1024 ** 3;
const t = suite();

async function backUp(api, volumeId, credentialId) {
  const { task_id } = await api.OpenStorageCloudBackup.Create({ volume_id: volumeId, credential_id: credentialId });
  return backupDone(api, task_id, { tries: 200, every: 50 });
}

for (const driver of ['realistic', 'fake']) {
  test(`with two credentials every backup is listed, restored and deleted with its own (${driver} driver)`, async () => {
    const server = await t.server({ args: ['--driver', driver, '--backup-rate', '100GiB'] });
    const api = sdk(server.address);
    const { volume_id: a } = await api.OpenStorageVolume.Create({ name: 'alpha', spec: { size: 2 * GIB, ha_level: 1 } });
    const { volume_id: b } = await api.OpenStorageVolume.Create({ name: 'beta', spec: { size: 2 * GIB, ha_level: 1 } });
    const { credential_id: east } = await api.OpenStorageCredentials.Create(awsCredential('east', { bucket: 'bucket-east' }));
    const { credential_id: west } = await api.OpenStorageCredentials.Create(awsCredential('west', { bucket: 'bucket-west' }));
    await backUp(api, a, east);
    const inWest = await backUp(api, b, west);
    // A listing without a credential is refused by the SDK with two credentials configured.
    await assert.rejects(api.OpenStorageCloudBackup.EnumerateWithFilters({}), /More than one credential configured/);

    const page = await t.page();
    await page.goto(`${server.url}/backups`);
    const rows = page.getByTestId('catalog-row');
    await rows.filter({ hasText: 'alpha' }).waitFor();
    await rows.filter({ hasText: 'beta' }).waitFor();
    assert.equal(await rows.count(), 2, 'both credentials were listed, each backup once');
    assert.equal(await page.getByText('Loading backups…').count(), 0);

    // Restore the backup stored through the second credential.
    const beta = rows.filter({ hasText: 'beta' });
    await restoreBackup(page, beta, 'beta-restored');
    await page.locator('[data-testid=task-row][data-state=Done]').filter({ hasText: 'Restore' }).waitFor();
    const restored = await api.OpenStorageVolume.Inspect({ volume_id: 'beta-restored' });
    assert.equal(restored.volume.spec.size, String(2 * GIB));

    // Delete it: the call carries the credential it was listed with.
    await beta.getByRole('button', { name: 'Delete…' }).click();
    await beta.getByRole('button', { name: 'Delete backup' }).click();
    await rows.filter({ hasText: 'beta' }).waitFor({ state: 'detached' });
    const left = (await api.OpenStorageCloudBackup.EnumerateWithFilters({ credential_id: west })).backups;
    assert.deepEqual(left.map((x) => x.id).filter((id) => id === inWest.backup_id), []);
    assert.equal((await api.OpenStorageCloudBackup.EnumerateWithFilters({ credential_id: east })).backups.length, 1);
    page.assertNoErrors();
  });

  test(`snapshots and clones are shown as the data says, and deleting a volume with snapshots tells the truth (${driver} driver)`, async () => {
    const server = await t.server({ args: ['--driver', driver] });
    const api = sdk(server.address);
    const { volume_id: id } = await api.OpenStorageVolume.Create({ name: 'data', spec: { size: 10 * GIB, ha_level: 1 } });
    const { snapshot_id: snap } = await api.OpenStorageVolume.SnapshotCreate({ volume_id: id, name: 'data-snap' });
    await api.OpenStorageVolume.Clone({ name: 'data-clone', parent_id: id });
    const snapshot = (await api.OpenStorageVolume.Inspect({ volume_id: snap })).volume;

    const page = await t.page({ allowNetworkErrors: false });
    await page.goto(`${server.url}/volumes`);
    const clone = page.getByRole('row', { name: /data-clone/ });
    await clone.waitFor();
    assert.equal(await clone.getByTestId('volume-parent').textContent(), 'data');
    // Read-only snapshots live on their volume's page; writable ones are listed with a parent.
    const snapRow = page.getByRole('row', { name: /data-snap/ });
    assert.equal(await snapRow.count(), snapshot.readonly ? 0 : 1);

    await page.goto(`${server.url}/volumes/${id}`);
    const listed = (await api.OpenStorageVolume.SnapshotEnumerate({ volume_id: id })).volume_snapshot_ids;
    const kinds = page.getByTestId('snapshot-kind');
    await kinds.first().waitFor();
    assert.equal(await kinds.count(), listed.length, 'the page lists what SnapshotEnumerate returns');
    assert.equal(
      await page.getByTestId('snapshots-table').getByRole('row', { name: /data-snap/ }).getByTestId('snapshot-kind').textContent(),
      snapshot.readonly ? 'Snapshot (read-only)' : 'Writable (clone or snapshot)',
    );

    // Deleting warns that snapshots exist without claiming what the cluster will do.
    await page.getByTestId('delete-has-snapshots').filter({ hasText: `has ${listed.length} snapshot` }).waitFor();
    await deleteVolume(page, 'data');
    if (driver === 'realistic') {
      // Refused, with the cluster's reason; the volume stays.
      await page.getByRole('alert').filter({ hasText: /snapshot/ }).waitFor();
      assert.equal((await api.OpenStorageVolume.Inspect({ volume_id: id })).volume.id, id);
    } else {
      // Deleted; its snapshot stays and says its parent is gone.
      await page.waitForURL(/\/volumes$/);
      await assert.rejects(api.OpenStorageVolume.Inspect({ volume_id: id }), /not found/);
      const orphan = page.getByRole('row', { name: /data-snap/ });
      await orphan.getByTestId('volume-parent').filter({ hasText: /^deleted \(/ }).waitFor();
    }
    page.assertNoErrors();
  });
}
