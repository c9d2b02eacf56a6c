//! Safety, tried as a hostile tester would: nothing reaches a live endpoint without
//! `--allow-live` (counting stubs on every endpoint of the profile see no connection), `--plan`
//! sends nothing anywhere, an endpoint that echoes what it is sent leaves no secret in any output
//! file or on the console, a signal during cleanup is accounted for, and bad input is a usage
//! error naming what is wrong.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use lattice_faults::{Fault, HostileEndpoint, Onset};
use lattice_reference::{Config, ReferenceEndpoint};

use super::{canary_principals, canary_profile, reports_in, temp_dir, text, BIN, SECRETS};

/// A loopback listener that counts the connections made to it and answers none.
struct CountingStub {
    url: String,
    connections: Arc<AtomicUsize>,
}

impl CountingStub {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let connections = Arc::new(AtomicUsize::new(0));
        let counter = connections.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                counter.fetch_add(1, Ordering::SeqCst);
                drop(stream);
            }
        });
        Self { url, connections }
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

/// The binary with `args`, its journal under `dir`.
fn command(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(BIN);
    c.args(args)
        .env("NO_COLOR", "1")
        .env("LATTICE_JOURNAL_DIR", dir.join("runs"))
        .env_remove("AWS_ENDPOINT_URL")
        .env_remove("AWS_ENDPOINT_URL_VPC_LATTICE")
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION");
    c
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    command(dir, args).output().unwrap()
}

/// A profile with static test keys, `endpoint` and (when given) `ram_endpoint`.
fn profile(dir: &Path, name: &str, endpoint: &str, ram: Option<&str>) -> PathBuf {
    let mut text = format!("name = \"{name}\"\nendpoint = \"{endpoint}\"\n");
    if let Some(ram) = ram {
        text.push_str(&format!("ram_endpoint = \"{ram}\"\n"));
    }
    text.push_str("[capabilities]\nram = true\n");
    for (i, role) in ["owner", "peer", "outsider"].iter().enumerate() {
        text.push_str(&format!(
            "[[principals]]\nrole = \"{role}\"\naccess_key_id = \"AKIASTUB{i:012}\"\nsecret_access_key = \"{}\"\n",
            SECRETS[i]
        ));
    }
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, text).unwrap();
    path
}

/// Every spelling of a live AWS host that must be recognised.
const LIVE_SPELLINGS: [&str; 8] = [
    "https://vpc-lattice.us-east-1.amazonaws.com.",
    "https://vpc-lattice.us-east-1.amazonaws.com.:443/",
    "https://user:pw@vpc-lattice.us-east-1.amazonaws.com",
    "HTTPS://VPC-LATTICE.US-EAST-1.AMAZONAWS.COM",
    "https://vpc-lattice.eusc-de-east-1.amazonaws.eu",
    "https://vpc-lattice.us-iso-east-1.c2s.ic.gov",
    "https://vpc-lattice.us-isob-east-1.sc2s.sgov.gov",
    "https://vpc-lattice.us-east-1.api.aws",
];

#[test]
fn every_live_spelling_on_any_endpoint_is_refused_before_any_connection() {
    let dir = temp_dir("live-spellings");
    let stub = CountingStub::start();
    for live in LIVE_SPELLINGS {
        for (endpoint, ram) in [(live, stub.url.as_str()), (stub.url.as_str(), live)] {
            let path = profile(&dir, "spelling", endpoint, Some(ram));
            let started = Instant::now();
            let out = run_in(&dir, &["run", "--target", path.to_str().unwrap()]);
            let t = text(&out);
            assert_eq!(out.status.code(), Some(2), "{endpoint} / {ram}: {t}");
            assert!(
                t.contains("is live AWS")
                    && t.contains("--allow-live")
                    && t.contains(&live.replace(":pw@", ":***@")),
                "{endpoint} / {ram}: {t}"
            );
            assert!(!t.contains(":pw@"), "a password in a URL was shown: {t}");
            // Refused at once: no DNS lookup or connection attempt was waited for.
            assert!(started.elapsed() < Duration::from_secs(10), "{live}");
        }
        // The same for cleanup.
        let path = profile(&dir, "spelling", live, Some(&stub.url));
        let out = run_in(
            &dir,
            &[
                "cleanup",
                "--run-id",
                "0badc0de",
                "--target",
                path.to_str().unwrap(),
            ],
        );
        assert_eq!(out.status.code(), Some(2), "cleanup {live}: {}", text(&out));
    }
    assert_eq!(stub.connections(), 0, "a refused run connected to the stub");
}

