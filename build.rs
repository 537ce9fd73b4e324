// Generates the browser's gRPC client stubs from proto/ (no system protoc needed: protox
// parses the files, including google/protobuf well-known types): the SDK, and the console's
// own view service beside it.
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let protos = [
        "proto/openstorage/api/api.proto",
        "proto/openstorage/console/v1/view.proto",
        "proto/openstorage/console/v1/metrics.proto",
    ];
    for proto in protos {
        println!("cargo:rerun-if-changed={proto}");
    }
    let fds = protox::compile(protos, ["proto"])?;
    tonic_prost_build::configure()
        .build_server(false)
        .build_transport(false)
        .compile_fds(fds)?;
    Ok(())
}
