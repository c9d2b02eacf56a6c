//! The checks: each one sets up what it needs, sends requests through the driver, and judges the
//! exchanges with the pure functions of `lattice-checks` against the catalogue's outcomes.
//! Wire-format rules are judged afterwards on every exchange of the run (see `observe`).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};

use lattice_checks::{judge_outcome, Exchange, Verdict, Violation};
use lattice_spec::{Catalogue, Check, Operation, Outcome, Property, RuleId};

use crate::driver::{ApiCall, Driver};
use crate::fixtures::{Fixtures, Resource, SetupError};
use crate::profile::Profile;

pub mod concurrency;
pub mod conflict;
pub mod existence;
pub mod idempotency;
pub mod lifecycle;
pub mod ownership;
pub mod signature;
pub mod snapshot;
pub mod stateful;
pub mod tags;
pub mod validation;

/// Options of a run that checks read.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Generated cases per property.
    pub cases: u32,
    /// The seed of every generator.
    pub seed: u64,
    /// Requests a failing case may spend shrinking on the endpoint after model shrinking.
    pub shrink_budget: u32,
    /// How long an association may take to become ACTIVE or gone.
    pub status_timeout: Duration,
    /// Independent checks run at once.
    pub concurrency: usize,
    /// Concurrency levels of the linearizability property.
    pub race_levels: Vec<usize>,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            cases: 16,
            seed: 0,
            shrink_budget: 32,
            status_timeout: Duration::from_secs(30),
            concurrency: 4,
            race_levels: vec![2, 8, 32],
        }
    }
}

/// What a check hands the run loop: everything it needs.
#[derive(Debug)]
pub struct Ctx {
    /// The driver.
    pub driver: Arc<Driver>,
    /// The run's fixtures.
    pub fx: Arc<Fixtures>,
    /// The target profile.
    pub profile: Arc<Profile>,
    /// Run options.
    pub options: RunOptions,
    /// The selected rules (checks may skip work for rules that are not selected).
    pub selected: Vec<RuleId>,
}

/// The result of one case of one rule.
#[derive(Debug, Clone)]
pub struct CaseResult {
    /// The rule id.
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
    /// A case judged by violations.
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
        Self {
            rule,
            verdict: Verdict::Skipped(reason.into()),
            evidence: vec![],
            expected: String::new(),
            chosen: None,
            note: None,
            decisive: None,
        }
    }

    /// An inconclusive case, with the reason and evidence.
    pub fn inconclusive(rule: RuleId, reason: impl Into<String>, evidence: Vec<Exchange>) -> Self {
        Self {
            rule,
            verdict: Verdict::Inconclusive(reason.into()),
            evidence,
            expected: String::new(),
            chosen: None,
            note: None,
            decisive: None,
        }
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

/// Inconclusive results for `rules` when setup failed (not a failure of the rules).
pub fn setup_failed(rules: &[RuleId], err: &SetupError) -> Vec<CaseResult> {
    rules
        .iter()
        .map(|r| CaseResult::inconclusive(*r, err.to_string(), vec![(*err.exchange).clone()]))
        .collect()
}

/// What the catalogue expects of a rule, read once per process: every case is judged against it.
#[derive(Debug)]
struct Expectation {
    /// The acceptable outcomes, parsed.
    outcomes: Vec<Outcome>,
    /// The same, as text (`"400 ValidationException or 404 …"`).
    text: String,
    /// The rule's statement (what an observed wire-format case expects).
    statement: String,
}

fn expectation(rule: RuleId) -> Option<&'static Expectation> {
    static ALL: std::sync::OnceLock<std::collections::HashMap<RuleId, Expectation>> =
        std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        Catalogue::embedded()
            .rules()
            .iter()
            .map(|r| {
                let outcomes = r.outcomes();
                let text = outcomes
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(" or ");
                let statement = r.statement.clone();
                let e = Expectation {
                    outcomes,
                    text,
                    statement,
                };
                (
                    RuleId::from_id(&r.id).expect("generated from the catalogue"),
                    e,
                )
            })
            .collect()
    })
    .get(&rule)
}

/// Whether an exchange is unjudgeable (transport failure, throttling, budget).
pub fn unjudgeable(e: &Exchange) -> Option<String> {
    match &e.response {
        Err(t) => Some(t.to_string()),
        Ok(r) if e.is_throttled() => Some(format!("throttled ({})", r.status)),
        Ok(_) => None,
    }
}

impl Ctx {
    /// Whether a rule is selected for this run (or VAL-BEFORE-EXIST, which rides on the others).
    pub fn selected(&self, rule: RuleId) -> bool {
        self.selected.contains(&rule)
            || (rule != RuleId::ValBeforeExist
                && self.selected.contains(&RuleId::ValBeforeExist)
                && rule.family() == lattice_spec::Family::Val)
    }