#[test]
fn plan_sends_nothing_to_any_endpoint_of_the_profile() {
    let dir = temp_dir("plan-nothing");
    let (lattice, ram) = (CountingStub::start(), CountingStub::start());
    let path = profile(&dir, "stubs", &lattice.url, Some(&ram.url));
    let out = run_in(
        &dir,
        &[
            "run",
            "--target",
            path.to_str().unwrap(),
            "--plan",
            "--cases",
            "2",
        ],
    );
    let t = text(&out);
    assert_eq!(out.status.code(), Some(0), "{t}");
    assert!(t.contains("CreateServiceNetworkServiceAssociation"), "{t}");
    assert!(
        t.contains("CreateResourceShare"),
        "the plan covers RAM too: {t}"
    );
    // A live profile's plan needs no --allow-live, and sends nothing either.
    let live = profile(&dir, "live", LIVE_SPELLINGS[0], Some(&ram.url));
    let out = run_in(&dir, &["run", "--target", live.to_str().unwrap(), "--plan"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(
        (lattice.connections(), ram.connections()),
        (0, 0),
        "--plan connected to an endpoint of the profile"
    );
}

/// Every file under `dir` (reports, journals), as text.
fn files_under(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let p = entry.path();
            if p.is_dir() {
                todo.push(p);
            } else if p.extension().is_none_or(|e| e != "toml") {
                let body = String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned();
                out.push((p, body));
            }
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_echoing_endpoint_leaves_no_secret_in_any_output() {
    let endpoint = HostileEndpoint::start(Fault::Echo, Onset::AfterProbe)
        .await
        .unwrap();
    let dir = temp_dir("echo");
    let path = canary_profile(&dir, endpoint.url());
    let (reports, flags) = reports_in(&dir);
    let out = tokio::task::spawn_blocking({
        let dir = dir.clone();
        move || {
            let mut args: Vec<&str> = vec![
                "run",
                "--target",
                path.to_str().unwrap(),
                "--cases",
                "2",
                "--seed",
                "9",
                "--verbose",
                "--deadline",
                "20s",
                "--status-timeout",
                "2",
            ];
            args.extend(flags.iter().map(String::as_str));
            run_in(&dir, &args)
        }
    })
    .await
    .unwrap();
    assert!(endpoint.requests() > 10, "the endpoint was exercised");
    let console = text(&out);
    assert!(matches!(out.status.code(), Some(1 | 3)), "{console}");
    let files = files_under(&dir);
    for r in &reports {
        assert!(
            files.iter().any(|(p, _)| p == r),
            "{} not written",
            r.display()
        );
    }
    assert!(
        files
            .iter()
            .any(|(p, _)| p.extension().is_some_and(|e| e == "jsonl")),
        "the run journals what it created (a leak keeps the journal): {files:?}",
        files = files.iter().map(|(p, _)| p).collect::<Vec<_>>()
    );
    let mut outputs = vec![(PathBuf::from("console"), console)];
    outputs.extend(files);
    for (name, body) in &outputs {
        for secret in SECRETS {
            assert!(
                !body.contains(secret),
                "{secret} leaked into {}",
                name.display()
            );
        }
        let signed = body
            .match_indices("Signature=")
            .any(|(i, _)| body[i + 10..].starts_with(|c: char| c.is_ascii_hexdigit()));
        assert!(
            !signed,
            "a request signature leaked into {}",
            name.display()
        );
    }
    #[cfg(unix)]
    for (name, _) in &outputs[1..] {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(name).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{} is readable by others", name.display());
    }
}

/// Sends `signal` (`INT`, `TERM`) to a process.
fn kill(pid: u32, signal: &str) {
    let ok = Command::new("kill")
        .args([&format!("-{signal}"), &pid.to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill -{signal} {pid}");
}

/// A run against a reference endpoint whose deletions take `delay`: the test signals it once the
/// run has created resources, and again (when `twice`) once it says it is cleaning up.
fn interrupted_run(dir: &Path, url: &str, first: &'static str, twice: bool) -> (Output, String) {
    let path = canary_profile(dir, url);
    let (_, flags) = reports_in(dir);
    let mut args = vec!["run", "--target", path.to_str().unwrap(), "--cases", "4"];
    args.extend(flags.iter().map(String::as_str));
    let mut child = command(dir, &args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let stderr = child.stderr.take().unwrap();
    let journal_dir = dir.join("runs");
    let watcher = std::thread::spawn(move || {
        let mut seen = String::new();
        let mut signalled = 0;
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            seen.push_str(&line);
            seen.push('\n');
            if signalled == 0 && line.contains("run id") {
                // Wait until the run has journalled a few resources.
                let until = Instant::now() + Duration::from_secs(60);
                while Instant::now() < until && journal_lines(&journal_dir) < 6 {
                    std::thread::sleep(Duration::from_millis(20));
                }
                kill(pid, first);
                signalled = 1;
            } else if signalled == 1 && twice && line.contains("cleaning up") {
                std::thread::sleep(Duration::from_millis(300));
                kill(pid, "INT");
                signalled = 2;
            }
        }
        seen
    });
    let out = child.wait_with_output().unwrap();
    let console = watcher.join().unwrap();
    (out, console)
}

fn journal_lines(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                .map(|t| t.lines().count())
                .sum()
        })
        .unwrap_or(0)
}

async fn slow_reference() -> ReferenceEndpoint {
    ReferenceEndpoint::start(Config {
        principals: canary_principals(),
        transition_delay: Duration::from_millis(1500),
        ..Config::default()
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signal_during_the_checks_cleans_up_and_exits_non_zero() {
    let endpoint = slow_reference().await;
    let dir = temp_dir("sigterm");
    let url = endpoint.url();
    let (out, console) = tokio::task::spawn_blocking({
        let dir = dir.clone();
        move || interrupted_run(&dir, &url, "TERM", false)
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(3), "{console}");
    assert!(console.contains("terminated: cleaning up"), "{console}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("r.json")).unwrap()).unwrap();
    assert_eq!(json["interrupted"], true);
    assert_eq!(json["leaks"], serde_json::json!([]), "{console}");
    assert_eq!(
        journal_lines(&dir.join("runs")),
        0,
        "a clean end keeps no journal"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_ctrl_c_during_cleanup_lists_the_leaks_and_cleanup_finishes_the_job() {
    let endpoint = slow_reference().await;
    let dir = temp_dir("ctrl-c-cleanup");
    let url = endpoint.url();
    let (out, console) = tokio::task::spawn_blocking({
        let (dir, url) = (dir.clone(), url.clone());
        move || interrupted_run(&dir, &url, "INT", true)
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(3), "{console}");
    assert!(
        console.contains("interrupted again: cleanup stopped"),
        "{console}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("r.json")).unwrap()).unwrap();
    assert_eq!(json["interrupted"], true);
    let leaks = json["leaks"].as_array().cloned().unwrap_or_default();
    assert!(!leaks.is_empty(), "{console}");
    assert!(
        leaks
            .iter()
            .all(|l| l["reason"].as_str().is_some_and(|r| !r.is_empty())),
        "{leaks:?}"
    );
    assert!(
        leaks.iter().any(|l| l["reason"]
            .as_str()
            .is_some_and(|r| r.contains("not verified deleted: the cleanup was interrupted"))),
        "{leaks:?}"
    );
    let run_id = json["run_id"].as_str().unwrap().to_owned();
    assert!(
        console.contains(&format!("cleanup --run-id {run_id}")),
        "{console}"
    );
    let markdown = std::fs::read_to_string(dir.join("r.md")).unwrap();
    assert!(!markdown.is_empty());
    assert!(journal_lines(&dir.join("runs")) > 0, "the journal is kept");
    // What the console says to run finishes the job.
    let path = dir.join("canary.toml");
    let out = tokio::task::spawn_blocking({
        let dir = dir.clone();
        move || {
            run_in(
                &dir,
                &[
                    "cleanup",
                    "--run-id",
                    &run_id,
                    "--target",
                    path.to_str().unwrap(),
                ],
            )
        }
    })
    .await
    .unwrap();
    let t = text(&out);
    assert_eq!(out.status.code(), Some(0), "{t}");
    assert!(
        t.contains("deleted and verified gone") && !t.contains("LEAK"),
        "{t}"
    );
}

#[test]
fn bad_input_is_a_usage_error_naming_what_is_wrong() {
    let dir = temp_dir("bad-input");
    let stub = CountingStub::start();
    let good = profile(&dir, "good", &stub.url, None);
    let good = good.to_str().unwrap();
    let victim = dir.join("victim.jsonl");
    std::fs::write(&victim, "keep me\n").unwrap();
    let limits = |key: &str, value: &str| {
        let p = dir.join(format!("limits-{key}.toml"));
        let text = std::fs::read_to_string(dir.join("good.toml")).unwrap();
        std::fs::write(&p, format!("{text}[limits]\n{key} = {value}\n")).unwrap();
        p.display().to_string()
    };
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec![
                "run".into(),
                "--rules".into(),
                "VAL-SVC-REQUIRED,NOPE-X".into(),
            ],
            "NOPE-X",
        ),
        (
            vec!["rules".into(), "--rules".into(), "NOPE-X".into()],
            "NOPE-X",
        ),
        (
            vec!["run".into(), "--budget".into(), "0".into()],
            "--budget 0",
        ),
        (
            vec![
                "run".into(),
                "--endpoint".into(),
                "http://127.0.0.1:99999".into(),
            ],
            "invalid port",
        ),
        (
            vec![
                "run".into(),
                "--endpoint".into(),
                "http://127.0.0.1:1\r\nX-Injected: 1".into(),
            ],
            "control character",
        ),
        (
            vec!["run".into(), "--target".into(), "/dev/zero".into()],
            "larger than",
        ),
        (
            vec!["check-client".into(), "/dev/zero".into()],
            "larger than",
        ),
        (
            vec![
                "cleanup".into(),
                "--run-id".into(),
                "../victim".into(),
                "--target".into(),
                good.into(),
            ],
            "not a run id",
        ),
        (
            vec![
                "run".into(),
                "--target".into(),
                limits("request_timeout_ms", "0"),
            ],
            "request_timeout_ms",
        ),
        (
            vec![
                "run".into(),
                "--target".into(),
                limits("request_timeout_ms", "18446744073709551615"),
            ],
            "request_timeout_ms",
        ),
        (
            vec![
                "run".into(),
                "--target".into(),
                limits("retries", "4294967295"),
            ],
            "retries",
        ),
        (
            vec![
                "run".into(),
                "--target".into(),
                good.into(),
                "--json".into(),
                dir.join("no/such/dir/r.json").display().to_string(),
            ],
            "r.json",
        ),
    ];
    for (args, says) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let started = Instant::now();
        let out = run_in(&dir, &args);
        let t = text(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {t}");
        assert!(t.contains(says), "{args:?}: {t}");
        assert!(!t.contains("panicked"), "{args:?}: {t}");
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{args:?} took long"
        );
    }
    let out = Command::new(BIN)
        .args(["run", "--endpoint", "http://127.0.0.1:1"])
        .env("AWS_REGION", "us-east-1\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("region"), "{}", text(&out));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me\n");
    assert_eq!(
        stub.connections(),
        0,
        "a refused run connected to its endpoint"
    );
}

#[test]
fn an_unreachable_endpoint_still_writes_every_report() {
    let dir = temp_dir("unreachable-reports");
    let path = profile(&dir, "closed", "http://127.0.0.1:9", None);
    let (reports, flags) = reports_in(&dir);
    let mut args = vec!["run", "--target", path.to_str().unwrap()];
    args.extend(flags.iter().map(String::as_str));
    let out = run_in(&dir, &args);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    for r in &reports {
        let body = std::fs::read_to_string(r).unwrap_or_default();
        assert!(body.contains("unreachable"), "{}: {body:.200}", r.display());
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&reports[0]).unwrap()).unwrap();
    assert_eq!(json["summary"]["pass"], 0);
    assert_eq!(json["summary"]["inconclusive"], json["summary"]["total"]);
}
