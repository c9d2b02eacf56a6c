//! Lifecycle: a new association reaches ACTIVE (or CREATE_FAILED with its failure code and
//! message) within the status budget; a deleted one reports DELETE_IN_PROGRESS and is gone (404)
//! within the budget. And the quota: the association past it is refused, naming the quota.
//!
//! A wait that stopped on a decisive answer (see [`crate::wait`]) is judged on that answer: a
//! refusal against the rule's outcomes, a success with an unexpected status as a wrong status.

use lattice_spec::wire::AssociationStatus;
use lattice_spec::RuleId;

use crate::case::{judge, unjudgeable, CaseResult};
use crate::exchange::Exchange;
use crate::state::{member_of, status_of};
use crate::verdict::{Verdict, Violation};
use crate::wait::{self, Poll};

/// The members of `shape` that a response lacks (absent or not strings).
fn missing(e: &Exchange, shape: &str, members: &[&str]) -> Vec<Violation> {
    members
        .iter()
        .filter(|m| member_of(e, m).is_none())
        .map(|m| Violation::MissingMember {
            shape: shape.into(),
            member: (*m).into(),
        })
        .collect()
}

/// How a wait ended: `Done` when it reached its end (`ended`), else what its last answer was
/// (`Pending`: the budget ran out on the expected progress).
fn wait_end(ended: bool, last: &Exchange, classify: fn(&Exchange) -> Poll) -> Poll {
    if ended {
        Poll::Done
    } else {
        classify(last)
    }
}

/// A successful answer that stopped a wait with a status the wait does not expect.
fn unexpected_status(last: &Exchange, expected: &str) -> Option<Violation> {
    last.ok().filter(|r| r.is_success())?;
    Some(Violation::Differs {
        what: "the status while waiting".into(),
        expected: expected.into(),
        found: member_of(last, "status").unwrap_or_else(|| "(absent)".into()),
    })
}

/// LIFE-REACHES-ACTIVE: the last polled answer (`last`), and whether the wait ended (`ended`)
/// within `waited_secs`. A wait that stopped on a decisive answer is judged on it.
pub fn reaches_active(
    create: &Exchange,
    last: &Exchange,
    ended: bool,
    waited_secs: u64,
) -> CaseResult {
    let rule = RuleId::LifeReachesActive;
    let expected = "CREATE_IN_PROGRESS, then ACTIVE or CREATE_FAILED";
    match wait_end(ended, last, wait::until_active) {
        Poll::Pending => {
            let status = member_of(last, "status")
                .unwrap_or_else(|| last.ok().map(|r| r.outcome()).unwrap_or_default());
            return CaseResult::new(
                rule,
                vec![Violation::StatusStuck {
                    status,
                    expected: "ACTIVE or CREATE_FAILED".into(),
                    waited_secs,
                }],
                vec![create.clone(), last.clone()],
                "ACTIVE or CREATE_FAILED",
            );
        }
        Poll::Decisive if unjudgeable(last).is_none() => {
            if let Some(v) = unexpected_status(last, expected) {
                return CaseResult::new(
                    rule,
                    vec![v],
                    vec![create.clone(), last.clone()],
                    "ACTIVE or CREATE_FAILED",
                );
            }
        }
        Poll::Done | Poll::Decisive => {}
    }
    let mut case = judge(rule, last, vec![create.clone()]);
    if status_of(last) == Some(AssociationStatus::CreateFailed) {
        let v = missing(
            last,
            "GetServiceNetworkServiceAssociationResponse",
            &["failureCode", "failureMessage"],
        );
        if !v.is_empty() {
            case.verdict = Verdict::Fail(v);
        }
    }
    case.with_note(format!(
        "first status `{}`",
        member_of(create, "status").unwrap_or_default()
    ))
}

