//! The stateful property: sequences of create, replay, get, list, delete, tag, share and unshare
//! across the three principals, proposed by the reference state machine `lattice_gen::CallModel`
//! and run on the endpoint with the reference model (`lattice_spec::model::World`) predicting
//! every call.
//!
//! How one sequence runs:
//! 1. Its tree is drawn from `CallModel::sequential_strategy` with a runner seeded from the run
//!    seed and `stateful#{i}`, so a run is reproducible.
//! 2. `machine`: a `proptest_state_machine::StateMachineTest` runs it on a fresh universe (real
//!    resources made by the fixtures). Its `apply` sends one call and judges it with the pure
//!    judgements of `lattice_checks::sequence` against the model's prediction; a mismatch ends
//!    the test case after the step is recorded. The async driver is bridged on a blocking
//!    thread (see that module).
//! 3. `shrink`: on a failure, the same tree is shrunk against the model alone, without a
//!    request: a smaller sequence is kept while the model still reaches the same decisive
//!    situation (the same failing call, the model's state around it unchanged, the endpoint's
//!    answer still excluded by a prediction of the same rule).
//! 4. Only the minimal sequence is re-sent, once, on a fresh universe: the endpoint sees at most
//!    one re-run per failing sequence, none when the run's shrink budget
//!    (`RunOptions::shrink_budget`) is 0. If it fails there, it is reported; otherwise the
//!    sequence as first run is (as the validation property does).
//!
//! `plan` turns an abstract call into a concrete one and holds what the model knows of the
//! sequence; the endpoint's run and the model's replays share it. Association references count
//! `Create` calls only, as `CallModel` does (replays are not creates).
//!
//! Without AWS RAM (moto) the sequences run without their shares and unshares, and without
//! deletes where the target has none ([`Playable`]): the calls that need no sharing still run,
//! across the owner, the peer and the outsider.
//!
//! What it reports: a pass case per call of a passing sequence, attributed to the rule the model
//! names for it; for the first failing sequence (then it stops), one failing case whose
//! violations end with the numbered script ([`Violation::FailingSequence`]); inconclusive cases
//! for a setup failure or a call that could not be judged (throttling).

mod machine;
mod plan;
mod shrink;

use std::sync::Arc;

use proptest::strategy::{Strategy, ValueTree};
use tokio::runtime::Handle;

use lattice_checks::sequence::ScriptStep;
use lattice_checks::{Verdict, Violation};
use lattice_gen::calls::PRINCIPALS;
use lattice_gen::{Call, CallModel};
use lattice_spec::RuleId;
use proptest_state_machine::ReferenceStateMachine;

use super::validation::runner;
use super::{CaseResult, Ctx};
use machine::{Ending, EndpointRun, Step};
use shrink::Shrunk;

/// Rules this check can decide (it attributes each call to the rule the model names).
pub const RULES: &[RuleId] = &[
    RuleId::IdempReplay,
    RuleId::IdempMismatch,
    RuleId::ConflictDuplicate,
    RuleId::OwnBothOwned,
    RuleId::OwnSharedNetwork,
    RuleId::OwnSharedService,
    RuleId::OwnNotShared,
    RuleId::OwnBothShared,
    RuleId::OwnBareId,
    RuleId::OwnOutsider,
    RuleId::OwnDeleteEither,
    RuleId::ExistAssociation,
];

/// Which calls of a drawn sequence the target can take: without AWS RAM no share or unshare is
/// sent, without delete operations no delete; the rest runs as drawn, the model predicting every
/// call (a create naming another account's resource then meets a resource never shared with the
/// caller, and must be refused).
#[derive(Debug, Clone, Copy)]
pub(super) struct Playable {
    ram: bool,
    delete: bool,
}

impl Playable {
    /// What the target's capabilities allow.
    fn of(ctx: &Ctx) -> Self {
        Self {
            ram: ctx.profile.capabilities.ram,
            delete: ctx.profile.capabilities.delete,
        }
    }

    /// Whether every call can be sent (nothing is dropped).
    fn complete(self) -> bool {
        self.ram && self.delete
    }

