//! AWS RAM as sharing needs it: invitations accepted or rejected, the share's idempotency and
//! the statuses GetResourceShares lists.

use serde_json::json;

use crate::support::{model, Fixture};

/// Asserts that RAM's model lists `error` for `operation`.
fn assert_modelled(operation: &str, error: &str) {
    let ram = model("ram-2018-01-04");
    let listed = ram["operations"][operation]["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|e| e["shape"] == error);
    assert!(listed, "RAM's model lists no {error} for {operation}");
}

#[tokio::test]
async fn a_rejected_invitation_is_no_longer_pending_and_shares_nothing() {
    let f = Fixture::correct().await;
    let (sn, sn_arn) = f.owner.network().await;
    let (share, invitation) = f.owner.invite(&[&sn_arn], &f.peer).await;
    let rejected = f
        .peer
        .post(
            "/rejectresourceshareinvitation",
            &json!({ "resourceShareInvitationArn": invitation, "clientToken": "t-1" }),
        )
        .await;
    assert_eq!(rejected.status, 200, "{:?}", rejected.json);
    assert_eq!(rejected.s("/resourceShareInvitation/status"), "REJECTED");
    assert_eq!(
        rejected.s("/resourceShareInvitation/resourceShareArn"),
        share
    );
    assert_eq!(rejected.s("/clientToken"), "t-1");

    let listed = f
        .peer
        .post(
            "/getresourceshareinvitations",
            &json!({ "resourceShareArns": [share] }),
        )
        .await;
    assert_eq!(
        listed.s("/resourceShareInvitations/0/status"),
        "REJECTED",
        "{:?}",
        listed.json
    );
    // Not shared: the network is neither usable nor listed, and the share is not the peer's.
    let (svc, _) = f.peer.service().await;
    assert_eq!(
        f.peer.associate(&svc, &sn_arn, None).await.outcome(),
        "404 ResourceNotFoundException"
    );
    assert!(!f
        .peer
        .list_networks("")
        .await
        .json
        .to_string()
        .contains(&sn));
    let theirs = f
        .peer
        .post(
            "/getresourceshares",
            &json!({ "resourceOwner": "OTHER-ACCOUNTS" }),
        )
        .await;
    assert_eq!(theirs.json["resourceShares"], json!([]));
}

#[tokio::test]
async fn an_answered_invitation_cannot_be_answered_again() {
    let f = Fixture::correct().await;
    let (_, sn_arn) = f.owner.network().await;
    let (_, rejected) = f.owner.invite(&[&sn_arn], &f.peer).await;
    let (_, accepted) = f.owner.invite(&[&sn_arn], &f.peer).await;
    let answer = |path: &'static str, arn: String| {
        let peer = f.peer.clone();
        async move {
            peer.post(path, &json!({ "resourceShareInvitationArn": arn }))
                .await
                .outcome()
        }
    };
    let reject = "/rejectresourceshareinvitation";
    let accept = "/acceptresourceshareinvitation";
    for operation in [
        "AcceptResourceShareInvitation",
        "RejectResourceShareInvitation",
    ] {
        for error in [
            "ResourceShareInvitationAlreadyRejectedException",
            "ResourceShareInvitationAlreadyAcceptedException",
            "ResourceShareInvitationArnNotFoundException",
            "MalformedArnException",
        ] {
            assert_modelled(operation, error);
        }
    }
    assert_eq!(answer(reject, rejected.clone()).await, "200 -");
    assert_eq!(
        answer(reject, rejected.clone()).await,
        "400 ResourceShareInvitationAlreadyRejectedException"
    );
    assert_eq!(
        answer(accept, rejected).await,
        "400 ResourceShareInvitationAlreadyRejectedException"
    );
    assert_eq!(answer(accept, accepted.clone()).await, "200 -");
    assert_eq!(
        answer(reject, accepted).await,
        "400 ResourceShareInvitationAlreadyAcceptedException"
    );
}

#[tokio::test]
async fn only_the_invitee_can_reject_an_invitation() {
    let f = Fixture::correct().await;
    let (_, sn_arn) = f.owner.network().await;
    let (_, invitation) = f.owner.invite(&[&sn_arn], &f.peer).await;
    for client in [&f.owner, &f.outsider] {
        let r = client
            .post(
                "/rejectresourceshareinvitation",
                &json!({ "resourceShareInvitationArn": invitation }),
            )
            .await;
        assert_eq!(
            r.outcome(),
            "400 ResourceShareInvitationArnNotFoundException"
        );
    }
    let missing = f
        .peer
        .post("/rejectresourceshareinvitation", &json!({}))
        .await;
    assert_eq!(missing.outcome(), "400 MissingRequiredParameterException");
    let malformed = f
        .peer
        .post(
            "/rejectresourceshareinvitation",
            &json!({ "resourceShareInvitationArn": "not-an-arn" }),
        )
        .await;
    assert_eq!(malformed.outcome(), "400 MalformedArnException");
}

