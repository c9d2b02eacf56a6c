//! Shared helpers: run the suite in process against the embedded reference endpoint.

use std::time::Duration;

use lattice_harness::checks::RunOptions;
use lattice_harness::{Plan, Profile, RunReport, Session};

/// Options small enough for tests, large enough to reach every rule.
pub(crate) fn quick_options(seed: u64) -> RunOptions {
    RunOptions {
        cases: 4,
        seed,
        shrink_budget: 8,
        status_timeout: Duration::from_secs(3),
        concurrency: 4,
        race_levels: vec![2, 8, 32],
    }
}

/// Runs the whole suite against the embedded reference endpoint with these defects on.
pub(crate) async fn run_reference(defects: &[&str], rules: &[&str], seed: u64) -> RunReport {
    let plan = Plan {
        profile: Profile::load("reference").expect("the shipped profile parses"),
        options: quick_options(seed),
        rules: rules.iter().map(|s| s.to_string()).collect(),
        endpoint: None,
        allow_live: false,
        budget: None,
        defects: defects.iter().map(|s| s.to_string()).collect(),
    };
    let session = Session::start(plan)
        .await
        .expect("the embedded endpoint starts");
    let results = session.run_checks(&|_| {}).await;
    let leaks = session.cleanup().await;
    session.report(results, leaks, false)
}

/// The ids of the rules that failed.
pub(crate) fn failing(report: &RunReport) -> Vec<String> {
    report
        .rules
        .iter()
        .filter(|r| r.verdict == "fail")
        .map(|r| r.id.clone())
        .collect()
}
