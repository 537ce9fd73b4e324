//! What makes the port safe and fast to expose: origins, hosts, headers, compression, caching,
//! the access log, the request size limit, TLS (`--tls-cert`/`--tls-key`), and slow and idle
//! connections (closed after `--header-timeout`, past `--max-connections` at once, while an open
//! watch stream carries on), checked over real loopback connections.

mod common;

use std::io::{Read, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::{
    aws_credential_request, http_request, scratch_dir, sdk_token, volume_request, with_token,
    TestServer, GIB,
};
use console_server::proto::console::{VolumeQueryRequest, VolumeWatchRequest};
use console_server::proto::open_storage_credentials_client::OpenStorageCredentialsClient;
use console_server::proto::open_storage_identity_client::OpenStorageIdentityClient;
use console_server::proto::open_storage_volume_client::OpenStorageVolumeClient;
use console_server::proto::{SdkIdentityVersionRequest, SdkVolumeCreateRequest, VolumeSpec};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tonic::transport::{Certificate, Channel, ClientTlsConfig};

const METHOD: &str = "/openstorage.api.OpenStorageIdentity/Version";
/// A file of one build, in the build's content-hashed folder (scripts/build-wasm.mjs).
const HASHED_JS: &str = "app-0123456789abcdef/app.js";
const LOADER: &str = "import init from '/app-0123456789abcdef/app.js'; await init();";

/// A built console (in its own folder per test: tests run in parallel) as trunk and
/// scripts/build-wasm.mjs leave it: an index with an inline loader, a script in the build's
/// hashed folder, and brotli and gzip copies of it.
fn built_console(name: &str) -> (PathBuf, Vec<u8>) {
    let dir = scratch_dir(name);
    std::fs::write(
        dir.join("index.html"),
        format!("<!DOCTYPE html><html><head><script type=\"module\">{LOADER}</script></head><body></body></html>"),
    )
    .unwrap();
    let script: Vec<u8> = "export default function init() { return 'console'; }\n"
        .repeat(200)
        .into_bytes();
    std::fs::create_dir_all(dir.join("app-0123456789abcdef")).unwrap();
    std::fs::write(dir.join(HASHED_JS), &script).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&script).unwrap();
    std::fs::write(dir.join(format!("{HASHED_JS}.gz")), gz.finish().unwrap()).unwrap();
    let mut br = Vec::new();
    brotli::BrotliCompress(&mut &script[..], &mut br, &Default::default()).unwrap();
    std::fs::write(dir.join(format!("{HASHED_JS}.br")), br).unwrap();
    (dir, script)
}

fn preflight(server: &TestServer, origin: &str) -> http::Request<String> {
    http::Request::builder()
        .method("OPTIONS")
        .uri(format!("{}{METHOD}", server.url()))
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "content-type,x-grpc-web,authorization",
        )
        .body(String::new())
        .unwrap()
}

/// A gRPC-Web call as a browser page sends it, from `origin`, naming `host`.
fn browser_call(server: &TestServer, origin: Option<&str>, host: &str) -> http::Request<String> {
    let mut req = http::Request::builder()
        .method("POST")
        .uri(format!("{}{METHOD}", server.url()))
        .header("host", host)
        .header("content-type", "application/grpc-web+proto")
        .header("x-grpc-web", "1");
    if let Some(origin) = origin {
        req = req.header("origin", origin);
    }
    // An empty Version request: a 5-byte frame header with length 0.
    req.body(String::from_utf8(vec![0, 0, 0, 0, 0]).unwrap())
        .unwrap()
}

#[tokio::test]
async fn preflights_answer_only_listed_origins() {
    let server = TestServer::start(&["--allow-origin", "http://127.0.0.1:8080"]);
    let foreign = http_request(preflight(&server, "https://evil.example")).await;
    assert!(
        !foreign
            .headers()
            .contains_key("access-control-allow-origin"),
        "a foreign origin gets no permission: {:?}",
        foreign.headers()
    );
    let listed = http_request(preflight(&server, "http://127.0.0.1:8080")).await;
    assert_eq!(
        listed.headers()["access-control-allow-origin"],
        "http://127.0.0.1:8080"
    );
    let allowed = listed.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_lowercase();
    assert!(allowed.contains("authorization") && allowed.contains("x-grpc-web"));
}

