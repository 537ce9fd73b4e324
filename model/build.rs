// The SDK's and the console's messages, compiled once for the app and the server alike (no
// services: each of them generates its own stubs over these types, see their build.rs).
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let protos = [
        "../proto/openstorage/api/api.proto",
        "../proto/openstorage/console/v1/view.proto",
        "../proto/openstorage/console/v1/metrics.proto",
    ];
    for proto in protos {
        println!("cargo:rerun-if-changed={proto}");
    }
    let fds = protox::compile(protos, ["../proto"])?;
    tonic_prost_build::configure()
        .build_client(false)
        .build_server(false)
        .compile_fds(fds)?;
    Ok(())
}