#[tokio::test]
async fn a_share_token_reused_with_other_parameters_is_an_idempotent_parameter_mismatch() {
    assert_modelled(
        "CreateResourceShare",
        "IdempotentParameterMismatchException",
    );
    let f = Fixture::correct().await;
    let (_, sn_arn) = f.owner.network().await;
    let (_, other_arn) = f.owner.network().await;
    let body = json!({
        "name": "shared-net",
        "resourceArns": [sn_arn],
        "principals": [f.peer.account()],
        "clientToken": "share-token-1",
    });
    let first = f.owner.post("/createresourceshare", &body).await;
    assert_eq!(first.status, 200, "{:?}", first.json);
    let arn = first.s("/resourceShare/resourceShareArn");
    let replay = f.owner.post("/createresourceshare", &body).await;
    assert_eq!(
        (replay.status, replay.s("/resourceShare/resourceShareArn")),
        (200, arn.clone()),
        "the same parameters replay the share"
    );
    let mut reordered = body.clone();
    reordered["allowExternalPrincipals"] = json!(true);
    assert_eq!(
        f.owner
            .post("/createresourceshare", &reordered)
            .await
            .s("/resourceShare/resourceShareArn"),
        arn,
        "allowExternalPrincipals absent is true"
    );
    for (member, value) in [
        ("name", json!("another-name")),
        ("resourceArns", json!([other_arn])),
        ("principals", json!([f.outsider.account()])),
        ("allowExternalPrincipals", json!(false)),
    ] {
        let mut changed = body.clone();
        changed[member] = value;
        let r = f.owner.post("/createresourceshare", &changed).await;
        assert_eq!(
            r.outcome(),
            "400 IdempotentParameterMismatchException",
            "{member}: {:?}",
            r.json
        );
        assert!(r.s("/message").contains(&arn), "{:?}", r.json);
    }
    // Tokens are per account: the peer's use of the same token is a share of its own.
    let (_, peer_sn) = f.peer.network().await;
    let mut peers = body.clone();
    peers["resourceArns"] = json!([peer_sn]);
    peers["principals"] = json!([f.owner.account()]);
    let theirs = f.peer.post("/createresourceshare", &peers).await;
    assert_eq!(theirs.status, 200, "{:?}", theirs.json);
    assert_ne!(theirs.s("/resourceShare/resourceShareArn"), arn);
}

#[tokio::test]
async fn get_resource_shares_lists_every_status_unless_one_is_asked_for() {
    let f = Fixture::correct().await;
    let (_, sn_arn) = f.owner.network().await;
    let (_, other_arn) = f.owner.network().await;
    let live = f.owner.share(&[&sn_arn], &f.peer).await;
    let deleted = f.owner.share(&[&other_arn], &f.peer).await;
    assert_eq!(f.owner.unshare(&deleted).await.status, 200);
    let shares = |status: Option<&'static str>| {
        let owner = f.owner.clone();
        async move {
            let mut body = json!({ "resourceOwner": "SELF" });
            if let Some(s) = status {
                body["resourceShareStatus"] = json!(s);
            }
            let r = owner.post("/getresourceshares", &body).await;
            assert_eq!(r.status, 200, "{status:?}: {:?}", r.json);
            let mut found: Vec<(String, String)> = r.json["resourceShares"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|s| {
                    (
                        s["resourceShareArn"]
                            .as_str()
                            .unwrap_or_default()
                            .to_owned(),
                        s["status"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect();
            found.sort();
            found
        }
    };
    let mut every = vec![
        (live.clone(), "ACTIVE".to_owned()),
        (deleted.clone(), "DELETED".to_owned()),
    ];
    every.sort();
    assert_eq!(shares(None).await, every);
    assert_eq!(shares(Some("ACTIVE")).await, [(live, "ACTIVE".to_owned())]);
    assert_eq!(
        shares(Some("DELETED")).await,
        [(deleted, "DELETED".to_owned())]
    );
    // Every status of the model's enum may be asked for; anything else is refused.
    let ram = model("ram-2018-01-04");
    for status in ram["shapes"]["ResourceShareStatus"]["enum"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let body = json!({ "resourceOwner": "SELF", "resourceShareStatus": status });
        let r = f.owner.post("/getresourceshares", &body).await;
        assert_eq!(r.status, 200, "{status}");
    }
    let bad = f
        .owner
        .post(
            "/getresourceshares",
            &json!({ "resourceOwner": "SELF", "resourceShareStatus": "GONE" }),
        )
        .await;
    assert_eq!(bad.outcome(), "400 InvalidParameterException");
}