#[tokio::test]
async fn browser_calls_from_other_origins_are_refused() {
    let server = TestServer::start(&["--allow-origin", "http://127.0.0.1:8080"]);
    let own = server.addr.to_string();
    let same = http_request(browser_call(&server, Some(&server.url()), &own)).await;
    assert_eq!(same.status(), 200);
    // gRPC-Web carries the status in a trailer frame at the end of the body.
    let body = String::from_utf8_lossy(same.body());
    assert!(body.contains("grpc-status:0"), "served: {body:?}");
    let listed = http_request(browser_call(&server, Some("http://127.0.0.1:8080"), &own)).await;
    assert_eq!(listed.status(), 200);
    let foreign = http_request(browser_call(&server, Some("https://evil.example"), &own)).await;
    assert_eq!(foreign.status(), 403);
    let text = String::from_utf8_lossy(foreign.body());
    assert!(
        text.contains("--allow-origin https://evil.example"),
        "{text}"
    );
}

#[tokio::test]
async fn hosts_the_server_does_not_answer_for_are_refused() {
    let server = TestServer::start(&["--allowed-host", "console.example.com"]);
    let port = server.addr.port();
    let rebound = http_request(browser_call(&server, None, &format!("evil.example:{port}"))).await;
    assert_eq!(rebound.status(), 403);
    let text = String::from_utf8_lossy(rebound.body());
    assert!(text.contains("--allowed-host evil.example"), "{text}");
    // The page itself is refused too, not only the SDK.
    let page = http::Request::get(format!("{}/", server.url()))
        .header("host", format!("evil.example:{port}"))
        .body(String::new())
        .unwrap();
    assert_eq!(http_request(page).await.status(), 403);
    for host in [
        format!("console.example.com:{port}"),
        format!("localhost:{port}"),
    ] {
        let res = http_request(browser_call(&server, None, &host)).await;
        assert_eq!(res.status(), 200, "{host}");
    }
    // Native gRPC clients are not browsers: a service name works without --allowed-host.
    let mut identity = OpenStorageIdentityClient::new(server.channel().await);
    identity
        .version(SdkIdentityVersionRequest {})
        .await
        .unwrap();
}

#[tokio::test]
async fn every_response_carries_the_protective_headers() {
    let (ui, _) = built_console("ui-headers");
    let server = TestServer::start(&["--ui", ui.to_str().unwrap()]);
    let page = common::http_get(&format!("{}/volumes", server.url())).await;
    assert_eq!(page.status(), 200);
    let csp = page.headers()["content-security-policy"].to_str().unwrap();
    for directive in [
        "default-src 'self'",
        "'wasm-unsafe-eval'",
        "frame-ancestors 'none'",
        "object-src 'none'",
    ] {
        assert!(csp.contains(directive), "{directive} in {csp}");
    }
    // The one inline script, the app's loader, is allowed by its hash and nothing else is.
    use base64::Engine;
    use sha2::Digest;
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(LOADER));
    assert!(csp.contains(&format!("'sha256-{hash}'")), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");

    // A rebuild writes a new loader: the page's policy follows without a restart.
    let rebuilt = "import init from '/app-fedcba9876543210/app.js'; await init();";
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(
        ui.join("index.html"),
        format!(
            "<!DOCTYPE html><html><head><script type=\"module\">{rebuilt}</script></head></html>"
        ),
    )
    .unwrap();
    let after = common::http_get(&format!("{}/", server.url())).await;
    let new_csp = after.headers()["content-security-policy"].to_str().unwrap();
    let new_hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(rebuilt));
    assert!(
        new_csp.contains(&format!("'sha256-{new_hash}'")),
        "{new_csp}"
    );
    assert!(
        !new_csp.contains(&hash),
        "the old loader is no longer allowed"
    );
    for res in [
        &page,
        &http_request(browser_call(&server, None, &server.addr.to_string())).await,
    ] {
        assert_eq!(res.headers()["x-frame-options"], "DENY");
        assert_eq!(res.headers()["x-content-type-options"], "nosniff");
        assert_eq!(res.headers()["referrer-policy"], "no-referrer");
    }
    std::fs::remove_dir_all(ui).unwrap();
}

async fn fetch_script(server: &TestServer, accept: &str) -> http::Response<Vec<u8>> {
    let req = http::Request::get(format!("{}/{HASHED_JS}", server.url()))
        .header("accept-encoding", accept)
        .body(String::new())
        .unwrap();
    http_request(req).await
}

