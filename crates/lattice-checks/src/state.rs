//! Stateful judgements: values that must agree across calls (replays, createdBy, visibility).

use lattice_spec::wire::AssociationStatus;
use serde_json::Value;

use crate::exchange::Exchange;
use crate::verdict::Violation;

/// A string member of an exchange's JSON response body.
pub fn member_of(exchange: &Exchange, name: &str) -> Option<String> {
    exchange
        .ok()?
        .json()?
        .get(name)?
        .as_str()
        .map(str::to_owned)
}

/// The association status in an exchange's JSON response body, when it is one of the model's.
pub fn status_of(exchange: &Exchange) -> Option<AssociationStatus> {
    member_of(exchange, "status").and_then(|s| AssociationStatus::parse(&s))
}

/// Whether an association is past its creation: its status is anything but
/// `CREATE_IN_PROGRESS` (a delete is refused before; a status check can be judged after). An
/// answer without a status (a 404 once it is gone, an error) counts as past it.
pub fn settled(exchange: &Exchange) -> bool {
    status_of(exchange) != Some(AssociationStatus::CreateInProgress)
}

/// Whether a read answered 404: for an association the run just created, a read that may lag
/// the create (polled through within the status budget, as AWS CloudFormation's and
/// Terraform's waiters do), not yet a sign that it is gone.
pub fn not_found(exchange: &Exchange) -> bool {
    exchange.ok().is_some_and(|r| r.status == 404)
}

/// Whether an association the run created is visible and past its creation: the wait before a
/// delete, where a lagging 404 must not count as "past it".
pub fn visible_and_settled(exchange: &Exchange) -> bool {
    !not_found(exchange) && settled(exchange)
}

/// A replay must return the same value of `name` as the original (IDEMP-REPLAY).
pub fn same_member(original: &Exchange, replay: &Exchange, name: &str) -> Vec<Violation> {
    let (a, b) = (member_of(original, name), member_of(replay, name));
    if a.is_some() && a == b {
        vec![]
    } else {
        vec![Violation::Differs {
            what: format!("`{name}` of the replay"),
            expected: a.unwrap_or_else(|| "(absent)".into()),
            found: b.unwrap_or_else(|| "(absent)".into()),
        }]
    }
}

/// `createdBy` of the first of `answers` that carries one (an optional output member: a Create
/// may leave it out and Get still carry it), against the caller's account; `None` when none
/// carries it, so that there is nothing to judge.
pub fn created_by_in(answers: &[&Exchange], caller_account: &str) -> Option<Vec<Violation>> {
    answers
        .iter()
        .find(|e| member_of(e, "createdBy").is_some())
        .map(|e| created_by(e, caller_account))
}

/// `createdBy` must be the caller's account (OWN-4).
pub fn created_by(exchange: &Exchange, caller_account: &str) -> Vec<Violation> {
    match member_of(exchange, "createdBy") {
        Some(a) if a == caller_account => vec![],
        other => vec![Violation::Differs {
            what: "`createdBy`".into(),
            expected: caller_account.into(),
            found: other.unwrap_or_else(|| "(absent)".into()),
        }],
    }
}

/// The association ids in a List response body (`items[].id`).
pub fn listed_ids(exchange: &Exchange) -> Vec<String> {
    exchange
        .ok()
        .and_then(|r| r.json())
        .and_then(|b| b.get("items").cloned())
        .and_then(|items| match items {
            Value::Array(items) => Some(
                items
                    .iter()
                    .filter_map(|i| i.get("id")?.as_str().map(str::to_owned))
                    .collect(),
            ),
            _ => None,
        })
        .unwrap_or_default()
}

/// How many times `id` appears in a listing, with a violation unless it is exactly `expected`.
pub fn listed_count(
    exchange: &Exchange,
    id: &str,
    expected: usize,
    context: &str,
) -> Vec<Violation> {
    let n = listed_ids(exchange).iter().filter(|x| *x == id).count();
    if n == expected {
        vec![]
    } else {
        vec![Violation::ListCount {
            what: context.to_owned(),
            item: Some(id.to_owned()),
            expected,
            found: n,
        }]
    }
}
