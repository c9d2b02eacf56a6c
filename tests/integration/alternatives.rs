//! The alternatives matrix, the mirror of the mutation matrix: every choice of the reference
//! endpoint (`specs/choices.toml`) is another reading the contract allows, so the whole default
//! suite must fail no rule under each of them, and under all of them at once (one choice of each
//! group per run, as `Choice::combined_sets` makes them). A rule may be inconclusive only where a
//! choice says why its decisive behaviour cannot happen (`undecided`).

use std::collections::BTreeSet;

use lattice_harness::Profile;
use lattice_report::RunReport;
use lattice_spec::{Choice, RuleId};

use crate::support::{failing, run_embedded};

/// The runs of the matrix: each choice alone, then the combined sets.
fn runs() -> Vec<Vec<Choice>> {
    let mut runs: Vec<Vec<Choice>> = Choice::ALL.iter().map(|c| vec![*c]).collect();
    runs.extend(Choice::combined_sets());
    runs
}

/// The suite against the reference endpoint with `choices` on.
async fn run_with(choices: Vec<Choice>, seed: u64) -> (Vec<Choice>, RunReport) {
    let mut profile = Profile::load("reference").expect("shipped");
    profile.embedded.choices = choices.iter().map(|c| c.name().to_owned()).collect();
    let report = run_embedded(profile, &[], &[], seed).await;
    (choices, report)
}

/// What is wrong with one run: a failing rule, or an inconclusive one no choice of the run
/// explains.
fn problems(choices: &[Choice], report: &RunReport) -> Vec<String> {
    let names: Vec<&str> = choices.iter().map(|c| c.name()).collect();
    let label = if names.len() > 3 {
        format!("{} choices at once", names.len())
    } else {
        names.join("+")
    };
    let undecided: BTreeSet<RuleId> = choices
        .iter()
        .flat_map(|c| c.info().undecided.iter().copied())
        .collect();
    let mut out: Vec<String> = failing(report)
        .into_iter()
        .map(|rule| {
            let r = report.rules.iter().find(|r| r.id == rule);
            let detail = r
                .and_then(|r| r.failures.first())
                .map(|f| format!("{:?}", f.violations))
                .unwrap_or_default();
            format!("{label}: {rule} fails: {detail}")
        })
        .collect();
    for r in report.rules.iter().filter(|r| r.verdict == "inconclusive") {
        let explained = RuleId::from_id(&r.id).is_some_and(|id| undecided.contains(&id));
        if !explained {
            out.push(format!(
                "{label}: {} inconclusive ({})",
                r.id,
                r.reason.as_deref().unwrap_or("")
            ));
        }
    }
    if !report.leaks.is_empty() {
        out.push(format!("{label}: leaks {:?}", report.leaks));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_reading_the_contract_allows_fails_no_rule() {
    let mut all = Vec::new();
    for chunk in runs().chunks(4) {
        let handles: Vec<_> = chunk
            .iter()
            .map(|choices| tokio::spawn(run_with(choices.clone(), 13)))
            .collect();
        for h in handles {
            let (choices, report) = h.await.expect("a suite run does not panic");
            all.extend(problems(&choices, &report));
        }
    }
    assert!(all.is_empty(), "{}", all.join("\n"));
}

#[test]
fn the_matrix_runs_every_choice_alone_and_in_a_combined_set() {
    let runs = runs();
    for c in Choice::ALL {
        assert!(runs.contains(&vec![*c]), "{c} is never run alone");
        assert!(
            runs.iter().any(|r| r.len() > 1 && r.contains(c)),
            "{c} is in no combined run"
        );
    }
}
