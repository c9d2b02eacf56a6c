//! Linearizability under concurrency: N creates for one pair at once. With one shared token every
//! caller gets the same association; with distinct tokens exactly one succeeds and every other
//! caller gets a conflict. Either way exactly one association exists afterwards.

use std::collections::BTreeSet;

use lattice_spec::RuleId;

use crate::case::{unjudgeable, CaseResult};
use crate::exchange::Exchange;
use crate::judge::{created_id, succeeded};
use crate::state::listed_ids;
use crate::verdict::Violation;

/// One burst of `creates` (with one `shared_token` or distinct ones) and the pair's List after
/// it; the case shows the first four creates and the List.
pub fn burst(
    rule: RuleId,
    shared_token: bool,
    creates: &[Exchange],
    list: &Exchange,
) -> CaseResult {
    let n = creates.len();
    if let Some(reason) = creates.iter().chain([list]).find_map(unjudgeable) {
        return CaseResult::inconclusive(rule, reason, vec![]);
    }
    let mut v = Vec::new();
    let succeeded_n = creates.iter().filter(|e| succeeded(e)).count();
    let ids: BTreeSet<String> = creates.iter().filter_map(created_id).collect();
    let conflicts = creates
        .iter()
        .filter(|e| e.ok().is_some_and(|r| r.status == 409))
        .count();
    let linear = if shared_token {
        succeeded_n == n && ids.len() == 1
    } else {
        succeeded_n == 1 && conflicts == n - 1
    };
    if !linear {
        v.push(Violation::NotLinearizable {
            n,
            shared_token,
            succeeded: succeeded_n,
            distinct_ids: ids.len(),
            conflicts,
        });
    }
    let listed = listed_ids(list).len();
    if listed != 1 {
        v.push(Violation::ListCount {
            what: "the pair's association after the burst".into(),
            item: None,
            expected: 1,
            found: listed,
        });
    }
    let what = if shared_token {
        "one token"
    } else {
        "distinct tokens"
    };
    let failed = !v.is_empty();
    let mut evidence: Vec<Exchange> = creates.iter().take(4).cloned().collect();
    evidence.push(list.clone());
    let case = CaseResult::new(rule, v, evidence, "a linearizable outcome");
    if failed {
        case.with_note(format!(
            "first failing N = {n} ({what}); the first 4 creates and the List are shown"
        ))
    } else {
        case.with_note(format!("{n} concurrent creates for one pair, {what}"))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::judge::testing::{err, ex, throttled};
    use crate::verdict::Verdict;

    #[test]
    fn concurrent_creates_must_have_a_sequential_outcome() {
        let a = ex(200, json!({"id": "snsa-1"}));
        let b = ex(200, json!({"id": "snsa-2"}));
        let conflict = err(409, "ConflictException", json!({}));
        let one = ex(200, json!({"items": [{"id": "snsa-1"}]}));
        let two = ex(200, json!({"items": [{"id": "snsa-1"}, {"id": "snsa-2"}]}));
        let shared = [a.clone(), a.clone()];
        assert_eq!(
            burst(RuleId::IdempReplay, true, &shared, &one).verdict,
            Verdict::Pass
        );
        let split = [a.clone(), b.clone()];
        assert!(burst(RuleId::IdempReplay, true, &split, &two)
            .verdict
            .is_fail());
        let dup = [a.clone(), conflict.clone()];
        assert_eq!(
            burst(RuleId::ConflictDuplicate, false, &dup, &one).verdict,
            Verdict::Pass
        );
        assert!(burst(RuleId::ConflictDuplicate, false, &split, &two)
            .verdict
            .is_fail());
        let slow = [a, throttled()];
        assert_eq!(
            burst(RuleId::ConflictDuplicate, false, &slow, &one)
                .verdict
                .name(),
            "inconclusive"
        );
    }
}
