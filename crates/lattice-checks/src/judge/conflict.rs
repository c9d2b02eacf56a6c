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

/// What a deleting-state rule sent and saw: the delete, the create that must conflict, and a
/// read of the deleted resource after the create (`after`; `None` when none was needed).
#[derive(Debug, Clone, Copy)]
pub struct WhileDeleting<'a> {
    /// The accepted delete.
    pub delete: &'a Exchange,
    /// The create sent right after it.
    pub create: &'a Exchange,
    /// A Get of the deleted resource after the create.
    pub after: Option<&'a Exchange>,
}

impl WhileDeleting<'_> {
    /// Whether the create may have come too late to show anything (see `finished_before`): a
    /// check may try again on fresh resources.
    pub fn missed_window(&self) -> bool {
        self.finished_before().is_some()
    }

    /// Why a create that did not conflict shows nothing: the resource may have finished deleting
    /// before the create arrived, unless a read after the create still shows it deleting.
    fn finished_before(&self) -> Option<String> {
        if self.create.ok().is_some_and(|r| r.status == 409) {
            return None;
        }
        let still = self
            .after
            .is_some_and(|a| status_of(a) == Some(AssociationStatus::DeleteInProgress));
        (!still).then(|| {
            "the delete may have finished before the create arrived: a read after the create no longer showed DELETE_IN_PROGRESS".to_owned()
        })
    }

    fn evidence(&self, before: &[&Exchange]) -> Vec<Exchange> {
        before
            .iter()
            .copied()
            .chain([self.delete, self.create])
            .chain(self.after)
            .cloned()
            .collect()
    }
}

/// CONFLICT-DELETING-ASSOC: a create for the pair right after its association's delete was
/// accepted. Inconclusive unless the association had become ACTIVE (`was_active`), the delete
/// reported DELETE_IN_PROGRESS, and (when the create did not conflict) the association was still
/// DELETE_IN_PROGRESS after the create.
pub fn deleting_association(
    first: &Exchange,
    ready: &Exchange,
    was_active: bool,
    seen: Option<WhileDeleting<'_>>,
) -> CaseResult {
    let rule = RuleId::ConflictDeletingAssoc;
    let (Some(seen), true) = (seen, was_active) else {
        return CaseResult::inconclusive(
            rule,
            "the association never became ACTIVE",
            vec![first.clone(), ready.clone()],
        );
    };
    if status_of(seen.delete) != Some(AssociationStatus::DeleteInProgress) {
        return CaseResult::inconclusive(
            rule,
            "the delete did not report DELETE_IN_PROGRESS, so the in-progress state was not reached",
            seen.evidence(&[first]),
        );
    }
    if let Some(reason) = seen.finished_before() {
        return CaseResult::inconclusive(rule, reason, seen.evidence(&[first]));
    }
    let mut case = judge(rule, seen.create, vec![first.clone(), seen.delete.clone()]);
    case.evidence.extend(seen.after.cloned());
    case.decisive = Some(2);
    case.with_note("a create for the pair right after its association's delete was accepted")
}

/// CONFLICT-DELETING-RESOURCE: a create with a service whose delete is in progress.
/// Inconclusive unless DeleteService reported DELETE_IN_PROGRESS and (when the create did not
/// conflict) GetService still showed it after the create.
pub fn deleting_resource(seen: WhileDeleting<'_>) -> CaseResult {
    let rule = RuleId::ConflictDeletingResource;
    if status_of(seen.delete) != Some(AssociationStatus::DeleteInProgress) {
        return CaseResult::inconclusive(
            rule,
            "DeleteService did not report DELETE_IN_PROGRESS, so the in-progress state was not reached",
            seen.evidence(&[]),
        );
    }
    if let Some(reason) = seen.finished_before() {
        return CaseResult::inconclusive(rule, reason, seen.evidence(&[]));
    }
    let mut case = judge(rule, seen.create, vec![seen.delete.clone()]);
    case.evidence.extend(seen.after.cloned());
    case.decisive = Some(1);
    case.with_note("a create with a service whose delete is in progress")
}

/// Whether a CreateService (or GetService) answer shows the service `CREATE_IN_PROGRESS`.
pub fn service_creating(e: &Exchange) -> bool {
    crate::state::member_of(e, "status").as_deref() == Some("CREATE_IN_PROGRESS")
}

