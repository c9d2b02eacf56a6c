//! Ownership and sharing across accounts: who may associate what, who sees the association, who
//! may delete it, and what an ended share changes.

use lattice_spec::wire::AssociationStatus;
use lattice_spec::{ErrorType, ExpectedOutcome, OwnershipRule, RuleId};

use crate::case::{judge, judge_with, unjudgeable, CaseResult};
use crate::exchange::Exchange;
use crate::judge::{add_violations, succeeded, OK_200};
use crate::state::{created_by_in, listed_ids, status_of};
use crate::verdict::{Verdict, Violation};

/// What the other resource owner saw of an association the caller created.
#[derive(Debug, Clone, Copy)]
pub struct SeenByOther<'a> {
    /// The association's id.
    pub id: &'a str,
    /// The other owner's Get of it.
    pub get: &'a Exchange,
    /// The other owner's List filtered by its own resource.
    pub list: &'a Exchange,
}

/// Why a case that must judge `createdBy` cannot: no answer carried it.
const NO_CREATED_BY: &str = "neither the create nor the caller's Get of the association answered `createdBy` (an optional member): who created it was not observed";

/// `createdBy` against the caller's account (when known), from the create or, when it leaves
/// the member out, from the caller's Get (`read`, then added to the evidence). `None` when no
/// answer carries it: the case is made inconclusive, since who created it was not observed.
fn creator_checked(
    case: &mut CaseResult,
    create: &Exchange,
    read: Option<&Exchange>,
    caller_account: Option<&str>,
) -> Option<Vec<Violation>> {
    let Some(account) = caller_account else {
        return Some(vec![]);
    };
    let answers: Vec<&Exchange> = std::iter::once(create).chain(read).collect();
    let found = created_by_in(&answers, account);
    if found.is_none() || crate::state::member_of(create, "createdBy").is_none() {
        case.evidence.extend(read.cloned());
    }
    if found.is_none() {
        case.verdict = Verdict::Inconclusive(NO_CREATED_BY.into());
    }
    found
}

/// An allowed create: it succeeds, `createdBy` is the caller's account (when known; read from
/// the create, or from the caller's Get, `read`, when the create leaves it out), and the other
/// resource owner (when there is one) sees the association through Get and List.
pub fn allowed(
    rule: OwnershipRule,
    create: &Exchange,
    read: Option<&Exchange>,
    caller_account: Option<&str>,
    other: Option<SeenByOther<'_>>,
) -> CaseResult {
    let mut case = judge(rule.id(), create, vec![]);
    if case.verdict != Verdict::Pass {
        return case;
    }
    let Some(mut v) = creator_checked(&mut case, create, read, caller_account) else {
        return case;
    };
    if let Some(o) = other {
        if unjudgeable(o.get).is_none() && !succeeded(o.get) {
            v.push(Violation::NotVisible {
                who: "the other resource owner".into(),
                how: "Get".into(),
                found: o.get.ok().map(|r| r.outcome()).unwrap_or_default(),
            });
        }
        if unjudgeable(o.list).is_none() && !listed_ids(o.list).iter().any(|l| l == o.id) {
            v.push(Violation::NotVisible {
                who: "the other resource owner".into(),
                how: "List".into(),
                found: "not listed".into(),
            });
        }
        case.evidence.extend([o.get.clone(), o.list.clone()]);
    }
    if !v.is_empty() {
        case.verdict = Verdict::Fail(v);
    }
    case
}

/// A create the rule refuses (`both shared`, `never shared`, `a bare id of another account`), or
/// a Get or Delete by an account the rule names: the answer against the rule's outcomes.
pub fn answer(
    rule: OwnershipRule,
    e: &Exchange,
    note: &str,
    controls: &[Control<'_>],
) -> CaseResult {
    controlled(judge(rule.id(), e, vec![]).with_note(note), controls)
}

/// A request that must have succeeded for a refusal to mean what the rule says: the same kind
/// of request with the resource the caller may use (a shared one, its own), or the owner's own
/// read of what an outsider is refused.
#[derive(Debug, Clone, Copy)]
pub struct Control<'a> {
    /// The request and its answer.
    pub exchange: &'a Exchange,
    /// What it was, in words (`the same create with the peer's network shared`).
    pub what: &'a str,
}