#[tokio::test]
async fn brotli_and_gzip_are_negotiated_and_hashed_files_are_immutable() {
    let (ui, script) = built_console("ui-encodings");
    let server = TestServer::start(&["--ui", ui.to_str().unwrap()]);

    let br = fetch_script(&server, "gzip, deflate, br").await;
    assert_eq!(br.headers()["content-encoding"], "br");
    assert!(br.body().len() < script.len() / 4, "brotli is smaller");
    let mut decoded = Vec::new();
    brotli::BrotliDecompress(&mut &br.body()[..], &mut decoded).unwrap();
    assert_eq!(decoded, script, "brotli decodes to the same bytes");

    let gz = fetch_script(&server, "gzip").await;
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    let mut decoded = Vec::new();
    flate2::read::GzDecoder::new(&gz.body()[..])
        .read_to_end(&mut decoded)
        .unwrap();
    assert_eq!(decoded, script, "gzip decodes to the same bytes");

    let plain = fetch_script(&server, "identity").await;
    assert!(!plain.headers().contains_key("content-encoding"));
    assert_eq!(plain.body(), &script);

    for res in [&br, &gz, &plain] {
        assert_eq!(
            res.headers()["cache-control"],
            "public, max-age=31536000, immutable"
        );
        assert_eq!(res.headers()["vary"], "accept-encoding");
    }
    let page = common::http_get(&format!("{}/", server.url())).await;
    assert_eq!(page.headers()["cache-control"], "no-cache");
    std::fs::remove_dir_all(ui).unwrap();
}

#[tokio::test]
async fn the_access_log_has_a_line_per_call_and_no_token_or_secret() {
    let dir = scratch_dir("log");
    let log = dir.join("access.log");
    let server = TestServer::start(&["--access-log", log.to_str().unwrap()]);
    let token = sdk_token("any-secret", "log-subject", &["system.admin"], &[], 3600);
    let channel = server.channel().await;
    let mut identity = OpenStorageIdentityClient::new(channel.clone());
    identity
        .version(with_token(SdkIdentityVersionRequest {}, &token))
        .await
        .unwrap();
    let mut credentials = OpenStorageCredentialsClient::new(channel);
    let mut request = aws_credential_request("logged", "bucket");
    if let Some(
        console_server::proto::sdk_credential_create_request::CredentialType::AwsCredential(aws),
    ) = request.credential_type.as_mut()
    {
        aws.secret_key = "TOP-SECRET-KEY-42".into();
    }
    credentials
        .create(with_token(request, &token))
        .await
        .unwrap();
    let web = server.grpc_web();
    let missing = web
        .volumes()
        .inspect(console_server::proto::SdkVolumeInspectRequest {
            volume_id: "no-such-volume".into(),
            ..Default::default()
        })
        .await;
    assert_eq!(missing.unwrap_err().code(), tonic::Code::NotFound);

    let text = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "one line per call: {text}");
    assert!(lines[0].contains("method=/openstorage.api.OpenStorageIdentity/Version"));
    assert!(lines[0].contains("code=Ok") && lines[0].contains("claimed_sub=log-subject"));
    assert!(lines[0].contains("peer=127.0.0.1:"), "{}", lines[0]);
    assert!(lines[1].contains("OpenStorageCredentials/Create") && lines[1].contains("code=Ok"));
    assert!(lines[2].contains("code=NotFound") && lines[2].contains("claimed_sub=-"));
    assert!(lines.iter().all(|l| l.contains("duration_ms=")));
    // The token is told apart by a fingerprint, the same on both of its calls.
    let fingerprint = |line: &str| line.split("token=").nth(1).unwrap().trim().to_string();
    assert_eq!(fingerprint(lines[0]).len(), 16, "{}", lines[0]);
    assert_eq!(fingerprint(lines[0]), fingerprint(lines[1]));
    assert_eq!(fingerprint(lines[2]), "-");
    assert!(!text.contains(&token), "the token is never logged");
    assert!(
        !text.contains(token.split('.').nth(1).unwrap()),
        "nor its claims"
    );
    assert!(!text.contains("TOP-SECRET-KEY-42"), "nor a secret");
    drop(server);
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn requests_above_the_size_limit_are_refused() {
    let server = TestServer::start(&["--max-request-size", "64KiB"]);
    let mut volumes = OpenStorageVolumeClient::new(server.channel().await);
    let big = SdkVolumeCreateRequest {
        name: "big-request".into(),
        spec: Some(VolumeSpec {
            size: 1 << 30,
            ha_level: 1,
            ..Default::default()
        }),
        labels: [("blob".to_string(), "x".repeat(100 * 1024))].into(),
    };
    let refused = volumes.create(big.clone()).await.unwrap_err();
    assert_eq!(
        refused.code(),
        tonic::Code::ResourceExhausted,
        "{refused:?}"
    );
    let web = server.grpc_web().volumes().create(big).await.unwrap_err();
    assert_eq!(web.code(), tonic::Code::ResourceExhausted, "{web:?}");
    // Nothing was created, and small requests still pass.
    let small = volume_request("small-request", 1 << 30, 1, &[]);
    volumes.create(small).await.unwrap();
}

