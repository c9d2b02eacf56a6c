//! Conflicts: a second association for an associated pair, a create while the pair's association
//! or one of its resources is being deleted, re-association once the old one is gone, and a
//! delete while the association is still being created.

use lattice_spec::wire::AssociationStatus;
use lattice_spec::{ErrorType, RuleId};

use crate::case::{judge, CaseResult};
use crate::exchange::Exchange;
use crate::judge::{add_violations, missing_members};
use crate::state::{settled, status_of};
use crate::verdict::Verdict;

/// CONFLICT-DUPLICATE: a create for an associated pair (with a new token) is 409
/// ConflictException naming the existing association.
pub fn duplicate(first: &Exchange, second: &Exchange) -> CaseResult {
    let mut case = judge(RuleId::ConflictDuplicate, second, vec![first.clone()]);
    if case.verdict == Verdict::Pass {
        add_violations(
            &mut case,
            missing_members(second, 409, ErrorType::ConflictException),
        );
    }
    case.with_note("a second create for the associated pair, with a new token")
}

/// CONFLICT-DELETING-ASSOC: a create for the pair right after its association's delete was
/// accepted. Inconclusive unless the association had become ACTIVE (`was_active`) and the delete
/// reported DELETE_IN_PROGRESS.
pub fn deleting_association(
    first: &Exchange,
    ready: &Exchange,
    was_active: bool,
    delete: Option<&Exchange>,
    second: Option<&Exchange>,
) -> CaseResult {
    let rule = RuleId::ConflictDeletingAssoc;
    let (Some(delete), Some(second), true) = (delete, second, was_active) else {
        return CaseResult::inconclusive(
            rule,
            "the association never became ACTIVE",
            vec![first.clone(), ready.clone()],
        );
    };
    if status_of(delete) != Some(AssociationStatus::DeleteInProgress) {
        return CaseResult::inconclusive(
            rule,
            "the delete did not report DELETE_IN_PROGRESS, so the in-progress state was not reached",
            vec![first.clone(), delete.clone(), second.clone()],
        );
    }
    judge(rule, second, vec![first.clone(), delete.clone()])
        .with_note("a create for the pair right after its association's delete was accepted")
}

/// CONFLICT-DELETING-RESOURCE: a create with a service whose delete is in progress.
/// Inconclusive unless DeleteService reported DELETE_IN_PROGRESS.
pub fn deleting_resource(delete: &Exchange, create: &Exchange) -> CaseResult {
    let rule = RuleId::ConflictDeletingResource;
    if status_of(delete) != Some(AssociationStatus::DeleteInProgress) {
        return CaseResult::inconclusive(
            rule,
            "DeleteService did not report DELETE_IN_PROGRESS, so the in-progress state was not reached",
            vec![delete.clone(), create.clone()],
        );
    }
    judge(rule, create, vec![delete.clone()])
        .with_note("a create with a service whose delete is in progress")
}

/// CONFLICT-REASSOCIATE: once a deleted association is gone (`gone_done`), the pair may be
/// associated again.
pub fn reassociate(
    first: &Exchange,
    delete: &Exchange,
    gone: &Exchange,
    gone_done: bool,
    again: Option<&Exchange>,
) -> CaseResult {
    let rule = RuleId::ConflictReassociate;
    let evidence = vec![first.clone(), delete.clone(), gone.clone()];
    match again.filter(|_| gone_done) {
        None => CaseResult::inconclusive(
            rule,
            "the deleted association was never seen gone (404)",
            evidence,
        ),
        Some(again) => {
            judge(rule, again, evidence).with_note("create, delete, wait until gone, create again")
        }
    }
}

/// Whether a create's answer reached CREATE_IN_PROGRESS, so that a delete right after it tests
/// CONFLICT-DELETE-CREATING; the inconclusive case when it did not.
pub fn creating_reached(first: &Exchange) -> Option<CaseResult> {
    settled(first).then(|| {
        CaseResult::inconclusive(
            RuleId::ConflictDeleteCreating,
            "the create answered a status other than CREATE_IN_PROGRESS, so the in-progress state was not reached",
            vec![first.clone()],
        )
    })
}

/// CONFLICT-DELETE-CREATING: a delete right after a create that answered CREATE_IN_PROGRESS.
pub fn delete_creating(first: &Exchange, delete: &Exchange) -> CaseResult {
    judge(RuleId::ConflictDeleteCreating, delete, vec![first.clone()])
        .with_note("a delete right after a create that answered CREATE_IN_PROGRESS")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::judge::testing::{err, ex};
    use crate::verdict::Violation;

    fn created() -> Exchange {
        ex(200, json!({"id": "snsa-1", "status": "ACTIVE"}))
    }

    #[test]
    fn a_duplicate_is_a_conflict_naming_the_existing_association() {
        let named = err(
            409,
            "ConflictException",
            json!({"resourceId": "snsa-1", "resourceType": "SERVICE_NETWORK_SERVICE_ASSOCIATION"}),
        );
        assert_eq!(duplicate(&created(), &named).verdict, Verdict::Pass);
        let unnamed = err(409, "ConflictException", json!({}));
        assert_eq!(
            duplicate(&created(), &unnamed).verdict,
            Verdict::Fail(vec![
                Violation::MissingMember {
                    shape: "ConflictException".into(),
                    member: "resourceId".into()
                },
                Violation::MissingMember {
                    shape: "ConflictException".into(),
                    member: "resourceType".into()
                }
            ])
        );
        assert!(duplicate(&created(), &created()).verdict.is_fail());
    }

    #[test]
    fn a_delete_not_in_progress_leaves_the_deleting_rules_inconclusive() {
        let gone = ex(200, json!({"status": "DELETE_FAILED"}));
        let conflict = err(409, "ConflictException", json!({}));
        let c = deleting_association(&created(), &created(), true, Some(&gone), Some(&conflict));
        assert_eq!(c.verdict.name(), "inconclusive");
        let c = deleting_association(&created(), &created(), false, None, None);
        assert_eq!(c.verdict.name(), "inconclusive");
        let deleting = ex(200, json!({"status": "DELETE_IN_PROGRESS"}));
        let c = deleting_association(
            &created(),
            &created(),
            true,
            Some(&deleting),
            Some(&conflict),
        );
        assert_eq!(c.verdict, Verdict::Pass);
        let c = deleting_association(
            &created(),
            &created(),
            true,
            Some(&deleting),
            Some(&created()),
        );
        assert!(c.verdict.is_fail());
        assert_eq!(
            deleting_resource(&gone, &conflict).verdict.name(),
            "inconclusive"
        );
        assert_eq!(
            deleting_resource(&deleting, &conflict).verdict,
            Verdict::Pass
        );
    }

    #[test]
    fn reassociation_and_delete_while_creating() {
        let gone = err(404, "ResourceNotFoundException", json!({}));
        assert_eq!(
            reassociate(&created(), &created(), &gone, true, Some(&created())).verdict,
            Verdict::Pass
        );
        assert_eq!(
            reassociate(&created(), &created(), &created(), false, None)
                .verdict
                .name(),
            "inconclusive"
        );
        assert!(creating_reached(&created()).is_some());
        let creating = ex(200, json!({"id": "snsa-1", "status": "CREATE_IN_PROGRESS"}));
        assert!(creating_reached(&creating).is_none());
        let refused = err(409, "ConflictException", json!({}));
        assert_eq!(delete_creating(&creating, &refused).verdict, Verdict::Pass);
        assert!(delete_creating(&creating, &created()).verdict.is_fail());
    }
}
