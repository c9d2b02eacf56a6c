//! The server holds up: a body over the limit is refused while it is read and never buffered, a
//! client that leaves mid-request does not disturb the endpoint, idle connections are closed,
//! and memory stays flat under sustained load. The memory tests read the test process's own
//! figures (`/proc/self/status`), which holds the endpoint.

use std::time::{Duration, Instant};

use aws_sigv4::http_request::SignableBody;
use serde_json::json;
use sha2::Digest;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::{eventually, read_response, Client, Fixture, RawResponse};

/// The memory tests measure the whole process: one at a time.
static MEMORY: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The idle timeout stated in the crate documentation.
const IDLE_TIMEOUT: Duration = Duration::from_secs(10);

/// A `/proc/self/status` figure, in KiB.
fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no {field} in /proc/self/status"))
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// Waits until the server closes `stream` (EOF or reset); how long that took, or `None` if it
/// was still open after `budget`.
async fn closed_within(stream: &mut TcpStream, budget: Duration) -> Option<Duration> {
    let started = Instant::now();
    let mut chunk = [0u8; 256];
    loop {
        match tokio::time::timeout_at((started + budget).into(), stream.read(&mut chunk)).await {
            Err(_) => return None,
            Ok(Ok(0) | Err(_)) => return Some(started.elapsed()),
            Ok(Ok(_)) => {}
        }
    }
}

/// Sends a 64 MiB body from one reused 64 KiB buffer (chunked or with `Content-Length`) after
/// `head`, then reads the answer; `None` when the server closed the connection instead.
async fn send_big_body(client: &Client, head: String, chunked: bool) -> Option<RawResponse> {
    const BIG: usize = 64 << 20;
    let mut stream = TcpStream::connect(client.addr()).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    let piece = vec![b' '; 64 << 10];
    let mut sent = 0;
    while sent < BIG {
        let wrote = if chunked {
            let framed = format!("{:x}\r\n", piece.len());
            async {
                stream.write_all(framed.as_bytes()).await?;
                stream.write_all(&piece).await?;
                stream.write_all(b"\r\n").await
            }
            .await
        } else {
            stream.write_all(&piece).await
        };
        if wrote.is_err() {
            break;
        }
        sent += piece.len();
    }
    if sent >= BIG && chunked {
        let _ = stream.write_all(b"0\r\n\r\n").await;
    }
    read_response(&mut stream).await
}

