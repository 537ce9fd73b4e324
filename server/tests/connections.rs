//! Slow and idle clients: a connection that never finishes its request header is closed after
//! `--header-timeout`, one idle after a request too, connections past `--max-connections` are
//! closed as they arrive, and an open watch stream carries on through all of it.

mod common;

use std::time::{Duration, Instant};

use common::*;
use console_server::proto::console::{VolumeQueryRequest, VolumeWatchRequest};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

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
