//! The endpoint's own HTTP/1.1 server on hyper: a tokio accept loop on a dedicated thread (with
//! a current-thread runtime, so the endpoint runs the same under any caller), one task per
//! connection, each request's body read through the limit before it is served.
//!
//! It holds up: accept errors (`EMFILE` included) never end the listener, it backs off and
//! keeps accepting; a connection that breaks, stalls or idles is closed and, when a request was
//! cut short, logged on stderr in one line; dropping the [`Server`] stops accepting at once and
//! lets the connections finish their request for a few seconds.

use std::error::Error as _;
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http::header::{HeaderValue, CONNECTION};
use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};

use crate::body::{self, ReadBody};
use crate::errors::BodyError;
use crate::idle::{IdleTimeout, IDLE_TIMEOUT};

/// The whole head of a request must arrive within this time of the connection starting to wait
/// for it (hyper's header-read timeout; the idle timeout ends a silent connection earlier).
pub(crate) const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// The first and the longest pause after a failed accept.
const ACCEPT_BACKOFF: (Duration, Duration) = (Duration::from_millis(10), Duration::from_secs(1));

/// How long open connections may finish their request once the server stops.
const GRACE: Duration = Duration::from_secs(5);

/// A request as the endpoint serves it: the head as received (the path and query exactly as
/// the client sent them) and the body read through the limit.
#[derive(Debug)]
pub(crate) struct Received {
    /// Method, URI, version and headers.
    pub(crate) head: http::request::Parts,
    /// The body, or the mark that it was over the limit.
    pub(crate) body: ReadBody,
}

impl Received {
    /// The body bytes (none for a body over the limit).
    pub(crate) fn bytes(&self) -> &[u8] {
        match &self.body {
            ReadBody::Whole(bytes) => bytes,
            ReadBody::OverLimit => &[],
        }
    }
}

/// What the endpoint answers, and how long it holds the answer back.
#[derive(Debug)]
pub(crate) struct Answer {
    /// The response.
    pub(crate) response: http::Response<Vec<u8>>,
    /// Hold the response this long before sending it.
    pub(crate) hold: Option<Duration>,
}

/// Whatever serves the requests (the endpoint's state and rules).
pub(crate) trait Serve: Send + Sync + 'static {
    /// The answer to one request.
    fn serve(&self, request: &Received) -> Answer;
}

/// A running server; dropping it stops the server.
#[derive(Debug)]
pub(crate) struct Server {
    addr: SocketAddr,
    shutdown: Option<watch::Sender<()>>,
    /// Hears from the server thread once the listener is closed (in a mutex, to be `Sync`).
    listener_closed: Mutex<std::sync::mpsc::Receiver<()>>,
}

impl Server {
    /// Serves `listener` with `handler` on a thread of its own.
    pub(crate) fn start(
        listener: std::net::TcpListener,
        handler: Arc<dyn Serve>,
    ) -> io::Result<Server> {
        let addr = listener.local_addr()?;
        listener.set_nonblocking(true)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let (shutdown, stop) = watch::channel(());
        let (closed, listener_closed) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name(format!("reference endpoint {addr}"))
            .spawn(move || {
                runtime.block_on(async move {
                    let (alive, mut all_gone) = mpsc::channel::<()>(1);
                    match TcpListener::from_std(listener) {
                        Ok(listener) => accept(listener, handler, stop, alive).await,
                        Err(e) => log(format_args!("cannot listen on {addr}: {e}")),
                    }
                    let _ = closed.send(());
                    // Every connection task holds a sender: `None` once they have all ended.
                    let _ = tokio::time::timeout(GRACE, all_gone.recv()).await;
                });
            })?;
        Ok(Server {
            addr,
            shutdown: Some(shutdown),
            listener_closed: Mutex::new(listener_closed),
        })
    }