/// LIFE-DELETE-GONE: the accepted delete reports DELETE_IN_PROGRESS (or DELETE_FAILED), and Get
/// answers 404 once the wait ended (`ended`) within `waited_secs`. A wait that stopped on a
/// decisive answer (a not-found with status 400, a validation error on the endpoint's own id,
/// the association still ACTIVE) fails on that answer at once. A 404 after the delete shows
/// the deletion only where Get showed the association before it (`seen`): otherwise the case
/// is inconclusive.
pub fn delete_gone(
    seen: &Exchange,
    delete: &Exchange,
    gone: &Exchange,
    ended: bool,
    waited_secs: u64,
) -> CaseResult {
    let rule = RuleId::LifeDeleteGone;
    if !crate::judge::succeeded(seen) {
        return CaseResult::inconclusive(
            rule,
            "Get never showed the association before the delete: a 404 after it shows nothing about the deletion",
            vec![seen.clone(), delete.clone(), gone.clone()],
        );
    }
    let mut v = Vec::new();
    if let Some(s) = member_of(delete, "status").filter(|s| {
        !matches!(
            AssociationStatus::parse(s),
            Some(AssociationStatus::DeleteInProgress | AssociationStatus::DeleteFailed)
        )
    }) {
        v.push(Violation::Differs {
            what: "the delete's status".into(),
            expected: "DELETE_IN_PROGRESS".into(),
            found: s,
        });
    }
    let stopped = match wait_end(ended, gone, wait::until_gone) {
        Poll::Pending if unjudgeable(gone).is_none() => Some(Violation::StatusStuck {
            status: member_of(gone, "status").unwrap_or_default(),
            expected: "404 after the delete".into(),
            waited_secs,
        }),
        Poll::Decisive if unjudgeable(gone).is_none() => {
            unexpected_status(gone, "DELETE_IN_PROGRESS, then 404")
        }
        _ => None,
    };
    if let Some(stopped) = stopped {
        v.push(stopped);
        return CaseResult::new(
            rule,
            v,
            vec![delete.clone(), gone.clone()],
            "404 within the status budget",
        );
    }
    let mut case = judge(rule, gone, vec![delete.clone()]);
    if !v.is_empty() {
        case.verdict = Verdict::Fail(v);
    }
    case
}

