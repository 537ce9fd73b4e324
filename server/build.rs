// Server and client stubs from the same protos the web app uses: the server implements the
// services, the client is what the integration tests (and the gateway's view) call them with.
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
    tonic_prost_build::configure().compile_fds(fds)?;
    Ok(())
}
