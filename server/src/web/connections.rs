//! Serving connections, plain or TLS, with limits against slow and idle clients: a connection
//! must send a whole request header within `--header-timeout` of opening it (and, over
//! HTTP/1.1, of its previous request), at most `--max-connections` are served at once, and a
//! dead HTTP/2 peer is noticed by pings. Open streams (a browser's watch) and long calls are
//! not limited: the timeouts are about headers, not bodies.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::connect_info::IntoMakeServiceWithConnectInfo;
use axum::Router;
use axum_server::accept::{Accept, NoDelayAcceptor};
use axum_server::tls_rustls::{RustlsAcceptor, RustlsConfig};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::StartupError;

/// How long open calls and streams may run on after a stop signal.
const DRAIN: Duration = Duration::from_secs(5);
/// HTTP/2 pings on a quiet connection, and how long an answer may take.
const PING_EVERY: Duration = Duration::from_secs(30);
const PING_TIMEOUT: Duration = Duration::from_secs(20);

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub header_timeout: Duration,
    pub max_connections: usize,
}

/// Serves `app` on `listener` until `shutdown`, then lets calls finish for a few seconds.
pub async fn serve(
    listener: TcpListener,
    tls: Option<RustlsConfig>,
    app: IntoMakeServiceWithConnectInfo<Router, SocketAddr>,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartupError> {
    let handle = axum_server::Handle::new();
    let stopper = handle.clone();
    tokio::spawn(async move {
        shutdown.await;
        stopper.graceful_shutdown(Some(DRAIN));
    });
    let listener = listener.into_std().map_err(StartupError::Serve)?;
    // TCP_NODELAY: small HTTP/2 frames (a unary call's answer) go out at once, not after a
    // delayed ACK.
    let capped = Capped {
        inner: NoDelayAcceptor::new(),
        permits: Arc::new(Semaphore::new(limits.max_connections)),
    };
    let mut server = axum_server::from_tcp(listener)
        .map_err(StartupError::Serve)?
        .handle(handle)
        .first_request_timeout(limits.header_timeout);
    let builder = server.http_builder();
    builder.http1().header_read_timeout(limits.header_timeout);
    builder
        .http2()
        .keep_alive_interval(PING_EVERY)
        .keep_alive_timeout(PING_TIMEOUT);
    match tls {
        None => server.acceptor(capped).serve(app).await,
        Some(config) => {
            server
                .acceptor(RustlsAcceptor::new(config).acceptor(capped))
                .serve(app)
                .await
        }
    }
    .map_err(StartupError::Serve)
}

/// Serves a connection only while fewer than the limit are open; the rest are closed as they
/// arrive (their descriptors freed at once).
#[derive(Clone)]
struct Capped<A> {
    inner: A,
    permits: Arc<Semaphore>,
}

impl<A, I, S> Accept<I, S> for Capped<A>
where
    A: Accept<I, S>,
    A::Future: Send + 'static,
    A::Stream: Send + 'static,
    A::Service: Send + 'static,
{
    type Stream = Counted<A::Stream>;
    type Service = A::Service;
    type Future = Pin<Box<dyn Future<Output = io::Result<(Self::Stream, Self::Service)>> + Send>>;

    fn accept(&self, stream: I, service: S) -> Self::Future {
        let Ok(permit) = self.permits.clone().try_acquire_owned() else {
            drop(stream);
            return Box::pin(std::future::ready(Err(io::Error::other(
                "too many connections",
            ))));
        };
        let accepted = self.inner.accept(stream, service);
        Box::pin(async move {
            let (stream, service) = accepted.await?;
            Ok((
                Counted {
                    stream,
                    _permit: permit,
                },
                service,
            ))
        })
    }
}

/// A connection that holds its place under the limit until it closes.
struct Counted<T> {
    stream: T,
    _permit: OwnedSemaphorePermit,
}

impl<T: AsyncRead + Unpin> AsyncRead for Counted<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Counted<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}