/// CONFLICT-RESOURCE-CREATING: a create naming a service right after CreateService answered
/// (`service`), and, when the create did not conflict, GetService after it (`after`).
/// Inconclusive unless CreateService answered `CREATE_IN_PROGRESS` and (when the create was not
/// refused) GetService still showed it after the create: otherwise the service may have become
/// ACTIVE before the create arrived, and nothing was shown.
pub fn resource_creating(
    service: &Exchange,
    create: &Exchange,
    after: Option<&Exchange>,
) -> CaseResult {
    let rule = RuleId::ConflictResourceCreating;
    let evidence = || {
        [service, create]
            .into_iter()
            .chain(after)
            .cloned()
            .collect::<Vec<_>>()
    };
    if !service_creating(service) {
        let status =
            crate::state::member_of(service, "status").unwrap_or_else(|| "no status".into());
        return CaseResult::inconclusive(
            rule,
            format!(
                "CreateService answered {status}: the service was never seen CREATE_IN_PROGRESS"
            ),
            evidence(),
        );
    }
    let conflicted = create.ok().is_some_and(|r| r.status == 409);
    if !conflicted && !after.is_some_and(service_creating) {
        return CaseResult::inconclusive(
            rule,
            "the service may have become ACTIVE before the create arrived: GetService after the create no longer showed CREATE_IN_PROGRESS",
            evidence(),
        );
    }
    let mut case = judge(rule, create, vec![service.clone()]);
    if case.verdict == Verdict::Pass {
        add_violations(
            &mut case,
            missing_members(create, 409, ErrorType::ConflictException),
        );
    }
    case.evidence.extend(after.cloned());
    case.decisive = Some(1);
    case.with_note(
        "a create naming a service right after CreateService answered CREATE_IN_PROGRESS",
    )
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
        let failed = ex(200, json!({"status": "DELETE_FAILED"}));
        let conflict = err(409, "ConflictException", json!({}));
        let deleting = ex(200, json!({"status": "DELETE_IN_PROGRESS"}));
        let gone = err(404, "ResourceNotFoundException", json!({}));
        let seen = |delete, create, after| WhileDeleting {
            delete,
            create,
            after,
        };
        let (c0, c1) = (created(), created());
        let assoc = |s| deleting_association(&c0, &c1, true, Some(s)).verdict;
        assert_eq!(assoc(seen(&failed, &conflict, None)).name(), "inconclusive");
        assert_eq!(
            deleting_association(&c0, &c1, false, None).verdict.name(),
            "inconclusive"
        );
        assert_eq!(assoc(seen(&deleting, &conflict, None)), Verdict::Pass);
        // A create that succeeded while the association was still deleting breaks the rule ...
        assert!(assoc(seen(&deleting, &c0, Some(&deleting))).is_fail());
        // ... but when the association was gone by then, nothing was shown.
        assert_eq!(
            assoc(seen(&deleting, &c0, Some(&gone))).name(),
            "inconclusive"
        );
        let resource = |s| deleting_resource(s).verdict;
        assert_eq!(
            resource(seen(&failed, &conflict, None)).name(),
            "inconclusive"
        );
        assert_eq!(resource(seen(&deleting, &conflict, None)), Verdict::Pass);
        assert_eq!(
            resource(seen(&deleting, &gone, Some(&gone))).name(),
            "inconclusive"
        );
        assert!(resource(seen(&deleting, &gone, Some(&deleting))).is_fail());
    }

    #[test]
    fn a_service_still_being_created_is_decisive_only_while_it_shows_so() {
        let creating = ex(200, json!({"id": "svc-1", "status": "CREATE_IN_PROGRESS"}));
        let active = ex(200, json!({"id": "svc-1", "status": "ACTIVE"}));
        let conflict = err(
            409,
            "ConflictException",
            json!({"resourceId": "svc-1", "resourceType": "SERVICE"}),
        );
        let c = resource_creating(&creating, &conflict, None);
        assert_eq!((c.verdict, c.decisive), (Verdict::Pass, Some(1)));
        // Accepted while GetService still shows it creating: the rule is broken.
        assert!(resource_creating(&creating, &created(), Some(&creating))
            .verdict
            .is_fail());
        // Accepted once it may have become ACTIVE, or never seen creating: nothing shown.
        for c in [
            resource_creating(&creating, &created(), Some(&active)),
            resource_creating(&active, &created(), Some(&active)),
            resource_creating(&active, &conflict, None),
        ] {
            assert_eq!(c.verdict.name(), "inconclusive", "{:?}", c.verdict);
        }
        let bare = err(409, "ConflictException", json!({}));
        assert!(resource_creating(&creating, &bare, None).verdict.is_fail());
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