/// QUOTA-ASSOCIATIONS: the association past a network's quota of `quota` is refused as the rule
/// says, naming the quota (`serviceCode`, `quotaCode`).
pub fn over_quota(over: &Exchange, quota: usize) -> CaseResult {
    let mut case = judge(RuleId::QuotaAssociations, over, vec![]);
    if case.verdict == Verdict::Pass {
        let v = missing(
            over,
            "ServiceQuotaExceededException",
            &["serviceCode", "quotaCode"],
        );
        if !v.is_empty() {
            case.verdict = Verdict::Fail(v);
        }
    }
    case.with_note(format!(
        "association {} in a network with a quota of {quota}",
        quota + 1
    ))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::judge::testing::{err, ex, throttled};

    #[test]
    fn creation_must_end_active_or_failed_with_its_reason() {
        let create = ex(200, json!({"id": "snsa-1", "status": "CREATE_IN_PROGRESS"}));
        let active = ex(200, json!({"status": "ACTIVE"}));
        assert_eq!(
            reaches_active(&create, &active, true, 30).verdict,
            Verdict::Pass
        );
        let stuck = reaches_active(&create, &create, false, 30);
        assert!(
            matches!(&stuck.verdict, Verdict::Fail(v) if matches!(&v[0], Violation::StatusStuck { status, .. } if status == "CREATE_IN_PROGRESS"))
        );
        // A 404 right after the create is polled through; only one that lasts fails the rule.
        let lagging = err(404, "ResourceNotFoundException", json!({}));
        assert_eq!(crate::wait::until_active(&lagging), Poll::Pending);
        let never = reaches_active(&create, &lagging, false, 30);
        assert!(
            matches!(&never.verdict, Verdict::Fail(v) if matches!(&v[0], Violation::StatusStuck { status, .. } if status == "404 ResourceNotFoundException"))
        );
        let failed = ex(200, json!({"status": "CREATE_FAILED"}));
        assert!(reaches_active(&create, &failed, true, 30).verdict.is_fail());
        let explained = ex(
            200,
            json!({"status": "CREATE_FAILED", "failureCode": "X", "failureMessage": "y"}),
        );
        assert_eq!(
            reaches_active(&create, &explained, true, 30).verdict,
            Verdict::Pass
        );
    }

    #[test]
    fn a_deleted_association_reports_deleting_and_is_gone() {
        let deleting = ex(200, json!({"status": "DELETE_IN_PROGRESS"}));
        let gone = err(404, "ResourceNotFoundException", json!({}));
        let active = ex(200, json!({"status": "ACTIVE"}));
        assert_eq!(
            delete_gone(&active, &deleting, &gone, true, 30).verdict,
            Verdict::Pass
        );
        assert!(delete_gone(&active, &active, &gone, true, 30)
            .verdict
            .is_fail());
        assert!(delete_gone(&active, &deleting, &active, false, 30)
            .verdict
            .is_fail());
        assert_eq!(
            delete_gone(&active, &deleting, &throttled(), false, 30)
                .verdict
                .name(),
            "inconclusive"
        );
        // Get never showed it before the delete: a 404 afterwards shows nothing.
        assert_eq!(
            delete_gone(&gone, &deleting, &gone, true, 30)
                .verdict
                .name(),
            "inconclusive"
        );
    }

    #[test]
    fn a_wait_stopped_on_a_decisive_answer_is_judged_on_it() {
        let deleting = ex(200, json!({"status": "DELETE_IN_PROGRESS"}));
        let seen = ex(200, json!({"status": "ACTIVE"}));
        // A not-found with status 400 where 404 is awaited: the wrong status, at once.
        let not_found_400 = err(400, "ResourceNotFoundException", json!({}));
        let case = delete_gone(&seen, &deleting, &not_found_400, false, 30);
        assert!(
            matches!(&case.verdict, Verdict::Fail(v) if matches!(&v[0], Violation::WrongOutcome { found, .. } if found == "400 ResourceNotFoundException")),
            "{:?}",
            case.verdict
        );
        // The association still ACTIVE after an accepted delete.
        let active = ex(200, json!({"status": "ACTIVE"}));
        let case = delete_gone(&seen, &deleting, &active, false, 30);
        assert!(
            matches!(&case.verdict, Verdict::Fail(v) if matches!(&v[0], Violation::Differs { found, .. } if found == "ACTIVE")),
            "{:?}",
            case.verdict
        );
        // A validation error on the endpoint's own id while waiting for ACTIVE.
        let create = ex(
            200,
            json!({"id": "snsa-1-2", "status": "CREATE_IN_PROGRESS"}),
        );
        let refused = err(400, "ValidationException", json!({}));
        assert!(reaches_active(&create, &refused, false, 30)
            .verdict
            .is_fail());
        // A status outside the ones the wait expects.
        let odd = ex(200, json!({"status": "AVAILABLE"}));
        let case = reaches_active(&create, &odd, false, 30);
        assert!(
            matches!(&case.verdict, Verdict::Fail(v) if matches!(&v[0], Violation::Differs { found, .. } if found == "AVAILABLE")),
            "{:?}",
            case.verdict
        );
        // Throttled or cut off: never a failure.
        assert_eq!(
            reaches_active(&create, &throttled(), false, 30)
                .verdict
                .name(),
            "inconclusive"
        );
    }

    #[test]
    fn the_quota_error_names_the_quota() {
        let named = err(
            402,
            "ServiceQuotaExceededException",
            json!({"serviceCode": "vpc-lattice", "quotaCode": "L-1"}),
        );
        assert_eq!(over_quota(&named, 4).verdict, Verdict::Pass);
        let bare = err(402, "ServiceQuotaExceededException", json!({}));
        assert!(over_quota(&bare, 4).verdict.is_fail());
    }
}
