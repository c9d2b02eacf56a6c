//! The harness under hostile endpoints: every fault alone and all of them mixed. For each, the
//! run finishes (no panic, no hang: the run is bounded by timeouts and a request budget), keeps
//! response bodies under the cap, never counts throttling as a failure, ends with the right exit
//! code, and cleanup still runs. Redirects are never followed to another host.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use lattice_harness::checks::RunOptions;
use lattice_harness::{Plan, Profile};
use lattice_report::{ExitCode, RunReport};
use tokio::io::AsyncWriteExt;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// One misbehaviour of an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    NotJson,
    TruncatedJson,
    WrongShape,
    Huge,
    Slow,
    WrongContentType,
    ServerErrors,
    ThrottleSeconds,
    ThrottleDate,
    ThrottleGarbage,
    Redirect,
    OddStatus,
}

const ALL: [Fault; 12] = [
    Fault::NotJson,
    Fault::TruncatedJson,
    Fault::WrongShape,
    Fault::Huge,
    Fault::Slow,
    Fault::WrongContentType,
    Fault::ServerErrors,
    Fault::ThrottleSeconds,
    Fault::ThrottleDate,
    Fault::ThrottleGarbage,
    Fault::Redirect,
    Fault::OddStatus,
];

const CAP: usize = 1 << 20;

fn template(fault: Fault, elsewhere: &str) -> ResponseTemplate {
    let json = |status: u16, body: &str| {
        ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), "application/json")
    };
    match fault {
        Fault::NotJson => {
            ResponseTemplate::new(200).set_body_raw(b"<html>hello</html>".to_vec(), "text/html")
        }
        Fault::TruncatedJson => json(
            200,
            r#"{"id": "snsa-0123456789abcdef0", "arn": "arn:aws:vpc-la"#,
        ),
        Fault::WrongShape => json(
            200,
            r#"{"id": 5, "arn": ["x"], "status": {"a": 1}, "createdBy": true, "items": "none"}"#,
        ),
        Fault::Huge => {
            ResponseTemplate::new(200).set_body_raw(vec![b'{'; 100 << 20], "application/json")
        }
        Fault::Slow => json(200, "{}").set_delay(Duration::from_secs(3)),
        Fault::WrongContentType => ResponseTemplate::new(200)
            .set_body_raw(br#"{"id":"snsa-0123456789abcdef0"}"#.to_vec(), "text/plain"),
        Fault::ServerErrors => json(503, r#"{"message":"unavailable"}"#),
        Fault::ThrottleSeconds => json(429, r#"{"message":"slow down"}"#)
            .insert_header("retry-after", "0")
            .insert_header("x-amzn-errortype", "ThrottlingException"),
        Fault::ThrottleDate => json(429, r#"{"message":"slow down"}"#)
            .insert_header("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")
            .insert_header("x-amzn-errortype", "ThrottlingException"),
        Fault::ThrottleGarbage => json(429, r#"{"message":"slow down"}"#)
            .insert_header("retry-after", "soon-ish")
            .insert_header("x-amzn-errortype", "ThrottlingException"),
        Fault::Redirect => ResponseTemplate::new(307)
            .insert_header("location", format!("{elsewhere}/steal").as_str()),
        Fault::OddStatus => json(418, r#"{"message":"teapot"}"#),
    }
}

/// A responder that answers with one fault, or with faults mixed pseudo-randomly.
struct Chaos {
    faults: Vec<Fault>,
    elsewhere: String,
    counter: AtomicUsize,
}

impl Respond for Chaos {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let pick = (n.wrapping_mul(2_654_435_761) >> 7) % self.faults.len();
        // The huge body only once in a mixed run (it is the slowest fault to serve).
        let fault = match self.faults[pick] {
            Fault::Huge if self.faults.len() > 1 && n > 0 => Fault::NotJson,
            f => f,
        };
        template(fault, &self.elsewhere)
    }
}

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
    let plan = Plan {
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
        session.report(results, leaks, false)
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

async fn chaos_server(faults: Vec<Fault>) -> (MockServer, MockServer) {
    let elsewhere = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&elsewhere)
        .await;
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(Chaos {
            faults,
            elsewhere: elsewhere.uri(),
            counter: AtomicUsize::new(0),
        })
        .mount(&server)
        .await;
    (server, elsewhere)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_alone_and_mixed_ends_in_a_verdict() {
    let mut runs: Vec<(String, Vec<Fault>)> =
        ALL.iter().map(|f| (format!("{f:?}"), vec![*f])).collect();
    runs.push(("mixed".into(), ALL.to_vec()));
    for (name, faults) in runs {
        let (server, elsewhere) = chaos_server(faults.clone()).await;
        let report = run_against(&server.uri()).await;
        let code = report.exit_code(false);
        let throttled = faults.iter().all(|f| {
            matches!(
                f,
                Fault::ThrottleSeconds
                    | Fault::ThrottleDate
                    | Fault::ThrottleGarbage
                    | Fault::ServerErrors
                    | Fault::Slow
            )
        });
        if throttled {
            // Throttling, 5xx storms and timeouts are never conformance failures.
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
        let report = run_against(&server.uri()).await;
        let rule = report
            .rules
            .iter()
            .find(|r| r.id == "HTTP-RETRY-AFTER")
            .unwrap();
        assert_eq!(rule.verdict, "fail", "{fault:?}");
    }
}

/// A raw TCP endpoint that breaks connections: closes mid-response, or resets before answering.
async fn broken_tcp(mid_response: bool) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let served = Arc::new(AtomicUsize::new(0));
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            if served.fetch_add(1, Ordering::Relaxed) > 5000 {
                break;
            }
            tokio::spawn(async move {
                let mut buf = vec![0u8; 65536];
                let _ = tokio::io::AsyncReadExt::read(&mut stream, &mut buf).await;
                if mid_response {
                    let _ = stream
                        .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 5000\r\n\r\n{\"id\": \"snsa-01")
                        .await;
                }
                drop(stream);
            });
        }
    });
    format!("http://{addr}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broken_connections_are_inconclusive_not_failures() {
    for mid_response in [true, false] {
        let url = broken_tcp(mid_response).await;
        let report = run_against(&url).await;
        assert_eq!(
            report.summary.fail,
            0,
            "mid_response={mid_response}: {}",
            report.to_markdown()
        );
        assert_eq!(
            report.exit_code(false),
            ExitCode::Unreachable,
            "mid_response={mid_response}"
        );
    }
}
