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