/// A passing refusal counts only where every control succeeded: an endpoint that refuses the
/// allowed request too shows nothing by refusing this one, and the case is inconclusive. The
/// controls go first in the evidence; the refusal stays the decisive exchange.
fn controlled(mut case: CaseResult, controls: &[Control<'_>]) -> CaseResult {
    if case.verdict != Verdict::Pass {
        return case;
    }
    let failed = controls.iter().find(|c| !succeeded(c.exchange));
    if let Some(c) = failed {
        let found = unjudgeable(c.exchange)
            .unwrap_or_else(|| c.exchange.ok().map(|r| r.outcome()).unwrap_or_default());
        case.verdict = Verdict::Inconclusive(format!(
            "{} did not succeed ({found}): a refusal shows nothing about this rule",
            c.what
        ));
        case.chosen = None;
    }
    let n = controls.len();
    let decisive = case
        .decisive
        .map_or(case.evidence.len().saturating_sub(1), |d| d);
    case.evidence
        .splice(0..0, controls.iter().map(|c| c.exchange.clone()));
    case.decisive = Some(decisive + n);
    case
}

/// The account of an ARN in a string member of an answer, or why it has none.
fn arn_account(e: &Exchange, member: &str) -> Result<String, String> {
    let arn = crate::state::member_of(e, member).ok_or_else(|| "(absent)".to_owned())?;
    lattice_spec::LatticeArn::parse(&arn)
        .map(|a| a.account)
        .map_err(|_| arn)
}

/// One ARN's account against the account it must carry.
fn arn_in(e: &Exchange, member: &str, whose: &str, account: &str, what: &str) -> Vec<Violation> {
    match arn_account(e, member) {
        Ok(found) if found == account => vec![],
        Ok(found) => vec![Violation::Differs {
            what: format!("the account in `{member}` of {what} ({whose}'s)"),
            expected: account.into(),
            found,
        }],
        Err(found) => vec![Violation::Differs {
            what: format!("`{member}` of {what}, an ARN in {whose}'s account"),
            expected: format!("arn:…:{account}:…"),
            found,
        }],
    }
}

/// The accounts an association made against a peer's shared resource must show.
#[derive(Debug, Clone, Copy)]
pub struct CreatorAndOwner<'a> {
    /// The caller's account: it created the association.
    pub creator: &'a str,
    /// The peer's account: it owns the shared resource.
    pub owner: &'a str,
    /// The member of Get that names the shared resource (`serviceNetworkArn`, `serviceArn`).
    pub shared_member: &'a str,
}

/// OWN-ARN-CREATOR: the association the caller made against a peer's shared resource carries
/// the caller's account in its `arn`, in the Create's answer and in the caller's Get (`read`),
/// while Get names the shared resource by an ARN in the peer's account.
pub fn arn_creator(create: &Exchange, read: &Exchange, who: CreatorAndOwner<'_>) -> CaseResult {
    let mut case = judge(RuleId::OwnArnCreator, create, vec![])
        .with_note("the caller's association with a resource a peer shared with it");
    if case.verdict != Verdict::Pass {
        return case;
    }
    let mut v = arn_in(
        create,
        "arn",
        "the creator",
        who.creator,
        "the Create's answer",
    );
    if unjudgeable(read).is_none() {
        if succeeded(read) {
            v.extend(arn_in(
                read,
                "arn",
                "the creator",
                who.creator,
                "the creator's Get",
            ));
            v.extend(arn_in(
                read,
                who.shared_member,
                "the owner",
                who.owner,
                "the creator's Get",
            ));
        } else {
            v.push(Violation::NotVisible {
                who: "the account that created it".into(),
                how: "Get".into(),
                found: read.ok().map(|r| r.outcome()).unwrap_or_default(),
            });
        }
        case.evidence.push(read.clone());
        case.decisive = Some(0);
    }
    add_violations(&mut case, v);
    case
}

