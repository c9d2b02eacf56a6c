//! Every defect changes an answer: for each `Defect::ALL`, a probe (a short request sequence)
//! returns a comparable summary, and the summary from a defective endpoint must differ from the
//! one of a correct endpoint with the same configuration.

use std::collections::BTreeSet;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use lattice_reference::{Config, Defect};
use serde_json::{json, Map, Value};

use crate::support::{
    after_unshare, both_shared, create_network_body_altered, create_network_signed,
    is_association_id, missing_service, never_shared, pair, token_reused, with_tags, Fixture, Resp,
    Signing,
};

const DELAY: Duration = Duration::from_millis(250);

type Summary = Pin<Box<dyn Future<Output = String> + Send>>;

/// The configuration a defect's probe runs under (the same for the correct endpoint).
fn config_for(defect: Defect) -> Config {
    let mut config = Config::default();
    if defect.needs_delay() {
        config.transition_delay = DELAY;
    }
    if defect == Defect::NoQuota {
        config.quota_per_network = 1;
    }
    if defect == Defect::RetryAfterHttpDate {
        config.throttle_every = Some(1);
    }
    if defect == Defect::AcceptCreatingService {
        config.service_creation_delay = DELAY;
    }
    config
}

/// The owner's network shared with the peer, and an association the peer made with it.
async fn peer_association(f: &Fixture) -> Resp {
    let (_, sn_arn) = f.owner.network().await;
    f.owner.share(&[&sn_arn], &f.peer).await;
    let (psvc, _) = f.peer.service().await;
    f.peer.associate(&psvc, &sn_arn, None).await
}

/// The probe of a defect of the association's neighbouring operations: two services on one
/// network (A: s1, B: s2) and s1 on another network (C), then the call the defect changes.
async fn neighbour_probe(defect: Defect, f: &Fixture) -> String {
    use Defect::*;
    let (s1, s1_arn) = f.owner.service().await;
    let (s2, _) = f.owner.service().await;
    let (n1, n1_arn) = f.owner.network().await;
    let (n2, _) = f.owner.network().await;
    let a = f.owner.associate(&s1, &n1, None).await;
    f.owner.associate(&s2, &n1, None).await;
    f.owner.associate(&s1, &n2, None).await;
    let count = |r: Resp| r.json["items"].as_array().map_or(0, Vec::len);
    match defect {
        UncheckedReadIdentifiers => f.owner.get_association("snsa-0123").await.outcome(),
        TagsOfNothingEmpty => {
            let ghost = a.s("/arn").replace(&a.s("/id")[5..], "0123456789abcdef0");
            f.owner.tags_of(&ghost).await.outcome()
        }
        ListWithoutFilter => f.owner.list("").await.outcome(),
        ListIgnoresServiceFilter => {
            count(f.owner.list(&format!("serviceIdentifier={s1}")).await).to_string()
        }
        ListIgnoresNetworkFilter => count(
            f.owner
                .list(&format!("serviceNetworkIdentifier={n1}"))
                .await,
        )
        .to_string(),
        ListFilterArnUnmatched => format!(
            "{} {}",
            count(f.owner.list(&format!("serviceIdentifier={s1_arn}")).await),
            count(
                f.owner
                    .list(&format!("serviceNetworkIdentifier={n1_arn}"))
                    .await
            )
        ),
        UncheckedMaxResults => f
            .owner
            .list(&format!("serviceNetworkIdentifier={n1}&maxResults=0"))
            .await
            .outcome(),
        PagingSkipsItem => {
            let first = f
                .owner
                .list(&format!("serviceNetworkIdentifier={n1}&maxResults=1"))
                .await;
            let token = first.s("/nextToken");
            count(
                f.owner
                    .list(&format!(
                        "serviceNetworkIdentifier={n1}&maxResults=1&nextToken={token}"
                    ))
                    .await,
            )
            .to_string()
        }
        DeletedStaysListed => {
            f.owner.delete_association(&a.s("/id")).await;
            count(
                f.owner
                    .list(&format!("serviceNetworkIdentifier={n1}"))
                    .await,
            )
            .to_string()
        }
        ArnUnresolvedOnReads => f.owner.get_association(&a.s("/arn")).await.outcome(),
        AssociationDnsDiffers => f
            .owner
            .get_association(&a.s("/id"))
            .await
            .s("/dnsEntry/domainName"),
        other => unreachable!("{other:?} is probed elsewhere"),
    }
}

