//! The fixture economy of a live run: a pooled service is handed out once until a release,
//! which deletes what was made since the last one (associations, extras), and hands the pool
//! out afresh; the endpoint's census shows no more resources than the pool.

use std::time::Duration;

use lattice_harness::checks::RunOptions;
use lattice_harness::Plan;
use lattice_reference::{Config, ReferenceEndpoint};
use lattice_spec::wire::CreateAssociationRequest;
use lattice_spec::Role;

/// A live profile (`live = true`) for a loopback endpoint: the economy without AWS.
fn live_plan(url: &str) -> Plan {
    let head = format!("name = \"live-loopback\"\nendpoint = \"{url}\"\nlive = true\n[capabilities]\nram = true\nasync_status = false\ndelete = true\n[limits]\npoll_ms = 5\n");
    Plan {
        profile: crate::support::with_test_principals("live-loopback", &head),
        options: RunOptions {
            status_timeout: Duration::from_secs(5),
            ..RunOptions::default()
        },
        rules: vec![],
        allow_live: true,
        budget: None,
        defects: vec![],
        choices: vec![],
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pool_hands_each_service_out_once_until_a_release_deletes_what_was_made() {
    let endpoint = ReferenceEndpoint::start(Config::default()).await;
    let session = lattice_cli::start(live_plan(&endpoint.url()))
        .await
        .unwrap();
    let ctx = session.context();
    let fx = &ctx.fx;
    let pool = fx
        .economy()
        .expect("a live profile takes the economy")
        .owner_services;

    let mut pairs = Vec::new();
    for _ in 0..pool {
        pairs.push(fx.pair(Role::Owner).await.unwrap());
    }
    let services: std::collections::BTreeSet<&str> =
        pairs.iter().map(|(s, _)| s.id.as_str()).collect();
    assert_eq!(services.len(), pool, "each pooled service once");
    assert!(
        pairs.iter().all(|(_, n)| n.id == pairs[0].1.id),
        "one pooled network"
    );
    let (svc, sn) = &pairs[0];
    let body = CreateAssociationRequest::new(&svc.id, &sn.id).to_json();
    assert!(lattice_harness::checks::succeeded(
        &ctx.create(Role::Owner, &body).await
    ));
    assert_eq!(endpoint.census().alive.associations, 1);
    assert_eq!(fx.releases(), 0);

    // The pool is spent: the next pair comes after a release, which deleted the association.
    let again = fx.pair(Role::Owner).await.unwrap();
    assert_eq!(fx.releases(), 1);
    assert!(services.contains(again.0.id.as_str()));
    assert_eq!(endpoint.census().alive.associations, 0);

    // A second network asked for before the next release is an extra, deleted by it.
    let extra = fx.network(Role::Owner).await.unwrap();
    assert_ne!(extra.id, sn.id);
    assert_eq!(endpoint.census().alive.networks, 2);
    assert!(fx.release().await.is_empty());
    let census = endpoint.census();
    assert_eq!((census.alive.networks, census.alive.services), (1, pool));
    assert_eq!(census.created.services, pool, "no service beyond the pool");

    // The cleanup deletes the pool too.
    assert!(session.cleanup().await.is_empty());
    assert_eq!(
        endpoint.census().alive,
        lattice_reference::Counts::default()
    );
}
