"""The OpenStorage SDK tutorial's flow, run with upstream's generated Python client (not ours)
against a console-server. Proves wire compatibility: field numbers, names and behaviour.

Usage: tutorial.py HOST:PORT
"""
import sys
import time

import grpc
from openstorage import api_pb2, api_pb2_grpc


def main(target):
    channel = grpc.insecure_channel(target)

    clusters = api_pb2_grpc.OpenStorageClusterStub(channel)
    ic_resp = clusters.InspectCurrent(api_pb2.SdkClusterInspectCurrentRequest())
    status = api_pb2.Status.Name(ic_resp.cluster.status)
    print('Connected to {0} with status {1}'.format(ic_resp.cluster.id, status))
    assert status == 'STATUS_OK', status

    volumes = api_pb2_grpc.OpenStorageVolumeStub(channel)
    spec = api_pb2.VolumeSpec(size=100 * 1024 * 1024 * 1024, ha_level=3)
    v_resp = volumes.Create(api_pb2.SdkVolumeCreateRequest(name='myvol', spec=spec))
    print('Volume id is {0}'.format(v_resp.volume_id))
    again = volumes.Create(api_pb2.SdkVolumeCreateRequest(name='myvol', spec=spec))
    assert again.volume_id == v_resp.volume_id, 'Create is idempotent on name'
    inspected = volumes.Inspect(api_pb2.SdkVolumeInspectRequest(volume_id=v_resp.volume_id))
    assert inspected.volume.spec.ha_level == 3
    assert inspected.volume.status == api_pb2.VOLUME_STATUS_UP

    # Today's SDK (0.186) requires snapshot and credential names, which the tutorial predates;
    # upstream's server refuses both without one ("Must supply a name"), and so does the mock.
    try:
        volumes.SnapshotCreate(api_pb2.SdkVolumeSnapshotCreateRequest(volume_id=v_resp.volume_id))
        raise AssertionError('SnapshotCreate without a name must fail')
    except grpc.RpcError as e:
        assert e.code() == grpc.StatusCode.INVALID_ARGUMENT and e.details() == 'Must supply a name', e
    snap = volumes.SnapshotCreate(api_pb2.SdkVolumeSnapshotCreateRequest(
        volume_id=v_resp.volume_id, name='myvol-snap'))
    print('Snapshot created with id {0}'.format(snap.snapshot_id))

    creds = api_pb2_grpc.OpenStorageCredentialsStub(channel)
    cred_resp = creds.Create(api_pb2.SdkCredentialCreateRequest(
        name='aws',
        aws_credential=api_pb2.SdkAwsCredentialRequest(
            access_key='dummy', secret_key='dummy', endpoint='dummy', region='dummy')))
    print('Credential id is {0}'.format(cred_resp.credential_id))
    shown = creds.Inspect(api_pb2.SdkCredentialInspectRequest(credential_id=cred_resp.credential_id))
    assert shown.aws_credential.access_key == 'dummy'

    backups = api_pb2_grpc.OpenStorageCloudBackupStub(channel)
    backup_resp = backups.Create(api_pb2.SdkCloudBackupCreateRequest(
        volume_id=v_resp.volume_id, credential_id=cred_resp.credential_id, full=False))
    seen = []
    for _ in range(240):
        status_resp = backups.Status(api_pb2.SdkCloudBackupStatusRequest(volume_id=v_resp.volume_id))
        by_volume = status_resp.statuses[v_resp.volume_id]
        by_task = status_resp.statuses[backup_resp.task_id]
        name = api_pb2.SdkCloudBackupStatusType.Name(by_volume.status)
        assert by_task.status == by_volume.status
        seen.append((name, by_volume.bytes_done))
        print('Status of the backup is {0} ({1} of {2} bytes)'.format(
            name, by_volume.bytes_done, by_volume.bytes_total))
        if name == 'SdkCloudBackupStatusTypeDone':
            break
        time.sleep(0.25)
    assert seen[-1][0] == 'SdkCloudBackupStatusTypeDone', seen
    active = [done for name, done in seen if name == 'SdkCloudBackupStatusTypeActive']
    assert len(active) >= 2 and active[-1] > active[0], 'progress advances: {0}'.format(seen)

    history = backups.History(api_pb2.SdkCloudBackupHistoryRequest(src_volume_id=v_resp.volume_id))
    print('Backup history for volume {0}'.format(v_resp.volume_id))
    for item in history.history_list:
        print('Time:{0} Status:{1}'.format(
            item.timestamp.ToJsonString(), api_pb2.SdkCloudBackupStatusType.Name(item.status)))
    assert [api_pb2.SdkCloudBackupStatusType.Name(i.status) for i in history.history_list] == [
        'SdkCloudBackupStatusTypeDone']

    # Errors are gRPC statuses with the right codes.
    try:
        volumes.Inspect(api_pb2.SdkVolumeInspectRequest(volume_id='no-such-volume'))
        raise AssertionError('Inspect of an unknown volume must fail')
    except grpc.RpcError as e:
        assert e.code() == grpc.StatusCode.NOT_FOUND, e
        print('Failed as expected: code={0} msg={1}'.format(e.code(), e.details()))
    print('SDK tutorial flow: OK')


if __name__ == '__main__':
    main(sys.argv[1])
