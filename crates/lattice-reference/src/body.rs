//! Reading a request body through the size limit, as it arrives: at most [`MAX_BODY`] bytes are
//! ever kept; the rest of a longer body is read and thrown away for a short while (so that the
//! client, still sending, hears the answer), and then the connection is closed.

use std::time::Duration;

use http::header::{HeaderMap, EXPECT};
use http_body_util::BodyExt;
use hyper::body::{Body as _, Bytes, Incoming};
use tokio::time::Instant;

use crate::errors::BodyError;
use crate::input::MAX_BODY;

/// The whole body of a request must arrive within this time of its head.
pub(crate) const BODY_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// How long the rest of a body over the limit is read and discarded before the answer goes out.
pub(crate) const DRAIN_TIME: Duration = Duration::from_secs(2);

/// A body as the endpoint serves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ReadBody {
    /// The whole body, at most [`MAX_BODY`] bytes.
    Whole(Bytes),
    /// A body longer than [`MAX_BODY`] (declared or counted); none of it is kept.
    OverLimit,
}

/// Reads `body` through the limit. A `Content-Length` over the limit is refused without reading
/// a byte when the client waits for `100 Continue`, and otherwise after discarding what arrives
/// within [`DRAIN_TIME`]; a longer body without one is cut as soon as it passes the limit.
pub(crate) async fn read(headers: &HeaderMap, mut body: Incoming) -> Result<ReadBody, BodyError> {
    let declared = body.size_hint().exact();
    if declared.is_some_and(|n| n > MAX_BODY as u64) {
        if !headers.contains_key(EXPECT) {
            drain(body).await;
        }
        return Ok(ReadBody::OverLimit);
    }
    let deadline = Instant::now() + BODY_READ_TIMEOUT;
    let capacity = declared.unwrap_or(0) as usize;
    let mut kept: Vec<u8> = Vec::with_capacity(capacity);
    loop {
        let frame = match tokio::time::timeout_at(deadline, body.frame()).await {
            Err(_) => return Err(BodyError::TooSlow(BODY_READ_TIMEOUT)),
            Ok(None) => return Ok(ReadBody::Whole(Bytes::from(kept))),
            Ok(Some(frame)) => frame.map_err(|source| BodyError::Broken {
                read: kept.len(),
                source,
            })?,
        };
        // Trailers (of a chunked body) carry nothing the endpoint reads.
        let Ok(data) = frame.into_data() else {
            continue;
        };
        if kept.len() + data.len() > MAX_BODY {
            drop(kept);
            drain(body).await;
            return Ok(ReadBody::OverLimit);
        }
        kept.extend_from_slice(&data);
    }
}

/// Reads and discards what arrives of `body` within [`DRAIN_TIME`]; errors end it quietly (the
/// answer is an error anyway, and the connection is closed after it).
async fn drain(mut body: Incoming) {
    let deadline = Instant::now() + DRAIN_TIME;
    while let Ok(Some(Ok(_))) = tokio::time::timeout_at(deadline, body.frame()).await {}
}