    /// The calls the target can take, in order (association references count creates only, so
    /// dropping shares, unshares and deletes renumbers nothing).
    pub(super) fn filter(self, calls: Vec<Call>) -> Vec<Call> {
        calls
            .into_iter()
            .filter(|c| match c {
                Call::Share { .. } | Call::Unshare { .. } => self.ram,
                Call::Delete { .. } => self.delete,
                _ => true,
            })
            .collect()
    }
}

/// The longest sequence drawn.
const MAX_CALLS: usize = 12;

/// A sequence run on the endpoint and, when it failed, shrunk against the model.
struct Explored {
    calls: Vec<Call>,
    run: EndpointRun,
    shrunk: Option<Shrunk>,
}

/// Runs generated sequences; shrinks the first failing one against the model and confirms it.
pub async fn run(ctx: Arc<Ctx>) -> Vec<CaseResult> {
    if ctx.driver.principals().len() < PRINCIPALS {
        return vec![CaseResult::skipped(
            RuleId::OwnSharedNetwork,
            "the stateful property needs three principals",
        )];
    }
    let mut out = Vec::new();
    for i in 0..ctx.options.cases.div_ceil(4).max(1) {
        let explored = match explore(&ctx, format!("stateful#{i}")).await {
            Ok(explored) => explored,
            Err(case) => {
                out.push(*case);
                continue;
            }
        };
        match &explored.run.ending {
            Ending::Passed => out.extend(passes(&explored.run.steps)),
            Ending::Failed => {
                out.push(report_failure(&ctx, explored).await);
                break;
            }
            Ending::Inconclusive {
                rule,
                reason,
                evidence,
            } => out.push(CaseResult::inconclusive(*rule, reason, evidence.clone())),
            Ending::Internal(message) => out.push(internal_error(message)),
        }
    }
    out
}

fn internal_error(message: &str) -> CaseResult {
    CaseResult::inconclusive(
        RuleId::OwnSharedNetwork,
        format!("internal error in the stateful property: {message}"),
        vec![],
    )
}

/// Draws sequence `label`, runs it on a fresh universe and, if it fails, shrinks it against the
/// model: all on one blocking thread, which holds the tree (strategy trees are not `Send`).
async fn explore(ctx: &Arc<Ctx>, label: String) -> Result<Explored, Box<CaseResult>> {
    let universe = machine::universe(ctx).await.map_err(|e| {
        let case =
            CaseResult::inconclusive(RuleId::OwnSharedNetwork, e.to_string(), vec![*e.exchange]);
        Box::new(case)
    })?;
    let (ctx, runtime) = (ctx.clone(), Handle::current());
    let blocking = tokio::task::spawn_blocking(move || {
        let mut tree = CallModel::sequential_strategy(1..=MAX_CALLS)
            .new_tree(&mut runner(ctx.options.seed, &label))
            .map_err(|e| Box::new(internal_error(&e.to_string())))?;
        let playable = Playable::of(&ctx);
        let (_, drawn, seen) = tree.current();
        let calls = playable.filter(drawn);
        // The tree's counter of applied transitions only means something for the whole sequence.
        let seen = seen.filter(|_| playable.complete());
        let quota = ctx.profile.capabilities.quota_probe;
        let run = machine::run(ctx, runtime, universe, calls.clone(), seen);
        let shrunk = matches!(run.ending, Ending::Failed)
            .then(|| shrink::against_model(&mut tree, &run, &calls, quota, playable));
        Ok(Explored { calls, run, shrunk })
    });
    blocking
        .await
        .unwrap_or_else(|e| Err(Box::new(internal_error(&e.to_string()))))
}

/// Runs a shrunk sequence once on a fresh universe (none when the universe cannot be made).
async fn confirm(ctx: &Arc<Ctx>, calls: Vec<Call>) -> Option<EndpointRun> {
    let universe = machine::universe(ctx).await.ok()?;
    let (ctx, runtime) = (ctx.clone(), Handle::current());
    tokio::task::spawn_blocking(move || machine::run(ctx, runtime, universe, calls, None))
        .await
        .ok()
}

/// `1 call`, `3 calls`.
fn calls_text(n: usize) -> String {
    if n == 1 {
        "1 call".into()
    } else {
        format!("{n} calls")
    }
}