/// OWN-BARE-ID: a peer's shared network named by its bare id is either resolved through the
/// share (a create like the one by ARN: `createdBy` the caller, and the caller's Get of it, `get`,
/// naming the peer's network `peer_network`) or names nothing (404); the choice is recorded.
pub fn bare_id(
    create: &Exchange,
    get: Option<&Exchange>,
    caller_account: Option<&str>,
    peer_network: &str,
    by_arn: Control<'_>,
) -> CaseResult {
    let mut case = judge(RuleId::OwnBareId, create, vec![])
        .with_note("the peer's shared network given as a bare id");
    if case.verdict != Verdict::Pass {
        return case;
    }
    if !succeeded(create) {
        // The 404 reading means something only where the same network by ARN is usable.
        return controlled(case, &[by_arn]);
    }
    let Some(mut v) = creator_checked(&mut case, create, get, caller_account) else {
        return case;
    };
    if let Some(get) = get.filter(|g| unjudgeable(g).is_none()) {
        let named = crate::state::member_of(get, "serviceNetworkId");
        if named.as_deref() != Some(peer_network) {
            v.push(Violation::Differs {
                what: "the serviceNetworkId of the association made with the bare id".into(),
                expected: peer_network.into(),
                found: named.unwrap_or_else(|| "(absent)".into()),
            });
        }
        case.evidence.push(get.clone());
        case.decisive = Some(0);
    }
    if !v.is_empty() {
        case.verdict = Verdict::Fail(v);
    }
    case
}

/// OWN-BARE-ID: a bare id of another account's network that is not shared with the caller
/// names nothing (404 ResourceNotFoundException), whichever reading the endpoint takes: looked
/// up in the caller's account, or through the caller's shares, it finds nothing.
pub fn bare_id_unshared(create: &Exchange) -> CaseResult {
    let names_nothing = [ExpectedOutcome::Error {
        status: 404,
        error: Some(ErrorType::ResourceNotFoundException.name().into()),
    }];
    judge_with(RuleId::OwnBareId, &names_nothing, create, vec![])
        .with_note("the bare id of another account's network that is not shared with the caller")
}

/// OWN-OUTSIDER: the outsider's Delete is refused, and the owner's Get afterwards (`after`)
/// still shows the association intact.
pub fn outsider_delete(delete: &Exchange, after: &Exchange) -> CaseResult {
    let mut case = judge(RuleId::OwnOutsider, delete, vec![])
        .with_note("the outsider Deletes the owner's association by ARN");
    if unjudgeable(after).is_none()
        && (!succeeded(after) || status_of(after) == Some(AssociationStatus::DeleteInProgress))
    {
        case.verdict = Verdict::Fail(vec![Violation::SideEffect {
            request: "the outsider's Delete".into(),
            change: "the association is no longer intact".into(),
        }]);
    }
    case.evidence.push(after.clone());
    case
}

/// OWN-OUTSIDER: the outsider's ListTagsForResource on the association's ARN is refused. A
/// neighbouring call, judged by its status (403 or 404): real VPC Lattice answers it with an
/// error name no model lists (404 `NotFoundException`), so the name is recorded, not judged.
/// The refusal counts only where the owner's own ListTagsForResource (`owner`) succeeded.
pub fn outsider_tags(tags: &Exchange, owner: Control<'_>) -> CaseResult {
    let rule = RuleId::OwnOutsider;
    let note = "the outsider lists the tags of the owner's association by ARN";
    let expected = "403 or 404 (the error name is recorded)";
    let Some(resp) = tags.ok().filter(|_| unjudgeable(tags).is_none()) else {
        let reason = unjudgeable(tags).unwrap_or_else(|| "no response".into());
        return CaseResult::inconclusive(rule, reason, vec![tags.clone()]).with_note(note);
    };
    let v = match resp.status {
        403 | 404 => vec![],
        s if (200..300).contains(&s) => vec![Violation::Exposed {
            who: "the outsider".into(),
            how: "ListTagsForResource".into(),
            id: crate::state::member_of(tags, "arn")
                .unwrap_or_else(|| "the association's tags".into()),
        }],
        _ => vec![Violation::WrongOutcome {
            expected: vec!["403".into(), "404".into()],
            found: resp.outcome(),
        }],
    };
    let mut case = CaseResult::new(rule, v, vec![tags.clone()], expected).with_note(note);
    case.chosen = matches!(resp.status, 403 | 404)
        .then(|| format!("ListTagsForResource: {}", resp.outcome()));
    controlled(case, &[owner])
}

