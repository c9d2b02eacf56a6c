//! Verdicts and violations: typed results, not panics (smithy-rs protocol tests' pattern).

use serde::Serialize;

use crate::sequence::ScriptStep;

/// A way a response contradicts a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Violation {
    /// The status or error type is not among the acceptable outcomes.
    WrongOutcome {
        /// Acceptable outcomes, as the catalogue writes them.
        expected: Vec<String>,
        /// What came back (`"200"`, `"404 ResourceNotFoundException"`).
        found: String,
    },
    /// A required member is absent.
    MissingMember {
        /// The shape (`ConflictException`, `CreateServiceNetworkServiceAssociationResponse`).
        shape: String,
        /// The member.
        member: String,
    },
    /// A member has the wrong JSON type.
    WrongType {
        /// The member.
        member: String,
        /// The expected JSON type.
        expected: String,
    },
    /// A member's value does not match its pattern.
    PatternMismatch {
        /// The member.
        member: String,
        /// The value.
        value: String,
        /// The pattern.
        pattern: String,
    },
    /// A member's value is not in its enum.
    NotInEnum {
        /// The member.
        member: String,
        /// The value.
        value: String,
        /// The allowed values.
        allowed: Vec<String>,
    },
    /// The content type is not `application/json`.
    WrongContentType {
        /// What came back.
        found: Option<String>,
    },
    /// Two values that must be equal differ.
    Differs {
        /// What was compared.
        what: String,
        /// The first value.
        expected: String,
        /// The second value.
        found: String,
    },
    /// A canonical scenario's redacted responses differ from its committed snapshot where the
    /// contract fixes them.
    SnapshotDiffers {
        /// The snapshot's name (`snapshots/{name}.snap`).
        snapshot: String,
        /// What differs that the contract fixes, one finding per line.
        findings: Vec<String>,
        /// A line diff of the whole documents: `-` the committed snapshot, `+` this endpoint.
        diff: String,
    },
    /// An error response lacks the header that names its type.
    MissingHeader {
        /// The header (`X-Amzn-Errortype`).
        header: String,
        /// The response's status.
        status: u16,
    },
    /// An error type the operation's model does not list.
    UnmodelledError {
        /// The error type as sent.
        error: String,
        /// The operation.
        operation: String,
        /// Whether the type is modelled at all (for another operation).
        known: bool,
    },
    /// A body that must be a JSON object is not one.
    NotJsonObject {
        /// Whose body (`ConflictException`, `the request`).
        what: String,
        /// Its beginning.
        preview: String,
    },
    /// A header value outside its modelled form.
    BadHeader {
        /// The header.
        header: String,
        /// Its value.
        value: String,
        /// What the model requires.
        expected: String,
    },
    /// A listing that must show some items shows others.
    ListMismatch {
        /// What was listed (`List of the pair's network`, `ListTagsForResource`).
        what: String,
        /// Items that must be listed and are not.
        missing: Vec<String>,
        /// Items listed that must not be.
        extra: Vec<String>,
    },
    /// A listing shows an item another number of times than it must.
    ListCount {
        /// What was listed, and when.
        what: String,
        /// The item (`None`: every item).
        item: Option<String>,
        /// How many times it must be listed.
        expected: usize,
        /// How many times it is.
        found: usize,
    },
    /// A principal that must see a resource cannot.
    NotVisible {
        /// Who looked.
        who: String,
        /// How (`Get`, `List`).
        how: String,
        /// What came back.
        found: String,
    },
    /// A principal that must not see a resource sees it.
    Exposed {
        /// Who looked.
        who: String,
        /// How.
        how: String,
        /// The resource.
        id: String,
    },
    /// A request that was refused (or had to be) changed the state anyway.
    SideEffect {
        /// The request (`an unsigned Create`, `the outsider's Delete`).
        request: String,
        /// What changed.
        change: String,
    },
    /// A Create with another account's token returned that account's association.
    TokenCrossedAccounts {
        /// The association returned to both.
        id: String,
    },
    /// An association stayed in a state it must leave within the status budget.
    StatusStuck {
        /// The state it stayed in.
        status: String,
        /// What it must reach.
        expected: String,
        /// How long was waited, in seconds.
        waited_secs: u64,
    },
    /// Concurrent creates for one pair gave an outcome no sequential order gives.
    NotLinearizable {
        /// How many creates ran at once.
        n: usize,
        /// Whether they shared one token.
        shared_token: bool,
        /// How many succeeded.
        succeeded: usize,
        /// How many distinct ids they returned.
        distinct_ids: usize,
        /// How many were refused with 409.
        conflicts: usize,
    },
    /// A 200 Create returned an association the model did not expect: neither a new one where
    /// a new one was predicted, nor the one a replay must return.
    UnexpectedAssociation {
        /// The id returned.
        got: String,
        /// What the model accepted, in words (`a new association`, `` `snsa-…` again``).
        expected: Vec<String>,
    },
    /// The calls of a stateful run that lead to a failure, numbered, the failing one last.
    FailingSequence {
        /// Whether the sequence was shrunk to a minimal one (and confirmed on the endpoint).
        minimal: bool,
        /// The calls, in order.
        steps: Vec<ScriptStep>,
    },
    /// A client's request breaks its rule on one attempt of a retried call.
    OnAttempt {
        /// The attempt, from 1.
        attempt: usize,
        /// What is wrong with it.
        violation: Box<Violation>,
    },
    /// A client sent no `clientToken` although the caller supplied none.
    TokenNotFilled,
    /// A client's `clientToken` has a length outside 1..=64 scalar values.
    TokenLength {
        /// The token.
        token: String,
        /// Its length in scalar values.
        length: usize,
    },
    /// A client sent the same auto-filled token for two calls.
    TokenReused {
        /// The token.
        token: String,
        /// The call that sent it again.
        call: usize,
        /// The call that sent it first.
        first: usize,
    },
    /// A client sent a query string although no member is bound to the query.
    QueryNotBound {
        /// The query string.
        query: String,
    },
    /// A client's request carries no SigV4 `Authorization` header.
    NotSigned,
    /// A client's credential scope is not `DATE/REGION/SERVICE/aws4_request`.
    MalformedScope {
        /// The scope.
        scope: String,
    },
    /// A client's signature leaves out a header it must sign.
    UnsignedHeader {
        /// The header.
        header: String,
        /// The headers it signed.
        signed: Vec<String>,
    },
    /// A client sent a member the model does not have.
    UnmodelledMember {
        /// The member.
        member: String,
        /// The modelled members.
        modelled: Vec<String>,
    },
    /// What a client surfaced to its caller is not what the rule requires.
    Surfaced {
        /// What the caller should have got.
        expected: String,
        /// What the client report says it got.
        got: String,
    },
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Violation::WrongOutcome { .. }
            | Violation::MissingMember { .. }
            | Violation::WrongType { .. }
            | Violation::PatternMismatch { .. }
            | Violation::NotInEnum { .. }
            | Violation::WrongContentType { .. }
            | Violation::Differs { .. }
            | Violation::SnapshotDiffers { .. }
            | Violation::MissingHeader { .. }
            | Violation::UnmodelledError { .. }
            | Violation::NotJsonObject { .. }
            | Violation::BadHeader { .. } => self.fmt_response(f),
            Violation::ListMismatch { .. }
            | Violation::ListCount { .. }
            | Violation::NotVisible { .. }
            | Violation::Exposed { .. }
            | Violation::SideEffect { .. }
            | Violation::TokenCrossedAccounts { .. }
            | Violation::StatusStuck { .. }
            | Violation::NotLinearizable { .. }
            | Violation::UnexpectedAssociation { .. }
            | Violation::FailingSequence { .. } => self.fmt_state(f),
            Violation::OnAttempt { .. }
            | Violation::TokenNotFilled
            | Violation::TokenLength { .. }
            | Violation::TokenReused { .. }
            | Violation::QueryNotBound { .. }
            | Violation::NotSigned
            | Violation::MalformedScope { .. }
            | Violation::UnsignedHeader { .. }
            | Violation::UnmodelledMember { .. }
            | Violation::Surfaced { .. } => self.fmt_client(f),
        }
    }
}