/// The failing case of a failed sequence: the minimal one if the endpoint confirms it, else the
/// sequence as first run.
async fn report_failure(ctx: &Arc<Ctx>, explored: Explored) -> CaseResult {
    let Explored { calls, run, shrunk } = explored;
    let first = calls_text(run.steps.len());
    let applied = &calls[..run.applied.min(calls.len())];
    let Some(shrunk) = shrunk.filter(|s| s.reached) else {
        let note = format!("stateful sequence of {first}, not shrunk: the model does not reach the failure on its own");
        return failure_case(&run, false, note);
    };
    if shrunk.calls == applied {
        let note = format!("stateful sequence of {first}, minimal against the model");
        return failure_case(&run, true, note);
    }
    if ctx.options.shrink_budget == 0 {
        let note =
            format!("stateful sequence of {first}, not shrunk: the shrink budget allows no re-run");
        return failure_case(&run, false, note);
    }
    let minimal = calls_text(shrunk.calls.len());
    match confirm(ctx, shrunk.calls).await {
        Some(confirmed) if matches!(confirmed.ending, Ending::Failed) => {
            let note = format!(
                "stateful sequence shrunk from {first} to {} against the model ({} candidates), confirmed on the endpoint",
                calls_text(confirmed.steps.len()),
                shrunk.candidates
            );
            failure_case(&confirmed, true, note)
        }
        _ => {
            let note = format!("stateful sequence of {first}, not shrunk: the model's minimal sequence of {minimal} passed on the endpoint");
            failure_case(&run, false, note)
        }
    }
}

/// One failing case: the failing step's violations, then the numbered script; the evidence is
/// every exchange of the run.
fn failure_case(run: &EndpointRun, minimal: bool, note: String) -> CaseResult {
    let Some(last) = run.steps.last() else {
        return internal_error("a failed run without steps");
    };
    let mut violations = match &last.verdict {
        Verdict::Fail(v) => v.clone(),
        _ => vec![],
    };
    violations.push(Violation::FailingSequence {
        minimal,
        steps: script(&run.steps),
    });
    let evidence = run
        .steps
        .iter()
        .filter_map(|s| s.exchange.clone())
        .collect();
    CaseResult::with_verdict(
        last.rule,
        Verdict::Fail(violations),
        evidence,
        last.expected.clone(),
    )
    .with_note(note)
}

/// The numbered script of a run's steps, the last one marked with what the model expected.
fn script(steps: &[Step]) -> Vec<ScriptStep> {
    steps
        .iter()
        .enumerate()
        .map(|(i, s)| ScriptStep {
            call: s.text.clone(),
            answer: s
                .exchange
                .as_ref()
                .map_or_else(|| "ok".into(), lattice_checks::sequence::answer_text),
            expected: (i + 1 == steps.len()).then(|| s.expected.clone()),
        })
        .collect()
}

/// A pass case per call of a passing sequence, attributed to the rule the model named.
fn passes(steps: &[Step]) -> Vec<CaseResult> {
    steps
        .iter()
        .filter_map(|s| {
            let e = s.exchange.clone()?;
            let case = CaseResult::new(s.rule, vec![], vec![e], s.expected.clone());
            Some(case.with_note(format!("stateful: {}", s.text)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use lattice_gen::calls::{AssociationRef, ResourceSlot};
    use lattice_spec::Role;

    #[test]
    fn a_target_without_ram_or_deletes_runs_the_other_calls_in_order() {
        let get = Call::Get {
            principal: Role::Owner,
            association: AssociationRef::Created(0),
        };
        let share = Call::Share {
            owner: Role::Owner,
            resource: ResourceSlot::Network(0),
            with: Role::Peer,
        };
        let unshare = Call::Unshare {
            owner: Role::Owner,
            resource: ResourceSlot::Network(0),
            with: Role::Peer,
        };
        let delete = Call::Delete {
            principal: Role::Owner,
            association: AssociationRef::Created(0),
        };
        let drawn = vec![share, get.clone(), delete.clone(), unshare, get.clone()];
        let all = Playable {
            ram: true,
            delete: true,
        };
        assert_eq!(all.filter(drawn.clone()), drawn);
        let no_ram = Playable {
            ram: false,
            delete: true,
        };
        assert_eq!(
            no_ram.filter(drawn.clone()),
            vec![get.clone(), delete, get.clone()]
        );
        let neither = Playable {
            ram: false,
            delete: false,
        };
        assert_eq!(neither.filter(drawn), vec![get.clone(), get]);
    }
}
