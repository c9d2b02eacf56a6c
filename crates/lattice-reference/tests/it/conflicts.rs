//! CONFLICT: one association per pair, deletions in progress, neighbours that cannot be deleted.

use std::time::Duration;

use lattice_spec::operations::encode_label;

use crate::support::{eventually, pair, until_active, Fixture};

const DELAY: Duration = Duration::from_millis(300);

#[tokio::test]
async fn a_duplicate_pair_is_a_conflict_naming_the_existing_association() {
    let f = Fixture::correct().await;
    let (sn, _) = f.owner.network().await;
    let (svc, _) = f.owner.service().await;
    let first = f.owner.associate(&svc, &sn, Some("a")).await;
    let dup = f.owner.associate(&svc, &sn, Some("b")).await;
    assert_eq!(dup.outcome(), "409 ConflictException");
    assert_eq!(dup.s("/resourceId"), first.s("/id"));
    assert_eq!(
        dup.s("/resourceType"),
        "SERVICE_NETWORK_SERVICE_ASSOCIATION"
    );
}

#[tokio::test]
async fn a_pair_being_disassociated_cannot_be_associated_until_it_is_gone() {
    let f = Fixture::with_delay(DELAY).await;
    let (svc, sn) = pair(&f).await;
    let id = f.owner.associate(&svc, &sn, None).await.s("/id");
    assert!(until_active(&f, &id, DELAY * 5).await);
    assert_eq!(
        f.owner.delete_association(&id).await.s("/status"),
        "DELETE_IN_PROGRESS"
    );
    assert_eq!(
        f.owner.get_association(&id).await.s("/status"),
        "DELETE_IN_PROGRESS"
    );
    assert_eq!(
        f.owner.associate(&svc, &sn, None).await.outcome(),
        "409 ConflictException"
    );
    assert!(
        eventually(DELAY * 5, || async {
            f.owner.get_association(&id).await.status == 404
        })
        .await
    );
    assert_eq!(f.owner.associate(&svc, &sn, None).await.status, 200);
}

#[tokio::test]
async fn a_service_or_network_being_deleted_cannot_be_associated() {
    let f = Fixture::with_delay(DELAY).await;
    let (sn, _) = f.owner.network().await;
    let (sn2, _) = f.owner.network().await;
    let (svc, _) = f.owner.service().await;
    let (svc2, _) = f.owner.service().await;
    let deleted = f
        .owner
        .send("DELETE", &format!("/services/{svc2}"), None)
        .await;
    assert_eq!(deleted.s("/status"), "DELETE_IN_PROGRESS");
    let r = f.owner.associate(&svc2, &sn, None).await;
    assert_eq!(r.outcome(), "409 ConflictException");
    assert_eq!(
        (r.s("/resourceId"), r.s("/resourceType")),
        (svc2.clone(), "SERVICE".to_owned())
    );
    assert_eq!(
        f.owner
            .send("DELETE", &format!("/servicenetworks/{sn2}"), None)
            .await
            .status,
        204
    );
    let r = f.owner.associate(&svc, &sn2, None).await;
    assert_eq!(
        (r.outcome(), r.s("/resourceType")),
        (
            "409 ConflictException".to_owned(),
            "SERVICE_NETWORK".to_owned()
        )
    );
    assert!(
        eventually(DELAY * 5, || async {
            f.owner
                .send("GET", &format!("/services/{svc2}"), None)
                .await
                .status
                == 404
        })
        .await
    );
    assert!(
        eventually(DELAY * 5, || async {
            f.owner
                .send("GET", &format!("/servicenetworks/{sn2}"), None)
                .await
                .status
                == 404
        })
        .await
    );
}

#[tokio::test]
async fn services_and_networks_with_associations_cannot_be_deleted() {
    let f = Fixture::correct().await;
    let (sn, sn_arn) = f.owner.network().await;
    let (svc, _) = f.owner.service().await;
    let id = f.owner.associate(&svc, &sn, None).await.s("/id");
    assert_eq!(
        f.owner
            .send("DELETE", &format!("/services/{svc}"), None)
            .await
            .outcome(),
        "409 ConflictException"
    );
    let r = f
        .owner
        .send(
            "DELETE",
            &format!("/servicenetworks/{}", encode_label(&sn_arn)),
            None,
        )
        .await;
    assert_eq!(r.outcome(), "409 ConflictException");
    assert_eq!(f.owner.delete_association(&id).await.status, 200);
    assert_eq!(
        f.owner
            .send("DELETE", &format!("/services/{svc}"), None)
            .await
            .status,
        200
    );
    assert_eq!(
        f.owner
            .send("DELETE", &format!("/servicenetworks/{sn}"), None)
            .await
            .status,
        204
    );
    assert_eq!(
        f.owner
            .send("GET", &format!("/servicenetworks/{sn}"), None)
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn a_deleted_pair_can_be_associated_again() {
    let f = Fixture::correct().await;
    let (sn, _) = f.owner.network().await;
    let (svc, _) = f.owner.service().await;
    let first = f.owner.associate(&svc, &sn, Some("t")).await.s("/id");
    assert_eq!(f.owner.delete_association(&first).await.status, 200);
    assert_eq!(f.owner.get_association(&first).await.status, 404);
    let second = f.owner.associate(&svc, &sn, Some("t")).await;
    assert_eq!(second.status, 200);
    assert_ne!(second.s("/id"), first);
}

#[tokio::test]
async fn concurrent_creates_for_one_pair_make_exactly_one_association() {
    let f = Fixture::correct().await;
    let (sn, _) = f.owner.network().await;
    let (svc, _) = f.owner.service().await;
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let (c, svc, sn) = (f.owner.clone(), svc.clone(), sn.clone());
            tokio::spawn(async move { c.associate(&svc, &sn, Some(&format!("t{i}"))).await.status })
        })
        .collect();
    let mut ok = 0;
    for t in tasks {
        if t.await.unwrap() == 200 {
            ok += 1;
        }
    }
    assert_eq!(ok, 1);
}
