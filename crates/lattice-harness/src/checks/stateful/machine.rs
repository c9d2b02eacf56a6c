//! The endpoint as a `proptest_state_machine::StateMachineTest` whose reference state machine is
//! `lattice_gen::CallModel`: `apply` sends one call, judges it with lattice-checks' pure
//! judgements against the model's prediction, and records the step.
//!
//! The bridge between the trait and the async driver: a sequence runs on a blocking thread
//! (`tokio::task::spawn_blocking`), where `apply` waits for each request with the runtime's
//! `Handle::block_on` (never on a runtime worker, where it would panic). The trait's functions
//! take no context, so the system under test is handed to `init_test` through a thread-local slot
//! of that thread, and given back there by `teardown` or when a step ends the run.
//!
//! A step that fails (or cannot be judged, or whose setup fails) ends the test case the way the
//! crate expects, by unwinding out of `apply`, after the step is recorded. It unwinds with
//! `std::panic::resume_unwind` and a [`Stop`] payload, which skips the panic hook (nothing is
//! printed) and lets the runner tell a verdict from a bug; proptest-state-machine has counted the
//! transitions applied, so that shrinking starts by dropping the ones never sent.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::atomic::AtomicUsize;
use std::sync::Arc;

use proptest::test_runner::Config;
use proptest_state_machine::StateMachineTest;
use serde_json::json;
use tokio::runtime::Handle;

use lattice_checks::{Exchange, Verdict};
use lattice_gen::calls::{CallState, ResourceSlot};
use lattice_gen::{Call, CallModel};
use lattice_spec::{Operation, Role, RuleId};
use lattice_transport::driver::ApiCall;
use lattice_transport::fixtures::SetupError;

use super::plan::{Action, Planned, Replica, Universe};
use crate::checks::{succeeded, Ctx};

/// One step of a run: a call that was sent (or a share), what the model expected and the verdict.
#[derive(Debug, Clone)]
pub(super) struct Step {
    /// The call, in words.
    pub(super) text: String,
    /// What the model expected, in words.
    pub(super) expected: String,
    /// The exchange (none for a share or unshare).
    pub(super) exchange: Option<Exchange>,
    /// The rule the model names for the call.
    pub(super) rule: RuleId,
    /// The judgement.
    pub(super) verdict: Verdict,
}

/// How a run ended.
#[derive(Debug, Clone)]
pub(super) enum Ending {
    /// Every call agreed with the model.
    Passed,
    /// The last step's verdict is a failure.
    Failed,
    /// A step could not be judged or set up (the last step, when it was recorded).
    Inconclusive {
        /// The rule of the call.
        rule: RuleId,
        /// Why.
        reason: String,
        /// What shows it.
        evidence: Vec<Exchange>,
    },
    /// A bug of ours (a panic in the property).
    Internal(String),
}

/// A run of one sequence on the endpoint.
#[derive(Debug)]
pub(super) struct EndpointRun {
    /// The universe it ran in.
    pub(super) universe: Universe,
    /// The model as it was before the last step.
    pub(super) replica: Replica,
    /// Every step sent, the failing one last.
    pub(super) steps: Vec<Step>,
    /// How many transitions `apply` was given (the failing one included).
    pub(super) applied: usize,
    /// How it ended.
    pub(super) ending: Ending,
}

/// The system under test: the endpoint behind the driver, the universe made for this run, the
/// model that predicts it, and the steps recorded so far.
pub(super) struct Endpoint {
    ctx: Arc<Ctx>,
    runtime: Handle,
    universe: Universe,
    replica: Replica,
    shares: BTreeMap<(ResourceSlot, Role), String>,
    steps: Vec<Step>,
    applied: usize,
    ending: Ending,
}

/// The payload a step unwinds with to end the run (see the module documentation).
struct Stop;

thread_local! {
    /// The system under test, between the runner and the trait's functions (this thread only).
    static SLOT: RefCell<Option<Endpoint>> = const { RefCell::new(None) };
}

fn park(endpoint: Endpoint) {
    SLOT.with(|slot| *slot.borrow_mut() = Some(endpoint));
}

