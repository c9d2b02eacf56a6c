//! Neighbours: the association's Get, List, Delete and ListTagsForResource. Refusals that mean
//! something only beside a control that succeeded, List filters and pages, the association gone
//! from List after its deletion, access by ARN, and the association's DNS names against its
//! service's.

use std::collections::BTreeMap;

use serde_json::Value;

use lattice_spec::{NeighboursRule, RuleId};

use crate::case::{judge, CaseResult};
use crate::exchange::Exchange;
use crate::judge::succeeded;
use crate::state::{listed_count, listed_ids, member_of};
use crate::verdict::Violation;

/// A refusal whose meaning depends on a control: `answer` must be one of the rule's outcomes,
/// but only where `control` (the same kind of request, well formed or naming something real)
/// succeeded; otherwise the case is inconclusive (an endpoint that refuses everything shows
/// nothing).
pub fn controlled(rule: RuleId, answer: &Exchange, note: String, control: &Exchange) -> CaseResult {
    if !succeeded(control) {
        let reason = crate::case::unjudgeable(control).unwrap_or_else(|| {
            format!(
                "the same kind of request, well formed and naming what exists, was refused too ({}): a refusal shows nothing",
                control.ok().map(|r| r.outcome()).unwrap_or_default()
            )
        });
        return CaseResult::inconclusive(rule, reason, vec![control.clone(), answer.clone()])
            .with_note(note);
    }
    let mut case = judge(rule, answer, vec![control.clone()]);
    case.decisive = Some(1);
    case.with_note(note)
}

/// The first page that was not a success, judged against the rule (a listing that must succeed).
fn refused_page(rule: RuleId, pages: &[Exchange]) -> Option<CaseResult> {
    let bad = pages.iter().position(|p| !succeeded(p))?;
    let mut case = judge(rule, &pages[bad], pages[..bad].to_vec());
    case.decisive = Some(bad);
    Some(case)
}

/// Every id the pages list, in order (with repeats).
fn ids_of(pages: &[Exchange]) -> Vec<String> {
    pages.iter().flat_map(listed_ids).collect()
}

/// NEIGH-LIST-BY-SERVICE and NEIGH-LIST-BY-NETWORK: the pages of a filtered listing list every
/// association of `must` and none of `must_not`, and every item's `member` (`serviceId`,
/// `serviceNetworkId`) is `value`. `others_listed` says whether the associations of
/// `must_not` were seen listed under another filter: without that, their absence shows nothing.
pub fn filtered(
    rule: NeighboursRule,
    pages: &[Exchange],
    must: &[String],
    must_not: &[String],
    filter: (&str, &str),
    others_listed: bool,
) -> CaseResult {
    let (member, value) = filter;
    if let Some(case) = refused_page(rule.id(), pages) {
        return case;
    }
    if !others_listed {
        return CaseResult::inconclusive(
            rule.id(),
            "the associations the filter must leave out were not listed under another filter",
            pages.to_vec(),
        );
    }
    let ids = ids_of(pages);
    let missing: Vec<String> = must.iter().filter(|m| !ids.contains(m)).cloned().collect();
    let extra: Vec<String> = must_not
        .iter()
        .filter(|m| ids.contains(m))
        .cloned()
        .collect();
    let mut violations = Vec::new();
    if !missing.is_empty() || !extra.is_empty() {
        violations.push(Violation::ListMismatch {
            what: format!("List filtered by {member} `{value}`"),
            missing,
            extra,
        });
    }
    for page in pages {
        for item in items(page) {
            let found = item.get(member).and_then(Value::as_str);
            if found.is_some_and(|f| f != value) {
                violations.push(Violation::Differs {
                    what: format!("{member} of a listed association"),
                    expected: value.to_owned(),
                    found: found.unwrap_or_default().to_owned(),
                });
            }
        }
    }
    CaseResult::new(
        rule.id(),
        violations,
        pages.to_vec(),
        crate::case::expected(rule.id()),
    )
}

/// The items of a List answer.
fn items(page: &Exchange) -> Vec<Value> {
    page.ok()
        .and_then(|r| r.json())
        .and_then(|b| b.get("items").and_then(Value::as_array).cloned())
        .unwrap_or_default()
}

