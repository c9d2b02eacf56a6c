//! The stateful property finds defects that need a sequence of calls, shrinks them against the
//! model, and prints the shrunk sequence as a numbered script.

use std::time::Duration;

use lattice_checks::{Verdict, Violation};
use lattice_harness::checks::{stateful, RunOptions};
use lattice_harness::{Plan, Profile};

fn plan(defects: &[&str], rules: &[&str], cases: u32, seed: u64) -> Plan {
    Plan {
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
        choices: vec![],
    }
}

async fn run(defects: &[&str], rules: &[&str], cases: u32, seed: u64) -> lattice_report::RunReport {
    let session = lattice_cli::start(plan(defects, rules, cases, seed))
        .await
        .unwrap();
    let results = session.run_checks(&|_| {}).await;
    let leaks = session.cleanup().await;
    session.report(results, leaks, lattice_harness::Ending::Finished)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_shared_across_accounts_is_found_as_a_shrunk_numbered_sequence() {
    let report = run(&["global-client-tokens"], &["IDEMP", "OWN"], 200, 3).await;
    let failures: Vec<_> = report
        .rules
        .iter()
        .flat_map(|r| r.failures.iter())
        .filter(|f| {
            f.note
                .as_deref()
                .is_some_and(|n| n.starts_with("stateful sequence"))
        })
        .collect();
    assert!(!failures.is_empty(), "{}", report.to_markdown());
    let script = failures[0].violations.join("\n");
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

/// One sequence (`cases` 4), drawn from seed 26: 12 calls that fail on
/// `association-invisible-to-peer`. The endpoint sees the run of those 12 calls and one
/// confirmation run of the shrunk script, nothing else: each run makes one universe, with
/// `SERVICES` services, and there are two universes' worth.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_sequence_is_shrunk_against_the_model_and_confirmed_in_one_run() {
    let session = lattice_cli::start(plan(&["association-invisible-to-peer"], &["OWN"], 4, 26))
        .await
        .unwrap();
    let results = stateful::run(session.context()).await;
    let universes =
        session.driver().sent_by_operation()["CreateService"] / lattice_gen::calls::SERVICES;
    session.cleanup().await;
    let failure = results
        .iter()
        .find(|c| c.verdict.is_fail())
        .expect("the defect is found");
    let note = failure.note.as_deref().unwrap_or_default();
    assert!(
        note.starts_with("stateful sequence shrunk from 12 calls to"),
        "{note}"
    );
    let Verdict::Fail(violations) = &failure.verdict else {
        unreachable!()
    };
    let Some(Violation::FailingSequence {
        minimal: true,
        steps,
    }) = violations.last()
    else {
        panic!("{violations:?}")
    };
    assert!(steps.len() <= 4, "{}", violations.last().unwrap());
    assert_eq!(universes, 2, "the first run and one confirmation run");
}
