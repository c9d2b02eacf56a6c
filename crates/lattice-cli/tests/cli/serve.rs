//! `serve` holds up as a process: it keeps accepting after running out of file descriptors, and a
//! client that leaves mid-body is one line on stderr, never a panic.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use lattice_reference::Config;
use lattice_transport::credentials::{Credentials, Secret};
use lattice_transport::driver::sigv4_headers;

use super::BIN;

/// A `serve` subprocess on a free loopback port.
struct Served {
    child: Child,
    addr: String,
}

impl Served {
    /// Starts `serve --port 0`, with at most `nofile` file descriptors when given.
    fn start(nofile: Option<u32>) -> Served {
        let mut command = match nofile {
            Some(n) if std::path::Path::new("/usr/bin/prlimit").exists() => {
                let mut c = Command::new("/usr/bin/prlimit");
                c.arg(format!("--nofile={n}:{n}")).arg(BIN);
                c
            }
            Some(n) => {
                let mut c = Command::new("sh");
                c.args(["-c", &format!("ulimit -n {n} && exec \"$0\" \"$@\""), BIN]);
                c
            }
            None => Command::new(BIN),
        };
        let mut child = command
            .args(["serve", "--port", "0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("serve starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("reference endpoint: http://") {
                    let _ = tx.send(url.trim().to_owned());
                }
            }
        });
        let addr = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("serve prints its endpoint");
        Served { child, addr }
    }

    /// A Get of an association that does not exist, signed by the built-in owner: the status
    /// line answered, or why there was none.
    fn signed_get(&self) -> Result<String, String> {
        let owner = Config::default().principal("owner").unwrap().clone();
        let creds = Credentials {
            access_key_id: owner.access_key.clone(),
            secret_access_key: Secret::new(owner.secret_key.clone()),
            session_token: None,
        };
        let path = "/servicenetworkserviceassociations/snsa-0123456789abcdef0";
        let url = format!("http://{}{path}", self.addr);
        let signed = sigv4_headers(
            "GET",
            &url,
            &[],
            b"",
            &creds,
            "us-east-1",
            "vpc-lattice",
            SystemTime::now(),
        )?;
        let mut request = format!("GET {path} HTTP/1.1\r\nHost: {}\r\n", self.addr);
        for (k, v) in signed {
            request.push_str(&format!("{k}: {v}\r\n"));
        }
        request.push_str("Connection: close\r\n\r\n");
        let mut stream = TcpStream::connect(&self.addr).map_err(|e| e.to_string())?;
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .map_err(|e| e.to_string())?;
        stream
            .write_all(request.as_bytes())
            .map_err(|e| e.to_string())?;
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        answer
            .lines()
            .next()
            .filter(|l| l.starts_with("HTTP/1.1 "))
            .map(str::to_owned)
            .ok_or_else(|| format!("no answer: {answer:?}"))
    }

    /// Stops the process; what it wrote on stderr.
    fn stop(mut self) -> String {
        let _ = self.child.kill();
        let mut stderr = String::new();
        let _ = self
            .child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr);
        let _ = self.child.wait();
        stderr
    }
}

/// Retries `f` for up to 20 s; its last result.
fn retrying<T, E>(mut f: impl FnMut() -> Result<T, E>) -> Result<T, E> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let result = f();
        if result.is_ok() || Instant::now() > deadline {
            return result;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn serve_keeps_accepting_after_running_out_of_file_descriptors() {
    let served = Served::start(Some(64));
    let first = served.signed_get();
    // More connections than the process may have descriptors: the accepts beyond fail (EMFILE).
    let flood: Vec<TcpStream> = (0..150)
        .filter_map(|_| TcpStream::connect(&served.addr).ok())
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let flooded = flood.len();
    drop(flood);
    let after = retrying(|| served.signed_get());
    let stderr = served.stop();
    assert_eq!(
        first.as_deref(),
        Ok("HTTP/1.1 404 Not Found"),
        "before the flood; stderr: {stderr}"
    );
    assert_eq!(
        after.as_deref(),
        Ok("HTTP/1.1 404 Not Found"),
        "after {flooded} connections; stderr: {stderr}"
    );
    assert!(
        stderr.contains("cannot accept a connection")
            && stderr.contains("accepting connections again"),
        "the accept failures are logged: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_client_leaving_mid_body_is_one_logged_line_not_a_panic() {
    let served = Served::start(None);
    for _ in 0..3 {
        let mut stream = TcpStream::connect(&served.addr).unwrap();
        stream
            .write_all(b"POST /servicenetworkserviceassociations HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{\"serviceIdentifier\":")
            .unwrap();
    }
    let after = retrying(|| served.signed_get());
    // The log lines are written when the server notices the closes: give it a moment.
    std::thread::sleep(Duration::from_millis(300));
    let stderr = served.stop();
    assert_eq!(after.as_deref(), Ok("HTTP/1.1 404 Not Found"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("backtrace"), "{stderr}");
    let closed: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("closed: the request body broke off"))
        .collect();
    assert_eq!(closed.len(), 3, "one line per connection: {stderr}");
}
