//! IDEMP: replays, mismatches, per-account scope and case sensitivity of the client token.

use serde_json::json;

use crate::support::{is_association_id, Fixture};

#[tokio::test]
async fn replay_with_same_token_returns_same_association() {
    let f = Fixture::correct().await;
    let (sn, _) = f.owner.network().await;
    let (svc, _) = f.owner.service().await;
    let first = f.owner.associate(&svc, &sn, Some("token-1")).await;
    let again = f.owner.associate(&svc, &sn, Some("token-1")).await;
    assert_eq!((first.status, again.status), (200, 200));
    assert!(is_association_id(&first.s("/id")));
    for member in ["/id", "/arn", "/createdBy"] {
        assert_eq!(first.s(member), again.s(member), "{member}");
    }
    let list = f.owner.list_on(&sn).await;
    assert_eq!(list.json["items"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn replay_naming_the_same_resources_by_arn_is_the_same_request() {
    let f = Fixture::correct().await;
    let (sn, sn_arn) = f.owner.network().await;
    let (svc, svc_arn) = f.owner.service().await;
    let first = f.owner.associate(&svc, &sn, Some("t")).await;
    let again = f.owner.associate(&svc_arn, &sn_arn, Some("t")).await;
    assert_eq!(again.status, 200);
    assert_eq!(first.s("/id"), again.s("/id"));
}

#[tokio::test]
async fn token_reused_with_other_parameters_is_a_conflict() {
    let f = Fixture::correct().await;
    let (sn, _) = f.owner.network().await;
    let (sn2, _) = f.owner.network().await;
    let (svc, _) = f.owner.service().await;
    let (svc2, _) = f.owner.service().await;
    assert_eq!(f.owner.associate(&svc, &sn, Some("t")).await.status, 200);
    assert_eq!(
        f.owner.associate(&svc2, &sn, Some("t")).await.outcome(),
        "409 ConflictException"
    );
    assert_eq!(
        f.owner.associate(&svc, &sn2, Some("t")).await.outcome(),
        "409 ConflictException"
    );
    let tagged = json!({ "serviceIdentifier": svc, "serviceNetworkIdentifier": sn, "clientToken": "t", "tags": { "a": "b" } });
    assert_eq!(
        f.owner.associate_body(&tagged).await.outcome(),
        "409 ConflictException"
    );
    let list = f.owner.list_on(&sn).await;
    assert_eq!(list.json["items"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn tokens_are_scoped_per_account() {
    let f = Fixture::correct().await;
    let (sn, _) = f.owner.network().await;
    let (svc, _) = f.owner.service().await;
    let (psn, _) = f.peer.network().await;
    let (psvc, _) = f.peer.service().await;
    let a = f.owner.associate(&svc, &sn, Some("shared-token")).await;
    let b = f.peer.associate(&psvc, &psn, Some("shared-token")).await;
    assert_eq!(b.status, 200);
    assert_eq!(b.s("/createdBy"), f.peer.account());
    assert_ne!(a.s("/id"), b.s("/id"));
}

#[tokio::test]
async fn tokens_are_case_sensitive() {
    let f = Fixture::correct().await;
    let (sn, _) = f.owner.network().await;
    let (svc, _) = f.owner.service().await;
    assert_eq!(
        f.owner.associate(&svc, &sn, Some("tokenABC")).await.status,
        200
    );
    assert_eq!(
        f.owner
            .associate(&svc, &sn, Some("TOKENabc"))
            .await
            .outcome(),
        "409 ConflictException"
    );
}

#[tokio::test]
async fn without_a_token_a_second_create_conflicts() {
    let f = Fixture::correct().await;
    let (sn, _) = f.owner.network().await;
    let (svc, _) = f.owner.service().await;
    assert_eq!(f.owner.associate(&svc, &sn, None).await.status, 200);
    let r = f.owner.associate(&svc, &sn, None).await;
    assert_eq!(r.outcome(), "409 ConflictException");
    assert!(r.json["resourceId"].is_string() && r.json["resourceType"].is_string());
}

#[tokio::test]
async fn unusual_but_valid_tokens_are_accepted() {
    let f = Fixture::correct().await;
    let (sn, _) = f.owner.network().await;
    for token in ["!", &"~".repeat(64), "é-1", " a "] {
        let (svc, _) = f.owner.service().await;
        assert_eq!(
            f.owner.associate(&svc, &sn, Some(token)).await.status,
            200,
            "{token:?}"
        );
    }
}
