//! Shared helpers: run the suite in process against the embedded reference endpoint.

use std::time::Duration;

use lattice_harness::checks::RunOptions;
use lattice_harness::{Plan, Profile};
use lattice_report::RunReport;

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
    let profile = Profile::load("reference").expect("the shipped profile parses");
    run_embedded(profile, defects, rules, seed).await
}

/// Runs the suite against the embedded reference endpoint as `profile` sets it up.
pub(crate) async fn run_embedded(
    profile: Profile,
    defects: &[&str],
    rules: &[&str],
    seed: u64,
) -> RunReport {
    let plan = Plan {
        profile,
        options: quick_options(seed),
        rules: rules.iter().map(|s| s.to_string()).collect(),
        allow_live: false,
        budget: None,
        defects: defects.iter().map(|s| s.to_string()).collect(),
        choices: vec![],
    };
    let session = lattice_cli::start(plan)
        .await
        .expect("the embedded endpoint starts");
    let results = session.run_checks(&|_| {}).await;
    let leaks = session.cleanup().await;
    session.report(results, leaks, lattice_harness::Ending::Finished)
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

/// The target of the snapshot tests: `LATTICE_SNAPSHOT_TARGET` (a shipped profile name or a
/// profile path, with the profile's environment overrides applied), else the embedded reference
/// endpoint.
pub(crate) fn snapshot_target() -> String {
    std::env::var("LATTICE_SNAPSHOT_TARGET")
        .ok()
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| "reference".into())
}

/// Starts a session against a target profile, ready for scenarios.
pub(crate) async fn start(target: &str, seed: u64) -> lattice_cli::Started {
    let mut profile = Profile::load(target).expect("the target profile parses");
    profile.apply_environment(&|k| std::env::var(k).ok());
    let plan = Plan {
        profile,
        options: quick_options(seed),
        rules: vec![],
        allow_live: std::env::var_os("LATTICE_ALLOW_LIVE").is_some(),
        budget: None,
        defects: vec![],
        choices: vec![],
    };
    lattice_cli::start(plan).await.expect("the target starts")
}

/// insta settings of the snapshot tests: the top-level `snapshots/` folder (set once, here),
/// `{scenario}.snap` file names, the rule id in the description and the scenario in the info.
pub(crate) fn snapshot_settings(scenario: &lattice_spec::scenario::Scenario) -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_description(lattice_report::snapshots::description(scenario));
    settings.set_info(&lattice_report::snapshots::info(scenario));
    settings
}

/// A profile named `name` from `head` (its endpoint, capabilities and limits) and the reference
/// endpoint's three test principals.
pub(crate) fn with_test_principals(name: &str, head: &str) -> lattice_harness::Profile {
    let mut text = head.to_owned();
    for p in lattice_reference::Config::test_principals() {
        text.push_str(&format!(
            "[[principals]]\nrole = \"{}\"\naccess_key_id = \"{}\"\nsecret_access_key = \"{}\"\n",
            p.name, p.access_key, p.secret_key
        ));
    }
    lattice_harness::Profile::parse(name, &text).unwrap()
}
