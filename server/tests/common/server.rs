//! Starting and stopping the real console-server binary: each test's own process, listening on
//! port 0 (or a given address) and killed when dropped, and a scratch folder per test.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const BINARY: &str = env!("CARGO_BIN_EXE_console-server");

/// A running console-server, killed when dropped (pass or fail).
pub struct TestServer {
    child: Child,
    pub addr: SocketAddr,
    /// `/metrics`' URL, with --metrics-listen.
    pub metrics: Option<String>,
}

impl TestServer {
    pub fn start(args: &[&str]) -> TestServer {
        Self::start_in(args, Path::new(env!("CARGO_MANIFEST_DIR")))
    }

    /// Starts on a given address (to restart a server where clients expect it).
    pub fn start_on(addr: SocketAddr, args: &[&str]) -> TestServer {
        Self::spawn(
            &addr.to_string(),
            args,
            Path::new(env!("CARGO_MANIFEST_DIR")),
        )
    }

    /// Starts with `dir` as the working directory (it decides the default `dist/`).
    pub fn start_in(args: &[&str], dir: &Path) -> TestServer {
        Self::spawn("127.0.0.1:0", args, dir)
    }

    /// Starts logging everything (RUST_LOG=trace) into `log`, to check what it writes.
    pub fn start_logging(args: &[&str], log: &Path) -> TestServer {
        let file = std::fs::File::create(log).expect("a log file");
        let mut command = Command::new(BINARY);
        command.env("RUST_LOG", "trace").stderr(file);
        Self::spawn_with(
            command,
            "127.0.0.1:0",
            args,
            Path::new(env!("CARGO_MANIFEST_DIR")),
        )
    }

    fn spawn(listen: &str, args: &[&str], dir: &Path) -> TestServer {
        let mut command = Command::new(BINARY);
        command.stderr(Stdio::inherit());
        Self::spawn_with(command, listen, args, dir)
    }

    fn spawn_with(mut command: Command, listen: &str, args: &[&str], dir: &Path) -> TestServer {
        let mut child = command
            .args(["--listen", listen, "--log", "error"])
            .args(args)
            .current_dir(dir)
            .stdout(Stdio::piped())
            .spawn()
            .expect("console-server starts");
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut metrics = None;
        let addr = loop {
            assert!(
                Instant::now() < deadline,
                "console-server did not print its address"
            );
            let line = lines
                .next()
                .expect("console-server exited before listening")
                .unwrap();
            if let Some(url) = line.split("metrics on ").nth(1) {
                metrics = Some(url.trim().to_string());
            }
            if let Some(url) = line.split("listening on ").nth(1) {
                let addr = url.trim().split("://").nth(1).expect("a URL");
                break addr.parse().expect("an address");
            }
        };
        TestServer {
            child,
            addr,
            metrics,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn wait_exit(&mut self, timeout: Duration) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A console-server forwarding to `upstream`, with more flags.
pub fn gateway_to(upstream: &TestServer, extra: &[&str]) -> TestServer {
    let url = upstream.url();
    let mut args = vec!["--upstream", url.as_str()];
    args.extend_from_slice(extra);
    TestServer::start(&args)
}

/// An empty folder of this test's own (tests run in parallel, in one process per test binary).
pub fn scratch_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "console-server-{name}-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A file holding `text` with permissions `mode` (secret files must be owner-only).
pub fn file_with_mode(dir: &Path, name: &str, text: &str, mode: u32) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(name);
    std::fs::write(&path, format!("{text}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    path
}
