//! Judging one step of a stateful call sequence against the reference model (`lattice_spec::model`):
//! the harness sends the step and hands over the model's prediction and the exchange; these
//! functions decide, without a network.
//!
//! - [`judge_call`]: the status and error type against the prediction's acceptable outcomes.
//! - [`judge_create`]: the same for a Create, and for a 200 the association it returned (a new
//!   one, or the replayed one: [`Violation::UnexpectedAssociation`]) and its `createdBy`.
//! - [`judge_list`]: the associations a List shows against those the model says must and may
//!   appear ([`Violation::ListMismatch`]).
//!
//! A transport failure or throttling makes a step inconclusive, never a failure. The numbered
//! script of a failing sequence is a [`Violation::FailingSequence`] made of [`ScriptStep`]s.

use std::collections::BTreeSet;

use serde::Serialize;

use lattice_spec::model::{Expected, Prediction, World};

use crate::case::unjudgeable;
use crate::exchange::Exchange;
use crate::state::{created_by, listed_ids, member_of};
use crate::verdict::{Verdict, Violation};

/// One acceptable outcome, in words (`200 (new association)`, `409 ConflictException`).
pub fn expected_text(e: &Expected) -> String {
    match e {
        Expected::Created => "200 (new association)".to_owned(),
        Expected::Replayed { id } => format!("200 (same {id})"),
        Expected::Ok => "200".to_owned(),
        Expected::Error(err) => format!("{} {}", err.status(), err.name()),
    }
}

/// Every acceptable outcome of a prediction, in words, joined with "or".
pub fn prediction_text(prediction: &Prediction) -> String {
    prediction
        .acceptable
        .iter()
        .map(expected_text)
        .collect::<Vec<_>>()
        .join(" or ")
}

/// What an exchange answered, in a script: `200 snsa-…` for a success with an id, else the
/// outcome (`404 ResourceNotFoundException`), or why there was none.
pub fn answer_text(exchange: &Exchange) -> String {
    match &exchange.response {
        Ok(r) => match member_of(exchange, "id") {
            Some(id) if r.is_success() => format!("{} {id}", r.status),
            _ => r.outcome(),
        },
        Err(t) => t.to_string(),
    }
}

/// Judges a call's status and error type against the model's prediction: inconclusive when the
/// endpoint could not be judged (transport failure, throttling), a
/// [`Violation::WrongOutcome`] when no acceptable outcome admits the answer.
pub fn judge_call(prediction: &Prediction, exchange: &Exchange) -> Verdict {
    if let Some(reason) = unjudgeable(exchange) {
        return Verdict::Inconclusive(reason);
    }
    let Some(response) = exchange.ok() else {
        return Verdict::Inconclusive("no response".into());
    };
    let error = response.error_type().filter(|_| !response.is_success());
    if prediction.admits(response.status, error.as_deref()) {
        Verdict::Pass
    } else {
        Verdict::Fail(vec![Violation::WrongOutcome {
            expected: prediction.acceptable.iter().map(expected_text).collect(),
            found: response.outcome(),
        }])
    }
}

/// Judges a Create from `caller_account` (the world as it was before the call): its outcome
/// ([`judge_call`]), and for a 200 the association it returned ([`judge_created`]).
pub fn judge_create(
    prediction: &Prediction,
    world: &World,
    caller_account: &str,
    exchange: &Exchange,
) -> Verdict {
    let verdict = judge_call(prediction, exchange);
    let succeeded = exchange.ok().is_some_and(|r| r.status == 200);
    if verdict != Verdict::Pass || !succeeded {
        return verdict;
    }
    Verdict::from_violations(judge_created(prediction, world, caller_account, exchange))
}