/// OWN-OUTSIDER: the outsider's List of the owner's network does not show the association,
/// which the owner's own List of it (`owner_list`) must show for the absence to mean anything.
pub fn outsider_list(list: &Exchange, id: &str, owner_list: &Exchange) -> CaseResult {
    let v = if listed_ids(list).iter().any(|l| l == id) {
        vec![Violation::Exposed {
            who: "the outsider".into(),
            how: "List".into(),
            id: id.into(),
        }]
    } else {
        vec![]
    };
    let case = CaseResult::new(
        RuleId::OwnOutsider,
        v,
        vec![list.clone()],
        "the association not listed",
    )
    .with_note("the outsider Lists the owner's network");
    if case.verdict == Verdict::Pass && !listed_ids(owner_list).iter().any(|l| l == id) {
        let mut case = case;
        case.verdict = Verdict::Inconclusive(
            "the owner's own List of its network did not show the association either: its absence from the outsider's shows nothing".into(),
        );
        case.evidence.insert(0, owner_list.clone());
        case.decisive = Some(1);
        return case;
    }
    case
}

/// OWN-UNSHARE: after the share ends, the association made through it persists (`still`: the
/// owner's Get of it) ...
pub fn unshare_persists(before: &Exchange, still: &Exchange) -> CaseResult {
    judge_with(RuleId::OwnUnshare, OK_200, still, vec![before.clone()])
        .with_note("the existing association persists after the share ends")
}

