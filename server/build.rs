// Server and client stubs for the SDK and the console's own services, over console-model's
// messages (compiled once, shared with the app): the server implements them, the client is
// what the gateway's view and the integration tests call them with.
use console_model::codegen::{proto_files, services_only, EXTERN_PATHS};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let fds = protox::compile(proto_files("../proto"), ["../proto"])?;
    EXTERN_PATHS
        .iter()
        .fold(tonic_prost_build::configure(), |b, (proto, rust)| {
            b.extern_path(*proto, *rust)
        })
        .compile_fds(services_only(fds))?;
    Ok(())
}
