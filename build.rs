// The browser's gRPC client stubs for the SDK and the console's own services, over
// console-model's messages (compiled once, shared with the server).
use console_model::codegen::{proto_files, services_only, EXTERN_PATHS};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let fds = protox::compile(proto_files("proto"), ["proto"])?;
    EXTERN_PATHS
        .iter()
        .fold(tonic_prost_build::configure(), |b, (proto, rust)| {
            b.extern_path(*proto, *rust)
        })
        .build_server(false)
        .build_transport(false)
        .compile_fds(services_only(fds))?;
    Ok(())
}