impl Violation {
    /// What a response got wrong.
    fn fmt_response(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Violation::WrongOutcome { expected, found } => {
                write!(f, "expected {}, got {found}", expected.join(" or "))
            }
            Violation::MissingMember { shape, member } => {
                write!(f, "{shape}: required member `{member}` is missing")
            }
            Violation::WrongType { member, expected } => {
                write!(f, "`{member}` is not a JSON {expected}")
            }
            Violation::PatternMismatch {
                member,
                value,
                pattern,
            } => {
                write!(f, "`{member}` = {value:?} does not match `{pattern}`")
            }
            Violation::NotInEnum {
                member,
                value,
                allowed,
            } => {
                write!(
                    f,
                    "`{member}` = {value:?} is not one of {}",
                    allowed.join(", ")
                )
            }
            Violation::WrongContentType { found } => {
                write!(
                    f,
                    "content type {} is not application/json",
                    found.as_deref().unwrap_or("(none)")
                )
            }
            Violation::Differs {
                what,
                expected,
                found,
            } => write!(f, "{what}: expected {expected:?}, got {found:?}"),
            Violation::SnapshotDiffers {
                snapshot,
                findings,
                diff,
            } => {
                write!(
                    f,
                    "snapshot `snapshots/{snapshot}.snap` differs where the contract fixes it:"
                )?;
                for line in findings {
                    write!(f, "\n      {line}")?;
                }
                write!(
                    f,
                    "\n    the whole difference (- committed, + this endpoint):"
                )?;
                for line in diff.lines() {
                    write!(f, "\n      {line}")?;
                }
                Ok(())
            }
            Violation::MissingHeader { header, status } => {
                write!(f, "{status} error without an `{header}` header")
            }
            Violation::UnmodelledError {
                error,
                operation,
                known,
            } => {
                if *known {
                    write!(f, "{error} is not in the error list of {operation}")
                } else {
                    write!(
                        f,
                        "`X-Amzn-Errortype: {error}` is not a modelled error of {operation}"
                    )
                }
            }
            Violation::NotJsonObject { what, preview } => {
                write!(f, "{what} body is not a JSON object: {preview}")
            }
            Violation::BadHeader {
                header,
                value,
                expected,
            } => write!(f, "`{header}: {value}` is not {expected}"),
            _ => Ok(()),
        }
    }

    /// What the state shown across calls got wrong.
    fn fmt_state(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Violation::ListMismatch {
                what,
                missing,
                extra,
            } => {
                let ids = |ids: &[String]| {
                    ids.iter()
                        .map(|id| format!("`{id}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                match (missing.is_empty(), extra.is_empty()) {
                    (false, false) => write!(
                        f,
                        "{what} is missing {} and shows unexpected {}",
                        ids(missing),
                        ids(extra)
                    ),
                    (false, true) => write!(f, "{what} is missing {}", ids(missing)),
                    _ => write!(f, "{what} shows unexpected {}", ids(extra)),
                }
            }
            Violation::ListCount {
                what,
                item: Some(item),
                expected,
                found,
            } => write!(
                f,
                "{what}: List shows `{item}` {found} time(s), expected {expected}"
            ),
            Violation::ListCount {
                what,
                item: None,
                expected,
                found,
            } => write!(f, "{what}: List shows {found} item(s), expected {expected}"),
            Violation::NotVisible { who, how, found } => {
                write!(f, "{who} cannot see the association through {how}: {found}")
            }
            Violation::Exposed { who, how, id } => {
                write!(f, "{who}'s {how} shows `{id}`, which it must not see")
            }
            Violation::SideEffect { request, change } => write!(f, "{request}: {change}"),
            Violation::TokenCrossedAccounts { id } => write!(
                f,
                "the peer's create with the owner's token returned the owner's association `{id}`"
            ),
            Violation::StatusStuck {
                status,
                expected,
                waited_secs,
            } => write!(
                f,
                "still `{status}` after {waited_secs} s of polling (expected {expected})"
            ),
            Violation::NotLinearizable {
                n,
                shared_token: true,
                succeeded,
                distinct_ids,
                ..
            } => write!(
                f,
                "{n} concurrent creates with one token: {succeeded} succeeded with {distinct_ids} distinct id(s); expected {n} with one"
            ),
            Violation::NotLinearizable {
                n,
                shared_token: false,
                succeeded,
                conflicts,
                ..
            } => write!(
                f,
                "{n} concurrent creates with distinct tokens: {succeeded} succeeded, {conflicts} conflicted; expected 1 and {}",
                n.saturating_sub(1)
            ),
            Violation::UnexpectedAssociation { got, expected } => write!(
                f,
                "Create answered 200 with `{got}`; the model expected {}",
                expected.join(" or ")
            ),
            Violation::FailingSequence { minimal, steps } => {
                let what = if *minimal {
                    "minimal sequence"
                } else {
                    "failing sequence, not shrunk"
                };
                let s = if steps.len() == 1 { "" } else { "s" };
                write!(f, "{what} ({} call{s}):", steps.len())?;
                for (i, step) in steps.iter().enumerate() {
                    write!(f, "\n      {}. {step}", i + 1)?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// What a client (an SDK) sent or surfaced wrong.
    fn fmt_client(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Violation::OnAttempt { attempt, violation } => {
                write!(f, "attempt {attempt}: {violation}")
            }
            Violation::TokenNotFilled => f.write_str(
                "no clientToken: the caller supplied none and the client filled none in",
            ),
            Violation::TokenLength { token, length } => write!(
                f,
                "`clientToken` = {token:?} has {length} scalar values, not 1 to 64"
            ),
            Violation::TokenReused { token, call, first } => write!(
                f,
                "the auto-filled token {token:?} of call {call} was already sent by call {first}"
            ),
            Violation::QueryNotBound { query } => write!(
                f,
                "query string `{query}` sent: no member is bound to the query"
            ),
            Violation::NotSigned => {
                f.write_str("no SigV4 Authorization header (unsigned, or not SigV4)")
            }
            Violation::MalformedScope { scope } => write!(
                f,
                "credential scope `{scope}` is not DATE/REGION/SERVICE/aws4_request"
            ),
            Violation::UnsignedHeader { header, signed } => {
                write!(f, "SignedHeaders `{}` lacks `{header}`", signed.join(";"))
            }
            Violation::UnmodelledMember { member, modelled } => write!(
                f,
                "member `{member}` is not modelled (the model has {})",
                modelled.join(", ")
            ),
            Violation::Surfaced { expected, got } => {
                write!(f, "the client surfaced {got}; expected {expected}")
            }
            _ => Ok(()),
        }
    }
}

/// The result of one case (or, aggregated, of one rule).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", content = "detail", rename_all = "lowercase")]
pub enum Verdict {
    /// The endpoint honoured the rule.
    Pass,
    /// The endpoint broke the rule.
    Fail(Vec<Violation>),
    /// The rule could not be checked on this target (missing capability), with the reason.
    Skipped(String),
    /// The endpoint could not be judged (throttled, unreachable, budget spent), with the reason.
    Inconclusive(String),
}

impl Verdict {
    /// A verdict from a list of violations: pass when empty.
    pub fn from_violations(v: Vec<Violation>) -> Self {
        if v.is_empty() {
            Verdict::Pass
        } else {
            Verdict::Fail(v)
        }
    }

    /// The verdict's name: `pass`, `fail`, `skipped`, `inconclusive`.
    pub fn name(&self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail(_) => "fail",
            Verdict::Skipped(_) => "skipped",
            Verdict::Inconclusive(_) => "inconclusive",
        }
    }

    /// Whether this is a failure.
    pub fn is_fail(&self) -> bool {
        matches!(self, Verdict::Fail(_))
    }
}

/// Combines case verdicts into the rule's verdict: any failure fails the rule; otherwise one
/// pass passes it; otherwise inconclusive beats skipped; no cases at all is inconclusive.
pub fn aggregate<'a>(cases: impl IntoIterator<Item = &'a Verdict>) -> Verdict {
    let mut passes = 0;
    let mut inconclusive = None;
    let mut skipped = None;
    let mut failures = Vec::new();
    for v in cases {
        match v {
            Verdict::Pass => passes += 1,
            Verdict::Fail(vs) => failures.extend(vs.iter().cloned()),
            Verdict::Inconclusive(r) => inconclusive = inconclusive.or(Some(r.clone())),
            Verdict::Skipped(r) => skipped = skipped.or(Some(r.clone())),
        }
    }
    if !failures.is_empty() {
        Verdict::Fail(failures)
    } else if passes > 0 {
        Verdict::Pass
    } else if let Some(r) = inconclusive {
        Verdict::Inconclusive(r)
    } else if let Some(r) = skipped {
        Verdict::Skipped(r)
    } else {
        Verdict::Inconclusive("no case ran".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_failure_fails_the_rule_and_throttling_alone_is_inconclusive() {
        let fail = Verdict::Fail(vec![Violation::TokenNotFilled]);
        assert!(aggregate([&Verdict::Pass, &fail]).is_fail());
        assert_eq!(
            aggregate([&Verdict::Pass, &Verdict::Inconclusive("429".into())]),
            Verdict::Pass
        );
        assert_eq!(
            aggregate([&Verdict::Inconclusive("429".into())]).name(),
            "inconclusive"
        );
        assert_eq!(
            aggregate([&Verdict::Skipped("no RAM".into())]).name(),
            "skipped"
        );
        assert_eq!(aggregate([]).name(), "inconclusive");
    }
}