    /// The catalogue's acceptable outcomes for a rule.
    pub fn outcomes(&self, rule: RuleId) -> &'static [Outcome] {
        expectation(rule).map_or(&[], |e| &e.outcomes)
    }

    /// The catalogue's acceptable outcomes, as text.
    pub fn expected(&self, rule: RuleId) -> String {
        expectation(rule).map_or_else(String::new, |e| e.text.clone())
    }

    /// Judges a decisive exchange against the rule's catalogue outcomes; records the choice for
    /// ambiguous rules.
    pub fn judge(
        &self,
        rule: RuleId,
        decisive: &Exchange,
        mut evidence: Vec<Exchange>,
    ) -> CaseResult {
        let outcomes = self.outcomes(rule);
        let verdict = judge_outcome(outcomes, decisive);
        let chosen = (outcomes.len() > 1)
            .then(|| lattice_checks::chosen_outcome(outcomes, decisive))
            .flatten();
        evidence.push(decisive.clone());
        CaseResult {
            rule,
            verdict,
            evidence,
            expected: self.expected(rule),
            chosen,
            note: None,
            decisive: None,
        }
    }

    /// Judges a decisive exchange against explicit outcomes (for steps whose outcome is not the
    /// rule's headline, such as a visibility Get).
    pub fn judge_with(
        &self,
        rule: RuleId,
        outcomes: &[Outcome],
        decisive: &Exchange,
        mut evidence: Vec<Exchange>,
    ) -> CaseResult {
        let verdict = judge_outcome(outcomes, decisive);
        evidence.push(decisive.clone());
        let expected = outcomes
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" or ");
        CaseResult {
            rule,
            verdict,
            evidence,
            expected,
            chosen: None,
            note: None,
            decisive: None,
        }
    }

    /// Sends a Create with a JSON body as `principal` and tracks a created association.
    pub async fn create(&self, principal: usize, body: &Value) -> Exchange {
        let e = self
            .driver
            .send(&ApiCall::json(
                Operation::CreateServiceNetworkServiceAssociation,
                principal,
                body,
            ))
            .await;
        self.fx.track_association(principal, &e);
        e
    }

    /// Sends a Create prepared with [`Driver::prepare`] as `principal`.
    pub async fn create_prepared(
        &self,
        principal: usize,
        call: crate::driver::Prepared,
    ) -> Exchange {
        let e = self.driver.send_prepared(call).await;
        self.fx.track_association(principal, &e);
        e
    }

    /// Get an association.
    pub async fn get(&self, principal: usize, id: &str) -> Exchange {
        self.driver
            .send(&ApiCall::labelled(
                Operation::GetServiceNetworkServiceAssociation,
                principal,
                id,
            ))
            .await
    }

    /// Delete an association.
    pub async fn delete(&self, principal: usize, id: &str) -> Exchange {
        self.driver
            .send(&ApiCall::labelled(
                Operation::DeleteServiceNetworkServiceAssociation,
                principal,
                id,
            ))
            .await
    }

    /// List associations of a service network.
    pub async fn list_by_network(&self, principal: usize, network: &str) -> Exchange {
        self.list_by(principal, "serviceNetworkIdentifier", network)
            .await
    }

    /// List associations filtered by `serviceNetworkIdentifier` or `serviceIdentifier`.
    pub async fn list_by(&self, principal: usize, key: &str, value: &str) -> Exchange {
        let mut call = ApiCall::labelled(
            Operation::ListServiceNetworkServiceAssociations,
            principal,
            "",
        );
        call.query = vec![(key.into(), value.into())];
        self.driver.send(&call).await
    }

    /// Waits until Get answers 404 for an association (deleted and gone).
    pub async fn wait_gone(&self, principal: usize, id: &str) -> (Exchange, bool) {
        self.fx
            .poll_association(principal, id, self.options.status_timeout, |e| {
                e.ok().is_some_and(|r| r.status == 404)
            })
            .await
    }

    /// Deletes an association to free its pair: waits until it is no longer CREATE_IN_PROGRESS
    /// (a delete then is refused), deletes it, and waits until it is gone. Returns whether the
    /// pair is free again (never on a target without delete operations, where nothing is sent).
    pub async fn remove(&self, principal: usize, id: &str) -> bool {
        if !self.profile.capabilities.delete {
            return false;
        }
        let settled = |e: &Exchange| {
            lattice_checks::state::member_of(e, "status").as_deref() != Some("CREATE_IN_PROGRESS")
        };
        let _ = self
            .fx
            .poll_association(principal, id, self.options.status_timeout, settled)
            .await;
        let delete = self.delete(principal, id).await;
        // A refused delete leaves the association in place: do not poll for its disappearance.
        succeeded(&delete) && self.wait_gone(principal, id).await.1
    }

    /// The principal index of a role, when the target has it.
    pub fn principal(&self, role: &str) -> Option<usize> {
        self.driver.principals().iter().position(|p| p.role == role)
    }
}

