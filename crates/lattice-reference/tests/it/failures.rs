//! LIFE, failed: the failure plan makes chosen associations end `CREATE_FAILED` or
//! `DELETE_FAILED`, with the model's `failureCode` and `failureMessage` in Get, the status in
//! List, conflicts until the association is deleted, and deletion (again) allowed.

use std::collections::BTreeSet;
use std::time::Duration;

use lattice_reference::{Config, FailStep, FailurePlan};
use serde_json::json;

use crate::support::{eventually, model, Fixture};

async fn failing(create: &str, delete: &str, delay: Duration) -> Fixture {
    let mut failures = FailurePlan::default();
    failures.add(FailStep::Create, create).expect("create plan");
    failures.add(FailStep::Delete, delete).expect("delete plan");
    Fixture::start(Config {
        failures,
        transition_delay: delay,
        ..Config::default()
    })
    .await
}

/// The members of the model's GetServiceNetworkServiceAssociationResponse.
fn get_members() -> BTreeSet<String> {
    let m = model("vpc-lattice-2022-11-30");
    m["shapes"]["GetServiceNetworkServiceAssociationResponse"]["members"]
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn the_nth_association_created_is_create_failed_with_the_modelled_failure_members() {
    let f = failing("create#2", "", Duration::ZERO).await;
    let (sn, _) = f.owner.network().await;
    let (svc1, _) = f.owner.service().await;
    let (svc2, _) = f.owner.service().await;
    let ok = f.owner.associate(&svc1, &sn, None).await;
    assert_eq!(ok.s("/status"), "ACTIVE");
    let failed = f.owner.associate(&svc2, &sn, None).await;
    assert_eq!(
        (failed.status, failed.s("/status")),
        (200, "CREATE_FAILED".to_owned()),
        "with no delay, Create answers the settled status: {:?}",
        failed.json
    );
    let id = failed.s("/id");

    let got = f.owner.get_association(&id).await;
    assert_eq!(got.s("/status"), "CREATE_FAILED");
    assert_eq!(got.s("/failureCode"), "REFERENCE_INJECTED_FAILURE");
    assert!(
        got.s("/failureMessage").contains("create#2"),
        "{:?}",
        got.json
    );
    let members = get_members();
    assert!(members.contains("failureCode") && members.contains("failureMessage"));
    for key in got.json.as_object().into_iter().flatten().map(|(k, _)| k) {
        assert!(members.contains(key), "{key} is not modelled");
    }
    let healthy = f.owner.get_association(&ok.s("/id")).await;
    assert!(
        healthy.json.get("failureCode").is_none(),
        "{:?}",
        healthy.json
    );

    let listed = f.owner.list_on(&sn).await;
    let item = listed.json["items"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["id"] == id.as_str()))
        .cloned()
        .unwrap_or_default();
    assert_eq!(item["status"], "CREATE_FAILED");
    assert!(
        item.get("failureCode").is_none(),
        "the summary has no failure members"
    );
}

#[tokio::test]
async fn a_failed_association_blocks_its_pair_until_it_is_deleted() {
    let f = failing("create#1", "", Duration::ZERO).await;
    let (sn, _) = f.owner.network().await;
    let (svc, _) = f.owner.service().await;
    let id = f.owner.associate(&svc, &sn, None).await.s("/id");
    let again = f.owner.associate(&svc, &sn, None).await;
    assert_eq!(again.outcome(), "409 ConflictException");
    assert_eq!(again.s("/resourceId"), id);
    assert!(
        again.s("/message").contains("CREATE_FAILED"),
        "{:?}",
        again.json
    );
    // Neither side can be deleted while the failed association names it.
    assert_eq!(
        f.owner.delete_service(&svc).await.outcome(),
        "409 ConflictException"
    );
    let deleted = f.owner.delete_association(&id).await;
    assert_eq!(
        (deleted.status, deleted.s("/status")),
        (200, "DELETE_IN_PROGRESS".to_owned())
    );
    assert_eq!(f.owner.get_association(&id).await.status, 404);
    let recreated = f.owner.associate(&svc, &sn, None).await;
    assert_eq!(recreated.s("/status"), "ACTIVE", "{:?}", recreated.json);
    // A reset forgets the count too: the next association created is the first again.
    f.endpoint.reset();
    let (sn, _) = f.owner.network().await;
    let (svc, _) = f.owner.service().await;
    let first = f.owner.associate(&svc, &sn, None).await;
    assert_eq!(first.s("/status"), "CREATE_FAILED", "{:?}", first.json);
}

