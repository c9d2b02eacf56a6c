//! Snapshot-checked responses: every canonical scenario runs against the selected target (the
//! embedded reference endpoint, or `LATTICE_SNAPSHOT_TARGET=moto|aws|PATH`) and its redacted
//! responses must equal `snapshots/{scenario}.snap`. CI runs with `INSTA_UPDATE=no`, so a missing
//! or changed snapshot fails instead of being written; review changes with `cargo insta review`
//! (or accept them all with `INSTA_UPDATE=always`). A reference-endpoint defect that changes a
//! response's shape fails HTTP-SNAPSHOT in `lattice-conformance run` with a readable diff.

use lattice_checks::scenario::ScenarioOutcome;
use lattice_harness::scenarios;
use lattice_report::snapshots;
use lattice_spec::RuleId;

use crate::support::{run_reference, snapshot_settings, snapshot_target, start};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn canonical_scenarios_match_their_snapshots() {
    let target = snapshot_target();
    let session = start(&target, 1).await;
    let runs = scenarios::run_all(&session.context()).await;
    let leaks = session.cleanup().await;
    let mut problems = Vec::new();
    let mut compared = 0;
    for run in &runs {
        let name = run.scenario.name;
        let rendered = match (&run.outcome, snapshots::render(run)) {
            (ScenarioOutcome::Skipped(reason), _) => {
                println!("skipped scenario `{name}` on `{target}`: {reason}");
                continue;
            }
            (ScenarioOutcome::Inconclusive(reason, _), _) => {
                problems.push(format!("{name}: inconclusive: {reason}"));
                continue;
            }
            (_, Some(rendered)) => rendered,
            (_, None) => continue,
        };
        compared += 1;
        for v in &rendered.violations {
            problems.push(format!("{name}: {v}"));
        }
        let asserted = std::panic::catch_unwind(|| {
            snapshot_settings(run.scenario).bind(|| {
                insta::assert_snapshot!(name, rendered.text);
            })
        });
        if asserted.is_err() {
            problems.push(format!(
                "{name}: differs from snapshots/{name}.snap (see the diff above)"
            ));
        }
    }
    assert!(compared > 0, "no scenario ran on `{target}`");
    assert!(
        problems.is_empty(),
        "{} of {compared} scenarios on `{target}` do not match (hint: review with `cargo insta review`, accept with `INSTA_UPDATE=always cargo test -p lattice-conformance-tests --test integration snapshots`):\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(leaks.is_empty(), "{leaks:?}");
}

#[test]
fn every_scenario_has_a_committed_snapshot_and_every_snapshot_a_scenario() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(snapshots::SNAPSHOT_DIR);
    for s in lattice_spec::scenario::SCENARIOS {
        let path = dir.join(format!("{}.snap", s.name));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|_| {
            panic!(
                "{} is missing (hint: `INSTA_UPDATE=always cargo test -p lattice-conformance-tests --test integration snapshots`, then review it)",
                path.display()
            )
        });
        assert_eq!(
            snapshots::description_of(&text).as_deref(),
            Some(snapshots::description(s).as_str()),
            "{}: the description must carry the rule id",
            path.display()
        );
        assert_eq!(
            snapshots::committed(s.name),
            Some(text.as_str()),
            "{}: the CLI's embedded copy is stale (rebuild)",
            path.display()
        );
    }
    for entry in std::fs::read_dir(&dir)
        .expect("snapshots/ exists")
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(stem) = name.strip_suffix(".snap") {
            assert!(
                lattice_spec::scenario::by_name(stem).is_some(),
                "snapshots/{name} belongs to no scenario (hint: delete it)"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reference_endpoint_passes_http_snapshot() {
    let report = run_reference(&[], &[RuleId::HttpSnapshot.as_str()], 3).await;
    let rule = &report.rules[0];
    assert_eq!(rule.id, RuleId::HttpSnapshot.as_str());
    assert_eq!(rule.verdict, "pass", "{}", report.to_markdown());
    assert_eq!(rule.cases, lattice_spec::scenario::SCENARIOS.len());
}

/// A defect that changes a response's shape fails HTTP-SNAPSHOT, and the failure shows the
/// committed line and the endpoint's line side by side.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shape_changing_defect_fails_http_snapshot_with_a_readable_diff() {
    for (defect, committed, found) in [
        (
            "created-by-resource-owner",
            r#""createdBy": "[account-owner]""#,
            r#""createdBy": "[account-peer]""#,
        ),
        (
            "id-outside-pattern",
            r#""id": "[snsa-1]""#,
            r#""id": "[✗ not a ServiceNetworkServiceAssociationIdentifier: snsa-"#,
        ),
        ("not-found-missing-resource-id", r#""resourceId": "["#, ""),
    ] {
        let report = run_reference(&[defect], &[RuleId::HttpSnapshot.as_str()], 5).await;
        let rule = &report.rules[0];
        assert_eq!(rule.verdict, "fail", "{defect}: {}", report.to_markdown());
        let text = lattice_report::report::failure_text(rule);
        assert!(
            text.contains("differs (- committed, + this endpoint):"),
            "{defect}: {text}"
        );
        for (sign, fragment) in [("-", committed), ("+", found)] {
            assert!(
                fragment.is_empty()
                    || text
                        .lines()
                        .any(|l| l.trim_start().starts_with(sign) && l.contains(fragment)),
                "{defect}: no `{sign}` line with `{fragment}` in\n{text}"
            );
        }
    }
}