/// The probe of a defect: an exhaustive match, so a new defect cannot go without one.
fn probe(defect: Defect, f: Fixture) -> Summary {
    use Defect::*;
    Box::pin(async move {
        match defect {
            IgnoreClientToken => {
                let (svc, sn) = pair(&f).await;
                let a = f.owner.associate(&svc, &sn, Some("t1")).await;
                let b = f.owner.associate(&svc, &sn, Some("t1")).await;
                format!(
                    "{} {} same={}",
                    a.outcome(),
                    b.outcome(),
                    a.s("/id") == b.s("/id")
                )
            }
            AcceptTokenMismatch => token_reused(&f).await.outcome(),
            GlobalClientTokens => {
                let (svc, sn) = pair(&f).await;
                f.owner.associate(&svc, &sn, Some("shared")).await;
                let (psn, _) = f.peer.network().await;
                let (psvc, _) = f.peer.service().await;
                let r = f.peer.associate(&psvc, &psn, Some("shared")).await;
                format!(
                    "{} createdBy={}",
                    r.outcome(),
                    r.s("/createdBy") == f.peer.account()
                )
            }
            CaseInsensitiveTokens => {
                let (svc, sn) = pair(&f).await;
                f.owner.associate(&svc, &sn, Some("tokenABC")).await;
                f.owner
                    .associate(&svc, &sn, Some("TOKENabc"))
                    .await
                    .outcome()
            }
            NoConflictOnDuplicate | ConflictWrongStatus => {
                let (svc, sn) = pair(&f).await;
                f.owner.associate(&svc, &sn, None).await;
                f.owner.associate(&svc, &sn, None).await.outcome()
            }
            NotFoundMissingResourceId => {
                let r = missing_service(&f).await;
                format!(
                    "{} resourceId={}",
                    r.outcome(),
                    r.json["resourceId"].is_string()
                )
            }
            AcceptLongTagKey => with_tags(&f, json!({ "k".repeat(129): "v" })).await,
            AcceptLongTagValue => with_tags(&f, json!({ "k": "v".repeat(257) })).await,
            AcceptTooManyTags => {
                let tags: Map<String, Value> =
                    (0..201).map(|i| (format!("k{i}"), json!("v"))).collect();
                with_tags(&f, Value::Object(tags)).await
            }
            AcceptAwsTagPrefix => with_tags(&f, json!({ "aws:team": "v" })).await,
            SkipTagCharset => with_tags(&f, json!({ "a#b": "v" })).await,
            AwsPrefixCaseCrash => with_tags(&f, json!({ "AWS:team": "v" })).await,
            RefuseTagAtPlus => with_tags(&f, json!({ "a@b+c": "x@y+z" })).await,
            ReplayWithoutToken => {
                let (svc, sn) = pair(&f).await;
                f.owner.associate(&svc, &sn, None).await;
                f.owner.associate(&svc, &sn, None).await.outcome()
            }
            FullMatchTokenPattern => {
                let (svc, sn) = pair(&f).await;
                f.owner.associate(&svc, &sn, Some("é-1")).await.outcome()
            }
            PairBlockedAfterDelete => {
                let (svc, sn) = pair(&f).await;
                let id = f.owner.associate(&svc, &sn, None).await.s("/id");
                f.owner.delete_association(&id).await;
                let gone = f.owner.get_association(&id).await.outcome();
                let again = f.owner.associate(&svc, &sn, None).await.outcome();
                format!("after delete: Get {gone}, Create {again}")
            }
            DropTags => {
                let (svc, sn) = pair(&f).await;
                let body = json!({ "serviceIdentifier": svc, "serviceNetworkIdentifier": sn, "tags": { "env": "test" } });
                let arn = f.owner.associate_body(&body).await.s("/arn");
                f.owner.tags_of(&arn).await.json["tags"].to_string()
            }
            AcceptUnsharedResource => never_shared(&f).await.outcome(),
            AllowBothShared => both_shared(&f).await.outcome(),
            BareIdAnyAccount => {
                let (sn, _) = f.owner.network().await;
                let (psvc, _) = f.peer.service().await;
                f.peer.associate(&psvc, &sn, None).await.outcome()
            }
            OutsiderCanDelete => {
                let (svc, sn) = pair(&f).await;
                let arn = f.owner.associate(&svc, &sn, None).await.s("/arn");
                f.outsider.delete_association(&arn).await.outcome()
            }
            AssociationInvisibleToPeer => {
                let id = peer_association(&f).await.s("/id");
                f.owner.get_association(&id).await.outcome()
            }
            CreatedByResourceOwner => {
                let r = peer_association(&f).await;
                format!(
                    "createdBy is peer: {}",
                    r.s("/createdBy") == f.peer.account()
                )
            }
            CreatedByAsArn => {
                let (svc, sn) = pair(&f).await;
                let r = f.owner.associate(&svc, &sn, None).await;
                format!(
                    "createdBy is the account id: {}",
                    r.s("/createdBy") == f.owner.account()
                )
            }
            UnshareBlocksNothing => after_unshare(&f).await.outcome(),
            SkipSignatureCheck => create_network_signed(&f, Signing::wrong_secret()).await,
            AcceptUnknownAccessKey => create_network_signed(&f, Signing::unknown_key()).await,
            AcceptWrongServiceScope => {
                create_network_signed(
                    &f,
                    Signing {
                        service: Some("ec2".into()),
                        ..Signing::default()
                    },
                )
                .await
            }
            WrongSuccessContentType => {
                let (svc, sn) = pair(&f).await;
                f.owner.associate(&svc, &sn, None).await.content_type()
            }
            IdOutsidePattern => {
                let (svc, sn) = pair(&f).await;
                format!(
                    "matches: {}",
                    is_association_id(&f.owner.associate(&svc, &sn, None).await.s("/id"))
                )
            }
            CreateReturns201 => {
                let (svc, sn) = pair(&f).await;
                f.owner.associate(&svc, &sn, None).await.outcome()
            }
            CreateServiceReturns200 => f
                .owner
                .post("/services", &json!({ "name": "probe-service" }))
                .await
                .outcome(),
            CreatedAtEpochSeconds => {
                let (svc, sn) = pair(&f).await;
                let id = f.owner.associate(&svc, &sn, None).await.s("/id");
                let got = f.owner.get_association(&id).await;
                format!("{:?}", got.json.pointer("/createdAt").map(Value::is_string))
            }
            TokenUncheckedWithRealResources => {
                let (svc, sn) = pair(&f).await;
                let body = json!({ "serviceIdentifier": svc, "serviceNetworkIdentifier": sn, "clientToken": "x".repeat(65) });
                f.owner.associate_body(&body).await.outcome()
            }
            OwnArnUnresolved => {
                let (_, svc_arn) = f.owner.service().await;
                let (sn, _) = f.owner.network().await;
                f.owner.associate(&svc_arn, &sn, None).await.outcome()
            }
            ArnAccountIgnored => {
                let (_, svc_arn) = f.owner.service().await;
                let (sn, _) = f.owner.network().await;
                let foreign = svc_arn.replace(f.owner.account(), f.peer.account());
                f.owner.associate(&foreign, &sn, None).await.outcome()
            }
            UncheckedReadIdentifiers
            | TagsOfNothingEmpty
            | ListWithoutFilter
            | ListIgnoresServiceFilter
            | ListIgnoresNetworkFilter
            | ListFilterArnUnmatched
            | UncheckedMaxResults
            | PagingSkipsItem
            | DeletedStaysListed
            | ArnUnresolvedOnReads
            | AssociationDnsDiffers => neighbour_probe(defect, &f).await,
            ExistenceBeforeValidation => {
                let (_, sn) = pair(&f).await;
                let body = json!({ "serviceIdentifier": "svc-0123456789abcdef0", "serviceNetworkIdentifier": sn, "clientToken": "x".repeat(65) });
                f.owner.associate_body(&body).await.outcome()
            }
            LaxIdentifierPattern => {
                let (_, sn) = pair(&f).await;
                f.owner
                    .associate("svc-0123456789ABCDEF0", &sn, None)
                    .await
                    .outcome()
            }
            UncheckedTokenLength => {
                let (svc, sn) = pair(&f).await;
                f.owner
                    .associate(&svc, &sn, Some(&"x".repeat(65)))
                    .await
                    .outcome()
            }
            MissingErrorTypeHeader => missing_service(&f).await.outcome(),
            MalformedBody500 => f
                .owner
                .send("POST", "/servicenetworkserviceassociations", Some(b"{"))
                .await
                .outcome(),
            NoConflictWhileDeleting => {
                let (svc, sn) = pair(&f).await;
                let id = f.owner.associate(&svc, &sn, None).await.s("/id");
                tokio::time::sleep(DELAY * 2).await;
                let deleting = f.owner.delete_association(&id).await.s("/status");
                format!(
                    "{deleting} {}",
                    f.owner.associate(&svc, &sn, None).await.outcome()
                )
            }
            IgnoreDeletingResource => {
                let (_, sn) = pair(&f).await;
                let (svc2, _) = f.owner.service().await;
                f.owner
                    .send("DELETE", &format!("/services/{svc2}"), None)
                    .await;
                f.owner.associate(&svc2, &sn, None).await.outcome()
            }
            StatusOutsideEnum => {
                let (svc, sn) = pair(&f).await;
                f.owner.associate(&svc, &sn, None).await.s("/status")
            }
            StuckInProgress => {
                let (svc, sn) = pair(&f).await;
                let id = f.owner.associate(&svc, &sn, None).await.s("/id");
                tokio::time::sleep(DELAY * 2).await;
                f.owner.get_association(&id).await.s("/status")
            }
            DeleteNeverCompletes => {
                let (svc, sn) = pair(&f).await;
                let id = f.owner.associate(&svc, &sn, None).await.s("/id");
                tokio::time::sleep(DELAY * 2).await;
                f.owner.delete_association(&id).await;
                tokio::time::sleep(DELAY * 2).await;
                f.owner.get_association(&id).await.outcome()
            }
            NoQuota => {
                let (svc, sn) = pair(&f).await;
                let (svc2, _) = f.owner.service().await;
                f.owner.associate(&svc, &sn, None).await;
                f.owner.associate(&svc2, &sn, None).await.outcome()
            }
            UncheckedRequiredMember => {
                let (_, sn) = pair(&f).await;
                f.owner
                    .associate_body(&json!({ "serviceNetworkIdentifier": sn }))
                    .await
                    .outcome()
            }
            ValidationReasonOutsideEnum => f
                .owner
                .associate_body(&json!({ "serviceNetworkIdentifier": "sn-x" }))
                .await
                .s("/reason"),
            FieldListShapeNames => f
                .owner
                .associate_body(&json!({ "serviceNetworkIdentifier": "sn-x" }))
                .await
                .s("/fieldList/0/name"),
            RaceOnDuplicate => {
                let (svc, sn) = pair(&f).await;
                // Warm one pooled connection per task so the creates overlap on the wire.
                let warm: Vec<_> = (0..8)
                    .map(|_| {
                        let c = f.owner.clone();
                        let sn = sn.clone();
                        tokio::spawn(async move {
                            c.send("GET", &format!("/servicenetworks/{sn}"), None)
                                .await
                                .status
                        })
                    })
                    .collect();
                for w in warm {
                    let _ = w.await;
                }
                let tasks: Vec<_> = (0..8)
                    .map(|i| {
                        let (c, svc, sn) = (f.owner.clone(), svc.clone(), sn.clone());
                        tokio::spawn(async move {
                            c.associate(&svc, &sn, Some(&format!("race-{i}")))
                                .await
                                .status
                        })
                    })
                    .collect();
                let mut successes = 0;
                for t in tasks {
                    if matches!(t.await, Ok(200)) {
                        successes += 1;
                    }
                }
                format!("one success: {}", successes == 1)
            }
            AcceptMissingNetwork => {
                let (svc, _) = pair(&f).await;
                f.owner
                    .associate(&svc, "sn-0123456789abcdef0", None)
                    .await
                    .outcome()
            }
            HyphenatedIds => {
                let (svc, sn) = pair(&f).await;
                let id = f.owner.associate(&svc, &sn, None).await.s("/id");
                format!(
                    "matches: {}, then Get: {}",
                    is_association_id(&id),
                    f.owner.get_association(&id).await.outcome()
                )
            }
            MissingService400 | NotFound400 => missing_service(&f).await.outcome(),
            NetworkOwnerCannotDelete => {
                let id = peer_association(&f).await.s("/id");
                f.owner.delete_association(&id).await.outcome()
            }
            DeleteWhileCreating => {
                let (svc, sn) = pair(&f).await;
                let id = f.owner.associate(&svc, &sn, None).await.s("/id");
                f.owner.delete_association(&id).await.outcome()
            }
            AcceptUnsigned => {
                create_network_signed(
                    &f,
                    Signing {
                        unsigned: true,
                        ..Signing::default()
                    },
                )
                .await
            }
            AcceptStaleSignature => create_network_signed(&f, Signing::stale()).await,
            TrustPayloadHash => create_network_body_altered(&f).await,
            AcceptUnsignedHost => create_network_signed(&f, Signing::unsigned_host()).await,
            AcceptOtherRegion => {
                create_network_signed(
                    &f,
                    Signing {
                        region: Some("us-west-2".into()),
                        ..Signing::default()
                    },
                )
                .await
            }
            AcceptCreatingService => {
                let (sn, _) = f.owner.network().await;
                let (svc, _) = f.owner.service().await;
                f.owner.associate(&svc, &sn, None).await.outcome()
            }
            ArnInOwnerAccount => {
                let (_, sn_arn) = f.owner.network().await;
                f.owner.share(&[&sn_arn], &f.peer).await;
                let (psvc, _) = f.peer.service().await;
                let arn = f.peer.associate(&psvc, &sn_arn, None).await.s("/arn");
                format!(
                    "in the creator's account: {}",
                    arn.contains(f.peer.account())
                )
            }
            RetryAfterHttpDate => {
                let r = f
                    .owner
                    .associate("svc-0123456789abcdef0", "sn-0123456789abcdef0", None)
                    .await;
                let retry_after = r
                    .headers
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("");
                format!("{} retry-after={retry_after}", r.outcome())
            }
        }
    })
}