fn unpark() -> Option<Endpoint> {
    SLOT.with(|slot| slot.borrow_mut().take())
}

/// What sending a planned call produced.
struct Sent {
    exchange: Option<Exchange>,
    /// A deleted association is gone (Get answers 404).
    gone: bool,
}

impl Endpoint {
    /// Sends one planned call (with the waits a Delete needs), or does its share or unshare.
    async fn send(&mut self, planned: &Planned) -> Result<Option<Sent>, SetupError> {
        let (ctx, who) = (&self.ctx, planned.principal);
        // Where the model says the association is there, a 404 is a read lagging its create:
        // reads poll through it, and a delete waits until it is visible and settled.
        let present = planned.expects_success();
        let sent = |exchange| {
            Some(Sent {
                exchange,
                gone: false,
            })
        };
        Ok(match &planned.action {
            Action::Create { request, .. } => sent(Some(ctx.create(who, &request.to_json()).await)),
            Action::Get(id) if present => sent(Some(ctx.read_created(who, id).await)),
            Action::Get(id) => sent(Some(ctx.get(who, id).await)),
            Action::Delete(id) => {
                // A delete while CREATE_IN_PROGRESS is refused (CONFLICT-DELETE-CREATING).
                if present {
                    let _ = ctx.settle(who, id).await;
                } else {
                    let settled = |e: &Exchange| lattice_checks::state::settled(e);
                    let timeout = ctx.options.status_timeout;
                    let _ = ctx.fx.poll_association(who, id, timeout, settled).await;
                }
                let e = ctx.delete(who, id).await;
                let gone = succeeded(&e) && ctx.wait_gone(who, id).await.1;
                Some(Sent {
                    exchange: Some(e),
                    gone,
                })
            }
            Action::Tag(id, tags) => {
                let get = if present {
                    ctx.read_created(who, id).await
                } else {
                    ctx.get(who, id).await
                };
                let Some(arn) = lattice_checks::state::member_of(&get, "arn") else {
                    return Ok(None);
                };
                let mut call = ApiCall::labelled(Operation::TagResource, who, &arn);
                let body = json!({ "tags": lattice_gen::calls::tag_set(*tags) });
                call.body = serde_json::to_vec(&body).unwrap_or_default();
                sent(Some(ctx.driver.send(&call).await))
            }
            Action::List { key, value, .. } => sent(Some(ctx.list_by(who, key, value).await)),
            Action::Share(slot, with) => {
                let res = self.universe.resource(*slot).clone();
                let share = ctx.fx.share(&res, *with).await?;
                self.shares.insert((*slot, *with), share);
                sent(None)
            }
            Action::Unshare(slot, with) => match self.shares.remove(&(*slot, *with)) {
                Some(share) => {
                    ctx.fx.unshare(who, &share).await?;
                    sent(None)
                }
                None => None,
            },
            Action::Nothing => None,
        })
    }

    /// Plans, sends, judges and records one call; the ending when it ends the run.
    fn step(&mut self, call: &Call) -> Option<Ending> {
        let fx = self.ctx.fx.clone();
        let planned = self
            .replica
            .plan(&self.universe, call, &mut || fx.token("fresh"));
        let runtime = self.runtime.clone();
        let sent = match runtime.block_on(self.send(&planned)) {
            Ok(Some(sent)) => sent,
            Ok(None) => return None,
            Err(e) => {
                return Some(Ending::Inconclusive {
                    rule: planned.rule(),
                    reason: e.to_string(),
                    evidence: vec![*e.exchange],
                })
            }
        };
        let verdict = sent.exchange.as_ref().map_or(Verdict::Pass, |e| {
            self.replica.judge(&self.universe, &planned, e)
        });
        let step = Step {
            text: planned.text.clone(),
            expected: planned.expected_text(),
            exchange: sent.exchange.clone(),
            rule: planned.rule(),
            verdict: verdict.clone(),
        };
        self.steps.push(step);
        match verdict {
            Verdict::Pass | Verdict::Skipped(_) => {
                let answer = sent.exchange.as_ref();
                self.replica
                    .record(&self.universe, &planned, answer, sent.gone);
                None
            }
            Verdict::Fail(_) => Some(Ending::Failed),
            Verdict::Inconclusive(reason) => Some(Ending::Inconclusive {
                rule: planned.rule(),
                reason,
                evidence: sent.exchange.into_iter().collect(),
            }),
        }
    }
}