    /// The address it listens on.
    pub(crate) fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for Server {
    /// Stops accepting (the port is free when this returns) and asks the connections to close
    /// after their current request.
    fn drop(&mut self) {
        drop(self.shutdown.take());
        if let Ok(closed) = self.listener_closed.get_mut() {
            let _ = closed.recv_timeout(Duration::from_secs(1));
        }
    }
}

/// Logs a connection event on stderr, in one line.
fn log(event: std::fmt::Arguments<'_>) {
    eprintln!("reference endpoint: {event}");
}

/// Accepts connections until the server stops; a failed accept (out of file descriptors, …)
/// pauses the loop briefly, never ends it.
async fn accept(
    listener: TcpListener,
    handler: Arc<dyn Serve>,
    mut stop: watch::Receiver<()>,
    alive: mpsc::Sender<()>,
) {
    let mut backoff = ACCEPT_BACKOFF.0;
    let mut failed = 0u64;
    loop {
        let accepted = tokio::select! {
            biased;
            _ = stop.changed() => return,
            accepted = listener.accept() => accepted,
        };
        match accepted {
            Ok((stream, peer)) => {
                if failed > 0 {
                    log(format_args!(
                        "accepting connections again ({failed} attempts failed)"
                    ));
                    failed = 0;
                    backoff = ACCEPT_BACKOFF.0;
                }
                let connection = connection(
                    stream,
                    peer,
                    Arc::clone(&handler),
                    stop.clone(),
                    alive.clone(),
                );
                tokio::spawn(connection);
            }
            Err(e) => {
                if failed == 0 {
                    log(format_args!(
                        "cannot accept a connection: {e}; retrying every {} ms to {} s",
                        ACCEPT_BACKOFF.0.as_millis(),
                        ACCEPT_BACKOFF.1.as_secs()
                    ));
                }
                failed += 1;
                tokio::select! {
                    biased;
                    _ = stop.changed() => return,
                    () = tokio::time::sleep(backoff) => {}
                }
                backoff = (backoff * 2).min(ACCEPT_BACKOFF.1);
            }
        }
    }
}

/// Serves one connection until the client closes it, it times out, or the server stops.
async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    handler: Arc<dyn Serve>,
    mut stop: watch::Receiver<()>,
    _alive: mpsc::Sender<()>,
) {
    let _ = stream.set_nodelay(true);
    let io = TokioIo::new(IdleTimeout::new(stream, IDLE_TIMEOUT));
    let service = service_fn(move |request| respond(Arc::clone(&handler), request));
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT);
    let conn = builder.serve_connection(io, service);
    tokio::pin!(conn);
    let ended = tokio::select! {
        ended = conn.as_mut() => ended,
        _ = stop.changed() => {
            conn.as_mut().graceful_shutdown();
            conn.as_mut().await
        }
    };
    if let Err(e) = ended {
        log(format_args!(
            "connection from {peer} closed: {}",
            describe(&e)
        ));
    }
}

/// Reads the body through the limit, serves the request, holds the answer if asked to.
async fn respond(
    handler: Arc<dyn Serve>,
    request: http::Request<Incoming>,
) -> Result<http::Response<Full<Bytes>>, BodyError> {
    let (head, body) = request.into_parts();
    let body = body::read(&head.headers, body).await?;
    let over_limit = body == ReadBody::OverLimit;
    let Answer { response, hold } = handler.serve(&Received { head, body });
    if let Some(hold) = hold {
        tokio::time::sleep(hold).await;
    }
    let mut response = response.map(|bytes| Full::new(Bytes::from(bytes)));
    if over_limit {
        // The rest of the body may still be on its way: this connection cannot carry another
        // request.
        response
            .headers_mut()
            .insert(CONNECTION, HeaderValue::from_static("close"));
    }
    Ok(response)
}

/// The error and its causes in one line, without hyper's "error from user's Service" wrapper.
fn describe(err: &hyper::Error) -> String {
    let mut parts = Vec::new();
    if !(err.is_user() && err.source().is_some()) {
        parts.push(err.to_string());
    }
    let mut source = err.source();
    while let Some(e) = source {
        parts.push(e.to_string());
        source = e.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::{BODY_READ_TIMEOUT, DRAIN_TIME};

    #[test]
    fn the_crate_documentation_states_the_limits_in_force() {
        let doc: String = include_str!("lib.rs")
            .lines()
            .filter_map(|l| l.strip_prefix("//!"))
            .collect::<Vec<_>>()
            .join(" ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        for stated in [
            format!("no byte moves for **{} s**", IDLE_TIMEOUT.as_secs()),
            format!(
                "within **{} s** of the connection",
                HEADER_READ_TIMEOUT.as_secs()
            ),
            format!(
                "body within **{} s** of the head",
                BODY_READ_TIMEOUT.as_secs()
            ),
            format!("for at most {} s", DRAIN_TIME.as_secs()),
            format!("gives open connections {} s", GRACE.as_secs()),
            format!(
                "backing off from {} ms to {} s",
                ACCEPT_BACKOFF.0.as_millis(),
                ACCEPT_BACKOFF.1.as_secs()
            ),
        ] {
            assert!(doc.contains(&stated), "lib.rs does not say `{stated}`");
        }
    }
}
