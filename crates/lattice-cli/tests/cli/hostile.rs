//! Bounded runs: the binary against every hostile endpoint of `lattice-faults`, with the fault
//! starting before the probe and after a successful one. Each run exits 1 or 3, never panics,
//! prints no secret in any output, writes every report once the probe succeeded, and ends within
//! its deadline plus the cleanup allowance (with a margin that scales with the deadline: the
//! machine is noisy). The circuit breaker, not the deadline, stops the runs whose every answer is
//! unusable. And two endpoints whose polls used to wait out their status budget (not-found as
//! 400, ids with hyphens), with deletes on and the default status timeout, end long before a
//! deadline of under two minutes, with the right failures.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use lattice_faults::{Fault, HostileEndpoint, Onset};

use super::{reports_in, run, run_with, temp_dir, text, SECRETS};

/// The deadline of each hostile run.
const DEADLINE: Duration = Duration::from_secs(8);

/// The reports every run writes once its probe succeeded (as `reports_in` names them).
const REPORTS: [&str; 4] = ["r.json", "r.xml", "r.md", "r.html"];

/// Runs at once (the machine has two cores).
const AT_ONCE: usize = 3;

/// The longest a run may take: its deadline, the cleanup allowance (a quarter of it), the
/// checks' wind-down, and half the deadline again for a loaded machine.
fn bound(deadline: Duration) -> Duration {
    deadline + deadline / 4 + Duration::from_secs(2) + deadline / 2
}

/// What one run gave.
struct Ran {
    name: String,
    onset: Onset,
    fault: Fault,
    out: Output,
    wall: Duration,
    dir: PathBuf,
}

/// Runs the binary against `fault` starting at `onset`, with short driver limits.
async fn hostile_run(fault: Fault, onset: Onset) -> Ran {
    let endpoint = HostileEndpoint::start(fault, onset)
        .await
        .expect("a loopback port");
    let name = format!("{fault}-{}", onset.name().replace(' ', "-"));
    let dir = temp_dir(&format!("hostile-{name}"));
    let limits = "connect_timeout_ms = 500\nrequest_timeout_ms = 1000\nmax_retry_wait_ms = 50";
    let secrets = [SECRETS[0], SECRETS[1], SECRETS[2]];
    let profile = dir.join("hostile.toml");
    std::fs::write(
        &profile,
        lattice_faults::profile(endpoint.url(), limits, &secrets),
    )
    .unwrap();
    let deadline = format!("{}s", DEADLINE.as_secs());
    let (_, reports) = reports_in(&dir);
    let (out, wall) = tokio::task::spawn_blocking(move || {
        let target = profile.to_str().unwrap();
        let started = Instant::now();
        let out = run_with(
            &[
                "run",
                "--target",
                target,
                "--cases",
                "2",
                "--seed",
                "3",
                "--status-timeout",
                "2",
                "--race-levels",
                "2",
                "--deadline",
                &deadline,
            ],
            &reports,
        );
        (out, started.elapsed())
    })
    .await
    .unwrap();
    drop(endpoint);
    Ran {
        name,
        onset,
        fault,
        out,
        wall,
        dir,
    }
}

/// What is wrong with a run, if anything.
fn problems(ran: &Ran) -> Vec<String> {
    let mut problems = Vec::new();
    let console = text(&ran.out);
    let code = ran.out.status.code();
    if !matches!(code, Some(1 | 3)) {
        problems.push(format!("exit {code:?}, not 1 or 3"));
    }
    if console.contains("panicked") {
        problems.push("a panic".into());
    }
    if ran.wall > bound(DEADLINE) {
        problems.push(format!(
            "{:.1} s, over the bound of {:.1} s",
            ran.wall.as_secs_f64(),
            bound(DEADLINE).as_secs_f64()
        ));
    }
    let mut outputs = vec![("console".to_owned(), console)];
    for r in REPORTS {
        if let Ok(body) = std::fs::read_to_string(ran.dir.join(r)) {
            outputs.push((r.to_owned(), body));
        }
    }
    for (name, body) in &outputs {
        if SECRETS.iter().any(|s| body.contains(s)) {
            problems.push(format!("a secret leaked into {name}"));
        }
    }
    let probed = ran.onset == Onset::AfterProbe || !ran.fault.unusable();
    if probed && outputs.len() != 1 + REPORTS.len() {
        problems.push(format!("{} of 4 reports written", outputs.len() - 1));
    }
    if !probed && code != Some(3) {
        problems.push("a probe that met the fault did not exit 3".into());
    }
    if probed && ran.fault.unusable() {
        let json: serde_json::Value = std::fs::read_to_string(ran.dir.join(REPORTS[0]))
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
        if !json["breaker"].is_string() {
            problems.push("the circuit breaker did not stop the run".into());
        }
    }
    problems
        .into_iter()
        .map(|p| format!("{}: {p}", ran.name))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_before_and_after_the_probe_ends_within_the_deadline() {
    let runs: Vec<(Fault, Onset)> = Fault::ALL
        .iter()
        .flat_map(|f| Onset::ALL.map(|o| (*f, o)))
        .collect();
    let mut all = Vec::new();
    for chunk in runs.chunks(AT_ONCE) {
        let handles: Vec<_> = chunk
            .iter()
            .map(|(f, o)| tokio::spawn(hostile_run(*f, *o)))
            .collect();
        for h in handles {
            let ran = h.await.expect("a run does not panic the test");
            eprintln!(
                "{}: exit {:?} in {:.1} s",
                ran.name,
                ran.out.status.code(),
                ran.wall.as_secs_f64()
            );
            all.extend(problems(&ran));
        }
    }
    assert!(all.is_empty(), "{}", all.join("\n"));
}

/// Runs the embedded reference endpoint with `defect` and the default status timeout (30 s).
fn defect_run(defect: &str, dir: &Path, deadline: Duration) -> (Output, serde_json::Value) {
    let json = dir.join("r.json");
    let out = run(&[
        "run",
        "--defect",
        defect,
        "--seed",
        "1",
        "--deadline",
        &format!("{}s", deadline.as_secs()),
        "--json",
        json.to_str().unwrap(),
    ]);
    let report = std::fs::read_to_string(&json)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    (out, report)
}

#[test]
fn not_found_as_400_and_hyphenated_ids_with_deletes_end_early_with_the_right_failures() {
    let deadline = Duration::from_secs(110);
    for (defect, must_fail) in [
        (
            "not-found-400",
            &["EXIST-ASSOCIATION", "LIFE-DELETE-GONE", "HTTP-ERROR-STATUS"][..],
        ),
        (
            "hyphenated-ids",
            &[
                "HTTP-RESPONSE-SHAPE",
                "LIFE-REACHES-ACTIVE",
                "LIFE-DELETE-GONE",
            ][..],
        ),
    ] {
        let dir = temp_dir(&format!("defect-{defect}"));
        let started = Instant::now();
        let (out, report) = defect_run(defect, &dir, deadline);
        let wall = started.elapsed();
        let console = text(&out);
        assert_eq!(out.status.code(), Some(1), "{defect}: {console}");
        // Ended by its polls stopping on the decisive answer, not by the deadline.
        assert_eq!(report["deadline_passed"], false, "{defect}: {console}");
        assert!(wall < deadline, "{defect}: {wall:?}");
        let failing: Vec<&str> = report["rules"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|r| r["verdict"] == "fail")
            .filter_map(|r| r["id"].as_str())
            .collect();
        for rule in must_fail {
            assert!(failing.contains(rule), "{defect}: {rule} in {failing:?}");
        }
    }
}
