//! How a node's storage reads.

use crate::proto::StorageMedium;

/// A drive's or pool's medium in the words admins use.
pub fn medium(value: i32) -> &'static str {
    match StorageMedium::try_from(value) {
        Ok(StorageMedium::Magnetic) => "HDD",
        Ok(StorageMedium::Ssd) => "SSD",
        Ok(StorageMedium::Nvme) => "NVMe",
        _ => "—",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_read_as_admins_say_them() {
        assert_eq!(medium(StorageMedium::Nvme as i32), "NVMe");
        assert_eq!(medium(StorageMedium::Magnetic as i32), "HDD");
        assert_eq!(medium(99), "—");
    }
}
