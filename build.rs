// The browser's gRPC client stubs for the SDK and the console's own services. The messages are
// console-model's (compiled once, shared with the server), so only the services are generated
// here: the descriptors lose their messages and enums, and every type resolves to the model.
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let protos = [
        "proto/openstorage/api/api.proto",
        "proto/openstorage/console/v1/view.proto",
        "proto/openstorage/console/v1/metrics.proto",
    ];
    for proto in protos {
        println!("cargo:rerun-if-changed={proto}");
    }
    let mut fds = protox::compile(protos, ["proto"])?;
    for file in &mut fds.file {
        file.message_type.clear();
        file.enum_type.clear();
    }
    tonic_prost_build::configure()
        .build_server(false)
        .build_transport(false)
        .extern_path(".openstorage.api", "::console_model::proto")
        .extern_path(".openstorage.console.v1", "::console_model::proto::console")
        .compile_fds(fds)?;
    Ok(())
}
