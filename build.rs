// The browser's SDK methods: for every rpc of the SDK's and the console's services, a typed
// constant naming its path, request and answer (`methods::open_storage_volume::INSPECT`).
// The app makes every call through one untyped gRPC-Web path (`api::call`), encoding and
// decoding with console-model's messages (compiled once, shared with the server): a client stub
// per service would compile tonic's call machinery once per method into the wasm.
use std::fmt::Write as _;

use console_model::codegen::{proto_files, snake_case, EXTERN_PATHS};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let files = protox::compile(proto_files("proto"), ["proto"])?;
    let mut out = String::new();
    for file in &files.file {
        let package = file.package();
        for service in &file.service {
            writeln!(out, "/// `{package}.{}`", service.name())?;
            writeln!(out, "pub mod {} {{", snake_case(service.name()))?;
            for method in &service.method {
                let (Some(request), Some(answer)) = (
                    rust_type(method.input_type()),
                    rust_type(method.output_type()),
                ) else {
                    continue; // a type the console has no Rust name for: not callable here
                };
                let kind = match (method.client_streaming(), method.server_streaming()) {
                    (false, false) => "Method",
                    (false, true) => "StreamMethod",
                    _ => continue, // client streams: the SDK has none, and gRPC-Web cannot send them
                };
                let path = format!("/{package}.{}/{}", service.name(), method.name());
                writeln!(
                    out,
                    "    pub const {}: super::{kind}<{request}, {answer}> = super::{kind}::new({path:?});",
                    snake_case(method.name()).to_uppercase()
                )?;
            }
            writeln!(out, "}}")?;
        }
    }
    let out_dir = std::path::PathBuf::from(std::env::var("OUT_DIR")?);
    std::fs::write(out_dir.join("methods.rs"), out)?;
    // The messages' names and fields for "Show as code" (src/logic/as_code): the descriptors
    // without comments and source positions, which the generator never reads.
    let mut descriptors = files;
    for file in &mut descriptors.file {
        file.source_code_info = None;
    }
    std::fs::write(
        out_dir.join("descriptors.binpb"),
        prost::Message::encode_to_vec(&descriptors),
    )?;
    Ok(())
}

/// The Rust path of a message named in a proto (`.openstorage.api.SdkVolumeInspectRequest`).
fn rust_type(proto: &str) -> Option<String> {
    if proto == ".google.protobuf.Empty" {
        return Some("()".into());
    }
    EXTERN_PATHS.iter().find_map(|(package, rust)| {
        let name = proto.strip_prefix(package)?.strip_prefix('.')?;
        // Top-level messages only: a nested one would live in a module of its parent.
        (!name.contains('.')).then(|| format!("{rust}::{name}"))
    })
}