/// ... and a new association with the formerly shared resource is refused.
pub fn unshare_refuses_new(before: &Exchange, fresh: &Exchange) -> CaseResult {
    judge(RuleId::OwnUnshare, fresh, vec![before.clone()])
        .with_note("a new association with the formerly shared network")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::judge::testing::{err, ex};

    fn created(by: &str) -> Exchange {
        ex(
            200,
            json!({"id": "snsa-1", "createdBy": by, "status": "ACTIVE"}),
        )
    }

    #[test]
    fn an_allowed_create_is_the_callers_and_visible_to_the_other_owner() {
        let get = created("111111111111");
        let list = ex(200, json!({"items": [{"id": "snsa-1"}]}));
        let seen = SeenByOther {
            id: "snsa-1",
            get: &get,
            list: &list,
        };
        let c = allowed(
            OwnershipRule::OwnSharedNetwork,
            &created("111111111111"),
            None,
            Some("111111111111"),
            Some(seen),
        );
        assert_eq!(c.verdict, Verdict::Pass);
        let hidden = err(404, "ResourceNotFoundException", json!({}));
        let empty = ex(200, json!({"items": []}));
        let c = allowed(
            OwnershipRule::OwnSharedNetwork,
            &created("222222222222"),
            None,
            Some("111111111111"),
            Some(SeenByOther {
                id: "snsa-1",
                get: &hidden,
                list: &empty,
            }),
        );
        assert!(matches!(&c.verdict, Verdict::Fail(v) if v.len() == 3));
    }

    #[test]
    fn created_by_left_out_of_the_create_is_read_from_get_and_never_passes_unseen() {
        let sparse = ex(
            200,
            json!({"id": "snsa-1", "arn": "arn:x", "status": "ACTIVE"}),
        );
        let rule = OwnershipRule::OwnBothOwned;
        let c = allowed(rule, &sparse, Some(&created("1")), Some("1"), None);
        assert_eq!(c.verdict, Verdict::Pass);
        assert_eq!(
            c.evidence.len(),
            2,
            "the Get that showed createdBy is evidence"
        );
        assert!(allowed(rule, &sparse, Some(&created("2")), Some("1"), None)
            .verdict
            .is_fail());
        // No answer carries createdBy: nothing shows who created it.
        let c = allowed(rule, &sparse, Some(&sparse), Some("1"), None);
        assert_eq!(c.verdict.name(), "inconclusive");
        let c = allowed(rule, &sparse, None, Some("1"), None);
        assert_eq!(c.verdict.name(), "inconclusive");
    }

    #[test]
    fn a_bare_id_of_a_shared_network_resolves_to_it_or_names_nothing() {
        let by_arn = created("1");
        let usable = Control {
            exchange: &by_arn,
            what: "the same create by ARN",
        };
        let nf = err(404, "ResourceNotFoundException", json!({}));
        let c = bare_id(&nf, None, Some("1"), "sn-p", usable);
        assert_eq!(
            (c.verdict, c.chosen.as_deref()),
            (Verdict::Pass, Some("404 ResourceNotFoundException"))
        );
        let get = ex(200, json!({"serviceNetworkId": "sn-p"}));
        let c = bare_id(&created("1"), Some(&get), Some("1"), "sn-p", usable);
        assert_eq!(
            (c.verdict, c.chosen.as_deref()),
            (Verdict::Pass, Some("200"))
        );
        let elsewhere = ex(200, json!({"serviceNetworkId": "sn-mine"}));
        assert!(
            bare_id(&created("1"), Some(&elsewhere), Some("1"), "sn-p", usable)
                .verdict
                .is_fail()
        );
        let denied = err(403, "AccessDeniedException", json!({}));
        assert!(bare_id(&denied, None, Some("1"), "sn-p", usable)
            .verdict
            .is_fail());
        // The 404 reading shows nothing where the network cannot be used by ARN either.
        let refused = Control {
            exchange: &nf,
            what: "the same create by ARN",
        };
        let c = bare_id(&nf, None, Some("1"), "sn-p", refused);
        assert_eq!((c.verdict.name(), c.chosen), ("inconclusive", None));
        // Not shared at all: neither reading finds it.
        assert_eq!(bare_id_unshared(&nf).verdict, Verdict::Pass);
        assert!(bare_id_unshared(&created("1")).verdict.is_fail());
        assert!(bare_id_unshared(&denied).verdict.is_fail());
    }

    #[test]
    fn a_refusal_counts_only_where_the_allowed_request_succeeded() {
        let nf = err(404, "ResourceNotFoundException", json!({}));
        let ok = created("1");
        let control = |e| Control {
            exchange: e,
            what: "the create with the peer's network shared",
        };
        let rule = OwnershipRule::OwnNotShared;
        let c = answer(rule, &nf, "n", &[control(&ok)]);
        assert_eq!(
            (c.verdict, c.evidence.len(), c.decisive),
            (Verdict::Pass, 2, Some(1))
        );
        let c = answer(rule, &nf, "n", &[control(&ok), control(&nf)]);
        assert_eq!(c.verdict.name(), "inconclusive");
        // An answer the rule refuses fails whatever the control did.
        assert!(answer(rule, &ok, "n", &[control(&nf)]).verdict.is_fail());
    }

    #[test]
    fn the_creator_sees_its_own_account_in_the_arn_and_the_owner_in_the_shared_resource() {
        const CREATOR: &str = "111111111111";
        const OWNER: &str = "222222222222";
        let arn = |account: &str| {
            format!("arn:aws:vpc-lattice:us-east-1:{account}:servicenetworkserviceassociation/snsa-0123456789abcdef0")
        };
        let sn = |account: &str| {
            format!("arn:aws:vpc-lattice:us-east-1:{account}:servicenetwork/sn-0123456789abcdef0")
        };
        let create = |account: &str| {
            ex(
                200,
                json!({"id": "snsa-0123456789abcdef0", "arn": arn(account)}),
            )
        };
        let get = |a: &str, n: &str| ex(200, json!({"arn": arn(a), "serviceNetworkArn": sn(n)}));
        let who = CreatorAndOwner {
            creator: CREATOR,
            owner: OWNER,
            shared_member: "serviceNetworkArn",
        };
        let c = arn_creator(&create(CREATOR), &get(CREATOR, OWNER), who);
        assert_eq!((c.verdict, c.evidence.len()), (Verdict::Pass, 2));
        // The ARN in the owner's account, in the Create's answer or in Get: the rule is broken.
        assert!(arn_creator(&create(OWNER), &get(CREATOR, OWNER), who)
            .verdict
            .is_fail());
        assert!(arn_creator(&create(CREATOR), &get(OWNER, OWNER), who)
            .verdict
            .is_fail());
        assert!(arn_creator(&create(CREATOR), &get(CREATOR, CREATOR), who)
            .verdict
            .is_fail());
        let no_arn = ex(200, json!({"id": "snsa-0123456789abcdef0"}));
        assert!(arn_creator(&no_arn, &get(CREATOR, OWNER), who)
            .verdict
            .is_fail());
        let hidden = err(404, "ResourceNotFoundException", json!({}));
        assert!(arn_creator(&create(CREATOR), &hidden, who)
            .verdict
            .is_fail());
        let refused = err(403, "AccessDeniedException", json!({}));
        assert!(arn_creator(&refused, &hidden, who).verdict.is_fail());
    }

    #[test]
    fn the_outsider_neither_deletes_nor_lists_the_association() {
        let refused = err(404, "ResourceNotFoundException", json!({}));
        assert_eq!(
            outsider_delete(&refused, &created("1")).verdict,
            Verdict::Pass
        );
        let deleting = ex(200, json!({"status": "DELETE_IN_PROGRESS"}));
        assert!(outsider_delete(&refused, &deleting).verdict.is_fail());
        let listed = ex(200, json!({"items": [{"id": "snsa-1"}]}));
        assert!(outsider_list(&listed, "snsa-1", &listed).verdict.is_fail());
        let other = ex(200, json!({"items": [{"id": "snsa-2"}]}));
        assert_eq!(
            outsider_list(&other, "snsa-1", &listed).verdict,
            Verdict::Pass
        );
        // A List that shows nothing to the owner either shows nothing.
        assert_eq!(
            outsider_list(&other, "snsa-1", &other).verdict.name(),
            "inconclusive"
        );
        let owner_tags = ex(200, json!({"tags": {}}));
        let owner = Control {
            exchange: &owner_tags,
            what: "the owner's own ListTagsForResource",
        };
        // The tags: refused by status, whatever the error is named.
        for (refusal, name) in [
            (
                err(404, "NotFoundException", json!({})),
                "404 NotFoundException",
            ),
            (
                err(403, "AccessDeniedException", json!({})),
                "403 AccessDeniedException",
            ),
            (refused.clone(), "404 ResourceNotFoundException"),
        ] {
            let c = outsider_tags(&refusal, owner);
            assert_eq!(c.verdict, Verdict::Pass);
            assert_eq!(c.chosen, Some(format!("ListTagsForResource: {name}")));
        }
        let shown = ex(200, json!({"tags": {"k": "v"}}));
        assert!(outsider_tags(&shown, owner).verdict.is_fail());
        let conflict = err(409, "ConflictException", json!({}));
        assert!(outsider_tags(&conflict, owner).verdict.is_fail());
        let unread = Control {
            exchange: &refused,
            what: "the owner's own ListTagsForResource",
        };
        assert_eq!(
            outsider_tags(&refused, unread).verdict.name(),
            "inconclusive"
        );
    }
}
