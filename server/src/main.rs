//! `console-server`: serves OpenStorage Console and the OpenStorage SDK on one port.

use std::process::ExitCode;

use clap::Parser;
use console_server::config::Config;

#[tokio::main]
async fn main() -> ExitCode {
    let config = Config::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(&config.log)),
        )
        .with_writer(std::io::stderr)
        .init();
    match console_server::run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // One line that says what to do; tracing may be filtered away, so print directly.
            eprintln!("console-server: error: {err}");
            ExitCode::FAILURE
        }
    }
}
