//! Command-line flags. Every flag is documented in docs/operator-guide.md (a test below fails
//! when the two differ).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

#[derive(Debug, Clone, Parser)]
#[command(
    name = "console-server",
    version,
    about = "Serves OpenStorage Console and the OpenStorage SDK (gRPC and gRPC-Web) on one port, \
             answered by a built-in mock cluster"
)]
pub struct Config {
    /// Address to serve the console, native gRPC (h2c) and gRPC-Web on. Port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:9100", value_name = "ADDR")]
    pub listen: SocketAddr,

    /// Folder with the built console (trunk's output). Default: `dist/` when it exists; without
    /// it only the SDK is served.
    #[arg(long, value_name = "DIR")]
    pub ui: Option<PathBuf>,

    /// Forward the SDK to this real OpenStorage/Portworx SDK server (gRPC, e.g.
    /// http://10.0.0.5:9100 or https://px.example.com:9020) instead of the built-in mock.
    /// Repeatable as NAME=URL to serve several clusters: the first is the one SDK clients reach
    /// without naming a cluster (metadata `x-openstorage-cluster: NAME` names one).
    #[arg(long, value_name = "[NAME=]URL", value_parser = parse_named)]
    pub upstream: Vec<Named>,

    /// Serve a built-in mock cluster named NAME too (repeatable), after the --upstream clusters;
    /// without --upstream the first is the default cluster. For demos and tests.
    #[arg(long = "mock", value_name = "NAME", value_parser = parse_cluster_name)]
    pub mocks: Vec<String>,

    /// PEM file with the CA that signed an https:// upstream's certificate (in addition to the
    /// system's roots). With several upstreams, NAME=FILE for each that needs one.
    #[arg(long, value_name = "[NAME=]FILE", value_parser = parse_named, requires = "upstream")]
    pub upstream_ca: Vec<Named>,

    /// UNSAFE: do not verify an https:// upstream's certificate at all. For tests and
    /// throw-away clusters only: anyone on the path can impersonate the upstream.
    #[arg(long, requires = "upstream")]
    pub upstream_insecure_skip_verify: bool,

    /// A file holding the token console-server reads the --upstream cluster with (its shared
    /// view, performance history and alarm count): a token the cluster issued to an admin or
    /// to a role that may list volumes, read stats and alerts, and inspect roles. Re-read when
    /// the file changes; refused when other users may read it. With it, signed-in users get
    /// the shared view too, each seeing what the cluster would show them. With several
    /// upstreams, NAME=FILE for each (clusters have different issuers).
    #[arg(long, value_name = "[NAME=]FILE", value_parser = parse_named, requires = "upstream")]
    pub upstream_token_file: Vec<Named>,

    /// How long the cluster's answer about a browser's token (accepted or refused, and its
    /// roles' rights) is trusted before asking again; never past the token's expiry.
    #[arg(long, default_value = "30s", value_name = "DURATION", value_parser = parse_interval, requires = "upstream")]
    pub token_recheck: std::time::Duration,

    /// How often the console's shared view lists every volume of the --upstream cluster
    /// (e.g. 30s, 2m). Every browser reads this one view.
    #[arg(long, default_value = "30s", value_name = "DURATION", value_parser = parse_interval, requires = "upstream")]
    pub view_refresh: std::time::Duration,

    /// How often, between full listings, the view asks the --upstream cluster for its volume
    /// ids only (Enumerate), to find volumes made or deleted elsewhere (pxctl, CSI, scripts).
    /// Changes made through this console are seen at once, without waiting for either.
    #[arg(long, default_value = "5s", value_name = "DURATION", value_parser = parse_interval, requires = "upstream")]
    pub view_check: std::time::Duration,

    /// Do not serve the console's view service: answer only the SDK, as a plain gRPC-Web
    /// proxy would (the console then lists volumes with SDK calls), and make no calls of its
    /// own to an --upstream.
    #[arg(long)]
    pub no_view: bool,

