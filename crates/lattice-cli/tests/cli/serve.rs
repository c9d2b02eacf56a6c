//! `serve` holds up as a process: it keeps accepting after running out of file descriptors, and a
//! client that leaves mid-body is one line on stderr, never a panic. Its printed example is an
//! operation it serves, its failure plans (`--fail-create`, `--fail-delete`) make
//! associations fail as documented, and `--choice` switches a reading on.

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
    /// What it printed before serving, up to `Ctrl-C stops it.`.
    banner: Vec<String>,
}

/// A response read off a `Connection: close` exchange.
struct Answered {
    status_line: String,
    body: serde_json::Value,
}

impl Served {
    /// Starts `serve --port 0`, with at most `nofile` file descriptors when given.
    fn start(nofile: Option<u32>) -> Served {
        Self::start_with(nofile, &[])
    }

    /// Starts `serve --port 0 ARGS`, with at most `nofile` file descriptors when given.
    fn start_with(nofile: Option<u32>, args: &[&str]) -> Served {
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
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("serve starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut banner = Vec::new();
        while !banner.iter().any(|l: &String| l.starts_with("Ctrl-C")) {
            let line = rx
                .recv_timeout(Duration::from_secs(30))
                .unwrap_or_else(|_| panic!("serve prints its banner; so far: {banner:?}"));
            banner.push(line);
        }
        let addr = banner
            .iter()
            .find_map(|l| l.strip_prefix("reference endpoint: http://"))
            .expect("serve prints its endpoint")
            .trim()
            .to_owned();
        Served {
            child,
            addr,
            banner,
        }
    }

    /// The banner line starting with `prefix`, without it.
    fn printed(&self, prefix: &str) -> Option<&str> {
        self.banner.iter().find_map(|l| l.strip_prefix(prefix))
    }

    /// A request signed by the built-in owner for `vpc-lattice` in `us-east-1`.
    fn signed(&self, method: &str, path: &str, body: &str) -> Result<Answered, String> {
        let owner = Config::default().principal("owner").unwrap().clone();
        self.signed_as(
            method,
            path,
            body,
            &owner.access_key,
            &owner.secret_key,
            "us-east-1",
        )
    }

    /// A request signed with these keys for `vpc-lattice` in `region`: the status line and
    /// the JSON body answered, or why there was none.
    fn signed_as(
        &self,
        method: &str,
        path: &str,
        body: &str,
        access_key: &str,
        secret_key: &str,
        region: &str,
    ) -> Result<Answered, String> {
        let creds = Credentials {
            access_key_id: access_key.to_owned(),
            secret_access_key: Secret::new(secret_key.to_owned()),
            session_token: None,
        };
        let url = format!("http://{}{path}", self.addr);
        let headers = vec![("content-type".to_owned(), "application/json".to_owned())];
        let signed = sigv4_headers(
            method,
            &url,
            &headers,
            body.as_bytes(),
            &creds,
            region,
            "vpc-lattice",
            SystemTime::now(),
        )?;
        let mut request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Length: {}\r\n",
            self.addr,
            body.len()
        );
        for (k, v) in headers.into_iter().chain(signed) {
            request.push_str(&format!("{k}: {v}\r\n"));
        }
        request.push_str("Connection: close\r\n\r\n");
        request.push_str(body);
        let mut stream = TcpStream::connect(&self.addr).map_err(|e| e.to_string())?;
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .map_err(|e| e.to_string())?;
        stream
            .write_all(request.as_bytes())
            .map_err(|e| e.to_string())?;
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        let status_line = answer
            .lines()
            .next()
            .filter(|l| l.starts_with("HTTP/1.1 "))
            .map(str::to_owned)
            .ok_or_else(|| format!("no answer: {answer:?}"))?;
        let body = answer
            .split_once("\r\n\r\n")
            .and_then(|(_, b)| serde_json::from_str(b).ok())
            .unwrap_or_default();
        Ok(Answered { status_line, body })
    }

    /// A Get of an association that does not exist, signed by the built-in owner: the status
    /// line answered, or why there was none.
    fn signed_get(&self) -> Result<String, String> {
        self.signed(
            "GET",
            "/servicenetworkserviceassociations/snsa-0123456789abcdef0",
            "",
        )
        .map(|a| a.status_line)
    }

    /// Runs `check` against the process, then stops it, even if `check` panicked (the panic
    /// then goes on, with stderr printed); what it wrote on stderr.
    fn stop_after(self, check: impl FnOnce(&Served)) -> String {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&self)));
        let stderr = self.stop();
        if let Err(panic) = result {
            eprintln!("serve's stderr: {stderr}");
            std::panic::resume_unwind(panic);
        }
        stderr
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