#[tokio::test]
async fn with_a_delay_a_failing_creation_is_in_progress_first() {
    let delay = Duration::from_millis(200);
    let f = failing("create#1", "", delay).await;
    let (sn, _) = f.owner.network().await;
    let (svc, _) = f.owner.service().await;
    let r = f.owner.associate(&svc, &sn, None).await;
    assert_eq!(r.s("/status"), "CREATE_IN_PROGRESS");
    let id = r.s("/id");
    assert!(f
        .owner
        .get_association(&id)
        .await
        .json
        .get("failureCode")
        .is_none());
    assert_eq!(
        f.owner.delete_association(&id).await.outcome(),
        "409 ConflictException",
        "still creating"
    );
    assert!(
        eventually(delay * 10, || async {
            f.owner.get_association(&id).await.s("/status") == "CREATE_FAILED"
        })
        .await
    );
}

#[tokio::test]
async fn a_failed_deletion_is_delete_failed_and_deleting_again_retries() {
    let f = failing("", "delete#1", Duration::ZERO).await;
    let (sn, _) = f.owner.network().await;
    let (svc, _) = f.owner.service().await;
    let id = f.owner.associate(&svc, &sn, None).await.s("/id");
    let deleted = f.owner.delete_association(&id).await;
    assert_eq!(deleted.s("/status"), "DELETE_IN_PROGRESS");
    let got = f.owner.get_association(&id).await;
    assert_eq!(got.s("/status"), "DELETE_FAILED", "{:?}", got.json);
    assert_eq!(got.s("/failureCode"), "REFERENCE_INJECTED_FAILURE");
    assert!(
        got.s("/failureMessage").contains("delete#1"),
        "{:?}",
        got.json
    );
    let listed = f.owner.list(&format!("serviceIdentifier={svc}")).await;
    assert_eq!(listed.s("/items/0/status"), "DELETE_FAILED");
    assert_eq!(
        f.owner.associate(&svc, &sn, None).await.outcome(),
        "409 ConflictException"
    );
    // The retry is the second deletion: not in the plan, so the association is gone.
    assert_eq!(f.owner.delete_association(&id).await.status, 200);
    assert_eq!(f.owner.get_association(&id).await.status, 404);
    assert_eq!(f.owner.delete_service(&svc).await.status, 200);
}

#[tokio::test]
async fn a_service_named_in_the_plan_fails_every_time() {
    let f = failing("service=billing", "service=billing", Duration::ZERO).await;
    let (sn, _) = f.owner.network().await;
    let billing = f
        .owner
        .post("/services", &json!({ "name": "billing" }))
        .await
        .s("/id");
    let (other, _) = f.owner.service().await;
    let failed = f.owner.associate(&billing, &sn, None).await;
    assert_eq!(failed.s("/status"), "CREATE_FAILED");
    assert_eq!(
        f.owner.associate(&other, &sn, None).await.s("/status"),
        "ACTIVE"
    );
    let id = failed.s("/id");
    for _ in 0..2 {
        assert_eq!(f.owner.delete_association(&id).await.status, 200);
        let got = f.owner.get_association(&id).await;
        assert_eq!(got.s("/status"), "DELETE_FAILED");
        assert!(got.s("/failureMessage").contains("service=billing"));
    }
}