async fn summary(defect: Defect, defective: bool) -> String {
    let mut config = config_for(defect);
    if defective {
        config.defects = BTreeSet::from([defect]);
    }
    probe(defect, Fixture::start(config).await).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_defect_changes_an_answer_of_its_probe() {
    let mut unchanged = Vec::new();
    for &defect in Defect::ALL {
        let correct = summary(defect, false).await;
        let broken = summary(defect, true).await;
        println!(
            "{:<32} {:<9} correct: {correct:<45} defective: {broken}",
            defect.name(),
            defect.family()
        );
        if correct == broken {
            unchanged.push(format!("{} ({correct})", defect.name()));
        }
    }
    assert!(
        unchanged.is_empty(),
        "defects whose probe answers like a correct endpoint: {unchanged:?}"
    );
}

#[tokio::test]
async fn defects_can_be_switched_at_run_time() {
    let f = Fixture::correct().await;
    let (svc, sn) = pair(&f).await;
    f.endpoint
        .set_defects(BTreeSet::from([Defect::NoConflictOnDuplicate]));
    f.owner.associate(&svc, &sn, None).await;
    assert_eq!(f.owner.associate(&svc, &sn, None).await.status, 200);
    f.endpoint.set_defects(BTreeSet::new());
    let (svc2, _) = f.owner.service().await;
    f.owner.associate(&svc2, &sn, None).await;
    assert_eq!(
        f.owner.associate(&svc2, &sn, None).await.outcome(),
        "409 ConflictException"
    );
}
