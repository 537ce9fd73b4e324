// Generates the browser's gRPC client stubs from proto/ (no system protoc needed: protox
// parses the files, including google/protobuf well-known types).
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let proto = "proto/openstorage/api/api.proto";
    println!("cargo:rerun-if-changed={proto}");
    let fds = protox::compile([proto], ["proto"])?;
    tonic_prost_build::configure()
        .build_server(false)
        .build_transport(false)
        .compile_fds(fds)?;
    Ok(())
}
