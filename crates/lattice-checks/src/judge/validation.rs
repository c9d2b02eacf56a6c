//! Validation: an input that breaks one rule is refused as that rule says, and validation comes
//! before existence (VAL-BEFORE-EXIST) when the input names resources that do not exist.

use lattice_spec::{RuleId, ValidationRule};

use crate::case::{judge, unjudgeable, CaseResult};
use crate::exchange::Exchange;
use crate::verdict::Verdict;

/// The case of one invalid input: its answer against the broken rule's outcomes.
pub fn invalid_input(rule: ValidationRule, answer: &Exchange, note: &str) -> CaseResult {
    judge(rule.id(), answer, vec![]).with_note(note)
}

/// A not-found or access-denied answer (by status, or by error type under any status) shows the
/// endpoint looked the identifiers up before validating the input.
fn looked_up_first(e: &Exchange) -> bool {
    e.ok().is_some_and(|r| {
        r.status == 404
            || r.status == 403
            || matches!(
                r.error_type().as_deref(),
                Some("ResourceNotFoundException" | "AccessDeniedException")
            )
    })
}

/// VAL-BEFORE-EXIST on an invalid input sent with nonexistent identifiers. An answer that shows
/// an existence or access check fails it; a refusal the input's own rule accepts shows
/// validation came first and passes it; any other answer (a success, a 5xx, another refusal)
/// shows neither order, so the case is inconclusive: no pass without the decisive observation.
pub fn before_exist(input_rule: ValidationRule, answer: &Exchange) -> CaseResult {
    let mut case = judge(RuleId::ValBeforeExist, answer, vec![]);
    if !looked_up_first(answer) {
        case.verdict = match unjudgeable(answer) {
            Some(reason) => Verdict::Inconclusive(reason),
            None if crate::judge::answered_as(input_rule.id(), answer) => Verdict::Pass,
            None => Verdict::Inconclusive(format!(
                "the answer {} is no refusal `{input_rule}` accepts: the order of validation and existence was not observed",
                answer.ok().map(|r| r.outcome()).unwrap_or_default()
            )),
        };
    }
    case.with_note(format!(
        "invalid `{input_rule}` input with a nonexistent identifier"
    ))
}

/// The List that follows an invalid input sent around real resources: it answers 200 and lists
/// no association of the pair's network but `leftovers` (associations earlier accepted inputs
/// left behind where the target cannot delete them: not this input's doing).
pub fn nothing_created(
    rule: ValidationRule,
    listed: &Exchange,
    leftovers: &[String],
    note: &str,
) -> CaseResult {
    crate::judge::lists_nothing_new(
        rule.id(),
        listed,
        leftovers,
        "List of the real network after the refused input",
    )
    .with_note(format!("nothing created: {note}"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::judge::testing::{err, ex, throttled};

    #[test]
    fn an_invalid_input_passes_only_with_its_rules_outcome() {
        let v = err(400, "ValidationException", json!({"reason": "other"}));
        assert_eq!(
            invalid_input(ValidationRule::ValSvcPattern, &v, "n").verdict,
            Verdict::Pass
        );
        let ok = ex(200, json!({}));
        assert!(invalid_input(ValidationRule::ValSvcPattern, &ok, "n")
            .verdict
            .is_fail());
    }

    #[test]
    fn a_not_found_answer_to_an_invalid_input_fails_validation_before_existence() {
        let nf = err(404, "ResourceNotFoundException", json!({}));
        assert!(before_exist(ValidationRule::ValSvcPattern, &nf)
            .verdict
            .is_fail());
        let denied = err(400, "AccessDeniedException", json!({}));
        assert!(before_exist(ValidationRule::ValSvcPattern, &denied)
            .verdict
            .is_fail());
        let v = err(400, "ValidationException", json!({}));
        assert_eq!(
            before_exist(ValidationRule::ValSvcPattern, &v).verdict,
            Verdict::Pass
        );
        // Neither order shown: no pass without the decisive answer.
        for vacuous in [
            err(500, "InternalServerException", json!({})),
            ex(200, json!({"id": "snsa-1"})),
            err(409, "ConflictException", json!({})),
        ] {
            assert_eq!(
                before_exist(ValidationRule::ValSvcPattern, &vacuous)
                    .verdict
                    .name(),
                "inconclusive"
            );
        }
        let serialization = err(400, "SerializationException", json!({}));
        assert_eq!(
            before_exist(ValidationRule::ValBodyMalformed, &serialization).verdict,
            Verdict::Pass
        );
        assert_eq!(
            before_exist(ValidationRule::ValSvcPattern, &throttled())
                .verdict
                .name(),
            "inconclusive"
        );
    }

    #[test]
    fn nothing_may_be_created_around_real_resources_but_earlier_leftovers() {
        let rule = ValidationRule::ValTokenLength;
        let judged = |listed: &Exchange, leftovers: &[String]| {
            nothing_created(rule, listed, leftovers, "n").verdict
        };
        let empty = ex(200, json!({"items": []}));
        let one = ex(200, json!({"items": [{"id": "snsa-1"}]}));
        assert_eq!(judged(&empty, &[]), Verdict::Pass);
        assert!(judged(&one, &[]).is_fail());
        assert_eq!(judged(&one, &["snsa-1".to_owned()]), Verdict::Pass);
        assert!(judged(&err(400, "ValidationException", json!({})), &[]).is_fail());
    }
}
