//! Limits the SDK's servers enforce, which forms check before a call.

/// A volume name's longest length in bytes (upstream refuses longer ones).
pub const MAX_NAME: usize = 255;
