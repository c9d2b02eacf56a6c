//! Existence: a well-formed identifier of nothing is 404 ResourceNotFoundException, naming the
//! missing resource (`resourceId`, `resourceType`).

use lattice_spec::{ErrorType, ExistenceRule};

use crate::case::CaseResult;
use crate::exchange::Exchange;
use crate::judge::{add_violations, missing_members};
use crate::verdict::Verdict;

/// The case of a request that names a resource that does not exist. `control` is the same kind
/// of request naming resources that exist: a not-found answer means something only when that one
/// succeeded, so the case is inconclusive otherwise.
pub fn not_found(
    rule: ExistenceRule,
    answer: &Exchange,
    note: String,
    control: &Exchange,
) -> CaseResult {
    let mut case = crate::judge::neighbours::controlled(rule.id(), answer, note, control);
    if case.verdict == Verdict::Pass {
        add_violations(
            &mut case,
            missing_members(answer, 404, ErrorType::ResourceNotFoundException),
        );
    }
    case
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
        let control = ex(200, json!({"id": "snsa-0"}));
        assert_eq!(
            not_found(ExistenceRule::ExistService, &full, "n".into(), &control).verdict,
            Verdict::Pass
        );
        let bare = err(
            404,
            "ResourceNotFoundException",
            json!({"resourceId": "svc-1"}),
        );
        assert_eq!(
            not_found(ExistenceRule::ExistService, &bare, "n".into(), &control).verdict,
            Verdict::Fail(vec![Violation::MissingMember {
                shape: "ResourceNotFoundException".into(),
                member: "resourceType".into()
            }])
        );
        let created = ex(200, json!({"id": "snsa-1"}));
        assert!(
            not_found(ExistenceRule::ExistNetwork, &created, "n".into(), &control)
                .verdict
                .is_fail()
        );
        // An endpoint that answers not-found to everything shows nothing about existence.
        let refused = err(404, "ResourceNotFoundException", json!({}));
        assert_eq!(
            not_found(ExistenceRule::ExistService, &full, "n".into(), &refused)
                .verdict
                .name(),
            "inconclusive"
        );
    }
}
