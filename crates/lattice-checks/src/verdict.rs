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
    /// A canonical scenario's redacted responses differ from its committed snapshot.
    SnapshotDiffers {
        /// The snapshot's name (`snapshots/{name}.snap`).
        snapshot: String,
        /// A line diff: `-` the committed snapshot, `+` this endpoint.
        diff: String,
    },
    /// A List does not show what the model says it must, or shows what it may not.
    ListMismatch {
        /// Associations the List must show and does not.
        missing: Vec<String>,
        /// Associations the List shows and may not.
        extra: Vec<String>,
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
    /// Any other contradiction, stated in one sentence.
    Contradiction {
        /// The statement.
        message: String,
    },
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
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
            Violation::SnapshotDiffers { snapshot, diff } => {
                write!(
                    f,
                    "snapshot `snapshots/{snapshot}.snap` differs (- committed, + this endpoint):"
                )?;
                for line in diff.lines() {
                    write!(f, "\n      {line}")?;
                }
                Ok(())
            }
            Violation::ListMismatch { missing, extra } => {
                let ids = |ids: &[String]| {
                    ids.iter()
                        .map(|id| format!("`{id}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                match (missing.is_empty(), extra.is_empty()) {
                    (false, false) => write!(
                        f,
                        "List is missing {} and shows unexpected {}",
                        ids(missing),
                        ids(extra)
                    ),
                    (false, true) => write!(f, "List is missing {}", ids(missing)),
                    _ => write!(f, "List shows unexpected {}", ids(extra)),
                }
            }
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
            Violation::Contradiction { message } => f.write_str(message),
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
        let fail = Verdict::Fail(vec![Violation::Contradiction {
            message: "x".into(),
        }]);
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