/// Judges the association a 200 Create returned: it must be new to the model where the model
/// predicted a new association, or the replayed one; its `createdBy` must be the account that
/// created it (the caller for a new one, the original creator for a replay).
pub fn judge_created(
    prediction: &Prediction,
    world: &World,
    caller_account: &str,
    exchange: &Exchange,
) -> Vec<Violation> {
    let got = member_of(exchange, "id").unwrap_or_default();
    let known = world.association(&got);
    let as_created = prediction.acceptable.contains(&Expected::Created) && known.is_none();
    let as_replayed = prediction
        .acceptable
        .iter()
        .any(|e| matches!(e, Expected::Replayed { id } if *id == got));
    let mut violations = Vec::new();
    if !as_created && !as_replayed {
        let expected = prediction
            .acceptable
            .iter()
            .filter_map(|e| match e {
                Expected::Created => Some("a new association".to_owned()),
                Expected::Replayed { id } => Some(format!("`{id}` again")),
                _ => None,
            })
            .collect();
        violations.push(Violation::UnexpectedAssociation { got, expected });
    }
    let creator = known.map_or(caller_account, |a| a.creator.as_str());
    // createdBy is an optional member: judged where the answer carries it.
    if member_of(exchange, "createdBy").is_some() {
        violations.extend(created_by(exchange, creator));
    }
    violations
}

/// Judges a List against the associations the model says it `must` show and `may` show (those
/// being deleted): inconclusive when the endpoint could not be judged; a refusal (403) is
/// accepted, since the caller may not see the resource it filters by; any other error is a
/// [`Violation::WrongOutcome`]; a 200 must show every id of `must` and none outside both sets.
pub fn judge_list(must: &BTreeSet<String>, may: &BTreeSet<String>, exchange: &Exchange) -> Verdict {
    if let Some(reason) = unjudgeable(exchange) {
        return Verdict::Inconclusive(reason);
    }
    let Some(response) = exchange.ok() else {
        return Verdict::Inconclusive("no response".into());
    };
    if response.status == 403 {
        return Verdict::Pass;
    }
    if !response.is_success() {
        return Verdict::Fail(vec![Violation::WrongOutcome {
            expected: vec!["200".into(), "403 AccessDeniedException".into()],
            found: response.outcome(),
        }]);
    }
    let listed: BTreeSet<String> = listed_ids(exchange).into_iter().collect();
    let missing: Vec<String> = must.difference(&listed).cloned().collect();
    let extra: Vec<String> = listed
        .iter()
        .filter(|id| !must.contains(*id) && !may.contains(*id))
        .cloned()
        .collect();
    if missing.is_empty() && extra.is_empty() {
        Verdict::Pass
    } else {
        Verdict::Fail(vec![Violation::ListMismatch {
            what: "List".into(),
            missing,
            extra,
        }])
    }
}

/// One line of a failing sequence's script: the call, what came back, and for the failing step
/// what the model expected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScriptStep {
    /// The call, in words (`peer: Get snsa-…`).
    pub call: String,
    /// What came back ([`answer_text`]), or `ok` for a step that is not an API call (a share).
    pub answer: String,
    /// What the model expected, on the failing step only.
    pub expected: Option<String>,
}

impl std::fmt::Display for ScriptStep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.expected {
            Some(expected) => write!(
                f,
                "{}  ✗ expected {expected}, got {}",
                self.call, self.answer
            ),
            None => write!(f, "{}  → {}", self.call, self.answer),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::TransportFailure;
    use lattice_spec::errors::ErrorType;
    use lattice_spec::wire::CreateAssociationRequest;
    use lattice_spec::{ResourceKind, RuleId};
    use serde_json::{json, Value};

    const OWNER: &str = "111111111111";
    const PEER: &str = "222222222222";
    const SVC: &str = "svc-0000000000000000o";
    const SN: &str = "sn-0000000000000000o";
    const FIRST: &str = "snsa-00000000000000001";

    fn exchange(status: u16, error: Option<&str>, body: Value) -> Exchange {
        Exchange::json_answer(
            "CreateServiceNetworkServiceAssociation",
            status,
            error,
            &body.to_string(),
        )
    }

