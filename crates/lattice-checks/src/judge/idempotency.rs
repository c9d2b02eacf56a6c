//! Idempotency through `clientToken`: a replay returns the same association and creates nothing,
//! a reused token with other parameters is refused, tokens are scoped to their account, a create
//! without a token is not a replay, tokens are case-sensitive, and every token form the model
//! allows is accepted.

use lattice_spec::RuleId;

use crate::case::{judge, unjudgeable, CaseResult};
use crate::exchange::Exchange;
use crate::judge::add_violations;
use crate::state::{listed_count, member_of, same_member};
use crate::verdict::{Verdict, Violation};

/// IDEMP-REPLAY: the replay answers as the rule says, with the original's `id`, `arn` and
/// `createdBy`, and the pair's List shows the association once.
pub fn replay(first: &Exchange, second: &Exchange, list: Option<&Exchange>) -> CaseResult {
    let mut case = judge(RuleId::IdempReplay, second, vec![first.clone()]);
    if case.verdict == Verdict::Pass {
        let mut v = Vec::new();
        for m in ["id", "arn"] {
            v.extend(same_member(first, second, m));
        }
        // createdBy is optional: the same where either carries it.
        if member_of(first, "createdBy").is_some() || member_of(second, "createdBy").is_some() {
            v.extend(same_member(first, second, "createdBy"));
        }
        if let Some(list) = list {
            let id = member_of(first, "id").unwrap_or_default();
            if unjudgeable(list).is_none() {
                v.extend(listed_count(list, &id, 1, "after the replay"));
            }
            case.evidence.push(list.clone());
        }
        add_violations(&mut case, v);
    }
    case.with_note("same token, same parameters, twice")
}

/// Why a token shows nothing about itself: its own replay (the same token and parameters again)
/// did not return the first association, so the endpoint does not replay tokens and a refusal
/// of another request with it may be anything (the pair's conflict, say). `None` when it did.
fn not_replayed(first: &Exchange, replay: &Exchange) -> Option<String> {
    if let Some(reason) = unjudgeable(replay) {
        return Some(reason);
    }
    let replayed = crate::judge::succeeded(replay)
        && member_of(replay, "id").is_some()
        && member_of(replay, "id") == member_of(first, "id");
    (!replayed).then(|| {
        "the token's own replay did not return its association: no replay was observed, so what the token does cannot be judged".to_owned()
    })
}

/// A refusal the rule accepts counts only where the token replays its own request (`replay`,
/// sent before `second`): otherwise it may be something else (the pair's conflict), and the
/// case is inconclusive. An answer the rule does not accept fails it whatever the replay did.
fn refused_as_a_token(
    rule: RuleId,
    first: &Exchange,
    replay: &Exchange,
    second: &Exchange,
    note: String,
) -> CaseResult {
    let mut case = judge(rule, second, vec![first.clone(), replay.clone()]);
    case.decisive = Some(2);
    if case.verdict == Verdict::Pass {
        if let Some(reason) = not_replayed(first, replay) {
            case.verdict = Verdict::Inconclusive(reason);
            case.chosen = None;
        }
    }
    case.with_note(note)
}

/// IDEMP-MISMATCH: the same token with other parameters (`what`) is refused; the refusal
/// counts only where the token replays its own request (`replay`).
pub fn mismatch(first: &Exchange, replay: &Exchange, second: &Exchange, what: &str) -> CaseResult {
    let note = format!("same token, {what}");
    refused_as_a_token(RuleId::IdempMismatch, first, replay, second, note)
}

/// IDEMP-ACCOUNT-SCOPE: another account's create with the owner's token is its own create, never
/// the owner's association. It only shows something when tokens are replayed at all, so the
/// owner's replay of its own create (`replay`) must have returned the same association first;
/// otherwise the case is inconclusive.
pub fn account_scope(first: &Exchange, replay: &Exchange, second: &Exchange) -> CaseResult {
    let rule = RuleId::IdempAccountScope;
    if let Some(reason) = not_replayed(first, replay) {
        return CaseResult::inconclusive(rule, reason, vec![first.clone(), replay.clone()]);
    }
    let mut case = judge(rule, second, vec![first.clone(), replay.clone()]);
    let (a, b) = (member_of(first, "id"), member_of(second, "id"));
    if case.verdict == Verdict::Pass && a == b {
        add_violations(
            &mut case,
            vec![Violation::TokenCrossedAccounts {
                id: a.unwrap_or_default(),
            }],
        );
    }
    case.with_note("the same token from two accounts, each on its own pair")
}

/// IDEMP-NO-TOKEN: the same body twice without a token is two creates (the second conflicts).
pub fn no_token(first: &Exchange, second: &Exchange) -> CaseResult {
    judge(RuleId::IdempNoToken, second, vec![first.clone()])
        .with_note("the same body twice without a token")
}