/// The stateful property's [`StateMachineTest`]: `CallModel` proposes, the endpoint answers.
pub(super) struct EndpointMachine;

impl StateMachineTest for EndpointMachine {
    type SystemUnderTest = Endpoint;
    type Reference = CallModel;

    fn init_test(_: &CallState) -> Endpoint {
        unpark().expect("`run` parks the system under test before the runner starts")
    }

    fn apply(mut endpoint: Endpoint, _: &CallState, call: Call) -> Endpoint {
        endpoint.applied += 1;
        if let Some(ending) = endpoint.step(&call) {
            endpoint.ending = ending;
            park(endpoint);
            resume_unwind(Box::new(Stop));
        }
        endpoint
    }

    fn teardown(endpoint: Endpoint, _: CallState) {
        park(endpoint);
    }
}

/// Runs `calls` on the endpoint in `universe`, on this (blocking) thread, through
/// [`StateMachineTest::test_sequential`]; `seen` is the generated tree's counter of transitions
/// applied (for its first shrink), none when replaying a shrunk sequence.
pub(super) fn run(
    ctx: Arc<Ctx>,
    runtime: Handle,
    universe: Universe,
    calls: Vec<Call>,
    seen: Option<Arc<AtomicUsize>>,
) -> EndpointRun {
    let replica = Replica::new(&universe, ctx.profile.capabilities.quota_probe);
    park(Endpoint {
        ctx,
        runtime,
        universe: universe.clone(),
        replica: replica.clone(),
        shares: BTreeMap::new(),
        steps: Vec::new(),
        applied: 0,
        ending: Ending::Passed,
    });
    let config = Config {
        failure_persistence: None,
        ..Config::default()
    };
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        EndpointMachine::test_sequential(config, CallState::default(), calls, seen)
    }));
    let bug = match &outcome {
        Err(payload) if !payload.is::<Stop>() => Some(panic_message(payload.as_ref())),
        _ => None,
    };
    match (unpark(), bug) {
        (Some(endpoint), None) => EndpointRun {
            universe: endpoint.universe,
            replica: endpoint.replica,
            steps: endpoint.steps,
            applied: endpoint.applied,
            ending: endpoint.ending,
        },
        (_, bug) => EndpointRun {
            universe,
            replica,
            steps: Vec::new(),
            applied: 0,
            ending: Ending::Internal(bug.unwrap_or_else(|| "the run lost its state".into())),
        },
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".into())
}

/// Makes a universe for one run: each principal's services and networks, and the token slots.
pub(super) async fn universe(ctx: &Ctx) -> Result<Universe, SetupError> {
    use lattice_gen::calls::{NETWORKS_PER_PRINCIPAL, SERVICES_PER_PRINCIPAL, TOKEN_SLOTS};
    let mut new = Vec::new();
    let mut networks = Vec::new();
    for role in Role::ALL {
        for _ in 0..SERVICES_PER_PRINCIPAL {
            new.push(ctx.fx.new_service(role).await?);
        }
        for _ in 0..NETWORKS_PER_PRINCIPAL {
            networks.push(ctx.fx.network(role).await?);
        }
    }
    // Every service is created first, so that they become ACTIVE meanwhile.
    let mut services = Vec::new();
    for s in &new {
        services.push(ctx.fx.ready(s).await?);
    }
    let tokens = (0..TOKEN_SLOTS)
        .map(|i| ctx.fx.token(&format!("slot{i}")))
        .collect();
    let accounts = Role::ALL
        .into_iter()
        .map(|r| (r, ctx.fx.account(r).unwrap_or_default()))
        .collect();
    Ok(Universe {
        services,
        networks,
        tokens,
        accounts,
    })
}
