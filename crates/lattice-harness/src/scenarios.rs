//! Runs the canonical scenarios (`lattice_spec::scenario`, read from `specs/scenarios.toml`): each
//! on fixtures of its own, its references resolved from what it set up and received, every
//! recorded step kept for its snapshot.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::Value;
use tokio::task::JoinSet;

use lattice_checks::scenario::{Recorded, ScenarioOutcome, ScenarioRun};
use lattice_checks::Exchange;
use lattice_spec::scenario::{
    self, CreateBody, Field, ListFilter, Member, Resolve, Scenario, ScenarioCall, ScenarioStep,
    Setup, TokenForm,
};
use lattice_spec::wire::CreateAssociationRequest;
use lattice_spec::{Operation, Role, SignMode};

use crate::checks::{succeeded, unjudgeable, Ctx};
use lattice_transport::driver::ApiCall;
use lattice_transport::fixtures::{CreatedResource, Kind, SetupError};

/// How one step ended.
enum Step {
    /// Sent: its exchange goes into the snapshot.
    Sent(Exchange),
    /// Done without an exchange to record (a wait, a share ended, a quota filled).
    Done,
    /// Not sent, because a reference had no value (a previous answer lacked an `id`): the
    /// scenario stops here, and the snapshot says why.
    NotSent(String),
    /// The scenario cannot go on (a fixture failed, a wait timed out).
    Over(ScenarioOutcome),
}

/// The outcome of a fixture that failed: inconclusive, with the exchange as evidence.
fn setup_failed(e: SetupError) -> ScenarioOutcome {
    ScenarioOutcome::Inconclusive(e.to_string(), vec![*e.exchange])
}

/// What a run of one scenario holds while it runs.
struct State<'a> {
    ctx: &'a Ctx,
    principals: BTreeMap<Role, Role>,
    resources: Vec<CreatedResource>,
    /// The answer to each step so far (`None`: no JSON answer, or nothing sent).
    answers: Vec<Option<Value>>,
    /// The tokens used: label, form, the raw token, its placeholder.
    tokens: Vec<(String, TokenForm, String, String)>,
}

impl Resolve for State<'_> {
    fn setup(&mut self, index: usize, member: Member) -> Result<String, String> {
        let res = self
            .resources
            .get(index)
            .ok_or_else(|| format!("no setup resource `r{index}`"))?;
        Ok(match member {
            Member::Arn => res.arn.clone(),
            Member::Id => res.id.clone(),
        })
    }

    fn answer(&mut self, index: usize, member: Member) -> Result<String, String> {
        self.answers
            .get(index)
            .cloned()
            .flatten()
            .and_then(|v| v.get(member.as_str())?.as_str().map(str::to_owned))
            .ok_or_else(|| format!("the answer to step {index} has no `{member}`"))
    }

    fn token(&mut self, label: &str, form: TokenForm) -> String {
        let known = |st: &Self, form: TokenForm| {
            st.tokens
                .iter()
                .find(|(l, f, _, _)| l == label && *f == form)
                .map(|(_, _, raw, _)| raw.clone())
        };
        let base = known(self, TokenForm::AsIs).unwrap_or_else(|| {
            let raw = self.ctx.fx.token("snap");
            let placeholder = TokenForm::AsIs.placeholder(label);
            self.tokens
                .push((label.to_owned(), TokenForm::AsIs, raw.clone(), placeholder));
            raw
        });
        if form == TokenForm::AsIs {
            return base;
        }
        known(self, form).unwrap_or_else(|| {
            let raw = form.apply(&base);
            let placeholder = form.placeholder(label);
            self.tokens
                .push((label.to_owned(), form, raw.clone(), placeholder));
            raw
        })
    }
}

impl<'a> State<'a> {
    fn new(ctx: &'a Ctx, scenario: &Scenario) -> Self {
        let principals = scenario
            .roles()
            .into_iter()
            .filter_map(|who| ctx.principal(who).map(|i| (who, i)))
            .collect();
        State {
            ctx,
            principals,
            resources: vec![],
            answers: vec![],
            tokens: vec![],
        }
    }

    fn principal(&self, who: Role) -> Role {
        self.principals.get(&who).copied().unwrap_or(Role::Owner)
    }

