//! Signatures: a request signed wrongly (or not at all) is refused as its rule says and creates
//! nothing.

use lattice_spec::SignatureRule;

use crate::case::{judge, unjudgeable, CaseResult};
use crate::exchange::Exchange;
use crate::state::listed_ids;
use crate::verdict::{Verdict, Violation};

/// A valid create sent signed as `how` (`unsigned`, `bad-signature`, ...) is refused as the rule
/// says, and the pair's List afterwards (correctly signed) shows no association. A refusal means
/// something only if a correctly signed request is served: when the List is refused as well
/// (403), the case is inconclusive.
pub fn refused(rule: SignatureRule, create: &Exchange, list: &Exchange, how: &str) -> CaseResult {
    if list.ok().is_some_and(|r| r.status == 403) && !create.ok().is_some_and(|r| r.is_success()) {
        return CaseResult::inconclusive(
            rule.id(),
            "a correctly signed List of the pair was refused (403) too: a refusal shows nothing about the signature",
            vec![create.clone(), list.clone()],
        );
    }
    let mut case = judge(rule.id(), create, vec![]);
    if unjudgeable(list).is_none() && !listed_ids(list).is_empty() {
        let v = Violation::SideEffect {
            request: format!("a Create sent as `{how}`"),
            change: "an association was created".into(),
        };
        case.verdict = match case.verdict {
            Verdict::Fail(mut vs) => {
                vs.push(v);
                Verdict::Fail(vs)
            }
            _ => Verdict::Fail(vec![v]),
        };
    }
    // The create stays the decisive request; the List only shows what it created.
    case.decisive = Some(case.evidence.len() - 1);
    case.evidence.push(list.clone());
    case.with_note(format!("a valid create sent as `{how}`"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::judge::testing::{err, ex};

    #[test]
    fn a_refused_request_must_create_nothing() {
        let refused_403 = err(403, "InvalidSignatureException", json!({}));
        let empty = ex(200, json!({"items": []}));
        let listed = ex(200, json!({"items": [{"id": "snsa-1"}]}));
        let c = refused(
            SignatureRule::AuthBadSignature,
            &refused_403,
            &empty,
            "bad-signature",
        );
        assert_eq!((c.verdict, c.decisive), (Verdict::Pass, Some(0)));
        let c = refused(
            SignatureRule::AuthBadSignature,
            &refused_403,
            &listed,
            "bad-signature",
        );
        assert!(c.verdict.is_fail());
        let accepted = ex(200, json!({"id": "snsa-1"}));
        let c = refused(SignatureRule::AuthUnsigned, &accepted, &listed, "unsigned");
        assert!(matches!(&c.verdict, Verdict::Fail(v) if v.len() == 2));
        // An endpoint that refuses everything shows nothing about signatures.
        let denied = err(403, "AccessDeniedException", json!({}));
        let c = refused(
            SignatureRule::AuthUnsigned,
            &refused_403,
            &denied,
            "unsigned",
        );
        assert_eq!(c.verdict.name(), "inconclusive");
    }
}