    /// Start the built-in mock with this many volumes (names, sizes, labels, states and nodes
    /// varied), for demos and benchmarks.
    #[arg(
        long,
        default_value_t = 0,
        value_name = "N",
        conflicts_with = "upstream"
    )]
    pub seed_volumes: usize,

    /// What the mock's attached volumes do: `daily` (reads and writes following a daily
    /// pattern with noise; pools fill as they write) or `idle` (every I/O counter stays zero).
    #[arg(
        long,
        value_enum,
        default_value = "daily",
        value_name = "PATTERN",
        conflicts_with = "upstream"
    )]
    pub mock_io: crate::mock::io::IoPattern,

    /// Take one of the mock's nodes offline (by number from 1, id or hostname): it reports
    /// status offline and raises an alarm. For demos and tests.
    #[arg(long, value_name = "NODE", conflicts_with = "upstream")]
    pub fail_node: Option<String>,

    /// Make the mock answer every call of this SDK service as clusters without it do (UNKNOWN
    /// "Not Supported"; for alerts UNAVAILABLE "Resource has not been initialized", as
    /// upstream's own osd) and leave it out of Identity.Capabilities. Repeatable. For tests and
    /// demos of what the console shows on such clusters.
    #[arg(long, value_enum, value_name = "SERVICE", conflicts_with = "upstream")]
    pub not_supported: Vec<crate::mock::NotSupported>,

    /// How often console-server samples the cluster for its performance history (nodes,
    /// cluster totals and the volumes being looked at); it keeps the last hour.
    #[arg(long, default_value = "10s", value_name = "DURATION", value_parser = parse_interval)]
    pub sample_interval: std::time::Duration,

    /// Name the built-in mock cluster reports.
    #[arg(long, default_value = "openstorage-mock", value_name = "NAME")]
    pub cluster_name: String,

    /// The mock's storage driver: `realistic` (read-only snapshots, backups with progress,
    /// guarded deletes) or `fake` (behaves like upstream's fake driver). The SDK rules above
    /// the driver are the same for both.
    #[arg(long, value_enum, default_value = "realistic", value_name = "DRIVER")]
    pub driver: crate::mock::Driver,

    /// Speed of the mock's backups and restores, per second (e.g. 500MiB, 2.5GiB). At the
    /// default a 100 GiB volume (25 GiB written) backs up in about 10 s.
    #[arg(long, default_value = "2.5GiB", value_name = "SIZE", value_parser = parse_rate)]
    pub backup_rate: f64,

    /// Make the mock's backups of volumes labelled KEY=VALUE (or started with that label)
    /// fail part way, with a reason in the task's `info`. Repeatable. For tests and demos.
    #[arg(long, value_name = "KEY=VALUE", value_parser = parse_label)]
    pub fail_backups_matching: Vec<(String, String)>,

    /// Turn SDK auth on: tokens must be HS256 JWTs signed with this secret. Without it every
    /// call is allowed.
    #[arg(
        long,
        value_name = "SECRET",
        env = "CONSOLE_JWT_SHARED_SECRET",
        hide_env_values = true
    )]
    pub jwt_shared_secret: Option<String>,

    /// Issuer (`iss` claim) tokens must carry when auth is on.
    #[arg(long, default_value = crate::access::DEFAULT_ISSUER, value_name = "ISSUER")]
    pub jwt_issuer: String,

    /// Single sign-on: the OpenID provider (issuer URL) users sign in with. console-server
    /// signs them in (authorization code with PKCE) and keeps their tokens in a sealed cookie;
    /// the built-in mock trusts this issuer's ID tokens as upstream's `--oidc-issuer` does.
    #[arg(long, value_name = "URL", requires = "oidc_client_id")]
    pub oidc_issuer: Option<String>,

    /// The client id console-server signs users in as; the clusters must trust ID tokens
    /// issued to it (upstream's `--oidc-client-id`).
    #[arg(long, value_name = "ID", requires = "oidc_issuer")]
    pub oidc_client_id: Option<String>,

    /// A file holding the client's secret (only its owner may read it; re-read when it
    /// changes). Without it console-server is a public client (PKCE only).
    #[arg(long, value_name = "FILE", requires = "oidc_issuer")]
    pub oidc_client_secret_file: Option<PathBuf>,

    /// PEM file with the certificate authority that signed an https:// issuer's certificate
    /// (in addition to the usual roots).
    #[arg(long, value_name = "FILE", requires = "oidc_issuer")]
    pub oidc_ca: Option<PathBuf>,

    /// The scopes asked for at sign-in; `offline_access` gets a refresh token, so sessions
    /// outlive one ID token.
    #[arg(
        long,
        default_value = "openid profile email offline_access",
        value_name = "SCOPES"
    )]
    pub oidc_scopes: String,

    /// Where the provider puts custom claims (roles, groups), e.g. https://example.com/
    /// (upstream's `--oidc-custom-claim-namespace`).
    #[arg(long, value_name = "NAMESPACE")]
    pub oidc_custom_claim_namespace: Option<String>,

    /// Which claim names a user of the built-in mock: `sub`, `email` or `name` (upstream's
    /// `--username-claim`).
    #[arg(long, value_enum, default_value = "sub", value_name = "CLAIM")]
    pub oidc_username_claim: crate::oidc::UsernameClaim,

    /// The provider's name on the sign-in button ("Sign in with NAME"). Default: the issuer's
    /// host.
    #[arg(long, value_name = "NAME", requires = "oidc_issuer")]
    pub oidc_name: Option<String>,

    /// A cluster whose calls the single sign-on session is sent to (repeatable); the others
    /// keep their own token sign-in. Default: every cluster.
    #[arg(long = "oidc-cluster", value_name = "NAME", value_parser = parse_cluster_name, requires = "oidc_issuer")]
    pub oidc_clusters: Vec<String>,

    /// The address users reach the console at, when it sits behind an ingress or a proxy
    /// (e.g. https://console.example.com): the sign-in's redirect URI is
    /// {public-url}/auth/callback. Default: the address of the request.
    #[arg(long, value_name = "URL", value_parser = parse_origin)]
    pub public_url: Option<String>,

    /// A file holding the key sessions are sealed with (at least 32 bytes, only its owner may
    /// read it). Replicas given the same file share sessions. Without it a new key is made at
    /// start-up and a restart signs everyone out.
    #[arg(long, value_name = "FILE", requires = "oidc_issuer")]
    pub session_key_file: Option<PathBuf>,

    /// Serve HTTPS (and gRPC over TLS) with this PEM certificate chain; needs --tls-key.
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,

    /// PEM private key for --tls-cert.
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,

    /// Delay every SDK call by this many milliseconds, to see and test slow clusters. Calls
    /// whose deadline (grpc-timeout) runs out first get DEADLINE_EXCEEDED.
    #[arg(long, default_value_t = 0, value_name = "MS")]
    pub latency: u64,

    /// Also accept browser calls from pages of this origin (scheme://host[:port]), e.g. a
    /// console served by `trunk serve` at http://127.0.0.1:8080. Repeatable. By default only
    /// the console this server serves may call it from a browser.
    #[arg(long = "allow-origin", value_name = "ORIGIN", value_parser = parse_origin)]
    pub allow_origins: Vec<String>,

    /// Also answer requests that name this host (a DNS name of the machine, e.g.
    /// console.example.com). Repeatable. IP addresses are always answered, and the localhost
    /// names when listening on loopback; other names are refused, against DNS rebinding.
    #[arg(long = "allowed-host", value_name = "NAME")]
    pub allowed_hosts: Vec<String>,

    /// One line per SDK call (time, peer, method, gRPC code, duration, the token's subject):
    /// `off`, `stderr` (tracing target `access`) or a file to append to. Default: `stderr`
    /// with --upstream, `off` otherwise.
    #[arg(long, value_name = "off|stderr|FILE")]
    pub access_log: Option<String>,

    /// Largest SDK request body accepted (e.g. 4MiB); larger ones are refused with
    /// RESOURCE_EXHAUSTED before reaching the cluster.
    #[arg(long, default_value = "4MiB", value_name = "SIZE", value_parser = parse_size)]
    pub max_request_size: usize,

    /// Close a connection that has not sent a whole request header this long after it
    /// opened or after its last request (HTTP/1.1; slow or idle clients). Open streams and
    /// long calls are not affected.
    #[arg(long, default_value = "10s", value_name = "DURATION", value_parser = parse_interval)]
    pub header_timeout: std::time::Duration,

    /// Most connections served at once; more are closed as they arrive. Raised file-descriptor
    /// limits permitting (console-server raises its own soft limit to the hard one).
    #[arg(long, default_value_t = 4096, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,

    /// Serve `/metrics` (Prometheus' text format: SDK calls, latencies, each cluster's
    /// reachability, view and sampler, and each cluster's figures under Portworx's metric
    /// names) on this address, apart from the console's port. Off by default; keep it on a
    /// private address.
    #[arg(long, value_name = "ADDR")]
    pub metrics_listen: Option<SocketAddr>,

    /// Keep and read the performance history in this Prometheus (its HTTP API, e.g.
    /// http://127.0.0.1:9090), which scrapes --metrics-listen or the cluster's own Portworx
    /// exporters: charts then go back 7 days, survive restarts, agree across replicas, and
    /// capacity gets a forecast. A bare URL serves every cluster; NAME=URL one cluster.
    #[arg(long, value_name = "[NAME=]URL", value_parser = parse_named)]
    pub prometheus: Vec<Named>,

    /// A file holding a bearer token for a secured --prometheus (owner-only, re-read at each
    /// query). A bare FILE for every cluster; NAME=FILE for one.
    #[arg(long, value_name = "[NAME=]FILE", value_parser = parse_named, requires = "prometheus")]
    pub prometheus_token_file: Vec<Named>,

    /// A file holding `user:password` for a --prometheus behind basic auth (owner-only,
    /// re-read at each query). A bare FILE for every cluster; NAME=FILE for one.
    #[arg(long, value_name = "[NAME=]FILE", value_parser = parse_named, requires = "prometheus")]
    pub prometheus_basic_auth_file: Vec<Named>,

    /// A cluster (by name; repeatable) whose Portworx nodes export their own metrics to the
    /// same Prometheus: console-server leaves its figures out of --metrics-listen, so each is
    /// kept once. Name the cluster as Portworx does (its `cluster` label).
    #[arg(long = "cluster-exports-metrics", value_name = "NAME", value_parser = parse_cluster_name)]
    pub clusters_exporting: Vec<String>,

    /// Log filter (tracing's env-filter syntax); the RUST_LOG variable takes precedence.
    #[arg(long, default_value = "info", value_name = "FILTER")]
    pub log: String,
}

