//! The verdicts of the checks, as pure functions over what a check sent and received: each
//! harness check plans its requests, sends them and hands the exchanges (and what its polls
//! observed) to the function of its rule here. Nothing here touches the network, so every
//! judgement is unit-tested with recorded exchanges.
//!
//! One module per catalogue check; the wire-format rules are in [`crate::shape`] and the client
//! rules in [`crate::client`].

pub mod concurrency;
pub mod conflict;
pub mod existence;
pub mod idempotency;
pub mod lifecycle;
pub mod neighbours;
pub mod ownership;
pub mod signature;
pub mod tags;
pub mod validation;

use lattice_spec::{ErrorType, ExpectedOutcome, RuleId};

use crate::case::{judge_with, CaseResult};
use crate::exchange::Exchange;
use crate::verdict::{Verdict, Violation};

/// The outcome a setup step that must succeed is judged against.
pub(crate) const OK_200: &[ExpectedOutcome] = &[ExpectedOutcome::Success(200)];

/// When a step that must succeed before the rule's decisive request did not, the case that says
/// so (judged against 200, with `note`); `None` when it succeeded.
pub fn must_succeed(rule: RuleId, step: &Exchange, note: &str) -> Option<CaseResult> {
    (!succeeded(step)).then(|| judge_with(rule, OK_200, step, vec![]).with_note(note))
}

/// The id of the association a setup create made, or the case that says why the rule cannot go
/// on: the create was refused (judged against 200, with `note`), or it succeeded without an `id`
/// (inconclusive: nothing to go on with; HTTP-RESPONSE-SHAPE judges the missing member).
pub fn created(rule: RuleId, create: &Exchange, note: &str) -> Result<String, Box<CaseResult>> {
    if let Some(case) = must_succeed(rule, create, note) {
        return Err(Box::new(case));
    }
    created_id(create).ok_or_else(|| {
        Box::new(CaseResult::inconclusive(
            rule,
            "the create succeeded without an `id` to go on with",
            vec![create.clone()],
        ))
    })
}

/// Whether `answer` is one of the outcomes the catalogue accepts for `rule` (a check that only
/// goes on when the decisive answer passed asks this before sending more).
pub fn answered_as(rule: RuleId, answer: &Exchange) -> bool {
    crate::outcome::judge_outcome(crate::case::outcomes(rule), answer) == Verdict::Pass
}

/// A List that must answer 200 and list no association but `leftovers` (what earlier requests
/// left behind, not this case's doing); `what` names the listing in a violation.
pub(crate) fn lists_nothing_new(
    rule: RuleId,
    listed: &Exchange,
    leftovers: &[String],
    what: &str,
) -> CaseResult {
    let case = judge_with(rule, OK_200, listed, vec![]);
    if case.verdict != Verdict::Pass {
        return case;
    }
    let extra: Vec<String> = crate::state::listed_ids(listed)
        .into_iter()
        .filter(|id| !leftovers.contains(id))
        .collect();
    let violations = if extra.is_empty() {
        vec![]
    } else {
        vec![Violation::ListMismatch {
            what: what.to_owned(),
            missing: vec![],
            extra,
        }]
    };
    CaseResult::new(
        rule,
        violations,
        vec![listed.clone()],
        crate::case::expected(rule),
    )
}

/// Whether the exchange is a 2xx.
pub fn succeeded(e: &Exchange) -> bool {
    e.ok().is_some_and(|r| r.is_success())
}

/// The `id` member of a successful response.
pub fn created_id(e: &Exchange) -> Option<String> {
    crate::state::member_of(e, "id").filter(|_| succeeded(e))
}

/// Fails a passing case with `violations` (when there are any); a case that already failed
/// keeps its own violations first.
pub(crate) fn add_violations(case: &mut CaseResult, violations: Vec<Violation>) {
    if violations.is_empty() {
        return;
    }
    case.verdict = match std::mem::replace(&mut case.verdict, Verdict::Pass) {
        Verdict::Fail(mut v) => {
            v.extend(violations);
            Verdict::Fail(v)
        }
        Verdict::Pass => Verdict::Fail(violations),
        other => other,
    };
}

/// The required members of `error` that a response with `status` lacks (as strings).
pub(crate) fn missing_members(e: &Exchange, status: u16, error: ErrorType) -> Vec<Violation> {
    let Some(resp) = e.ok().filter(|r| r.status == status) else {
        return vec![];
    };
    let body = resp.json().unwrap_or_default();
    error
        .required_members()
        .iter()
        .filter(|m| !body.get(**m).is_some_and(|v| v.is_string()))
        .map(|m| Violation::MissingMember {
            shape: error.name().into(),
            member: (*m).into(),
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod testing {
    //! Recorded exchanges for the judgement tests.

    use crate::exchange::Exchange;

    /// An exchange answered `status` with a JSON `body` (and the error type header for 4xx/5xx
    /// when the body names one in `__type`).
    pub(crate) fn ex(status: u16, body: serde_json::Value) -> Exchange {
        let error = body.get("__type").and_then(|t| t.as_str());
        Exchange::json_answer(
            "CreateServiceNetworkServiceAssociation",
            status,
            error,
            &body.to_string(),
        )
    }

    /// An error exchange of this type, with these members.
    pub(crate) fn err(status: u16, error: &str, members: serde_json::Value) -> Exchange {
        let mut body = members;
        body["__type"] = error.into();
        body["message"] = "m".into();
        ex(status, body)
    }

    /// A 429 ThrottlingException.
    pub(crate) fn throttled() -> Exchange {
        err(429, "ThrottlingException", serde_json::json!({}))
    }
}