/// NEIGH-LIST-PAGES: the pages of a listing with `maxResults = max`, followed by `nextToken`
/// (`ended`: the last page had none), hold at most `max` items each and, together, every item
/// of the same listing in one page (`whole`) exactly once. Decisive only where the whole
/// listing has more items than a page holds.
pub fn paged(
    rule: NeighboursRule,
    pages: &[Exchange],
    max: usize,
    whole: &Exchange,
    ended: bool,
) -> CaseResult {
    let rule = rule.id();
    let mut all = vec![whole.clone()];
    all.extend(pages.iter().cloned());
    if let Some(case) = refused_page(rule, &all) {
        return case;
    }
    let expected: Vec<String> = listed_ids(whole);
    if expected.len() <= max {
        return CaseResult::inconclusive(
            rule,
            format!(
                "the listing has {} item(s), no more than one page of {max}: nothing to page",
                expected.len()
            ),
            all,
        );
    }
    let mut violations = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let n = listed_ids(page).len();
        if n > max {
            violations.push(Violation::ListCount {
                what: format!("page {} with maxResults {max}", i + 1),
                item: None,
                expected: max,
                found: n,
            });
        }
    }
    let ids = ids_of(pages);
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for id in &ids {
        *counts.entry(id).or_default() += 1;
    }
    for (id, n) in counts.iter().filter(|(_, n)| **n > 1) {
        violations.push(Violation::ListCount {
            what: "the pages together".into(),
            item: Some((*id).to_owned()),
            expected: 1,
            found: *n,
        });
    }
    let missing: Vec<String> = expected
        .iter()
        .filter(|e| !ids.contains(e))
        .cloned()
        .collect();
    let extra: Vec<String> = counts
        .keys()
        .filter(|id| !expected.iter().any(|e| e == *id))
        .map(|id| (*id).to_owned())
        .collect();
    if !missing.is_empty() || !extra.is_empty() {
        violations.push(Violation::ListMismatch {
            what: "the pages against the listing in one page".into(),
            missing,
            extra,
        });
    }
    if !ended {
        violations.push(Violation::Differs {
            what: "the last page".into(),
            expected: "no nextToken within one page per item".into(),
            found: format!("a nextToken after {} pages", pages.len()),
        });
    }
    CaseResult::new(rule, violations, all, crate::case::expected(rule))
}

/// NEIGH-GONE-FROM-LIST: `before` listed the association, Get then answered 404 (`gone`), and
/// `after` (the same listing) does not list it any more.
pub fn gone_from_list(
    rule: NeighboursRule,
    id: &str,
    before: &Exchange,
    gone: Option<&Exchange>,
    after: &Exchange,
) -> CaseResult {
    let rule = rule.id();
    let Some(gone) = gone else {
        return CaseResult::inconclusive(
            rule,
            "Get never answered 404 after the delete (LIFE-DELETE-GONE judges that)",
            vec![before.clone(), after.clone()],
        );
    };
    let evidence = vec![before.clone(), gone.clone(), after.clone()];
    if listed_ids(before).iter().all(|x| x != id) {
        return CaseResult::inconclusive(
            rule,
            format!("the listing before the delete did not list `{id}`: its absence after shows nothing"),
            evidence,
        );
    }
    if let Some(mut case) = refused_page(rule, std::slice::from_ref(after)) {
        case.evidence = evidence;
        return case;
    }
    let violations = listed_count(after, id, 0, "List after Get answered 404");
    let mut case = CaseResult::new(rule, violations, evidence, crate::case::expected(rule));
    case.decisive = Some(2);
    case
}

/// NEIGH-BY-ARN: Get (or Delete) naming the association by its ARN succeeds with the
/// association's own id.
pub fn by_arn(rule: NeighboursRule, answer: &Exchange, id: &str, note: &str) -> CaseResult {
    let mut case = judge(rule.id(), answer, vec![]);
    if case.verdict == crate::verdict::Verdict::Pass {
        let found = member_of(answer, "id");
        if found.as_deref() != Some(id) {
            case = CaseResult::new(
                rule.id(),
                vec![Violation::Differs {
                    what: "the id of the association named by its ARN".into(),
                    expected: id.to_owned(),
                    found: found.unwrap_or_else(|| "(absent)".into()),
                }],
                case.evidence,
                crate::case::expected(rule.id()),
            );
        }
    }
    case.with_note(note)
}

