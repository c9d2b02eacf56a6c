//! The harness under hostile endpoints (every fault of `lattice-faults`), in process: every
//! fault alone and all of them mixed. For each, the run finishes (no panic, no hang: the run is bounded by timeouts,
//! the circuit breaker and a request budget), keeps response bodies under the cap, never counts
//! throttling as a failure, ends with the right exit code, and cleanup still runs. Redirects are
//! never followed to another host.

use std::time::Duration;

use lattice_faults::{Fault, HostileEndpoint, Onset, Plan};
use lattice_harness::checks::RunOptions;
use lattice_harness::{Plan as RunPlan, Profile};
use lattice_report::{ExitCode, RunReport};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const CAP: usize = 1 << 20;

fn profile(endpoint: &str) -> Profile {
    let text = format!(
        r#"
name = "chaos"
endpoint = "{endpoint}"
[capabilities]
ram = true
async_status = true
delete = true
[limits]
connect_timeout_ms = 500
request_timeout_ms = 500
max_retry_wait_ms = 20
[[principals]]
role = "owner"
access_key_id = "AKIACHAOSOWNER000001"
secret_access_key = "chaos-owner-secret"
[[principals]]
role = "peer"
access_key_id = "AKIACHAOSPEER0000002"
secret_access_key = "chaos-peer-secret"
[[principals]]
role = "outsider"
access_key_id = "AKIACHAOSOUTSIDER003"
secret_access_key = "chaos-outsider-secret"
"#
    );
    Profile::parse("chaos", &text).unwrap()
}

async fn run_against(endpoint: &str) -> RunReport {
    let plan = RunPlan {
        profile: profile(endpoint),
        options: RunOptions {
            cases: 1,
            seed: 1,
            shrink_budget: 2,
            status_timeout: Duration::from_millis(800),
            concurrency: 4,
            race_levels: vec![2],
        },
        rules: vec![],
        allow_live: false,
        budget: Some(120),
        defects: vec![],
        choices: vec![],
    };
    let session = lattice_cli::start(plan).await.unwrap();
    let run = async {
        let results = session.run_checks(&|_| {}).await;
        let leaks = session.cleanup().await;
        session.report(results, leaks, lattice_harness::Ending::Finished)
    };
    // A liveness guard, not a speed assertion: a hang would never end.
    tokio::time::timeout(Duration::from_secs(300), run)
        .await
        .expect("the run hung")
}

fn largest_body(report: &RunReport) -> usize {
    report
        .rules
        .iter()
        .flat_map(|r| r.failures.iter())
        .flat_map(|f| f.steps.iter())
        .filter_map(|s| s.response.as_ref())
        .map(|r| r.body.len())
        .max()
        .unwrap_or(0)
}

/// A hostile endpoint with these faults (mixed when several), whose redirects point to a
/// server that must never be asked anything.
async fn chaos_server(faults: Vec<Fault>) -> (HostileEndpoint, MockServer) {
    let elsewhere = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&elsewhere)
        .await;
    let plan = Plan::mixed(faults, Onset::BeforeProbe).redirecting_to(&elsewhere.uri());
    let server = HostileEndpoint::start_plan(plan)
        .await
        .expect("a loopback port");
    (server, elsewhere)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_alone_and_mixed_ends_in_a_verdict() {
    let mut runs: Vec<(String, Vec<Fault>)> = Fault::ALL
        .iter()
        .map(|f| (f.to_string(), vec![*f]))
        .collect();
    runs.push(("mixed".into(), Fault::ALL.to_vec()));
    for (name, faults) in runs {
        let (server, elsewhere) = chaos_server(faults.clone()).await;
        let report = run_against(server.url()).await;
        let code = report.exit_code(false);
        let never_a_failure = faults.iter().all(|f| {
            matches!(
                f,
                Fault::ThrottleSeconds
                    | Fault::ThrottleDate
                    | Fault::ThrottleGarbage
                    | Fault::ThrottleForever
                    | Fault::ThrottleUntil2099
                    | Fault::ThrottleNegative
                    | Fault::ServerErrors
                    | Fault::Slow
                    | Fault::Hang
                    | Fault::Late
                    | Fault::DripHeaders
                    | Fault::DripBody
                    | Fault::CloseMidResponse
                    | Fault::ResetBeforeResponse
            )
        });
        if never_a_failure {
            // Throttling, 5xx storms, timeouts and broken connections are never conformance
            // failures.
            let failing: Vec<&str> = report
                .rules
                .iter()
                .filter(|r| r.verdict == "fail" && r.id != "HTTP-RETRY-AFTER")
                .map(|r| r.id.as_str())
                .collect();
            assert!(failing.is_empty(), "{name}: {failing:?}");
            assert_eq!(
                code,
                if failing.is_empty() && report.summary.fail == 0 {
                    ExitCode::Unreachable
                } else {
                    ExitCode::Failures
                },
                "{name}"
            );
        } else {
            assert!(
                matches!(code, ExitCode::Failures | ExitCode::Unreachable),
                "{name}: {code:?}"
            );
            assert!(
                report.summary.fail > 0 || report.summary.inconclusive > 0,
                "{name}: {:?}",
                report.summary
            );
        }
        assert!(
            largest_body(&report) <= CAP,
            "{name}: a body over the cap was kept"
        );
        assert!(
            report.leaks.is_empty() || report.leaks.iter().all(|l| !l.id.is_empty()),
            "{name}"
        );
        assert!(
            elsewhere
                .received_requests()
                .await
                .unwrap_or_default()
                .is_empty(),
            "{name}: a redirect was followed to another host"
        );
        eprintln!("{name}: {:?} -> {code:?}", report.summary);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_date_or_garbage_in_retry_after_fails_the_retry_after_rule() {
    for fault in [Fault::ThrottleDate, Fault::ThrottleGarbage] {
        let (server, _elsewhere) = chaos_server(vec![fault]).await;
        let report = run_against(server.url()).await;
        let rule = report
            .rules
            .iter()
            .find(|r| r.id == "HTTP-RETRY-AFTER")
            .unwrap();
        assert_eq!(rule.verdict, "fail", "{fault:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broken_connections_are_inconclusive_not_failures() {
    for fault in [Fault::CloseMidResponse, Fault::ResetBeforeResponse] {
        let server = HostileEndpoint::start(fault, Onset::BeforeProbe)
            .await
            .expect("a loopback port");
        let report = run_against(server.url()).await;
        assert_eq!(report.summary.fail, 0, "{fault}: {}", report.to_markdown());
        assert_eq!(report.exit_code(false), ExitCode::Unreachable, "{fault}");
    }
}
