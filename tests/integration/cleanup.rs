//! Interrupted runs: a run against an external target journals what it creates; `cleanup` later
//! deletes exactly what carries that run's tag (or joins it), verifies each is gone, and leaves
//! anything else alone.

use std::time::Duration;

use lattice_harness::checks::RunOptions;
use lattice_harness::Plan;
use lattice_reference::{Config, ReferenceEndpoint};
use lattice_spec::Operation;
use lattice_transport::driver::ApiCall;

fn plan_for(url: &str, rules: &[&str]) -> Plan {
    let head = format!("name = \"external-reference\"\nendpoint = \"{url}\"\n[capabilities]\nram = true\nasync_status = false\ndelete = true\n");
    Plan {
        profile: crate::support::with_test_principals("external-reference", &head),
        options: RunOptions {
            cases: 2,
            seed: 3,
            status_timeout: Duration::from_secs(3),
            race_levels: vec![2],
            ..RunOptions::default()
        },
        rules: rules.iter().map(|s| s.to_string()).collect(),
        allow_live: false,
        budget: None,
        defects: vec![],
        choices: vec![],
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_run_is_cleaned_up_later_by_its_run_id_and_nothing_else() {
    let dir = std::env::temp_dir().join(format!("lattice-journal-{}", std::process::id()));
    std::env::set_var("LATTICE_JOURNAL_DIR", &dir);
    let endpoint = ReferenceEndpoint::start(Config::default()).await;
    // A run that is "interrupted": its checks ran, its cleanup never did.
    let first = lattice_cli::start(plan_for(
        &endpoint.url(),
        &["IDEMP-REPLAY", "CONFLICT-DUPLICATE"],
    ))
    .await
    .unwrap();
    let _ = first.run_checks(&|_| {}).await;
    let run_id = first.run_id().to_owned();
    let journal = lattice_transport::cleanup::read_journal(
        &lattice_transport::cleanup::journal_path(&run_id),
    )
    .unwrap();
    assert!(journal.len() >= 4, "{journal:?}");
    // Something that is not the run's: a service created without the run tag, smuggled into the
    // journal.
    let foreign = first
        .driver()
        .send(&ApiCall::json(
            Operation::CreateService,
            lattice_spec::Role::Owner,
            &serde_json::json!({"name": "not-from-this-run"}),
        ))
        .await;
    let foreign_id = lattice_checks::state::member_of(&foreign, "id").unwrap();
    let foreign_arn = lattice_checks::state::member_of(&foreign, "arn").unwrap();
    let line = serde_json::json!({"id": foreign_id, "arn": foreign_arn, "principal": "owner", "kind": "service"});
    let path = lattice_transport::cleanup::journal_path(&run_id);
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str(&format!("{line}\n"));
    std::fs::write(&path, text).unwrap();

    let later = lattice_cli::start(plan_for(&endpoint.url(), &["IDEMP-REPLAY"]))
        .await
        .unwrap();
    let report = later.cleanup_run(&run_id).await.unwrap();
    assert!(report.leaks.is_empty(), "{report:?}");
    assert_eq!(report.deleted.len(), journal.len(), "{report:?}");
    assert_eq!(report.refused.len(), 1, "{report:?}");
    assert_eq!(report.refused[0].id, foreign_id);
    // Every journaled service is gone; the foreign one is still there.
    for res in journal
        .iter()
        .filter(|r| r.kind == lattice_transport::fixtures::Kind::Service)
    {
        let get = later
            .driver()
            .send(&ApiCall::labelled(
                Operation::GetService,
                res.principal,
                &res.id,
            ))
            .await;
        assert_eq!(get.ok().map(|r| r.status), Some(404), "{} survived", res.id);
    }
    let get = later
        .driver()
        .send(&ApiCall::labelled(
            Operation::GetService,
            lattice_spec::Role::Owner,
            &foreign_id,
        ))
        .await;
    assert_eq!(get.ok().map(|r| r.status), Some(200));
    assert!(!path.exists(), "a clean cleanup removes the journal");
    // A clean run leaves no journal behind.
    let clean = lattice_cli::start(plan_for(&endpoint.url(), &["IDEMP-REPLAY"]))
        .await
        .unwrap();
    let _ = clean.run_checks(&|_| {}).await;
    assert!(clean.cleanup().await.is_empty());
    assert!(!lattice_transport::cleanup::journal_path(clean.run_id()).exists());
}
