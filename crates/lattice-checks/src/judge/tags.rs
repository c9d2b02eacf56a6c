//! Tags: a valid tag map is accepted and attached to the association exactly (its
//! ListTagsForResource answer); the ambiguous ranges accept either reading.

use std::collections::BTreeMap;

use lattice_spec::{RuleId, TagsRule};

use crate::case::{judge, unjudgeable, CaseResult};
use crate::exchange::Exchange;
use crate::verdict::Violation;

/// TAG-VALID-ACCEPTED: a create with a valid tag map is accepted.
pub fn accepted(create: &Exchange, note: &str) -> CaseResult {
    judge(RuleId::TagValidAccepted, create, vec![]).with_note(note)
}

/// The `tags` map of a ListTagsForResource answer.
fn tags_of(e: &Exchange) -> Option<BTreeMap<String, String>> {
    let v = e.ok()?.json()?;
    serde_json::from_value(v.get("tags")?.clone()).ok()
}

/// TAG-ATTACHED: ListTagsForResource on the association's ARN (`list`; `None` when the create's
/// answer had no `arn` to list) returns exactly the create's tags.
pub fn attached(
    tags: &BTreeMap<String, String>,
    create: &Exchange,
    list: Option<&Exchange>,
    note: &str,
) -> CaseResult {
    attached_for(RuleId::TagAttached, tags, create, list, note)
}

/// TAG-COUNT-50 answered 200 for 51..200 tags: that reading keeps every tag, so
/// ListTagsForResource on the association's ARN must return exactly them ("When 200 is
/// returned, all tags must be attached"); a 200 that kept fewer passes nothing.
pub fn count_fifty_attached(
    tags: &BTreeMap<String, String>,
    create: &Exchange,
    list: Option<&Exchange>,
    note: &str,
) -> CaseResult {
    // The Create's own answer must be one the rule accepts (a 201 is not its 200).
    let outcome = judge(RuleId::TagCount50, create, vec![]);
    if outcome.verdict != crate::verdict::Verdict::Pass {
        return outcome.with_note(note);
    }
    let mut case = attached_for(RuleId::TagCount50, tags, create, list, note);
    if case.verdict == crate::verdict::Verdict::Pass {
        case.chosen = Some("200".into());
    }
    case
}

fn attached_for(
    rule: RuleId,
    tags: &BTreeMap<String, String>,
    create: &Exchange,
    list: Option<&Exchange>,
    note: &str,
) -> CaseResult {
    let Some(list) = list else {
        return CaseResult::new(
            rule,
            vec![Violation::MissingMember {
                shape: "CreateServiceNetworkServiceAssociationResponse".into(),
                member: "arn".into(),
            }],
            vec![create.clone()],
            "tags listed on the association ARN",
        );
    };
    let mut violations = vec![];
    if unjudgeable(list).is_none() {
        match tags_of(list) {
            Some(found) if &found == tags => {}
            Some(found) => violations.push(Violation::ListMismatch {
                what: format!("ListTagsForResource ({} tag(s))", found.len()),
                missing: tags
                    .keys()
                    .filter(|k| found.get(*k) != tags.get(*k))
                    .take(5)
                    .cloned()
                    .collect(),
                extra: found
                    .keys()
                    .filter(|k| !tags.contains_key(*k))
                    .take(5)
                    .cloned()
                    .collect(),
            }),
            None => violations.push(Violation::WrongOutcome {
                expected: vec!["200 with a `tags` map".into()],
                found: list.ok().map(|r| r.outcome()).unwrap_or_default(),
            }),
        }
    }
    CaseResult::new(
        rule,
        violations,
        vec![create.clone(), list.clone()],
        "the create's tags, exactly",
    )
    .with_note(note)
}

/// An input in an ambiguous range (`TAG-COUNT-50`, `TAG-AWS-PREFIX-CASE`): either reading
/// passes, and the one the endpoint chose is recorded.
pub fn ambiguous(rule: TagsRule, answer: &Exchange, note: &str) -> CaseResult {
    judge(rule.id(), answer, vec![]).with_note(note)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::judge::testing::{ex, throttled};
    use crate::verdict::Verdict;

    fn tags() -> BTreeMap<String, String> {
        [("a", "1"), ("b", "2")]
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect()
    }

    #[test]
    fn fifty_one_tags_accepted_with_another_success_status_is_not_the_200_reading() {
        let list = ex(200, json!({"tags": {"a": "1", "b": "2"}}));
        let created = |status| ex(status, json!({"id": "snsa-1", "arn": "arn:x"}));
        let ok = count_fifty_attached(&tags(), &created(200), Some(&list), "n");
        assert_eq!(ok.verdict, Verdict::Pass);
        assert_eq!(ok.chosen.as_deref(), Some("200"));
        let c = count_fifty_attached(&tags(), &created(201), Some(&list), "n");
        assert!(c.verdict.is_fail(), "{:?}", c.verdict);
    }

    #[test]
    fn the_tags_listed_must_be_exactly_the_create_tags() {
        let create = ex(200, json!({"id": "snsa-1", "arn": "arn:x"}));
        let exact = ex(200, json!({"tags": {"a": "1", "b": "2"}}));
        assert_eq!(
            attached(&tags(), &create, Some(&exact), "n").verdict,
            Verdict::Pass
        );
        let off = ex(200, json!({"tags": {"a": "9", "c": "3"}}));
        assert_eq!(
            attached(&tags(), &create, Some(&off), "n").verdict,
            Verdict::Fail(vec![Violation::ListMismatch {
                what: "ListTagsForResource (2 tag(s))".into(),
                missing: vec!["a".into(), "b".into()],
                extra: vec!["c".into()],
            }])
        );
        assert!(attached(&tags(), &create, None, "n").verdict.is_fail());
        assert_eq!(
            attached(&tags(), &create, Some(&throttled()), "n")
                .verdict
                .name(),
            "inconclusive"
        );
    }

    #[test]
    fn fifty_one_tags_accepted_must_all_be_attached() {
        let many: BTreeMap<String, String> =
            (0..51).map(|i| (format!("k{i}"), "v".to_owned())).collect();
        let create = ex(200, json!({"id": "snsa-1", "arn": "arn:x"}));
        let all = ex(200, json!({ "tags": many }));
        let c = count_fifty_attached(&many, &create, Some(&all), "51 tags");
        assert_eq!(
            (c.verdict, c.chosen.as_deref()),
            (Verdict::Pass, Some("200"))
        );
        let fifty: BTreeMap<String, String> = many
            .iter()
            .take(50)
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let cut = ex(200, json!({ "tags": fifty }));
        let c = count_fifty_attached(&many, &create, Some(&cut), "51 tags");
        assert!(c.verdict.is_fail());
        assert_eq!(c.rule, RuleId::TagCount50);
    }

    #[test]
    fn either_reading_of_an_ambiguous_range_passes_and_is_recorded() {
        let ok = ex(200, json!({"id": "snsa-1"}));
        let c = ambiguous(TagsRule::TagCount50, &ok, "n");
        assert_eq!(
            (c.verdict, c.chosen.as_deref()),
            (Verdict::Pass, Some("200"))
        );
    }
}
