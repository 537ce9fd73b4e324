// The SDK's and the console's messages, compiled once for the app and the server alike (no
// services: each of them generates its own stubs over these types, see src/codegen.rs).
#[path = "src/codegen.rs"]
#[allow(dead_code)] // the rest is for the app's and the server's build scripts
mod codegen;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let files = codegen::proto_files("../proto");
    let fds = protox::compile(&files, ["../proto"])?;
    tonic_prost_build::configure()
        .build_client(false)
        .build_server(false)
        .compile_fds(fds)?;
    Ok(())
}
