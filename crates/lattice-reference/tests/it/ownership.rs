//! OWN: who may associate what across accounts (RAM shares accepted by the peer, addressed by
//! ARN), who sees and who deletes an association.

use crate::support::Fixture;

#[tokio::test]
async fn the_owner_of_both_sides_associates_and_is_the_creator() {
    let f = Fixture::correct().await;
    let (sn, _) = f.owner.network().await;
    let (svc, _) = f.owner.service().await;
    let r = f.owner.associate(&svc, &sn, None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.s("/createdBy"), f.owner.account());
    assert!(r.s("/arn").contains(&format!(
        ":{}:servicenetworkserviceassociation/",
        f.owner.account()
    )));
}

#[tokio::test]
async fn a_service_owner_associates_with_a_shared_network_by_arn() {
    let f = Fixture::correct().await;
    let (sn, sn_arn) = f.owner.network().await;
    f.owner.share(&[&sn_arn], &f.peer).await;
    let (psvc, _) = f.peer.service().await;
    let r = f.peer.associate(&psvc, &sn_arn, None).await;
    assert_eq!(r.status, 200, "{:?}", r.json);
    assert_eq!(r.s("/createdBy"), f.peer.account());
    let id = r.s("/id");
    let seen_by_owner = f.owner.get_association(&id).await;
    assert_eq!(seen_by_owner.status, 200);
    assert!(
        seen_by_owner.s("/arn").contains(f.owner.account()),
        "the ARN carries the reader's account"
    );
    assert_eq!(seen_by_owner.s("/createdBy"), f.peer.account());
    let listed = f.owner.list_on(&sn).await;
    assert_eq!(listed.json["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(f.peer.get_association(&r.s("/arn")).await.status, 200);
}

#[tokio::test]
async fn a_network_owner_associates_a_shared_service_by_arn() {
    let f = Fixture::correct().await;
    let (_, psvc_arn) = f.peer.service().await;
    f.peer.share(&[&psvc_arn], &f.owner).await;
    let (sn, _) = f.owner.network().await;
    let r = f.owner.associate(&psvc_arn, &sn, None).await;
    assert_eq!(r.status, 200, "{:?}", r.json);
    assert_eq!(f.peer.get_association(&r.s("/id")).await.status, 200);
}

#[tokio::test]
async fn two_shared_resources_cannot_be_associated_by_an_account_owning_neither() {
    let f = Fixture::correct().await;
    let (_, sn_arn) = f.owner.network().await;
    let (_, svc_arn) = f.owner.service().await;
    f.owner.share(&[&sn_arn, &svc_arn], &f.peer).await;
    assert_eq!(
        f.peer.associate(&svc_arn, &sn_arn, None).await.outcome(),
        "403 AccessDeniedException"
    );
}

#[tokio::test]
async fn a_resource_never_shared_is_not_found() {
    let f = Fixture::correct().await;
    let (_, sn_arn) = f.owner.network().await;
    let (psvc, _) = f.peer.service().await;
    assert_eq!(
        f.peer.associate(&psvc, &sn_arn, None).await.outcome(),
        "404 ResourceNotFoundException"
    );
}

#[tokio::test]
async fn a_shared_network_named_by_its_bare_id_is_not_found() {
    let f = Fixture::correct().await;
    let (sn, sn_arn) = f.owner.network().await;
    f.owner.share(&[&sn_arn], &f.peer).await;
    let (psvc, _) = f.peer.service().await;
    assert_eq!(
        f.peer.associate(&psvc, &sn, None).await.outcome(),
        "404 ResourceNotFoundException"
    );
}

#[tokio::test]
async fn an_outsider_can_neither_see_nor_delete_an_association() {
    let f = Fixture::correct().await;
    let (sn, _) = f.owner.network().await;
    let (svc, _) = f.owner.service().await;
    let r = f.owner.associate(&svc, &sn, None).await;
    let (id, arn) = (r.s("/id"), r.s("/arn"));
    assert_eq!(
        f.outsider.get_association(&arn).await.outcome(),
        "404 ResourceNotFoundException"
    );
    assert_eq!(
        f.outsider.get_association(&id).await.outcome(),
        "404 ResourceNotFoundException"
    );
    assert_eq!(
        f.outsider.delete_association(&arn).await.outcome(),
        "404 ResourceNotFoundException"
    );
    let sn_arn = format!(
        "arn:aws:vpc-lattice:us-east-1:{}:servicenetwork/{sn}",
        f.owner.account()
    );
    let listed = f
        .outsider
        .list(&format!(
            "serviceNetworkIdentifier={}",
            lattice_spec::operations::encode_label(&sn_arn)
        ))
        .await;
    assert_eq!(listed.json["items"].as_array().map(Vec::len), Some(0));
    assert_eq!(
        f.owner.get_association(&id).await.status,
        200,
        "left intact"
    );
}

#[tokio::test]
async fn either_resource_owner_or_the_creator_may_delete() {
    for deleter in ["network owner", "creator"] {
        let f = Fixture::correct().await;
        let (_, sn_arn) = f.owner.network().await;
        f.owner.share(&[&sn_arn], &f.peer).await;
        let (psvc, _) = f.peer.service().await;
        let id = f.peer.associate(&psvc, &sn_arn, None).await.s("/id");
        let who = if deleter == "creator" {
            &f.peer
        } else {
            &f.owner
        };
        assert_eq!(who.delete_association(&id).await.status, 200, "{deleter}");
        assert_eq!(f.owner.get_association(&id).await.status, 404, "{deleter}");
        assert_eq!(f.peer.get_association(&id).await.status, 404, "{deleter}");
    }
}

#[tokio::test]
async fn after_unsharing_existing_associations_persist_and_new_ones_are_refused() {
    let f = Fixture::correct().await;
    let (_, sn_arn) = f.owner.network().await;
    let share = f.owner.share(&[&sn_arn], &f.peer).await;
    let (psvc, _) = f.peer.service().await;
    let (psvc2, _) = f.peer.service().await;
    let id = f.peer.associate(&psvc, &sn_arn, None).await.s("/id");
    assert_eq!(f.owner.unshare(&share).await.status, 200);
    assert_eq!(f.peer.get_association(&id).await.status, 200);
    assert_eq!(
        f.peer.associate(&psvc2, &sn_arn, None).await.outcome(),
        "404 ResourceNotFoundException"
    );
}

#[tokio::test]
async fn ram_calls_report_shares_and_invitations() {
    let f = Fixture::correct().await;
    let (_, sn_arn) = f.owner.network().await;
    let share = f.owner.share(&[&sn_arn], &f.peer).await;
    let mine = f
        .owner
        .post(
            "/getresourceshares",
            &serde_json::json!({ "resourceOwner": "SELF" }),
        )
        .await;
    assert_eq!(mine.s("/resourceShares/0/resourceShareArn"), share);
    let theirs = f
        .peer
        .post(
            "/getresourceshares",
            &serde_json::json!({ "resourceOwner": "OTHER-ACCOUNTS" }),
        )
        .await;
    assert_eq!(
        theirs.s("/resourceShares/0/owningAccountId"),
        f.owner.account()
    );
    let bad = f
        .peer
        .post("/getresourceshares", &serde_json::json!({}))
        .await;
    assert_eq!(bad.outcome(), "400 MissingRequiredParameterException");
    let not_owner = f.peer.unshare(&share).await;
    assert_eq!(not_owner.outcome(), "400 UnknownResourceException");
}
