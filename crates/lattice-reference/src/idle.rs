//! The idle timeout of a connection: a socket wrapper that fails a read (or a write) which has
//! waited [`IDLE_TIMEOUT`] without moving a byte, so that silent, kept-alive, stalled and
//! never-reading clients do not hold a connection (and a file descriptor) for ever.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{Instant, Sleep};

/// How long a connection may wait for its client without a byte moving: a new or kept-alive
/// connection with no request, a request stalled in its head or body, a response the client
/// does not read.
pub(crate) const IDLE_TIMEOUT: Duration = Duration::from_secs(10);

/// The error a timed-out read or write fails with (kind `TimedOut`).
#[derive(Debug, thiserror::Error)]
#[error("no byte moved for {} s (the idle timeout)", .0.as_secs())]
pub(crate) struct Idle(Duration);

/// A deadline armed when an operation starts waiting and disarmed when it makes progress.
#[derive(Debug)]
struct Deadline {
    limit: Duration,
    sleep: Pin<Box<Sleep>>,
    armed: bool,
}

impl Deadline {
    fn new(limit: Duration) -> Self {
        Self {
            limit,
            sleep: Box::pin(tokio::time::sleep(limit)),
            armed: false,
        }
    }

    /// Passes `result` through; when it is pending, fails it once the deadline has passed.
    fn watch<T>(
        &mut self,
        cx: &mut Context<'_>,
        result: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        if result.is_ready() {
            self.armed = false;
            return result;
        }
        if !self.armed {
            self.sleep.as_mut().reset(Instant::now() + self.limit);
            self.armed = true;
        }
        match self.sleep.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                Idle(self.limit),
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

/// A socket whose reads and writes each time out after waiting [`IDLE_TIMEOUT`] (or the given
/// limit) without progress.
#[derive(Debug)]
pub(crate) struct IdleTimeout<S> {
    inner: S,
    read: Deadline,
    write: Deadline,
}

impl<S> IdleTimeout<S> {
    /// Wraps `inner` with `limit` as the idle timeout of each direction.
    pub(crate) fn new(inner: S, limit: Duration) -> Self {
        Self {
            inner,
            read: Deadline::new(limit),
            write: Deadline::new(limit),
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for IdleTimeout<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.inner).poll_read(cx, buf);
        this.read.watch(cx, result)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for IdleTimeout<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.inner).poll_write(cx, buf);
        this.write.watch(cx, result)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        this.write.watch(cx, result)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.inner).poll_flush(cx);
        this.write.watch(cx, result)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.inner).poll_shutdown(cx);
        this.write.watch(cx, result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[tokio::test]
    async fn a_read_that_waits_too_long_fails_and_one_that_progresses_does_not() {
        let (mut client, server) = tokio::io::duplex(64);
        let mut server = IdleTimeout::new(server, Duration::from_secs(2));
        let mut buf = [0u8; 4];
        let writer = async {
            tokio::time::sleep(Duration::from_millis(50)).await;
            client.write_all(b"ab").await.unwrap();
        };
        let (read, ()) = tokio::join!(server.read(&mut buf), writer);
        assert_eq!(read.unwrap(), 2, "a read that gets bytes in time succeeds");
        let err = server.read(&mut buf).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        assert!(err.to_string().contains("idle timeout"), "{err}");
        drop(client);
    }
}