#[test]
fn the_printed_example_is_an_operation_serve_answers_with_the_printed_settings() {
    let served = Served::start(None);
    let example = served
        .printed("example: ")
        .expect("an example line")
        .to_owned();
    let stderr = served.stop_after(|served| {
        let setting = |name: &str| {
            example
                .split_whitespace()
                .find_map(|w| w.strip_prefix(&format!("{name}=")))
                .unwrap_or_else(|| panic!("{name} is not set in `{example}`"))
                .to_owned()
        };
        assert!(
            example.ends_with("aws vpc-lattice list-service-networks"),
            "{example}"
        );
        assert_eq!(
            setting("AWS_ENDPOINT_URL"),
            format!("http://{}", served.addr)
        );
        assert_eq!(setting("AWS_DEFAULT_REGION"), setting("AWS_REGION"));
        // What `aws vpc-lattice list-service-networks` sends: GET /servicenetworks, signed with
        // the printed keys for the printed region.
        let listed = served
            .signed_as(
                "GET",
                "/servicenetworks",
                "",
                &setting("AWS_ACCESS_KEY_ID"),
                &setting("AWS_SECRET_ACCESS_KEY"),
                &setting("AWS_DEFAULT_REGION"),
            )
            .unwrap();
        assert_eq!(listed.status_line, "HTTP/1.1 200 OK", "{}", listed.body);
        assert_eq!(listed.body, serde_json::json!({ "items": [] }));
    });
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn fail_create_and_fail_delete_make_associations_fail_and_are_printed() {
    let served = Served::start_with(
        None,
        &["--fail-create", "create#1", "--fail-delete", "delete#1"],
    );
    assert_eq!(
        served.printed("fail-create:").map(str::trim),
        Some("create#1")
    );
    assert_eq!(
        served.printed("fail-delete:").map(str::trim),
        Some("delete#1")
    );
    served.stop_after(|served| {
        let sn = served
            .signed("POST", "/servicenetworks", r#"{"name":"net-fail"}"#)
            .unwrap();
        let svc = served
            .signed("POST", "/services", r#"{"name":"checkout"}"#)
            .unwrap();
        let body = serde_json::json!({
            "serviceIdentifier": svc.body["id"],
            "serviceNetworkIdentifier": sn.body["id"],
        });
        let created = served
            .signed(
                "POST",
                "/servicenetworkserviceassociations",
                &body.to_string(),
            )
            .unwrap();
        assert_eq!(created.body["status"], "CREATE_FAILED", "{}", created.body);
        let path = format!(
            "/servicenetworkserviceassociations/{}",
            created.body["id"].as_str().unwrap_or_default()
        );
        let got = served.signed("GET", &path, "").unwrap();
        assert_eq!(got.body["status"], "CREATE_FAILED");
        assert_eq!(got.body["failureCode"], "REFERENCE_INJECTED_FAILURE");
        assert!(got.body["failureMessage"]
            .as_str()
            .is_some_and(|m| m.contains("create#1")));
        // The first deletion fails, the retry deletes.
        let deleted = served.signed("DELETE", &path, "").unwrap();
        assert_eq!(deleted.status_line, "HTTP/1.1 200 OK");
        let got = served.signed("GET", &path, "").unwrap();
        assert_eq!(got.body["status"], "DELETE_FAILED", "{}", got.body);
        assert!(got.body["failureMessage"]
            .as_str()
            .is_some_and(|m| m.contains("delete#1")));
        served.signed("DELETE", &path, "").unwrap();
        let gone = served.signed("GET", &path, "").unwrap();
        assert_eq!(gone.status_line, "HTTP/1.1 404 Not Found");
    });
}

#[test]
fn a_bad_failure_plan_is_a_usage_error_with_a_hint_and_help_documents_the_plans() {
    for args in [
        ["serve", "--fail-create", "delete#1"],
        ["serve", "--fail-delete", "delete#0"],
        ["serve", "--fail-create", "service="],
    ] {
        let out = Command::new(BIN).args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("hint"), "{args:?}: {stderr}");
    }
    let help = Command::new(BIN)
        .args(["serve", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    for documented in [
        "--fail-create",
        "--fail-delete",
        "create#N",
        "delete#N",
        "service=NAME_OR_ID",
        "CREATE_FAILED",
        "DELETE_FAILED",
        "failureCode",
    ] {
        assert!(
            help.contains(documented),
            "serve --help lacks {documented}: {help}"
        );
    }
}

#[test]
fn choices_are_listed_switched_on_by_name_and_an_unknown_one_is_a_usage_error() {
    let out = Command::new(BIN)
        .args(["serve", "--list-choices"])
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&out.stdout);
    for c in lattice_reference::Choice::ALL {
        assert!(listed.contains(c.name()), "{c} not listed: {listed}");
    }
    for args in [
        ["serve", "--choice", "no-such-choice"],
        ["run", "--choice", "no-such-choice"],
    ] {
        let out = Command::new(BIN).args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("--list-choices"), "{args:?}: {stderr}");
    }
    let served = Served::start_with(None, &["--choice", "resource-type-other-spelling"]);
    assert!(
        served
            .banner
            .iter()
            .any(|l| l == "choices:            resource-type-other-spelling"),
        "{:?}",
        served.banner
    );
    let stderr = served.stop_after(|s| {
        let answered = s
            .signed(
                "POST",
                "/servicenetworkserviceassociations",
                r#"{"serviceIdentifier":"svc-0123456789abcdef0","serviceNetworkIdentifier":"sn-0123456789abcdef0"}"#,
            )
            .expect("served");
        assert!(answered.status_line.contains("404"), "{}", answered.status_line);
        assert_eq!(answered.body["resourceType"], "Service", "{:?}", answered.body);
    });
    assert!(!stderr.contains("panicked"), "{stderr}");
}