/// A flag's value for one cluster: `NAME=VALUE`, or `VALUE` alone (the only such cluster).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub name: Option<String>,
    pub value: String,
}

fn parse_named(value: &str) -> Result<Named, String> {
    // A URL's own `=` (in a query) comes after its `://`: only a name before both counts.
    match value.split_once('=') {
        Some((name, rest)) if !name.contains("://") && !name.contains('/') => Ok(Named {
            name: Some(parse_cluster_name(name)?),
            value: rest.trim().to_string(),
        }),
        _ => Ok(Named {
            name: None,
            value: value.trim().to_string(),
        }),
    }
}

/// Cluster names go in URLs and metadata: letters, digits, `-`, `_` and `.`.
fn parse_cluster_name(value: &str) -> Result<String, String> {
    let name = value.trim();
    let valid = !name.is_empty()
        && name.len() <= 63
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !valid {
        return Err(format!(
            "{value:?} is not a cluster name: use up to 63 letters, digits, '-', '_' or '.'"
        ));
    }
    Ok(name.to_string())
}

fn parse_rate(value: &str) -> Result<f64, String> {
    let size: bytesize::ByteSize = value
        .parse()
        .map_err(|e| format!("{e}: expected a size per second such as 500MiB or 2.5GiB"))?;
    if size.as_u64() == 0 {
        return Err("must be more than 0 bytes per second".into());
    }
    Ok(size.as_u64() as f64)
}

