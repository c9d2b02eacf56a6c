//! Runs the canonical scenarios (`lattice_spec::scenario`): each on fixtures of its own, its
//! templates expanded from what it set up and received, every step recorded for its snapshot.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::Value;
use tokio::task::JoinSet;

use lattice_checks::scenario::{Recorded, ScenarioOutcome, ScenarioRun};
use lattice_checks::Exchange;
use lattice_spec::scenario::{Scenario, ScenarioCall, Setup, SCENARIOS};
use lattice_spec::wire::CreateAssociationRequest;
use lattice_spec::{Operation, Role};

use crate::checks::{succeeded, unjudgeable, Ctx};
use lattice_transport::driver::ApiCall;
use lattice_transport::fixtures::CreatedResource;

/// What a run of one scenario holds while it runs.
struct State<'a> {
    ctx: &'a Ctx,
    principals: BTreeMap<Role, Role>,
    resources: Vec<CreatedResource>,
    answers: Vec<Option<Value>>,
    tokens: Vec<(String, String, String)>,
}

impl State<'_> {
    fn principal(&self, who: Role) -> Role {
        self.principals.get(&who).copied().unwrap_or(Role::Owner)
    }

    fn token(&mut self, label: &str) -> String {
        if let Some((_, raw, _)) = self.tokens.iter().find(|(l, _, _)| l == label) {
            return raw.clone();
        }
        let raw = self.ctx.fx.token("snap");
        self.tokens
            .push((label.to_owned(), raw.clone(), format!("[token-{label}]")));
        raw
    }

    /// Expands `${…}` templates; `Err` names what is missing.
    fn expand(&mut self, template: &str) -> Result<String, String> {
        let mut out = String::new();
        let mut rest = template;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let Some(end) = rest[start..].find('}') else {
                return Err(format!("unclosed template in `{template}`"));
            };
            let key = &rest[start + 2..start + end];
            out.push_str(&self.value(key)?);
            rest = &rest[start + end + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }

    fn value(&mut self, key: &str) -> Result<String, String> {
        let parts: Vec<&str> = key.split(':').collect();
        match parts.as_slice() {
            ["token", label] => Ok(self.token(label)),
            ["token", label, "upper"] => {
                let raw = self.token(label).to_uppercase();
                let p = format!("[token-{label} upper-cased]");
                self.tokens.push((format!("{label}:upper"), raw.clone(), p));
                Ok(raw)
            }
            ["token", label, "64"] => {
                let mut raw = self.token(label);
                while raw.chars().count() < 64 {
                    raw.push('x');
                }
                let raw: String = raw.chars().take(64).collect();
                let p = format!("[token-{label} padded to 64 characters]");
                self.tokens.push((format!("{label}:64"), raw.clone(), p));
                Ok(raw)
            }
            ["repeat", ch, n] => Ok(ch.repeat(n.parse().map_err(|_| key.to_owned())?)),
            ["tags", n] => {
                let n: usize = n.parse().map_err(|_| key.to_owned())?;
                Ok((0..n)
                    .map(|i| format!("\"k{i}\":\"v{i}\""))
                    .collect::<Vec<_>>()
                    .join(","))
            }
            [reference] => {
                let (name, member) = reference.split_once('.').unwrap_or((reference, "id"));
                let index = |s: &str| s[1..].parse::<usize>().map_err(|_| key.to_owned());
                match name.as_bytes().first() {
                    Some(b'r') => {
                        let res = self
                            .resources
                            .get(index(name)?)
                            .ok_or_else(|| format!("no setup resource `{name}`"))?;
                        Ok(if member == "arn" {
                            res.arn.clone()
                        } else {
                            res.id.clone()
                        })
                    }
                    Some(b's') => self
                        .answers
                        .get(index(name)?)
                        .cloned()
                        .flatten()
                        .and_then(|v| v.get(member).and_then(Value::as_str).map(str::to_owned))
                        .ok_or_else(|| {
                            format!("the answer to step {} has no `{member}`", &name[1..])
                        }),
                    _ => Err(format!("unknown template `${{{key}}}`")),
                }
            }
            _ => Err(format!("unknown template `${{{key}}}`")),
        }
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
    let mut st = State {
        ctx,
        principals: BTreeMap::new(),
        resources: vec![],
        answers: vec![],
        tokens: vec![],
    };
    for who in scenario.roles() {
        if let Some(i) = ctx.principal(who) {
            st.principals.insert(who, i);
        }
    }
    let inconclusive =
        |reason: String, evidence: Vec<Exchange>| ScenarioOutcome::Inconclusive(reason, evidence);
    // Every account must be known before anything is shared or redacted: a throwaway service
    // teaches the fixtures an account the endpoint did not tell.
    for (&_, &i) in &st.principals {
        if ctx.fx.account(i).is_none() {
            if let Err(e) = ctx.fx.service(i).await {
                out.outcome = inconclusive(e.to_string(), vec![*e.exchange]);
                return out;
            }
        }
    }
    for setup in scenario.setup {
        let made = match *setup {
            Setup::Service(w) => ctx.fx.service(st.principal(w)).await,
            Setup::Network(w) => ctx.fx.network(st.principal(w)).await,
            Setup::Share(n, w) => {
                let Some(res) = st.resources.get(n).cloned() else {
                    out.outcome =
                        ScenarioOutcome::Skipped(format!("bad scenario: no setup resource {n}"));
                    return out;
                };
                ctx.fx
                    .share(&res, st.principal(w))
                    .await
                    .map(|arn| CreatedResource {
                        id: arn.clone(),
                        arn,
                        principal: res.principal,
                        kind: lattice_transport::fixtures::Kind::Share,
                    })
            }
        };
        match made {
            Ok(r) => st.resources.push(r),
            Err(e) => {
                out.outcome = inconclusive(e.to_string(), vec![*e.exchange]);
                return out;
            }
        }
    }
    let mut steps = Vec::new();
    let mut stopped = None;
    for s in scenario.steps {
        let principal = st.principal(s.by);
        let e = match s.call {
            ScenarioCall::Create(t) => match st.expand(t) {
                Ok(body) => {
                    let mut call = ApiCall::json(
                        Operation::CreateServiceNetworkServiceAssociation,
                        principal,
                        &Value::Null,
                    );
                    call.body = body.into_bytes();
                    call.sign = s.sign;
                    let e = ctx.driver.send(&call).await;
                    ctx.fx.track_association(principal, &e);
                    Some(e)
                }
                Err(why) => {
                    stopped = Some((s.label, why));
                    break;
                }
            },
            ScenarioCall::Get(t) | ScenarioCall::Delete(t) | ScenarioCall::ListTags(t) => {
                match st.expand(t) {
                    Ok(label) => {
                        let op = match s.call {
                            ScenarioCall::Get(_) => Operation::GetServiceNetworkServiceAssociation,
                            ScenarioCall::Delete(_) => {
                                Operation::DeleteServiceNetworkServiceAssociation
                            }
                            _ => Operation::ListTagsForResource,
                        };
                        let mut call = ApiCall::labelled(op, principal, &label);
                        call.sign = s.sign;
                        Some(ctx.driver.send(&call).await)
                    }
                    Err(why) => {
                        stopped = Some((s.label, why));
                        break;
                    }
                }
            }
            ScenarioCall::List(key, t) => match st.expand(t) {
                Ok(value) => {
                    let mut call = ApiCall::labelled(
                        Operation::ListServiceNetworkServiceAssociations,
                        principal,
                        "",
                    );
                    call.query = vec![(key.to_owned(), value)];
                    call.sign = s.sign;
                    Some(ctx.driver.send(&call).await)
                }
                Err(why) => {
                    stopped = Some((s.label, why));
                    break;
                }
            },
            ScenarioCall::Settle(t) | ScenarioCall::Gone(t) => {
                let Ok(id) = st.expand(t) else {
                    // Nothing to wait for: the step that needs it stops the scenario.
                    st.answers.push(None);
                    continue;
                };
                let gone = matches!(s.call, ScenarioCall::Gone(_));
                let (e, done) = ctx
                    .fx
                    .poll_association(principal, &id, ctx.options.status_timeout, |e| {
                        if gone {
                            e.ok().is_some_and(|r| r.status == 404)
                        } else {
                            lattice_checks::state::settled(e)
                        }
                    })
                    .await;
                if !done {
                    let what = if gone { "gone" } else { "settled" };
                    out.outcome = inconclusive(
                        format!(
                            "step `{}`: the association was not {what} within {:?}",
                            s.label, ctx.options.status_timeout
                        ),
                        vec![e],
                    );
                    return out;
                }
                None
            }
            ScenarioCall::Unshare(n) => {
                let Some(share) = st.resources.get(n).cloned() else {
                    out.outcome =
                        ScenarioOutcome::Skipped(format!("bad scenario: no setup resource {n}"));
                    return out;
                };
                if let Err(e) = ctx.fx.unshare(share.principal, &share.arn).await {
                    out.outcome = inconclusive(e.to_string(), vec![*e.exchange]);
                    return out;
                }
                None
            }
            ScenarioCall::FillQuota(t) => {
                let quota = ctx.profile.capabilities.quota_probe.unwrap_or(0);
                let network = match st.expand(t) {
                    Ok(n) => n,
                    Err(why) => {
                        stopped = Some((s.label, why));
                        break;
                    }
                };
                for _ in 0..quota {
                    let svc = match ctx.fx.service(principal).await {
                        Ok(svc) => svc,
                        Err(e) => {
                            out.outcome = inconclusive(e.to_string(), vec![*e.exchange]);
                            return out;
                        }
                    };
                    let body = CreateAssociationRequest::new(&svc.id, &network)
                        .token(&ctx.fx.token("snap-quota"))
                        .to_json();
                    let e = ctx.create(principal, &body).await;
                    if !succeeded(&e) {
                        out.outcome = inconclusive(
                            format!("step `{}`: filling the quota failed", s.label),
                            vec![e],
                        );
                        return out;
                    }
                }
                None
            }
        };
        let answer = e.as_ref().and_then(|e| e.ok()).and_then(|r| r.json());
        st.answers.push(answer);
        if let Some(e) = e {
            if let Some(reason) = unjudgeable(&e) {
                out.outcome = inconclusive(format!("step `{}`: {reason}", s.label), vec![e]);
                return out;
            }
            steps.push(Recorded {
                label: s.label,
                exchange: e,
            });
        }
    }
    for (&role, &i) in &st.principals {
        if let Some(account) = ctx.fx.account(i) {
            out.accounts.push((account, role.as_str().to_owned()));
        }
    }
    out.tokens = st
        .tokens
        .into_iter()
        .map(|(_, raw, placeholder)| (raw, placeholder))
        .collect();
    out.outcome = ScenarioOutcome::Ran { steps, stopped };
    out
}

/// Runs every scenario (at most `concurrency` at once), in [`SCENARIOS`] order.
pub async fn run_all(ctx: &Arc<Ctx>) -> Vec<ScenarioRun> {
    let semaphore = Arc::new(tokio::sync::Semaphore::new(ctx.options.concurrency.max(1)));
    let mut set = JoinSet::new();
    for (i, scenario) in SCENARIOS.iter().enumerate() {
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
