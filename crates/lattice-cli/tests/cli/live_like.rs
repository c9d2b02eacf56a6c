//! A live run proved without AWS: `run --target <an aws-like profile> --allow-live` against
//! `serve --live-like` (AWS's quotas, transitions, read and RAM lags, a rate limit answered 429)
//! ten times faster than AWS. Every live-safe rule passes (the others are skipped, and the
//! catalogue says why), within the live budget of 400 requests, with at most 3 service networks
//! and 12 services alive at once by the endpoint's own count, nothing left afterwards; and
//! `--plan` told the truth beforehand.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use super::{temp_dir, BIN};

/// How many times faster than AWS the endpoint runs.
const SPEEDUP: u32 = 10;

/// A `serve --live-like` subprocess, and what its banner said.
struct LiveLike {
    child: Child,
    addr: String,
    banner: Vec<String>,
}

impl Drop for LiveLike {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl LiveLike {
    fn start() -> LiveLike {
        let mut child = Command::new(BIN)
            .args(["serve", "--port", "0", "--live-like", "--speedup"])
            .arg(SPEEDUP.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("serve starts");
        let lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut banner = Vec::new();
        for line in lines.map_while(Result::ok) {
            let end = line.starts_with("Ctrl-C");
            banner.push(line);
            if end {
                break;
            }
        }
        let addr = banner
            .iter()
            .find_map(|l| l.strip_prefix("reference endpoint: http://"))
            .unwrap_or_else(|| panic!("serve prints its endpoint: {banner:?}"))
            .trim()
            .to_owned();
        LiveLike {
            child,
            addr,
            banner,
        }
    }

    /// The keys `serve` printed for a principal.
    fn keys(&self, name: &str) -> (String, String) {
        let line = self
            .banner
            .iter()
            .find(|l| l.trim_start().starts_with(name))
            .unwrap_or_else(|| panic!("serve prints the keys of `{name}`"));
        let value = |key: &str| {
            line.split_whitespace()
                .find_map(|w| w.strip_prefix(key))
                .unwrap_or_default()
                .to_owned()
        };
        (value("AWS_ACCESS_KEY_ID="), value("AWS_SECRET_ACCESS_KEY="))
    }

    /// An aws-like profile for it: `live = true` (so the run needs `--allow-live` and takes
    /// the fixture economy), the live budget, AWS's capabilities (no reset hook), polls as far
    /// apart as on AWS at this speedup.
    fn profile(&self) -> String {
        let mut text = format!(
            "name = \"aws-like\"\nendpoint = \"http://{}\"\nregion = \"us-east-1\"\nlive = true\nbudget = 400\n\n[capabilities]\nram = true\nasync_status = true\ndelete = true\n\n[limits]\npoll_ms = {}\n",
            self.addr,
            1000 / SPEEDUP
        );
        for role in ["owner", "peer", "outsider"] {
            let (id, secret) = self.keys(role);
            text.push_str(&format!(
                "\n[[principals]]\nrole = \"{role}\"\naccess_key_id = \"{id}\"\nsecret_access_key = \"{secret}\"\n"
            ));
        }
        text
    }

    /// The endpoint's census (`GET /__reference/census`).
    fn census(&self) -> Value {
        let mut stream = TcpStream::connect(&self.addr).expect("connect");
        let request = format!(
            "GET /__reference/census HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        );
        stream.write_all(request.as_bytes()).unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        let body = answer.split("\r\n\r\n").nth(1).unwrap_or_default();
        serde_json::from_str(body).unwrap_or_else(|e| panic!("census: {e}: {answer}"))
    }
}

fn run_json(dir: &std::path::Path, args: &[&str], name: &str) -> (i32, Value, String) {
    let out = Command::new(BIN)
        .args(args)
        .args(["--seed", "7", "--json", name])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("LATTICE_JOURNAL_DIR", dir)
        .output()
        .expect("run");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let json = std::fs::read_to_string(dir.join(name))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_else(|| panic!("`{name}` written: {text}"));
    (out.status.code().unwrap_or(-1), json, text)
}

#[test]
fn a_live_run_against_the_live_like_endpoint_fits_the_budget_and_the_quotas() {
    let served = LiveLike::start();
    let dir = temp_dir("live-like");
    let profile = dir.join("aws-like.toml");
    std::fs::write(&profile, served.profile()).unwrap();
    let target = profile.to_str().unwrap();

    let (code, plan, text) = run_json(&dir, &["run", "--target", target, "--plan"], "plan.json");
    assert_eq!(code, 0, "{text}");
    let before = served.census();
    assert_eq!(
        before["received"], 1,
        "the plan sent nothing to the endpoint"
    );

    let (code, report, text) = run_json(
        &dir,
        &["run", "--target", target, "--allow-live"],
        "run.json",
    );
    assert_eq!(code, 0, "{text}");
    let catalogue = lattice_spec::Catalogue::embedded();
    for rule in report["rules"].as_array().unwrap() {
        let id = rule["id"].as_str().unwrap();
        let marked = catalogue
            .rules()
            .iter()
            .find(|r| r.id == id)
            .and_then(|r| r.not_live_safe());
        match rule["verdict"].as_str().unwrap() {
            "pass" => {}
            "skipped" => assert!(marked.is_some(), "{id} skipped but live-safe: {rule}"),
            other => panic!("{id} is {other}: {rule}"),
        }
    }

    // The endpoint's own count: what was sent, and what was alive at once.
    let mut census = served.census();
    for _ in 0..100 {
        if census["alive"]
            .as_object()
            .unwrap()
            .values()
            .all(|n| n == 0)
        {
            break;
        }
        // Deleted services and networks finish their transition.
        std::thread::sleep(Duration::from_millis(50));
        census = served.census();
    }
    let requests = report["requests"].as_u64().unwrap();
    assert!(requests <= 400, "{requests} requests");
    let received = census["received"].as_u64().unwrap() - 2;
    assert!(received <= 400, "the endpoint received {received} requests");
    assert!(
        census["peak"]["serviceNetworks"].as_u64().unwrap() <= 3,
        "{census}"
    );
    assert!(
        census["peak"]["services"].as_u64().unwrap() <= 12,
        "{census}"
    );
    assert_eq!(
        census["alive"],
        serde_json::json!({"associations": 0, "serviceNetworks": 0, "services": 0}),
        "nothing is left: {census}"
    );
    assert_eq!(report["leaks"], serde_json::json!([]));

    // The plan said so beforehand: the same resources in all and at once, and the requests
    // within a tenth (polls and retries after the rate limit depend on timing).
    assert_eq!(plan["created"]["services"], census["created"]["services"]);
    assert_eq!(
        plan["created"]["service_networks"],
        census["created"]["serviceNetworks"]
    );
    assert_eq!(
        plan["created"]["associations"],
        census["created"]["associations"]
    );
    assert_eq!(plan["peak"]["services"], census["peak"]["services"]);
    assert_eq!(
        plan["peak"]["service_networks"],
        census["peak"]["serviceNetworks"]
    );
    let planned = plan["requests"].as_u64().unwrap();
    assert!(
        planned.abs_diff(requests) * 10 <= requests,
        "plan {planned} requests, run {requests}"
    );
    eprintln!(
        "live-like run: {requests} requests ({} rate-limited), plan {planned}; peaks {}; {}",
        census["rateLimited"],
        census["peak"],
        text.lines()
            .find(|l| l.contains(" rules: "))
            .unwrap_or_default()
    );
}