fn parse_interval(value: &str) -> Result<std::time::Duration, String> {
    let interval = humantime::parse_duration(value)
        .map_err(|e| format!("{e}: expected a duration such as 30s or 2m"))?;
    if interval < std::time::Duration::from_secs(1) {
        return Err("must be at least 1s".into());
    }
    Ok(interval)
}

fn parse_size(value: &str) -> Result<usize, String> {
    let size: bytesize::ByteSize = value
        .parse()
        .map_err(|e| format!("{e}: expected a size such as 512KiB or 4MiB"))?;
    match usize::try_from(size.as_u64()) {
        Ok(0) => Err("must be more than 0 bytes".into()),
        Ok(n) => Ok(n),
        Err(_) => Err("too large".into()),
    }
}

/// `scheme://host[:port]`, as browsers send it; a wildcard or `null` would open the SDK to
/// every page, so they are refused.
fn parse_origin(value: &str) -> Result<String, String> {
    let origin = value.trim().trim_end_matches('/');
    let valid = origin.split_once("://").is_some_and(|(scheme, rest)| {
        matches!(scheme, "http" | "https") && !rest.is_empty() && !rest.contains(['/', '*'])
    });
    if !valid {
        return Err(format!(
            "{value:?} is not an origin: expected scheme://host[:port], e.g. http://127.0.0.1:8080 \
             (no wildcard: every page could then drive the cluster)"
        ));
    }
    Ok(origin.to_string())
}