fn assert_refused(what: &str, answer: Option<RawResponse>) {
    match answer {
        None => eprintln!("{what}: the connection was closed"),
        Some(r) => {
            assert_eq!(r.status, 400, "{what}: {} {}", r.head, r.body);
            let body: serde_json::Value = serde_json::from_str(&r.body).unwrap();
            assert_eq!(body["reason"], "cannotParse", "{what}: {body}");
            assert!(
                r.head.to_ascii_lowercase().contains("connection: close"),
                "{what}: {}",
                r.head
            );
        }
    }
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_while_it_is_read_signed_or_not() {
    let _one_at_a_time = MEMORY.lock().await;
    let f = Fixture::correct().await;
    // Peak figures from now on (`5` resets VmHWM to the current resident set).
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let before = status_kib("VmHWM");
    let served = f.endpoint.received_count();

    let path = "/servicenetworkserviceassociations";
    let unsigned = format!(
        "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        f.owner.addr(),
        64 << 20
    );
    assert_refused(
        "unsigned, Content-Length",
        send_big_body(&f.owner, unsigned, false).await,
    );

    // A head signed for the small body `{}` (its hash sent as x-amz-content-sha256): with that
    // body it passes the signature check (and fails validation); with 64 MiB it must be refused
    // for its size while it is read, before any signature check could refuse it.
    let small_hash = hex::encode(sha2::Sha256::digest(b"{}"));
    let headers = [
        ("content-type", "application/json"),
        ("transfer-encoding", "chunked"),
        ("x-amz-content-sha256", small_hash.as_str()),
    ];
    let signed = f
        .owner
        .signed_head("POST", path, &headers, SignableBody::Bytes(b"{}"));
    let mut small = TcpStream::connect(f.owner.addr()).await.unwrap();
    small
        .write_all(format!("{signed}2\r\n{{}}\r\n0\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let r = read_response(&mut small).await.expect("an answer");
    assert!(
        r.body.contains("fieldValidationFailed"),
        "{} {}",
        r.head,
        r.body
    );
    assert_refused(
        "signed, chunked",
        send_big_body(&f.owner, signed, true).await,
    );

    let peak = status_kib("VmHWM");
    eprintln!(
        "peak resident set {:.1} MiB before, {:.1} MiB after two 64 MiB bodies (peak reset: {reset})",
        mib(before),
        mib(peak)
    );
    assert!(
        peak.saturating_sub(before) < 32 << 10,
        "the peak grew by {:.1} MiB",
        mib(peak - before)
    );
    // All three were answered as requests; the endpoint serves on.
    let (sn, _) = f.owner.network().await;
    assert!(sn.starts_with("sn-"));
    assert_eq!(f.endpoint.received_count(), served + 4);
}

#[tokio::test]
async fn a_client_that_leaves_mid_request_does_not_disturb_the_endpoint() {
    let f = Fixture::correct().await;
    let served = f.endpoint.received_count();
    let half_body = b"POST /servicenetworkserviceassociations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"serviceIdentifier\":";
    let half_head = b"GET /services/svc-0123456789abcdef0 HTTP/1.1\r\nHost: x\r\nX-Half: ";
    for request in [&half_body[..], half_head] {
        let mut stream = TcpStream::connect(f.owner.addr()).await.unwrap();
        stream.write_all(request).await.unwrap();
        drop(stream);
    }
    let (sn, _) = f.owner.network().await;
    let (svc, _) = f.owner.service().await;
    assert_eq!(f.owner.associate(&svc, &sn, None).await.status, 200);
    // The broken requests were never whole: neither served nor counted.
    assert_eq!(f.endpoint.received_count(), served + 3);
}

#[tokio::test]
async fn silent_stalled_and_kept_alive_connections_are_closed_after_the_idle_timeout() {
    let f = Fixture::correct().await;
    let mut silent = TcpStream::connect(f.owner.addr()).await.unwrap();
    let mut stalled = TcpStream::connect(f.owner.addr()).await.unwrap();
    stalled
        .write_all(b"POST /services HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{")
        .await
        .unwrap();
    let mut kept = TcpStream::connect(f.owner.addr()).await.unwrap();
    let request = b"GET /services/svc-0123456789abcdef0 HTTP/1.1\r\nHost: x\r\n\r\n";
    for _ in 0..2 {
        // Unsigned: 403, and the connection is kept alive for the next request.
        kept.write_all(request).await.unwrap();
        let r = read_response(&mut kept).await.expect("an answer");
        assert_eq!(r.status, 403, "{}", r.head);
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    let budget = IDLE_TIMEOUT + Duration::from_secs(10);
    let (silent, stalled, kept) = tokio::join!(
        closed_within(&mut silent, budget),
        closed_within(&mut stalled, budget),
        closed_within(&mut kept, budget)
    );
    eprintln!("closed after: silent {silent:?}, stalled mid-body {stalled:?}, kept alive {kept:?}");
    assert!(silent.is_some(), "a silent connection stays open");
    assert!(stalled.is_some(), "a stalled request stays open");
    assert!(kept.is_some(), "an idle kept-alive connection stays open");
    // And the endpoint serves on.
    assert!(serves(&f.owner).await);
}

#[tokio::test]
async fn dropping_the_endpoint_stops_accepting_and_lets_the_request_in_flight_finish() {
    let f = Fixture::correct().await;
    let addr = f.owner.addr().to_owned();
    let mut idle = TcpStream::connect(&addr).await.unwrap();
    let mut busy = TcpStream::connect(&addr).await.unwrap();
    busy.write_all(b"POST /servicenetworks HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{")
        .await
        .unwrap();
    // The server is reading that body when it is told to stop.
    assert!(serves(&f.owner).await);
    drop(f.endpoint);
    assert!(
        TcpStream::connect(&addr).await.is_err(),
        "still accepting after the drop"
    );
    busy.write_all(b"}").await.unwrap();
    let r = read_response(&mut busy)
        .await
        .expect("the request in flight is answered");
    assert_eq!(r.status, 403, "unsigned: {}", r.head);
    assert!(
        closed_within(&mut idle, Duration::from_secs(5))
            .await
            .is_some(),
        "an idle connection is closed at once"
    );
}

/// An association id that names nothing.
const MISSING: &str = "snsa-0123456789abcdef0";

/// Whether the endpoint answers a signed Get of [`MISSING`] (404) within 5 s.
async fn serves(client: &Client) -> bool {
    eventually(Duration::from_secs(5), || async {
        client.get_association(MISSING).await.status == 404
    })
    .await
}

/// One round of requests that leave no state: a Get of an association that does not exist, an
/// invalid Create, and a Create followed by its Delete.
async fn round(client: &Client, svc: &str, sn: &str) {
    assert_eq!(client.get_association(MISSING).await.status, 404);
    let invalid = client
        .associate_body(&json!({ "serviceIdentifier": "not an id", "tags": { "aws:x": "y" } }))
        .await;
    assert_eq!(invalid.status, 400);
    let created = client.associate(svc, sn, None).await;
    assert_eq!(created.status, 200, "{:?}", created.json);
    let deleted = client.delete_association(&created.s("/id")).await;
    assert_eq!(deleted.status, 200, "{:?}", deleted.json);
}

/// `rounds` rounds on each of four concurrent tasks, each on its own pair.
async fn load(f: &Fixture, pairs: &[(String, String)], rounds: usize) {
    let tasks: Vec<_> = pairs
        .iter()
        .cloned()
        .map(|(svc, sn)| {
            let client = f.owner.clone();
            tokio::spawn(async move {
                for _ in 0..rounds {
                    round(&client, &svc, &sn).await;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn memory_stays_flat_under_sustained_load() {
    const ROUNDS: usize = 250; // per task and phase: 4 tasks x 4 requests = 4000 requests
    let _one_at_a_time = MEMORY.lock().await;
    let f = Fixture::correct().await;
    let mut pairs = Vec::new();
    for _ in 0..4 {
        let (sn, _) = f.owner.network().await;
        let (svc, _) = f.owner.service().await;
        pairs.push((svc, sn));
    }
    load(&f, &pairs, ROUNDS / 2).await; // warm-up
    let first = f.endpoint.received_count();
    load(&f, &pairs, ROUNDS).await;
    let after_n = status_kib("VmRSS");
    let n = f.endpoint.received_count() - first;
    load(&f, &pairs, ROUNDS).await;
    let after_2n = status_kib("VmRSS");
    let growth = after_2n as i64 - after_n as i64;
    eprintln!(
        "resident set after {n} requests {:.1} MiB, after {} {:.1} MiB: {growth} KiB, {:.0} bytes per request",
        mib(after_n),
        2 * n,
        mib(after_2n),
        growth as f64 * 1024.0 / n as f64
    );
    assert!(
        growth < 8 << 10,
        "the resident set grew by {growth} KiB over {n} requests"
    );
}