/// The tokens of IDEMP-CASE-SENSITIVE: the one sent first, and the same in other letter case.
#[derive(Debug, Clone, Copy)]
pub struct TokenCases<'a> {
    /// The token of the first create (and of its replay).
    pub token: &'a str,
    /// The same token in other letter case.
    pub other_case: &'a str,
}

/// IDEMP-CASE-SENSITIVE: a token that differs only in letter case is another token. Its 409
/// shows a new request only where the token replays its own request (`replay`, sent first);
/// otherwise the case is inconclusive (a replay of it with 200 fails it whatever).
pub fn case_sensitive(
    first: &Exchange,
    replay: &Exchange,
    second: &Exchange,
    tokens: TokenCases<'_>,
) -> CaseResult {
    let note = format!(
        "`{}` then `{}` for the same pair",
        tokens.token, tokens.other_case
    );
    refused_as_a_token(RuleId::IdempCaseSensitive, first, replay, second, note)
}

/// IDEMP-TOKEN-FORMS: a token of a form the model allows (`what`) is accepted. A 1-character
/// token cannot carry the run id, so a conflict on it may be an earlier run's: inconclusive.
pub fn token_form(answer: &Exchange, what: &str, token: &str) -> CaseResult {
    let mut case = judge(RuleId::IdempTokenForms, answer, vec![]).with_note(what);
    let collided = answer.ok().is_some_and(|r| {
        r.status == 409
            || r.status == 400 && r.error_type().as_deref() != Some("ValidationException")
    });
    if token.chars().count() == 1 && case.verdict.is_fail() && collided {
        case.verdict = Verdict::Inconclusive(
            "a 1-character token may have been used by an earlier run".into(),
        );
    }
    case
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::judge::testing::{err, ex, throttled};

    fn assoc(id: &str) -> Exchange {
        ex(
            200,
            json!({"id": id, "arn": format!("arn:x/{id}"), "createdBy": "111122223333"}),
        )
    }

    fn listing(ids: &[&str]) -> Exchange {
        let items: Vec<_> = ids.iter().map(|i| json!({ "id": i })).collect();
        ex(200, json!({ "items": items }))
    }

    #[test]
    fn a_replay_returns_the_same_association_listed_once() {
        let c = replay(
            &assoc("snsa-1"),
            &assoc("snsa-1"),
            Some(&listing(&["snsa-1"])),
        );
        assert_eq!(c.verdict, Verdict::Pass);
        let c = replay(
            &assoc("snsa-1"),
            &assoc("snsa-2"),
            Some(&listing(&["snsa-1"])),
        );
        assert!(matches!(&c.verdict, Verdict::Fail(v) if v.len() == 2));
        let c = replay(
            &assoc("snsa-1"),
            &assoc("snsa-1"),
            Some(&listing(&["snsa-1", "snsa-1"])),
        );
        assert!(matches!(
            &c.verdict,
            Verdict::Fail(v) if matches!(v[0], Violation::ListCount { found: 2, .. })
        ));
        let c = replay(&assoc("snsa-1"), &assoc("snsa-1"), Some(&throttled()));
        assert_eq!(c.verdict, Verdict::Pass);
        // createdBy is optional: compared where either answer carries it.
        let sparse = ex(200, json!({"id": "snsa-1", "arn": "arn:x/snsa-1"}));
        assert_eq!(replay(&sparse, &sparse, None).verdict, Verdict::Pass);
        assert!(replay(&assoc("snsa-1"), &sparse, None).verdict.is_fail());
    }

    #[test]
    fn a_token_of_another_account_must_not_return_its_association() {
        let replay = assoc("snsa-1");
        let c = account_scope(&assoc("snsa-1"), &replay, &assoc("snsa-1"));
        assert_eq!(
            c.verdict,
            Verdict::Fail(vec![Violation::TokenCrossedAccounts {
                id: "snsa-1".into()
            }])
        );
        assert_eq!(
            account_scope(&assoc("snsa-1"), &replay, &assoc("snsa-2")).verdict,
            Verdict::Pass
        );
        // An endpoint that never replays shows nothing about the token's scope.
        let conflict = err(409, "ConflictException", json!({}));
        assert_eq!(
            account_scope(&assoc("snsa-1"), &conflict, &assoc("snsa-2"))
                .verdict
                .name(),
            "inconclusive"
        );
    }

    #[test]
    fn a_one_character_token_that_collides_is_inconclusive() {
        let conflict = err(409, "ConflictException", json!({}));
        assert_eq!(
            token_form(&conflict, "a 1-character token", "!")
                .verdict
                .name(),
            "inconclusive"
        );
        assert!(token_form(&conflict, "a 64-character token", "abc")
            .verdict
            .is_fail());
        assert_eq!(
            token_form(&assoc("snsa-1"), "x", "!").verdict,
            Verdict::Pass
        );
        let mismatch_conflict = err(409, "ConflictException", json!({}));
        assert_eq!(
            mismatch(
                &assoc("snsa-1"),
                &assoc("snsa-1"),
                &mismatch_conflict,
                "other tags"
            )
            .verdict,
            Verdict::Pass
        );
    }
}
