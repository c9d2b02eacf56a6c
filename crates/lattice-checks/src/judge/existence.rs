//! Existence: a well-formed identifier of nothing is 404 ResourceNotFoundException, naming the
//! missing resource (`resourceId`, `resourceType`).

use lattice_spec::{ErrorType, ExistenceRule};

use crate::case::{judge, CaseResult};
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

/// EXIST-BY-ARN: a Create naming the caller's own resources by ARN succeeds, and `read` (Get of
/// the new association, or the create itself when it made none) names the service and network
/// whose ids are `expected`, where it carries them.
pub fn by_arn(
    create: &Exchange,
    read: &Exchange,
    expected: (&str, &str),
    note: String,
) -> CaseResult {
    let rule = ExistenceRule::ExistByArn.id();
    let mut case = judge(rule, create, vec![]);
    if case.verdict == Verdict::Pass {
        let mut violations = Vec::new();
        for (member, id) in [("serviceId", expected.0), ("serviceNetworkId", expected.1)] {
            let found = crate::state::member_of(read, member);
            if found.as_deref().is_some_and(|f| f != id) {
                violations.push(crate::verdict::Violation::Differs {
                    what: format!("the {member} Get names"),
                    expected: id.to_owned(),
                    found: found.unwrap_or_default(),
                });
            }
        }
        case = CaseResult::new(
            rule,
            violations,
            vec![create.clone(), read.clone()],
            crate::case::expected(rule),
        );
        case.decisive = Some(0);
    }
    case.with_note(note)
}

/// The last case of EXIST-FOREIGN-ARN: after the refused creates, `listed` (List of the network
/// they named or paired with) lists no association. Decisive only where `control` (a create
/// naming real resources) succeeded.
pub fn nothing_listed(
    rule: ExistenceRule,
    listed: &Exchange,
    control: &Exchange,
    note: String,
) -> CaseResult {
    if !crate::judge::succeeded(control) {
        return CaseResult::inconclusive(
            rule.id(),
            "no create naming real resources succeeded: an empty listing shows nothing",
            vec![control.clone(), listed.clone()],
        )
        .with_note(note);
    }
    crate::judge::lists_nothing_new(
        rule.id(),
        listed,
        &[],
        "List of the service after the refused creates",
    )
    .with_note(note)
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

    #[test]
    fn own_arns_must_resolve_to_the_named_resources() {
        let create = ex(200, json!({"id": "snsa-1"}));
        let read = ex(
            200,
            json!({"id": "snsa-1", "serviceId": "svc-1", "serviceNetworkId": "sn-1"}),
        );
        let judged = |create: &Exchange, read: &Exchange| {
            by_arn(create, read, ("svc-1", "sn-1"), "n".into()).verdict
        };
        assert_eq!(judged(&create, &read), Verdict::Pass);
        let other = ex(200, json!({"id": "snsa-1", "serviceId": "svc-2"}));
        assert!(judged(&create, &other).is_fail());
        let refused = err(404, "ResourceNotFoundException", json!({}));
        assert!(judged(&refused, &refused).is_fail());
    }

    #[test]
    fn nothing_may_be_listed_after_the_refused_creates() {
        let rule = ExistenceRule::ExistForeignArn;
        let control = ex(200, json!({"id": "snsa-0"}));
        let judged = |listed: &Exchange, control: &Exchange| {
            nothing_listed(rule, listed, control, "n".into()).verdict
        };
        assert_eq!(
            judged(&ex(200, json!({"items": []})), &control),
            Verdict::Pass
        );
        assert!(judged(&ex(200, json!({"items": [{"id": "snsa-9"}]})), &control).is_fail());
        let refused = err(404, "ResourceNotFoundException", json!({}));
        assert!(judged(&refused, &control).is_fail());
        // Without a create that worked, an empty listing shows nothing.
        assert_eq!(
            judged(&ex(200, json!({"items": []})), &refused).name(),
            "inconclusive"
        );
    }
}
