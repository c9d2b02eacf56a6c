//! LIFE: CREATE_IN_PROGRESS → ACTIVE, DELETE_IN_PROGRESS → gone, with a transition delay.

use std::time::Duration;

use crate::support::{eventually, pair, until_active, Fixture};

const DELAY: Duration = Duration::from_millis(300);

#[tokio::test]
async fn an_association_is_created_in_progress_then_becomes_active() {
    let f = Fixture::with_delay(DELAY).await;
    let (sn, _) = f.owner.network().await;
    let (svc, _) = f.owner.service().await;
    let r = f.owner.associate(&svc, &sn, None).await;
    assert_eq!(r.s("/status"), "CREATE_IN_PROGRESS");
    let id = r.s("/id");
    assert_eq!(
        f.owner.delete_association(&id).await.outcome(),
        "409 ConflictException",
        "delete while creating"
    );
    assert!(until_active(&f, &id, DELAY * 5).await);
}

#[tokio::test]
async fn a_deleted_association_is_deleting_then_gone() {
    let f = Fixture::with_delay(DELAY).await;
    let (svc, sn) = pair(&f).await;
    let id = f.owner.associate(&svc, &sn, None).await.s("/id");
    assert!(until_active(&f, &id, DELAY * 5).await);
    let deleted = f.owner.delete_association(&id).await;
    assert_eq!(
        (deleted.status, deleted.s("/status")),
        (200, "DELETE_IN_PROGRESS".to_owned())
    );
    let again = f.owner.delete_association(&id).await;
    assert_eq!(
        (again.status, again.s("/status")),
        (200, "DELETE_IN_PROGRESS".to_owned()),
        "no change"
    );
    let listed = f.owner.list_on(&sn).await;
    assert_eq!(listed.s("/items/0/status"), "DELETE_IN_PROGRESS");
    assert!(
        eventually(DELAY * 5, || async {
            f.owner.get_association(&id).await.status == 404
        })
        .await
    );
}

#[tokio::test]
async fn with_no_delay_create_is_active_and_delete_is_immediate() {
    let f = Fixture::correct().await;
    let (sn, _) = f.owner.network().await;
    let (svc, _) = f.owner.service().await;
    let r = f.owner.associate(&svc, &sn, None).await;
    assert_eq!(r.s("/status"), "ACTIVE");
    let got = f.owner.get_association(&r.s("/id")).await;
    assert_eq!(got.s("/status"), "ACTIVE");
    assert_eq!(got.s("/serviceId"), svc);
    assert_eq!(got.s("/serviceNetworkId"), sn);
    assert!(got.s("/createdAt").ends_with('Z'));
    assert_eq!(
        f.owner.delete_association(&r.s("/arn")).await.s("/status"),
        "DELETE_IN_PROGRESS"
    );
    assert_eq!(
        f.owner.get_association(&r.s("/id")).await.outcome(),
        "404 ResourceNotFoundException"
    );
}

#[tokio::test]
async fn a_missing_association_is_not_found() {
    let f = Fixture::correct().await;
    let missing = "snsa-0123456789abcdef0";
    assert_eq!(
        f.owner.get_association(missing).await.outcome(),
        "404 ResourceNotFoundException"
    );
    assert_eq!(
        f.owner.delete_association(missing).await.outcome(),
        "404 ResourceNotFoundException"
    );
    assert_eq!(
        f.owner.get_association("snsa-0123").await.outcome(),
        "400 ValidationException"
    );
}
