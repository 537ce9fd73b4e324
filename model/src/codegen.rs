//! What the app's and the server's build scripts share: the proto files, where each package's
//! messages live in Rust, and how the server generates only services over this crate's messages.

use prost_types::FileDescriptorSet;

/// Every proto file, relative to the `proto/` folder.
pub const PROTOS: [&str; 4] = [
    "openstorage/api/api.proto",
    "openstorage/console/v1/view.proto",
    "openstorage/console/v1/metrics.proto",
    "openstorage/console/v1/fleet.proto",
];

/// Where each package's messages live in Rust (for `extern_path`).
pub const EXTERN_PATHS: [(&str, &str); 2] = [
    (".openstorage.api", "::console_model::proto"),
    (".openstorage.console.v1", "::console_model::proto::console"),
];

/// The proto files under `proto_dir`, each announced to cargo so a change rebuilds.
pub fn proto_files(proto_dir: &str) -> Vec<String> {
    PROTOS
        .iter()
        .map(|p| {
            let path = format!("{proto_dir}/{p}");
            println!("cargo:rerun-if-changed={path}");
            path
        })
        .collect()
}

/// Keeps only the services of compiled protos: their messages and enums are this crate's, so
/// a crate that generates stubs from what is left (with `EXTERN_PATHS`) defines no type twice.
pub fn services_only(mut files: FileDescriptorSet) -> FileDescriptorSet {
    for file in &mut files.file {
        file.message_type.clear();
        file.enum_type.clear();
    }
    files
}

/// A proto name in snake case: `OpenStorageVolume` → `open_storage_volume`,
/// `InspectWithFilters` → `inspect_with_filters` (the methods' modules and constants, and the
/// stub variables of "Show as code"'s Python).
pub fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}
