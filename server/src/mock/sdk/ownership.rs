//! Ownership as the SDK handlers check it: upstream's rules (`access::ownership`), and the
//! same check on a volume the store holds.

use tonic::Status;

pub use crate::access::ownership::*;
use crate::access::Caller;
use crate::mock::store::Store;
use crate::proto::ownership::AccessType;

/// `check` for a volume named by id or name, when it exists (a missing one is the call's own
/// NOT_FOUND, or an idempotent success).
pub fn check_stored(
    store: &Store,
    id_or_name: &str,
    caller: Option<&Caller>,
    need: AccessType,
) -> Result<(), Status> {
    match store.volume(id_or_name) {
        Ok(volume) => check(volume, caller, need),
        Err(_) => Ok(()),
    }
}

/// Upstream's `checkAccessFromDriverForVolumeIds`: with auth on only, the volume must exist
/// ("No volumes found for locator") and the caller may `need` it.
pub fn check_from_driver(
    store: &Store,
    id: &str,
    caller: Option<&Caller>,
    need: AccessType,
) -> Result<(), Status> {
    if caller.is_none() {
        return Ok(());
    }
    let volume = store
        .volume(id)
        .map_err(|_| Status::not_found("No volumes found for locator"))?;
    check(volume, caller, need)
}
