//! Existence: a well-formed identifier of nothing is 404 ResourceNotFoundException, naming the
//! missing resource (`resourceId`, `resourceType`).

use lattice_spec::{ErrorType, ExistenceRule};

use crate::case::{judge, CaseResult};
use crate::exchange::Exchange;
use crate::judge::{add_violations, missing_members};
use crate::verdict::Verdict;

/// The case of a request that names a resource that does not exist.
pub fn not_found(rule: ExistenceRule, answer: &Exchange, note: String) -> CaseResult {
    let mut case = judge(rule.id(), answer, vec![]);
    if case.verdict == Verdict::Pass {
        add_violations(
            &mut case,
            missing_members(answer, 404, ErrorType::ResourceNotFoundException),
        );
    }
    case.with_note(note)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::judge::testing::{err, ex};
    use crate::verdict::Violation;

    #[test]
    fn not_found_must_name_the_missing_resource() {
        let full = err(
            404,
            "ResourceNotFoundException",
            json!({"resourceId": "svc-1", "resourceType": "SERVICE"}),
        );
        assert_eq!(
            not_found(ExistenceRule::ExistService, &full, "n".into()).verdict,
            Verdict::Pass
        );
        let bare = err(
            404,
            "ResourceNotFoundException",
            json!({"resourceId": "svc-1"}),
        );
        assert_eq!(
            not_found(ExistenceRule::ExistService, &bare, "n".into()).verdict,
            Verdict::Fail(vec![Violation::MissingMember {
                shape: "ResourceNotFoundException".into(),
                member: "resourceType".into()
            }])
        );
        let created = ex(200, json!({"id": "snsa-1"}));
        assert!(not_found(ExistenceRule::ExistNetwork, &created, "n".into())
            .verdict
            .is_fail());
    }
}