    /// Learns every account, then creates the scenario's setup resources in order.
    async fn set_up(&mut self, scenario: &Scenario) -> Result<(), ScenarioOutcome> {
        let ctx = self.ctx;
        // Every account must be known before anything is shared or redacted: a throwaway service
        // teaches the fixtures an account the endpoint did not tell.
        for &i in self.principals.values() {
            if ctx.fx.account(i).is_none() {
                ctx.fx.service(i).await.map_err(setup_failed)?;
            }
        }
        for setup in &scenario.setup {
            let made = match *setup {
                Setup::Service(w) => ctx.fx.service(self.principal(w)).await,
                Setup::Network(w) => ctx.fx.network(self.principal(w)).await,
                Setup::Share { resource, with } => {
                    let Some(res) = self.resources.get(resource).cloned() else {
                        return Err(ScenarioOutcome::Skipped(format!(
                            "bad scenario: no setup resource {resource}"
                        )));
                    };
                    let shared = ctx.fx.share(&res, self.principal(with)).await;
                    shared.map(|arn| CreatedResource {
                        id: arn.clone(),
                        arn,
                        principal: res.principal,
                        kind: Kind::Share,
                    })
                }
            };
            self.resources.push(made.map_err(setup_failed)?);
        }
        Ok(())
    }

    /// Runs the steps in order, recording what they sent and received.
    async fn run_steps(&mut self, scenario: &'static Scenario) -> ScenarioOutcome {
        let mut steps = Vec::new();
        for s in &scenario.steps {
            let sent = match self.step(s).await {
                Step::Sent(e) => Some(e),
                Step::Done => None,
                Step::NotSent(why) => {
                    let stopped = Some((s.label.as_str(), why));
                    return ScenarioOutcome::Ran { steps, stopped };
                }
                Step::Over(outcome) => return outcome,
            };
            let answer = sent.as_ref().and_then(|e| e.ok()).and_then(|r| r.json());
            self.answers.push(answer);
            if let Some(e) = sent {
                if let Some(reason) = unjudgeable(&e) {
                    let reason = format!("step `{}`: {reason}", s.label);
                    return ScenarioOutcome::Inconclusive(reason, vec![e]);
                }
                steps.push(Recorded {
                    label: &s.label,
                    exchange: e,
                });
            }
        }
        ScenarioOutcome::Ran {
            steps,
            stopped: None,
        }
    }

    async fn step(&mut self, s: &ScenarioStep) -> Step {
        let by = self.principal(s.by);
        match &s.call {
            ScenarioCall::Create(body) => self.create(by, s.sign, body).await,
            ScenarioCall::Get(id) => {
                let op = Operation::GetServiceNetworkServiceAssociation;
                self.labelled(op, by, s.sign, id).await
            }
            ScenarioCall::Delete(id) => {
                let op = Operation::DeleteServiceNetworkServiceAssociation;
                self.labelled(op, by, s.sign, id).await
            }
            ScenarioCall::ListTags(arn) => {
                let op = Operation::ListTagsForResource;
                self.labelled(op, by, s.sign, arn).await
            }
            ScenarioCall::List(filters) => self.list(by, s.sign, filters).await,
            ScenarioCall::Settle(id) => self.wait(by, &s.label, id, false).await,
            ScenarioCall::Gone(id) => self.wait(by, &s.label, id, true).await,
            ScenarioCall::Unshare(n) => self.unshare(*n).await,
            ScenarioCall::FillQuota(network) => self.fill_quota(by, &s.label, network).await,
        }
    }

    async fn create(&mut self, by: Role, sign: SignMode, body: &CreateBody) -> Step {
        let body = match body.render(self) {
            Ok(body) => body,
            Err(why) => return Step::NotSent(why),
        };
        let op = Operation::CreateServiceNetworkServiceAssociation;
        let mut call = ApiCall::json(op, by, &Value::Null);
        call.body = body.into_bytes();
        call.sign = sign;
        let e = self.ctx.driver.send(&call).await;
        self.ctx.fx.track_association(by, &e);
        Step::Sent(e)
    }

    /// A call on one resource, named in the path (Get, Delete, ListTagsForResource).
    async fn labelled(&mut self, op: Operation, by: Role, sign: SignMode, id: &Field) -> Step {
        let label = match id.text(self) {
            Ok(label) => label,
            Err(why) => return Step::NotSent(why),
        };
        let mut call = ApiCall::labelled(op, by, &label);
        call.sign = sign;
        Step::Sent(self.ctx.driver.send(&call).await)
    }

    async fn list(&mut self, by: Role, sign: SignMode, filters: &[(ListFilter, Field)]) -> Step {
        let op = Operation::ListServiceNetworkServiceAssociations;
        let mut call = ApiCall::labelled(op, by, "");
        for (filter, value) in filters {
            match value.text(self) {
                Ok(value) => call.query.push((filter.as_str().to_owned(), value)),
                Err(why) => return Step::NotSent(why),
            }
        }
        call.sign = sign;
        Step::Sent(self.ctx.driver.send(&call).await)
    }