#[tokio::test]
async fn the_gateway_refuses_large_requests_itself() {
    let upstream = TestServer::start(&[]);
    let gateway =
        TestServer::start(&["--upstream", &upstream.url(), "--max-request-size", "64KiB"]);
    let mut volumes = OpenStorageVolumeClient::new(gateway.channel().await);
    let refused = volumes
        .create(SdkVolumeCreateRequest {
            name: "too-big".into(),
            spec: Some(VolumeSpec {
                size: 1 << 30,
                ha_level: 1,
                ..Default::default()
            }),
            labels: [("blob".to_string(), "x".repeat(100 * 1024))].into(),
        })
        .await
        .unwrap_err();
    assert_eq!(
        refused.code(),
        tonic::Code::ResourceExhausted,
        "{refused:?}"
    );
    let mut direct = OpenStorageVolumeClient::new(upstream.channel().await);
    let listed = direct
        .enumerate(console_server::proto::SdkVolumeEnumerateRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert!(listed.volume_ids.is_empty(), "nothing reached the upstream");
}

#[test]
fn a_wildcard_origin_is_refused_at_start() {
    let out = std::process::Command::new(common::BINARY)
        .args(["--listen", "127.0.0.1:0", "--allow-origin", "*"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not an origin"), "{err}");
}

#[tokio::test]
async fn the_gateway_logs_what_it_forwards() {
    let dir = scratch_dir("gateway-log");
    let log = dir.join("access.log");
    let upstream = TestServer::start(&[]);
    let gateway = TestServer::start(&[
        "--upstream",
        &upstream.url(),
        "--access-log",
        log.to_str().unwrap(),
    ]);
    let token = sdk_token("any-secret", "gateway-user", &["system.admin"], &[], 3600);
    let mut volumes = OpenStorageVolumeClient::new(gateway.channel().await);
    let created = volumes
        .create(with_token(
            volume_request("forwarded", 1 << 30, 1, &[]),
            &token,
        ))
        .await
        .unwrap()
        .into_inner();
    volumes
        .delete(with_token(
            console_server::proto::SdkVolumeDeleteRequest {
                volume_id: created.volume_id,
            },
            &token,
        ))
        .await
        .unwrap();
    let text = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[1].contains("method=/openstorage.api.OpenStorageVolume/Delete"));
    assert!(lines[1].contains("code=Ok") && lines[1].contains("claimed_sub=gateway-user"));
    assert!(!text.contains(&token));
    drop(gateway);
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn a_gateway_serves_its_own_pages_in_front_of_another_console_server() {
    let upstream = TestServer::start(&[]);
    let gateway = TestServer::start(&["--upstream", &upstream.url(), "--access-log", "off"]);
    let own = gateway.addr.to_string();
    // The page's origin is the gateway's; the upstream must not judge it against its own.
    let res = http_request(browser_call(&gateway, Some(&gateway.url()), &own)).await;
    assert_eq!(res.status(), 200);
    let body = String::from_utf8_lossy(res.body());
    assert!(body.contains("grpc-status:0"), "{body:?}");
    let foreign = http_request(browser_call(&gateway, Some("https://evil.example"), &own)).await;
    assert_eq!(
        foreign.status(),
        403,
        "the gateway itself still checks origins"
    );
}

#[tokio::test]
async fn tls_serves_grpc_with_the_given_certificate() {
    let dir = std::env::temp_dir().join(format!("console-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let cert_pem = certified.cert.pem();
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    std::fs::write(&cert, &cert_pem).unwrap();
    std::fs::write(&key, certified.signing_key.serialize_pem()).unwrap();

    let server = TestServer::start(&[
        "--tls-cert",
        cert.to_str().unwrap(),
        "--tls-key",
        key.to_str().unwrap(),
    ]);
    let tls = ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(&cert_pem))
        .domain_name("localhost");
    let channel = Channel::from_shared(format!("https://{}", server.addr))
        .unwrap()
        .tls_config(tls)
        .unwrap()
        .connect()
        .await
        .expect("TLS connects");
    let version = OpenStorageIdentityClient::new(channel)
        .version(SdkIdentityVersionRequest {})
        .await
        .unwrap()
        .into_inner();
    assert_eq!(version.sdk_version.unwrap().minor, 186);
    // Plain HTTP/2 to the TLS port does not work: it is really TLS.
    let plain = Channel::from_shared(format!("http://{}", server.addr))
        .unwrap()
        .connect()
        .await;
    if let Ok(channel) = plain {
        assert!(OpenStorageIdentityClient::new(channel)
            .version(SdkIdentityVersionRequest {})
            .await
            .is_err());
    }
    std::fs::remove_dir_all(dir).unwrap();
}

/// Waits for the server to close `stream` (EOF or reset); how long that took, or None.
async fn closed_within(stream: &mut TcpStream, wait: Duration) -> Option<Duration> {
    let start = Instant::now();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(wait.saturating_sub(start.elapsed()), stream.read(&mut buf))
            .await
        {
            Err(_) => return None,
            Ok(Ok(0)) | Ok(Err(_)) => return Some(start.elapsed()),
            // A response (408 or the answer to a whole request): keep reading to the close.
            Ok(Ok(_)) => {}
        }
    }
}

#[tokio::test]
async fn slow_and_idle_connections_are_closed_and_streams_carry_on() {
    let server = TestServer::start(&["--header-timeout", "1s", "--max-connections", "20"]);
    let mut sdk = server.sdk().await;
    let start = sdk
        .view
        .query(VolumeQueryRequest::default())
        .await
        .unwrap()
        .into_inner();
    let mut events = sdk
        .view
        .watch(VolumeWatchRequest {
            after_revision: start.revision,
            view_id: start.view_id,
        })
        .await
        .unwrap()
        .into_inner();

    // 40 clients send half a header and stop. The sdk's connection holds one place: 19 are
    // served (and then timed out), the other 21 are closed at once.
    let mut slow = Vec::new();
    for _ in 0..40 {
        let mut stream = TcpStream::connect(server.addr).await.unwrap();
        stream
            .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            .await
            .unwrap();
        slow.push(stream);
    }
    // Each watched at once, from now.
    let closes: Vec<_> = slow
        .into_iter()
        .map(|mut stream| {
            tokio::spawn(async move { closed_within(&mut stream, Duration::from_secs(4)).await })
        })
        .collect();
    let mut at_once = 0;
    let mut timed_out = 0;
    for close in closes {
        match close.await.unwrap() {
            Some(took) if took < Duration::from_millis(500) => at_once += 1,
            Some(_) => timed_out += 1,
            None => panic!("a connection sending half a header stayed open 4 s"),
        }
    }
    assert_eq!(timed_out, 19, "served until the header timeout");
    assert_eq!(at_once, 21, "past the cap");

    // Idle after a whole request: closed after the timeout too.
    let mut idle = TcpStream::connect(server.addr).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .unwrap();
    let took = closed_within(&mut idle, Duration::from_secs(4))
        .await
        .expect("an idle keep-alive connection is closed");
    assert!(took >= Duration::from_millis(900), "{took:?}");

    // The watch stream opened before, now older than the timeout, still carries changes.
    tokio::time::sleep(Duration::from_millis(500)).await;
    sdk.create_volume("after-the-timeouts", GIB, 1, &[]).await;
    let event = tokio::time::timeout(Duration::from_secs(5), events.message())
        .await
        .expect("the watch still answers")
        .unwrap()
        .unwrap();
    assert!(
        event.changed.iter().any(|r| r.name == "after-the-timeouts"),
        "{event:?}"
    );
}
