//! A real Prometheus (Debian's `prometheus`) for the history tests: on a free loopback port,
//! scraping the given targets every second, its data in a scratch folder (optionally seeded
//! with history by `promtool tsdb create-blocks-from openmetrics`), killed when dropped.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Prometheus {
    child: Option<Child>,
    pub port: u16,
    dir: PathBuf,
    targets: Vec<String>,
    /// The user and password its web config asks for, if any.
    login: Option<(String, String)>,
}

/// A loopback port free now (Prometheus cannot report a port it picked itself).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Prometheus {
    /// A Prometheus on a free port that is not started yet (its URL goes to console-server
    /// first, whose metrics address then goes to `start`).
    pub fn reserve(dir: &Path) -> Prometheus {
        Prometheus {
            child: None,
            port: free_port(),
            dir: dir.to_path_buf(),
            targets: Vec::new(),
            login: None,
        }
    }

    /// Asks for basic auth: `user` with the password whose bcrypt hash is `hash`.
    pub fn require_login(&mut self, user: &str, hash: &str, password: &str) {
        std::fs::write(
            self.dir.join("web.yml"),
            format!("basic_auth_users:\n  {user}: '{hash}'\n"),
        )
        .unwrap();
        self.login = Some((user.into(), password.into()));
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Loads OpenMetrics text (ending in `# EOF`) as history before the start.
    pub fn seed(&self, openmetrics: &str) {
        let input = self.dir.join("seed.om");
        std::fs::write(&input, openmetrics).unwrap();
        let status = Command::new("promtool")
            .args(["tsdb", "create-blocks-from", "openmetrics"])
            .arg(&input)
            .arg(self.dir.join("data"))
            .stdout(Stdio::null())
            .status()
            .expect("promtool runs (make setup installs Debian's prometheus)");
        assert!(status.success(), "promtool could not load the seed");
    }

    /// Starts scraping `targets` (host:port of /metrics) every second; waits until it answers.
    pub async fn start(&mut self, targets: &[&str]) {
        self.targets = targets.iter().map(|t| t.to_string()).collect();
        let config = self.dir.join("prometheus.yml");
        let list = self
            .targets
            .iter()
            .map(|t| format!("'{t}'"))
            .collect::<Vec<_>>()
            .join(", ");
        std::fs::write(
            &config,
            format!(
                "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: console\n    static_configs:\n      - targets: [{list}]\n"
            ),
        )
        .unwrap();
        let log = std::fs::File::create(self.dir.join("prometheus.log")).unwrap();
        let mut command = Command::new("prometheus");
        if self.login.is_some() {
            command.arg(format!(
                "--web.config.file={}",
                self.dir.join("web.yml").display()
            ));
        }
        let child = command
            .arg(format!("--config.file={}", config.display()))
            .arg(format!(
                "--storage.tsdb.path={}",
                self.dir.join("data").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{}", self.port))
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("prometheus runs (make setup installs Debian's prometheus)");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(30);
        let ready = format!("{}/-/ready", self.url());
        loop {
            assert!(Instant::now() < deadline, "prometheus did not get ready");
            let mut request = reqwest::Client::new().get(&ready);
            if let Some((user, password)) = &self.login {
                request = request.basic_auth(user, Some(password));
            }
            if let Ok(answer) = request.send().await {
                if answer.status().is_success() {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Stops it (its data stays for a restart).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts it again on the same port with the same targets and data.
    pub async fn restart(&mut self) {
        self.stop();
        let targets = self.targets.clone();
        let targets: Vec<&str> = targets.iter().map(String::as_str).collect();
        self.start(&targets).await;
    }

    /// An instant query's answer (JSON).
    pub async fn query(&self, promql: &str) -> serde_json::Value {
        let url = format!("{}/api/v1/query", self.url());
        let mut request = reqwest::Client::new().get(url).query(&[("query", promql)]);
        if let Some((user, password)) = &self.login {
            request = request.basic_auth(user, Some(password));
        }
        let answer = request.send().await.unwrap();
        answer.json().await.unwrap()
    }
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        self.stop();
    }
}
