//! A hostile endpoint on a loopback port: a raw TCP server (hangs and drips need one), one
//! request per connection, that answers the probe as AWS would or not ([`Onset`]) and meets every
//! other request with its [`Fault`] (or one of its faults, mixed: see [`Plan`]).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

use crate::fault::{probe_answer, Action, Fault};

/// When the fault starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Onset {
    /// From the first request: the harness's probe meets it.
    BeforeProbe,
    /// After the first request, which is answered as AWS answers the probe (404
    /// `ResourceNotFoundException`): the realistic case of an emulator that misbehaves partway
    /// through a run.
    AfterProbe,
}

impl Onset {
    /// Both onsets.
    pub const ALL: [Onset; 2] = [Onset::BeforeProbe, Onset::AfterProbe];

    /// `before probe` or `after probe`.
    pub fn name(self) -> &'static str {
        match self {
            Onset::BeforeProbe => "before probe",
            Onset::AfterProbe => "after probe",
        }
    }
}

/// What a hostile endpoint does.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Its faults: one, or several that requests meet in a pseudo-random order (a huge body at
    /// most once, being the slowest to serve).
    pub faults: Vec<Fault>,
    /// When they start.
    pub onset: Onset,
    /// Where its redirects point (`http://127.0.0.1:9/steal`, a closed port, by default): a
    /// server that must never be asked anything, when a test wants to know.
    pub redirect_to: String,
}

impl Plan {
    /// One fault, from `onset`.
    pub fn new(fault: Fault, onset: Onset) -> Self {
        Self::mixed(vec![fault], onset)
    }

    /// Several faults mixed, from `onset`.
    pub fn mixed(faults: Vec<Fault>, onset: Onset) -> Self {
        Self {
            faults,
            onset,
            redirect_to: "http://127.0.0.1:9".into(),
        }
    }

    /// Redirects point to `base` (`{base}/steal`).
    pub fn redirecting_to(mut self, base: &str) -> Self {
        self.redirect_to = base.trim_end_matches('/').to_owned();
        self
    }

    /// The action for the `n`-th request (from 0), whose head is `head`.
    fn action(&self, n: usize, head: &str) -> Action {
        if self.onset == Onset::AfterProbe && n == 0 {
            return probe_answer();
        }
        let pick = (n.wrapping_mul(2_654_435_761) >> 7) % self.faults.len().max(1);
        let fault = match self.faults.get(pick).copied().unwrap_or(Fault::Hang) {
            Fault::HugeBody if self.faults.len() > 1 && n > 0 => Fault::NotJson,
            f => f,
        };
        fault.action(&self.redirect_to, head)
    }
}

/// A running hostile endpoint; stopped (with every connection it holds) when dropped.
#[derive(Debug)]
pub struct HostileEndpoint {
    url: String,
    requests: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl HostileEndpoint {
    /// Starts one with one fault on a free loopback port.
    pub async fn start(fault: Fault, onset: Onset) -> std::io::Result<Self> {
        Self::start_plan(Plan::new(fault, onset)).await
    }

    /// Starts one that follows `plan` on a free loopback port.
    pub async fn start_plan(plan: Plan) -> std::io::Result<Self> {
        let plan = Arc::new(plan);
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        let requests = Arc::new(AtomicUsize::new(0));
        let counter = requests.clone();
        let task = tokio::spawn(async move {
            let mut connections = JoinSet::new();
            loop {
                tokio::select! {
                    accepted = listener.accept() => {
                        let Ok((stream, _)) = accepted else { continue };
                        let (plan, counter) = (plan.clone(), counter.clone());
                        connections.spawn(serve(stream, plan, counter));
                    }
                    Some(_) = connections.join_next(), if !connections.is_empty() => {}
                }
            }
        });
        Ok(Self {
            url,
            requests,
            task,
        })
    }

    /// Its base URL (`http://127.0.0.1:PORT`).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Requests read so far.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::Relaxed)
    }
}

impl Drop for HostileEndpoint {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Reads one request and acts on it.
async fn serve(mut stream: TcpStream, plan: Arc<Plan>, counter: Arc<AtomicUsize>) {
    let read = tokio::time::timeout(Duration::from_secs(30), read_request(&mut stream));
    let Ok(Some(head)) = read.await else {
        return;
    };
    let n = counter.fetch_add(1, Ordering::Relaxed);
    act(stream, plan.action(n, &head)).await;
}

/// Reads a request's head and its `content-length` body; the head, or `None` when the client
/// went away.
async fn read_request(stream: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if buf.len() > 1 << 20 {
            return None;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    let mut have = buf.len() - end;
    while have < length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        have += n;
    }
    Some(String::from_utf8_lossy(&buf[..end]).into_owned())
}

async fn act(mut stream: TcpStream, action: Action) {
    match action {
        Action::Send(bytes) => {
            let _ = stream.write_all(&bytes).await;
            let _ = stream.shutdown().await;
        }
        Action::Hang => {
            // Hold the connection until the client gives up.
            let mut sink = [0u8; 1024];
            while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
        }
        Action::Late(after, bytes) => {
            tokio::time::sleep(after).await;
            let _ = stream.write_all(&bytes).await;
            let _ = stream.shutdown().await;
        }
        Action::Drip { head, dripped } => {
            if stream.write_all(&head).await.is_err() {
                return;
            }
            for byte in dripped {
                if stream.write_all(&[byte]).await.is_err() || stream.flush().await.is_err() {
                    return;
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
        Action::Huge => {
            let size = 100usize << 20;
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {size}\r\nconnection: close\r\n\r\n"
            );
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let chunk = vec![b'{'; 1 << 20];
            for _ in 0..100 {
                if stream.write_all(&chunk).await.is_err() {
                    return;
                }
            }
        }
        Action::CloseAfter(bytes) => {
            let _ = stream.write_all(&bytes).await;
            let _ = stream.shutdown().await;
        }
        Action::Reset => {
            let _ = stream.set_zero_linger();
            drop(stream);
        }
    }
}