/// The views of association `id` in a Get answer (its body) or a List answer (its items with
/// that id).
fn views_of(read: &Exchange, id: &str) -> Vec<Value> {
    let body = read.ok().and_then(|r| r.json()).unwrap_or(Value::Null);
    match body.get("items").and_then(Value::as_array) {
        Some(items) => items
            .iter()
            .filter(|i| i.get("id").and_then(Value::as_str) == Some(id))
            .cloned()
            .collect(),
        None => vec![body],
    }
}

/// NEIGH-DNS-AGREES: association `id`'s `dnsEntry` and `customDomainName`, where present in
/// each of `reads` (Get and List answers), equal its service's (`service`, a GetService
/// answer). Decisive only where the service and at least one view carry a `dnsEntry`.
pub fn dns_agrees(
    rule: NeighboursRule,
    service: &Exchange,
    id: &str,
    reads: &[Exchange],
) -> CaseResult {
    let rule = rule.id();
    let mut evidence = vec![service.clone()];
    evidence.extend(reads.iter().cloned());
    if let Some(case) = refused_page(rule, &evidence) {
        return case;
    }
    let theirs = service.ok().and_then(|r| r.json()).unwrap_or(Value::Null);
    let present = |v: &Value, k: &str| v.get(k).filter(|v| !v.is_null()).cloned();
    let Some(dns) = present(&theirs, "dnsEntry") else {
        return CaseResult::inconclusive(rule, "GetService carries no dnsEntry", evidence);
    };
    let mut compared = false;
    let mut violations = Vec::new();
    for ours in reads.iter().flat_map(|r| views_of(r, id)) {
        for (member, expected) in [
            ("dnsEntry", Some(dns.clone())),
            ("customDomainName", present(&theirs, "customDomainName")),
        ] {
            let Some(found) = present(&ours, member) else {
                continue;
            };
            compared |= member == "dnsEntry";
            if Some(&found) != expected.as_ref() {
                violations.push(Violation::Differs {
                    what: format!("the association's {member} against its service's"),
                    expected: expected.map_or_else(|| "(absent)".into(), |v| v.to_string()),
                    found: found.to_string(),
                });
            }
        }
    }
    if !compared && violations.is_empty() {
        return CaseResult::inconclusive(
            rule,
            "no read of the association carries a dnsEntry",
            evidence,
        );
    }
    CaseResult::new(rule, violations, evidence, crate::case::expected(rule))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::judge::testing::{err, ex};
    use crate::verdict::Verdict;

    fn page(ids: &[&str], next: Option<&str>) -> Exchange {
        let items: Vec<Value> = ids
            .iter()
            .map(|id| json!({"id": id, "serviceId": "svc-1", "serviceNetworkId": "sn-1"}))
            .collect();
        ex(200, json!({"items": items, "nextToken": next}))
    }

    fn ids(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn a_refusal_counts_only_beside_a_control_that_succeeded() {
        let rule = NeighboursRule::NeighIdInvalid.id();
        let refused = err(400, "ValidationException", json!({"reason": "other"}));
        let control = ex(200, json!({"id": "snsa-1"}));
        let judged = |answer: &Exchange, control: &Exchange| {
            controlled(rule, answer, "n".into(), control).verdict
        };
        assert_eq!(judged(&refused, &control), Verdict::Pass);
        assert!(judged(&err(404, "ResourceNotFoundException", json!({})), &control).is_fail());
        // An endpoint that refuses everything shows nothing.
        assert_eq!(judged(&refused, &refused).name(), "inconclusive");
    }

    #[test]
    fn a_filter_must_include_its_own_and_leave_out_the_others() {
        let rule = NeighboursRule::NeighListByService;
        let filter = ("serviceId", "svc-1");
        let judged = |pages: &[Exchange], seen: bool| {
            filtered(rule, pages, &ids(&["a", "c"]), &ids(&["b"]), filter, seen).verdict
        };
        let good = [page(&["a"], Some("t")), page(&["c"], None)];
        assert_eq!(judged(&good, true), Verdict::Pass);
        assert!(judged(&[page(&["a", "b", "c"], None)], true).is_fail());
        assert!(judged(&[page(&["a"], None)], true).is_fail());
        let other = ex(
            200,
            json!({"items": [{"id": "a", "serviceId": "svc-2"}, {"id": "c"}]}),
        );
        assert!(judged(&[other], true).is_fail());
        assert!(judged(&[err(400, "ValidationException", json!({}))], true).is_fail());
        // Without the left-out association seen elsewhere, its absence shows nothing.
        assert_eq!(judged(&good, false).name(), "inconclusive");
    }

    #[test]
    fn pages_hold_each_item_once_and_end() {
        let rule = NeighboursRule::NeighListPages;
        let whole = page(&["a", "b", "c"], None);
        let judged = |pages: &[Exchange], ended: bool| paged(rule, pages, 1, &whole, ended).verdict;
        let good = [
            page(&["a"], Some("1")),
            page(&["b"], Some("2")),
            page(&["c"], None),
        ];
        assert_eq!(judged(&good, true), Verdict::Pass);
        let repeated = [
            page(&["a"], Some("1")),
            page(&["a"], Some("2")),
            page(&["b", "c"], None),
        ];
        assert!(judged(&repeated, true).is_fail());
        let skipped = [page(&["a"], Some("1")), page(&["c"], None)];
        assert!(judged(&skipped, true).is_fail());
        assert!(judged(&good[..2], false).is_fail());
        // A listing that fits one page has nothing to page.
        let small = page(&["a"], None);
        assert_eq!(
            paged(rule, std::slice::from_ref(&small), 1, &small, true)
                .verdict
                .name(),
            "inconclusive"
        );
    }

    #[test]
    fn gone_means_gone_from_the_listing_that_showed_it() {
        let rule = NeighboursRule::NeighGoneFromList;
        let before = page(&["a", "b"], None);
        let gone = err(404, "ResourceNotFoundException", json!({}));
        let judged = |before: &Exchange, gone: Option<&Exchange>, after: &Exchange| {
            gone_from_list(rule, "a", before, gone, after).verdict
        };
        assert_eq!(
            judged(&before, Some(&gone), &page(&["b"], None)),
            Verdict::Pass
        );
        assert!(judged(&before, Some(&gone), &page(&["a", "b"], None)).is_fail());
        assert_eq!(
            judged(&page(&["b"], None), Some(&gone), &page(&["b"], None)).name(),
            "inconclusive"
        );
        assert_eq!(
            judged(&before, None, &page(&["b"], None)).name(),
            "inconclusive"
        );
    }

    #[test]
    fn by_arn_answers_with_the_association_itself() {
        let rule = NeighboursRule::NeighByArn;
        let judged = |answer: &Exchange| by_arn(rule, answer, "snsa-1", "n").verdict;
        assert_eq!(judged(&ex(200, json!({"id": "snsa-1"}))), Verdict::Pass);
        assert!(judged(&ex(200, json!({"id": "snsa-2"}))).is_fail());
        assert!(judged(&err(404, "ResourceNotFoundException", json!({}))).is_fail());
    }

    #[test]
    fn the_association_names_its_services_dns() {
        let rule = NeighboursRule::NeighDnsAgrees;
        let dns = json!({"domainName": "d", "hostedZoneId": "z"});
        let service = ex(200, json!({"id": "svc-1", "dnsEntry": dns}));
        let get = |v: Value| ex(200, json!({"id": "a", "dnsEntry": v}));
        let listed = ex(
            200,
            json!({"items": [{"id": "a", "dnsEntry": dns}, {"id": "b", "dnsEntry": {}}]}),
        );
        let judged = |reads: &[Exchange]| dns_agrees(rule, &service, "a", reads).verdict;
        assert_eq!(judged(&[get(dns.clone()), listed]), Verdict::Pass);
        assert!(judged(&[get(json!({"domainName": "x", "hostedZoneId": "z"}))]).is_fail());
        let custom = ex(
            200,
            json!({"id": "a", "dnsEntry": dns, "customDomainName": "c.example"}),
        );
        assert!(judged(&[custom]).is_fail());
        // Nothing compared: inconclusive.
        assert_eq!(
            judged(&[ex(200, json!({"id": "a"}))]).name(),
            "inconclusive"
        );
        let bare = ex(200, json!({"id": "svc-1"}));
        assert_eq!(
            dns_agrees(rule, &bare, "a", &[get(dns)]).verdict.name(),
            "inconclusive"
        );
    }
}