    /// Waits until the association is settled (or, `gone`, answers 404).
    async fn wait(&mut self, by: Role, label: &str, id: &Field, gone: bool) -> Step {
        let Ok(id) = id.text(self) else {
            // Nothing to wait for: the step that needs it stops the scenario.
            return Step::Done;
        };
        let timeout = self.ctx.options.status_timeout;
        let (e, done) = self
            .ctx
            .fx
            .poll_association(by, &id, timeout, |e| {
                if gone {
                    lattice_checks::state::not_found(e)
                } else {
                    // The scenario created it: a 404 is a read lagging the create.
                    lattice_checks::state::visible_and_settled(e)
                }
            })
            .await;
        if done {
            return Step::Done;
        }
        let what = if gone { "gone" } else { "settled" };
        let reason = format!("step `{label}`: the association was not {what} within {timeout:?}");
        Step::Over(ScenarioOutcome::Inconclusive(reason, vec![e]))
    }

    async fn unshare(&mut self, n: usize) -> Step {
        let Some(share) = self.resources.get(n).cloned() else {
            let reason = format!("bad scenario: no setup resource {n}");
            return Step::Over(ScenarioOutcome::Skipped(reason));
        };
        match self.ctx.fx.unshare(share.principal, &share.arn).await {
            Ok(()) => Step::Done,
            Err(e) => Step::Over(setup_failed(e)),
        }
    }

    /// Fills the network up to the target's small quota with fresh services.
    async fn fill_quota(&mut self, by: Role, label: &str, network: &Field) -> Step {
        let network = match network.text(self) {
            Ok(n) => n,
            Err(why) => return Step::NotSent(why),
        };
        let ctx = self.ctx;
        for _ in 0..ctx.profile.capabilities.quota_probe.unwrap_or(0) {
            let svc = match ctx.fx.service(by).await {
                Ok(svc) => svc,
                Err(e) => return Step::Over(setup_failed(e)),
            };
            let body = CreateAssociationRequest::new(&svc.id, &network)
                .token(&ctx.fx.token("snap-quota"))
                .to_json();
            let e = ctx.create(by, &body).await;
            if !succeeded(&e) {
                let reason = format!("step `{label}`: filling the quota failed");
                return Step::Over(ScenarioOutcome::Inconclusive(reason, vec![e]));
            }
        }
        Step::Done
    }
}

fn missing(scenario: &Scenario, ctx: &Ctx) -> Option<String> {
    for who in scenario.roles() {
        if ctx.principal(who).is_none() {
            return Some(format!("the target profile has no `{}` principal", who));
        }
    }
    let caps = &ctx.profile.capabilities;
    if scenario.needs_ram() && !caps.ram {
        return Some("the target does not share through AWS RAM (capabilities.ram = false)".into());
    }
    if scenario.needs_delete() && !caps.delete {
        return Some("the target has no delete operations (capabilities.delete = false)".into());
    }
    if scenario.needs_quota() && (caps.quota_probe.is_none() || ctx.profile.live) {
        return Some(
            "the target has no small quota to reach (capabilities.quota_probe); never on live AWS"
                .into(),
        );
    }
    None
}

/// Runs one scenario on its own fixtures.
pub async fn run(ctx: &Ctx, scenario: &'static Scenario) -> ScenarioRun {
    let mut out = ScenarioRun {
        scenario,
        outcome: ScenarioOutcome::Skipped(String::new()),
        accounts: vec![],
        tokens: vec![],
    };
    if let Some(reason) = missing(scenario, ctx) {
        out.outcome = ScenarioOutcome::Skipped(reason);
        return out;
    }
    let mut st = State::new(ctx, scenario);
    out.outcome = match st.set_up(scenario).await {
        Ok(()) => st.run_steps(scenario).await,
        Err(outcome) => outcome,
    };
    for (&role, &i) in &st.principals {
        if let Some(account) = ctx.fx.account(i) {
            out.accounts.push((account, role.as_str().to_owned()));
        }
    }
    out.tokens = st
        .tokens
        .into_iter()
        .map(|(_, _, raw, placeholder)| (raw, placeholder))
        .collect();
    out
}

/// Runs every scenario (at most `concurrency` at once), in file order.
pub async fn run_all(ctx: &Arc<Ctx>) -> Vec<ScenarioRun> {
    let semaphore = Arc::new(tokio::sync::Semaphore::new(ctx.options.concurrency.max(1)));
    let mut set = JoinSet::new();
    for (i, scenario) in scenario::all().iter().enumerate() {
        let (ctx, semaphore) = (ctx.clone(), semaphore.clone());
        set.spawn(async move {
            let _permit = semaphore.acquire_owned().await;
            (i, run(&ctx, scenario).await)
        });
    }
    let mut runs = Vec::new();
    while let Some(joined) = set.join_next().await {
        if let Ok(r) = joined {
            runs.push(r);
        }
    }
    runs.sort_by_key(|(i, _)| *i);
    runs.into_iter().map(|(_, r)| r).collect()
}
