// Server and client stubs from the same proto the web app uses: the server implements the
// services, the client is what the integration tests (and the gateway) call them with.
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let proto = "../proto/openstorage/api/api.proto";
    println!("cargo:rerun-if-changed={proto}");
    let fds = protox::compile([proto], ["../proto"])?;
    tonic_prost_build::configure().compile_fds(fds)?;
    Ok(())
}
