//! A judged case: the rule, the verdict, the exchanges that show it, and what was expected; and
//! the judgement of a decisive exchange against the catalogue's outcomes for a rule.

use std::collections::HashMap;
use std::sync::OnceLock;

use lattice_spec::{Catalogue, ExpectedOutcome, RuleId};

use crate::exchange::Exchange;
use crate::outcome::{chosen_outcome, judge_outcome};
use crate::verdict::{Verdict, Violation};

/// The result of one case of one rule.
#[derive(Debug, Clone)]
pub struct CaseResult {
    /// The rule.
    pub rule: RuleId,
    /// The verdict.
    pub verdict: Verdict,
    /// The exchanges that show it, in order (the minimal sequence for a failure).
    pub evidence: Vec<Exchange>,
    /// What was expected, in words.
    pub expected: String,
    /// For ambiguous rules: which acceptable outcome the endpoint chose.
    pub chosen: Option<String>,
    /// A note (what the case sent, how it was shrunk).
    pub note: Option<String>,
    /// Which exchange of `evidence` is the decisive one (default: the last).
    pub decisive: Option<usize>,
}

impl CaseResult {
    /// A case judged by violations: inconclusive when it found none but some exchange could not
    /// be judged (transport failure, throttling).
    pub fn new(
        rule: RuleId,
        violations: Vec<Violation>,
        evidence: Vec<Exchange>,
        expected: impl Into<String>,
    ) -> Self {
        let verdict = match evidence.iter().find_map(unjudgeable) {
            Some(reason) if violations.is_empty() => Verdict::Inconclusive(reason),
            _ => Verdict::from_violations(violations),
        };
        Self::with_verdict(rule, verdict, evidence, expected)
    }

    /// A case with this verdict.
    pub fn with_verdict(
        rule: RuleId,
        verdict: Verdict,
        evidence: Vec<Exchange>,
        expected: impl Into<String>,
    ) -> Self {
        Self {
            rule,
            verdict,
            evidence,
            expected: expected.into(),
            chosen: None,
            note: None,
            decisive: None,
        }
    }

    /// A skipped case, with the reason.
    pub fn skipped(rule: RuleId, reason: impl Into<String>) -> Self {
        Self::with_verdict(rule, Verdict::Skipped(reason.into()), vec![], "")
    }

    /// An inconclusive case, with the reason and evidence.
    pub fn inconclusive(rule: RuleId, reason: impl Into<String>, evidence: Vec<Exchange>) -> Self {
        Self::with_verdict(rule, Verdict::Inconclusive(reason.into()), evidence, "")
    }

    /// Adds a note.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    /// The decisive exchange: the one marked, else the last.
    pub fn decisive_exchange(&self) -> Option<&Exchange> {
        self.decisive
            .and_then(|i| self.evidence.get(i))
            .or_else(|| self.evidence.last())
    }
}

/// What the catalogue expects of a rule, read once per process: every case is judged against it.
#[derive(Debug)]
struct Expectation {
    /// The acceptable outcomes, parsed.
    outcomes: Vec<ExpectedOutcome>,
    /// The same, as text (`"400 ValidationException or 404 …"`).
    text: String,
    /// The rule's statement (what an observed wire-format case expects).
    statement: String,
}

fn expectation(rule: RuleId) -> &'static Expectation {
    static ALL: OnceLock<HashMap<RuleId, Expectation>> = OnceLock::new();
    let all = ALL.get_or_init(|| {
        RuleId::ALL
            .iter()
            .map(|id| {
                let r = Catalogue::embedded().rule(*id);
                let outcomes = r.outcomes();
                let e = Expectation {
                    text: outcomes_text(&outcomes),
                    outcomes,
                    statement: r.statement.clone(),
                };
                (*id, e)
            })
            .collect()
    });
    &all[&rule]
}

/// Outcomes as the catalogue writes them, joined with "or".
pub fn outcomes_text(outcomes: &[ExpectedOutcome]) -> String {
    outcomes
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" or ")
}

/// The catalogue's acceptable outcomes for a rule.
pub fn outcomes(rule: RuleId) -> &'static [ExpectedOutcome] {
    &expectation(rule).outcomes
}

/// The catalogue's acceptable outcomes for a rule, as text.
pub fn expected(rule: RuleId) -> String {
    expectation(rule).text.clone()
}

/// The rule's statement (what a case observed on every exchange expects).
pub fn statement(rule: RuleId) -> &'static str {
    &expectation(rule).statement
}

/// Whether an exchange cannot be judged (transport failure, throttling, budget), and why.
pub fn unjudgeable(e: &Exchange) -> Option<String> {
    match &e.response {
        Err(t) => Some(t.to_string()),
        Ok(r) if e.is_throttled() => Some(format!("throttled ({})", r.status)),
        Ok(_) => None,
    }
}

/// Judges a decisive exchange against the rule's catalogue outcomes, recording which outcome an
/// endpoint chose where the rule accepts several; `evidence` precedes the decisive exchange.
pub fn judge(rule: RuleId, decisive: &Exchange, mut evidence: Vec<Exchange>) -> CaseResult {
    let acceptable = outcomes(rule);
    let verdict = judge_outcome(acceptable, decisive);
    let chosen = (acceptable.len() > 1)
        .then(|| chosen_outcome(acceptable, decisive))
        .flatten();
    evidence.push(decisive.clone());
    let mut case = CaseResult::with_verdict(rule, verdict, evidence, expected(rule));
    case.chosen = chosen;
    case
}

/// Judges a decisive exchange against explicit outcomes (a step whose outcome is not the rule's
/// headline, such as the Create that must succeed before a replay).
pub fn judge_with(
    rule: RuleId,
    acceptable: &[ExpectedOutcome],
    decisive: &Exchange,
    mut evidence: Vec<Exchange>,
) -> CaseResult {
    let verdict = judge_outcome(acceptable, decisive);
    evidence.push(decisive.clone());
    CaseResult::with_verdict(rule, verdict, evidence, outcomes_text(acceptable))
}

/// Inconclusive results for `rules` when the setup they need failed (never a failure of the
/// rules: the endpoint was not asked what they are about).
pub fn setup_failed(rules: &[RuleId], reason: &str, evidence: &Exchange) -> Vec<CaseResult> {
    rules
        .iter()
        .map(|r| CaseResult::inconclusive(*r, reason, vec![evidence.clone()]))
        .collect()
}
