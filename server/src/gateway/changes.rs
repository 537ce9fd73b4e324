//! The SDK calls that change a volume, and where the volume's id is in them. The gateway tells
//! the view of each one that succeeds, so a user's own change is on every list at once and
//! the view never waits for a watch event a real cluster may not send.

use bytes::Bytes;

/// Where a changing call names its volume.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    /// In the request (the volume exists before the call).
    Request,
    /// In the answer (the call made a new volume).
    Response,
}

/// The changing calls. Every one of these messages carries the volume's id as field 1 (a
/// test checks it against the generated types), so one small decoder reads them all.
const CHANGING: [(&str, Named); 11] = [
    ("/openstorage.api.OpenStorageVolume/Create", Named::Response),
    ("/openstorage.api.OpenStorageVolume/Clone", Named::Response),
    (
        "/openstorage.api.OpenStorageVolume/SnapshotCreate",
        Named::Response,
    ),
    (
        "/openstorage.api.OpenStorageCloudBackup/Restore",
        Named::Response,
    ),
    ("/openstorage.api.OpenStorageVolume/Delete", Named::Request),
    ("/openstorage.api.OpenStorageVolume/Update", Named::Request),
    (
        "/openstorage.api.OpenStorageVolume/SnapshotRestore",
        Named::Request,
    ),
    (
        "/openstorage.api.OpenStorageMountAttach/Attach",
        Named::Request,
    ),
    (
        "/openstorage.api.OpenStorageMountAttach/Detach",
        Named::Request,
    ),
    (
        "/openstorage.api.OpenStorageMountAttach/Mount",
        Named::Request,
    ),
    (
        "/openstorage.api.OpenStorageMountAttach/Unmount",
        Named::Request,
    ),
];

/// Whether the call at `path` changes a volume, and where it names it.
pub fn changing(path: &str) -> Option<Named> {
    CHANGING
        .iter()
        .find(|(method, _)| *method == path)
        .map(|(_, named)| *named)
}

/// Field 1 of any of the messages above.
#[derive(Clone, PartialEq, prost::Message)]
struct FirstField {
    #[prost(string, tag = "1")]
    id: String,
}

/// The volume id in one gRPC message as framed on the wire (flag, length, message); None for
/// a compressed or malformed frame, or an empty id.
pub fn volume_id(framed: &Bytes) -> Option<String> {
    let (&compressed, rest) = framed.split_first()?;
    if compressed != 0 || rest.len() < 4 {
        return None;
    }
    let length = u32::from_be_bytes(rest[..4].try_into().ok()?) as usize;
    let message = rest.get(4..4 + length)?;
    let id = <FirstField as prost::Message>::decode(message).ok()?.id;
    (!id.is_empty()).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::*;
    use prost::Message;

    fn framed(message: &impl Message) -> Bytes {
        let body = message.encode_to_vec();
        let mut out = vec![0];
        out.extend((body.len() as u32).to_be_bytes());
        out.extend(body);
        out.into()
    }

    #[test]
    fn every_changing_message_names_its_volume_in_field_1() {
        let id = || "vol-1".to_string();
        let messages = [
            framed(&SdkVolumeCreateResponse { volume_id: id() }),
            framed(&SdkVolumeCloneResponse { volume_id: id() }),
            framed(&SdkVolumeSnapshotCreateResponse { snapshot_id: id() }),
            framed(&SdkCloudBackupRestoreResponse {
                restore_volume_id: id(),
                task_id: "task".into(),
            }),
            framed(&SdkVolumeDeleteRequest { volume_id: id() }),
            framed(&SdkVolumeUpdateRequest {
                volume_id: id(),
                labels: [("a".to_string(), "b".to_string())].into(),
                ..Default::default()
            }),
            framed(&SdkVolumeSnapshotRestoreRequest {
                volume_id: id(),
                snapshot_id: "snap".into(),
            }),
            framed(&SdkVolumeAttachRequest {
                volume_id: id(),
                ..Default::default()
            }),
            framed(&SdkVolumeDetachRequest {
                volume_id: id(),
                ..Default::default()
            }),
            framed(&SdkVolumeMountRequest {
                volume_id: id(),
                mount_path: "/mnt".into(),
                ..Default::default()
            }),
            framed(&SdkVolumeUnmountRequest {
                volume_id: id(),
                mount_path: "/mnt".into(),
                ..Default::default()
            }),
        ];
        assert_eq!(messages.len(), CHANGING.len());
        for message in &messages {
            assert_eq!(volume_id(message).as_deref(), Some("vol-1"));
        }
        assert_eq!(
            changing("/openstorage.api.OpenStorageVolume/Delete"),
            Some(Named::Request)
        );
        assert_eq!(changing("/openstorage.api.OpenStorageVolume/Inspect"), None);
        // Compressed, cut short or without an id: nothing to look at.
        let mut compressed = messages[0].to_vec();
        compressed[0] = 1;
        assert_eq!(volume_id(&compressed.into()), None);
        assert_eq!(volume_id(&messages[0].slice(..7)), None);
        assert_eq!(volume_id(&framed(&SdkVolumeDeleteRequest::default())), None);
    }
}