/// A body for a Create of `svc` and `sn`, with an optional token and tags.
pub fn create_body(svc: &str, sn: &str, token: Option<&str>, tags: Option<&Value>) -> Value {
    let mut b = json!({ "serviceIdentifier": svc, "serviceNetworkIdentifier": sn });
    if let Some(t) = token {
        b["clientToken"] = json!(t);
    }
    if let Some(t) = tags {
        b["tags"] = t.clone();
    }
    b
}

/// The id member of a response.
pub fn id_of(e: &Exchange) -> Option<String> {
    lattice_checks::state::member_of(e, "id")
}

/// Whether the exchange is a 2xx.
pub fn succeeded(e: &Exchange) -> bool {
    e.ok().is_some_and(|r| r.is_success())
}

/// A pair's resources, as identifiers.
pub fn ids(pair: &(Resource, Resource)) -> (&str, &str) {
    (pair.0.id.as_str(), pair.1.id.as_str())
}

/// A boxed check future.
pub type CheckFuture = Pin<Box<dyn Future<Output = Vec<CaseResult>> + Send>>;

/// Runs one check or property.
pub type Runner = fn(Arc<Ctx>) -> CheckFuture;

/// A check or property of a run: its name and what runs it.
#[derive(Clone, Copy)]
pub struct Task {
    /// The name (the catalogue's `check` or `properties` value).
    pub name: &'static str,
    /// Runs it.
    pub run: Runner,
}

impl std::fmt::Debug for Task {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Task")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// What runs the rules of a catalogue check. Every check is named, so a check added to the
/// catalogue does not compile until it runs somewhere; `None` for rules judged otherwise: on
/// every exchange of the run (`observed`) or from a client's recording (`client`).
pub fn check_runner(check: Check) -> Option<Runner> {
    Some(match check {
        Check::Validation => |c| Box::pin(validation::run(c)),
        Check::Existence => |c| Box::pin(existence::run(c)),
        Check::Tags => |c| Box::pin(tags::run(c)),
        Check::Idempotency => |c| Box::pin(idempotency::run(c)),
        Check::Conflict => |c| Box::pin(conflict::run(c)),
        Check::Ownership => |c| Box::pin(ownership::run(c)),
        Check::Lifecycle => |c| Box::pin(lifecycle::run(c)),
        Check::Quota => |c| Box::pin(lifecycle::quota(c)),
        Check::Signature => |c| Box::pin(signature::run(c)),
        Check::Snapshot => |c| Box::pin(snapshot::run(c)),
        Check::Observed | Check::Client => return None,
    })
}

/// What runs a property (cases it adds to the rules the catalogue lists for it).
pub fn property_runner(property: Property) -> Runner {
    match property {
        Property::Concurrency => |c| Box::pin(concurrency::run(c)),
        Property::Stateful => |c| Box::pin(stateful::run(c)),
    }
}

/// The order checks start in (the longest first, so that four at once finish together); a test
/// proves it names every check that has a runner.
const START_ORDER: &[Check] = &[
    Check::Validation,
    Check::Existence,
    Check::Tags,
    Check::Idempotency,
    Check::Conflict,
    Check::Ownership,
    Check::Lifecycle,
    Check::Quota,
    Check::Signature,
    Check::Snapshot,
];

/// The checks and properties that decide at least one selected rule, in start order (checks,
/// then properties).
pub fn tasks(selected: &[RuleId]) -> Vec<Task> {
    let checks = START_ORDER.iter().filter_map(|c| {
        let run = check_runner(*c)?;
        c.rules()
            .iter()
            .any(|r| selected.contains(r))
            .then_some(Task {
                name: c.name(),
                run,
            })
    });
    let properties = Property::ALL.iter().filter_map(|p| {
        p.rules()
            .iter()
            .any(|r| selected.contains(r))
            .then_some(Task {
                name: p.name(),
                run: property_runner(*p),
            })
    });
    checks.chain(properties).collect()
}

/// Turns the observations of every exchange into case results.
pub fn observe(log: &[(Operation, Exchange)]) -> Vec<CaseResult> {
    let mut out = Vec::new();
    for (op, e) in log {
        for o in lattice_checks::observe(*op, e) {
            let expected = expectation(o.rule).map_or_else(String::new, |e| e.statement.clone());
            // The observers only look at responses they can judge (a 429 included: its
            // Retry-After is a rule of its own), so the verdict is the violations' alone.
            let mut case = CaseResult::new(o.rule, vec![], vec![e.clone()], expected);
            case.verdict = Verdict::from_violations(o.violations);
            out.push(case);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_check_with_a_runner_has_a_start_position() {
        for check in Check::ALL {
            assert_eq!(
                check_runner(*check).is_some(),
                START_ORDER.contains(check),
                "{check}"
            );
        }
    }
}