    fn created(id: &str, by: &str) -> Exchange {
        exchange(200, None, json!({"id": id, "createdBy": by}))
    }

    /// A world where the owner created FIRST with token `tok`.
    fn world() -> World {
        let mut w = World::new();
        w.add_resource(SVC, ResourceKind::Service, OWNER);
        w.add_resource(SN, ResourceKind::ServiceNetwork, OWNER);
        let req: CreateAssociationRequest = serde_json::from_value(
            json!({"serviceIdentifier": SVC, "serviceNetworkIdentifier": SN, "clientToken": "tok"}),
        )
        .unwrap();
        w.record_create(OWNER, &req, FIRST);
        w
    }

    fn prediction(acceptable: Vec<Expected>, rule: RuleId) -> Prediction {
        Prediction { acceptable, rule }
    }

    #[test]
    fn an_outcome_outside_the_prediction_is_a_wrong_outcome() {
        let refused = prediction(
            vec![
                Expected::Error(ErrorType::AccessDeniedException),
                Expected::Error(ErrorType::ResourceNotFoundException),
            ],
            RuleId::OwnNotShared,
        );
        let denied = exchange(403, Some("AccessDeniedException"), json!({}));
        assert_eq!(judge_call(&refused, &denied), Verdict::Pass);
        assert_eq!(
            judge_call(&refused, &created("snsa-00000000000000002", OWNER)),
            Verdict::Fail(vec![Violation::WrongOutcome {
                expected: vec![
                    "403 AccessDeniedException".into(),
                    "404 ResourceNotFoundException".into()
                ],
                found: "200".into(),
            }])
        );
        // The right status with another error type is not admitted either.
        let conflict = exchange(403, Some("ConflictException"), json!({}));
        assert!(judge_call(&refused, &conflict).is_fail());
    }

    #[test]
    fn a_throttled_or_unanswered_step_is_inconclusive() {
        let ok = prediction(vec![Expected::Ok], RuleId::LifeStatusEnum);
        let throttled = exchange(429, Some("ThrottlingException"), json!({}));
        assert_eq!(judge_call(&ok, &throttled).name(), "inconclusive");
        let timeout = throttled.with_response(Err(TransportFailure::Timeout));
        assert_eq!(judge_call(&ok, &timeout).name(), "inconclusive");
        assert_eq!(
            judge_create(&ok, &world(), OWNER, &throttled).name(),
            "inconclusive"
        );
        let none = BTreeSet::new();
        assert_eq!(judge_list(&none, &none, &throttled).name(), "inconclusive");
    }

    #[test]
    fn a_200_create_must_return_a_new_association_or_the_replayed_one() {
        let w = world();
        let new = prediction(vec![Expected::Created], RuleId::OwnBothOwned);
        let replay = prediction(
            vec![Expected::Replayed { id: FIRST.into() }],
            RuleId::IdempReplay,
        );
        let fresh = created("snsa-00000000000000002", OWNER);
        assert_eq!(judge_create(&new, &w, OWNER, &fresh), Verdict::Pass);
        assert_eq!(
            judge_create(&replay, &w, OWNER, &created(FIRST, OWNER)),
            Verdict::Pass
        );
        // A "new" association the model already knows (another account's token replayed it).
        assert_eq!(
            judge_create(&new, &w, PEER, &created(FIRST, OWNER)),
            Verdict::Fail(vec![Violation::UnexpectedAssociation {
                got: FIRST.into(),
                expected: vec!["a new association".into()],
            }])
        );
        // Neither new nor the replayed one.
        let v = judge_created(&replay, &w, OWNER, &fresh);
        assert_eq!(
            v,
            vec![Violation::UnexpectedAssociation {
                got: "snsa-00000000000000002".into(),
                expected: vec![format!("`{FIRST}` again")],
            }]
        );
        assert_eq!(
            v[0].to_string(),
            format!(
                "Create answered 200 with `snsa-00000000000000002`; the model expected `{FIRST}` again"
            )
        );
    }