fn parse_label(value: &str) -> Result<(String, String), String> {
    match value.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.trim().to_string())),
        _ => Err("expected KEY=VALUE, e.g. tier=fail".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_and_labels_parse() {
        assert_eq!(parse_rate("1KiB").unwrap(), 1024.0);
        assert_eq!(parse_rate("2.5GiB").unwrap(), 2.5 * (1u64 << 30) as f64);
        assert!(parse_rate("fast").is_err());
        assert!(parse_rate("0").is_err());
        assert_eq!(parse_label("a=b").unwrap(), ("a".into(), "b".into()));
        assert!(parse_label("novalue").is_err());
        assert_eq!(parse_size("4MiB").unwrap(), 4 << 20);
        assert_eq!(
            parse_origin("http://127.0.0.1:8080/").unwrap(),
            "http://127.0.0.1:8080"
        );
        for bad in [
            "*",
            "null",
            "127.0.0.1:8080",
            "http://*.example.com",
            "ftp://x",
        ] {
            assert!(parse_origin(bad).is_err(), "{bad}");
        }
        assert!(parse_size("0").is_err());
        assert_eq!(parse_interval("2m").unwrap().as_secs(), 120);
        assert!(parse_interval("10ms").is_err());
        assert!(parse_label("=x").is_err());
    }

    #[test]
    fn cluster_flags_name_their_cluster_or_not() {
        let named = parse_named("prod=https://px.example.com:9020").unwrap();
        assert_eq!(named.name.as_deref(), Some("prod"));
        assert_eq!(named.value, "https://px.example.com:9020");
        let plain = parse_named("http://10.0.0.5:9100/?a=b").unwrap();
        assert_eq!(plain.name, None);
        assert_eq!(plain.value, "http://10.0.0.5:9100/?a=b");
        assert_eq!(parse_named("/etc/ca.pem").unwrap().name, None);
        assert!(parse_named("bad name=http://x").is_err());
        assert!(parse_cluster_name("").is_err());
        assert_eq!(parse_cluster_name("dr-east.1").unwrap(), "dr-east.1");
    }

    /// The flag reference (docs/operator-guide.md) and clap's own definitions agree: every flag
    /// `--help` lists has a row with its value's name, default and environment variable, and
    /// every row names a flag that exists.
    #[test]
    fn every_flag_is_documented_and_every_documented_flag_exists() {
        use clap::CommandFactory;
        let guide = include_str!("../../docs/operator-guide.md");
        let table = guide
            .split("## console-server flags")
            .nth(1)
            .expect("docs/operator-guide.md has a section '## console-server flags'");
        // Each row: the flags cell (`--name VALUE`, several separated by commas), the default
        // cell and the meaning.
        struct Row {
            flags: Vec<(String, String)>,
            default: String,
            meaning: String,
        }
        let rows: Vec<Row> = table
            .lines()
            .filter(|line| line.starts_with("| `--"))
            .map(|line| {
                let line = line.replace("\\|", "\u{1}");
                let cells: Vec<String> = line
                    .split('|')
                    .map(|c| c.trim().replace('\u{1}', "|"))
                    .collect();
                let flags = cells[1]
                    .split(", ")
                    .map(|one| {
                        let one = one.trim_matches('`');
                        let (flag, value) = one.split_once(' ').unwrap_or((one, ""));
                        (flag.to_string(), value.to_string())
                    })
                    .collect();
                Row {
                    flags,
                    default: cells[2].clone(),
                    meaning: cells[3..].join("|"),
                }
            })
            .collect();
        let mut command = Config::command();
        command.build();
        let mut defined = Vec::new();
        for arg in command.get_arguments() {
            let Some(long) = arg.get_long() else { continue };
            let flag = format!("--{long}");
            let row = rows
                .iter()
                .find(|row| row.flags.iter().any(|(f, _)| *f == flag))
                .unwrap_or_else(|| panic!("{flag} is missing from docs/operator-guide.md"));
            let (_, value) = row.flags.iter().find(|(f, _)| *f == flag).unwrap();
            let value_name = arg
                .get_value_names()
                .map(|names| names.join(" "))
                .unwrap_or_default();
            let takes_value = arg.get_num_args().is_some_and(|n| n.takes_values());
            if takes_value {
                assert_eq!(*value, value_name, "the value {flag} takes, as documented");
            }
            // A switch's implicit `false` is no default worth a word.
            let defaults = if takes_value {
                arg.get_default_values()
            } else {
                &[]
            };
            for default in defaults {
                let default = format!("`{}`", default.to_string_lossy());
                assert!(
                    row.default.contains(&default),
                    "{flag}'s default {default} is not in its row: {}",
                    row.default
                );
            }
            if let Some(env) = arg.get_env() {
                let env = env.to_string_lossy();
                assert!(
                    row.default.contains(&*env) || row.meaning.contains(&*env),
                    "{flag}'s environment variable {env} is not in its row"
                );
            }
            defined.push(flag);
        }
        for row in &rows {
            for (flag, _) in &row.flags {
                assert!(
                    defined.contains(flag),
                    "docs/operator-guide.md documents {flag}, which console-server does not have"
                );
            }
        }
    }
}
