//! The stateful property finds defects that need a sequence of calls, and prints the shrunk
//! sequence as a numbered script.

use std::time::Duration;

use lattice_harness::checks::RunOptions;
use lattice_harness::{Plan, Profile};

async fn run(defects: &[&str], rules: &[&str], cases: u32, seed: u64) -> lattice_report::RunReport {
    let plan = Plan {
        profile: Profile::load("reference").unwrap(),
        options: RunOptions {
            cases,
            seed,
            shrink_budget: 24,
            status_timeout: Duration::from_secs(3),
            concurrency: 4,
            race_levels: vec![2],
        },
        rules: rules.iter().map(|s| s.to_string()).collect(),
        allow_live: false,
        budget: None,
        defects: defects.iter().map(|s| s.to_string()).collect(),
    };
    let session = lattice_cli::start(plan).await.unwrap();
    let results = session.run_checks(&|_| {}).await;
    let leaks = session.cleanup().await;
    session.report(results, leaks, false)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_shared_across_accounts_is_found_as_a_shrunk_numbered_sequence() {
    let report = run(&["global-client-tokens"], &["IDEMP", "OWN"], 200, 3).await;
    let stateful: Vec<_> = report
        .rules
        .iter()
        .flat_map(|r| r.failures.iter())
        .filter(|f| {
            f.note
                .as_deref()
                .is_some_and(|n| n.starts_with("stateful sequence shrunk"))
        })
        .collect();
    assert!(!stateful.is_empty(), "{}", report.to_markdown());
    let script = stateful[0].violations.join("\n");
    assert!(
        script.contains("minimal sequence") && script.contains("1. ") && script.contains('✗'),
        "{script}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_sequences_against_the_correct_endpoint_agree_with_the_model() {
    let report = run(&[], &["IDEMP", "OWN", "CONFLICT", "EXIST"], 120, 5).await;
    let failing: Vec<&str> = report
        .rules
        .iter()
        .filter(|r| r.verdict == "fail")
        .map(|r| r.id.as_str())
        .collect();
    assert!(failing.is_empty(), "{}", report.to_markdown());
}