    #[test]
    fn created_by_is_the_caller_or_the_replayed_association_s_creator() {
        let w = world();
        let new = prediction(vec![Expected::Created], RuleId::OwnSharedNetwork);
        let by_owner = created("snsa-00000000000000002", OWNER);
        assert_eq!(
            judge_create(&new, &w, PEER, &by_owner),
            Verdict::Fail(vec![Violation::Differs {
                what: "`createdBy`".into(),
                expected: PEER.into(),
                found: OWNER.into(),
            }])
        );
        // A replay reports the original creator, whoever replays.
        let replay = prediction(
            vec![Expected::Replayed { id: FIRST.into() }],
            RuleId::IdempReplay,
        );
        assert!(judge_created(&replay, &w, OWNER, &created(FIRST, OWNER)).is_empty());
        assert!(!judge_created(&replay, &w, OWNER, &created(FIRST, PEER)).is_empty());
        // createdBy is optional: an answer that leaves it out says nothing wrong about it.
        let sparse = exchange(200, None, json!({ "id": "snsa-00000000000000002" }));
        assert_eq!(judge_create(&new, &w, PEER, &sparse), Verdict::Pass);
    }

    #[test]
    fn a_list_must_show_what_the_model_requires_and_nothing_it_does_not_allow() {
        let must: BTreeSet<String> = ["snsa-a".to_owned(), "snsa-b".to_owned()].into();
        let may: BTreeSet<String> = ["snsa-deleting".to_owned()].into();
        let list = |ids: &[&str]| {
            let items: Vec<Value> = ids.iter().map(|id| json!({ "id": id })).collect();
            exchange(200, None, json!({ "items": items }))
        };
        assert_eq!(
            judge_list(&must, &may, &list(&["snsa-a", "snsa-b"])),
            Verdict::Pass
        );
        assert_eq!(
            judge_list(&must, &may, &list(&["snsa-a", "snsa-b", "snsa-deleting"])),
            Verdict::Pass
        );
        let verdict = judge_list(&must, &may, &list(&["snsa-a", "snsa-x"]));
        assert_eq!(
            verdict,
            Verdict::Fail(vec![Violation::ListMismatch {
                what: "List".into(),
                missing: vec!["snsa-b".into()],
                extra: vec!["snsa-x".into()],
            }])
        );
        let Verdict::Fail(v) = verdict else {
            unreachable!()
        };
        assert_eq!(
            v[0].to_string(),
            "List is missing `snsa-b` and shows unexpected `snsa-x`"
        );
        let denied = exchange(403, Some("AccessDeniedException"), json!({}));
        assert_eq!(judge_list(&must, &may, &denied), Verdict::Pass);
        let not_found = exchange(404, Some("ResourceNotFoundException"), json!({}));
        assert!(judge_list(&must, &may, &not_found).is_fail());
    }

    #[test]
    fn a_script_marks_the_failing_step() {
        let steps = vec![
            ScriptStep {
                call: "owner: Create".into(),
                answer: answer_text(&created(FIRST, OWNER)),
                expected: None,
            },
            ScriptStep {
                call: "peer: Get".into(),
                answer: answer_text(&exchange(404, Some("ResourceNotFoundException"), json!({}))),
                expected: Some(prediction_text(&prediction(
                    vec![Expected::Ok],
                    RuleId::LifeStatusEnum,
                ))),
            },
        ];
        let v = Violation::FailingSequence {
            minimal: true,
            steps,
        };
        assert_eq!(
            v.to_string(),
            format!(
                "minimal sequence (2 calls):\n      1. owner: Create  → 200 {FIRST}\n      \
                 2. peer: Get  ✗ expected 200, got 404 ResourceNotFoundException"
            )
        );
    }
}
