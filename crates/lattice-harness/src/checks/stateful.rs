//! The stateful property: random sequences of create, replay, get, list, delete, tag, share and
//! unshare across the three principals, run against the endpoint with the reference model
//! (`lattice_spec::model::World`) predicting every outcome. A mismatch is attributed to the rule
//! the model says decides that call, shrunk to a minimal sequence (removing calls and re-running
//! on a fresh universe, within `--shrink-budget` re-runs), and printed as a numbered script.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use proptest::strategy::{Strategy, ValueTree};
use serde_json::{json, Value};

use lattice_checks::state::listed_ids;
use lattice_checks::{Exchange, Verdict, Violation};
use lattice_gen::calls::{
    network_owner, service_owner, tag_set, tie_references, AssociationRef, Call, ListBy,
    ReplayChange, ResourceSlot, TagChoice, TokenChoice, NETWORKS_PER_PRINCIPAL, PRINCIPALS,
    SERVICES_PER_PRINCIPAL, TOKEN_SLOTS,
};
use lattice_spec::model::{Expected, World};
use lattice_spec::wire::CreateAssociationRequest;
use lattice_spec::RuleId;
use lattice_spec::{Operation, ResourceKind, Role};

use super::validation::runner;
use super::{id_of, CaseResult, Ctx};
use lattice_transport::driver::ApiCall;
use lattice_transport::fixtures::{CreatedResource, SetupError};

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

/// The resources of one sequence's universe.
struct Universe {
    services: Vec<CreatedResource>,
    networks: Vec<CreatedResource>,
    tokens: Vec<String>,
    shares: BTreeMap<(ResourceSlot, usize), String>,
}

async fn universe(ctx: &Ctx) -> Result<Universe, SetupError> {
    let mut services = Vec::new();
    let mut networks = Vec::new();
    for p in 0..PRINCIPALS {
        for _ in 0..SERVICES_PER_PRINCIPAL {
            services.push(ctx.fx.service(Role::ALL[p]).await?);
        }
        for _ in 0..NETWORKS_PER_PRINCIPAL {
            networks.push(ctx.fx.network(Role::ALL[p]).await?);
        }
    }
    let tokens = (0..TOKEN_SLOTS)
        .map(|i| ctx.fx.token(&format!("slot{i}")))
        .collect();
    Ok(Universe {
        services,
        networks,
        tokens,
        shares: BTreeMap::new(),
    })
}

/// One executed step: the call in words, what the model accepted, and the exchange.
struct SequenceStep {
    text: String,
    expected: String,
    exchange: Option<Exchange>,
    rule: RuleId,
    violations: Vec<Violation>,
}

/// What one run of a sequence produced: every step, and the index of the first mismatch.
struct SequenceRun {
    steps: Vec<SequenceStep>,
    first_failure: Option<usize>,
    inconclusive: Option<String>,
}

fn role(p: usize) -> &'static str {
    ["owner", "peer", "outsider"].get(p).copied().unwrap_or("?")
}

fn tags_json(t: TagChoice) -> Option<Value> {
    match t {
        TagChoice::Absent => None,
        TagChoice::Empty => Some(json!({})),
        TagChoice::Set(n) => Some(json!(tag_set(n))),
    }
}

fn ident(res: &CreatedResource, by_arn: bool) -> String {
    if by_arn {
        res.arn.clone()
    } else {
        res.id.clone()
    }
}

fn describe(e: &Exchange) -> String {
    match &e.response {
        Ok(r) => match lattice_checks::state::member_of(e, "id") {
            Some(id) if r.is_success() => format!("{} {id}", r.status),
            _ => r.outcome(),
        },
        Err(t) => t.to_string(),
    }
}

fn expected_text(acceptable: &[Expected]) -> String {
    acceptable
        .iter()
        .map(|e| match e {
            Expected::Created => "200 (new association)".to_owned(),
            Expected::Replayed { id } => format!("200 (same {id})"),
            Expected::Ok => "200".to_owned(),
            Expected::Error(err) => format!("{} {}", err.status(), err.name()),
        })
        .collect::<Vec<_>>()
        .join(" or ")
}

/// Runs one sequence on a fresh universe, predicting each call with the model.
async fn execute(ctx: &Ctx, calls: &[Call]) -> Result<SequenceRun, SetupError> {
    let mut u = universe(ctx).await?;
    let mut world = World::new();
    world.quota_per_network = ctx.profile.capabilities.quota_probe;
    let account = |p: usize| ctx.fx.account(Role::ALL[p]).unwrap_or_default();
    for (i, s) in u.services.iter().enumerate() {
        world.add_resource(&s.id, ResourceKind::Service, &account(service_owner(i)));
    }
    for (i, n) in u.networks.iter().enumerate() {
        world.add_resource(
            &n.id,
            ResourceKind::ServiceNetwork,
            &account(network_owner(i)),
        );
    }
    // The n-th create: what it sent, and the id it got (if it succeeded).
    let mut creates: Vec<(usize, CreateAssociationRequest, Option<String>)> = Vec::new();
    let ghost = "snsa-0000000000000000z".to_owned();
    let mut steps = Vec::new();
    let assoc_id = |creates: &Vec<(usize, CreateAssociationRequest, Option<String>)>,
                    a: AssociationRef| match a {
        AssociationRef::Created(n) => creates
            .get(n)
            .and_then(|c| c.2.clone())
            .unwrap_or_else(|| ghost.clone()),
        AssociationRef::Unknown => ghost.clone(),
    };
    for call in calls {
        let (principal, text, exchange, prediction) = match call {
            Call::Create {
                principal,
                service,
                network,
                token,
                tags,
                service_by_arn,
                network_by_arn,
            } => {
                let token = token.map(|t| match t {
                    TokenChoice::Fresh => ctx.fx.token("fresh"),
                    TokenChoice::Slot(n) => u.tokens[n % TOKEN_SLOTS].clone(),
                    TokenChoice::SlotOtherCase(n) => u.tokens[n % TOKEN_SLOTS].to_uppercase(),
                });
                let req = CreateAssociationRequest {
                    client_token: token,
                    service_identifier: ident(&u.services[*service], *service_by_arn),
                    service_network_identifier: ident(&u.networks[*network], *network_by_arn),
                    tags: tags_json(*tags).and_then(|t| serde_json::from_value(t).ok()),
                };
                let body = req.to_json();
                let prediction = world.predict_create(&account(*principal), &body);
                let text = format!(
                    "Create svc[{service}] ({}{}) + sn[{network}] ({}{}), token {:?}, tags {:?}",
                    role(service_owner(*service)),
                    if *service_by_arn { ", by ARN" } else { "" },
                    role(network_owner(*network)),
                    if *network_by_arn { ", by ARN" } else { "" },
                    req.client_token,
                    tags
                );
                let e = ctx.create(Role::ALL[*principal], &body).await;
                let id = id_of(&e).filter(|_| super::succeeded(&e));
                creates.push((*principal, req, id));
                (*principal, text, e, prediction)
            }
            Call::Replay { create, change } => {
                let Some((orig, req, _)) = creates.get(*create).cloned() else {
                    continue;
                };
                let mut req = req;
                let mut principal = orig;
                match change {
                    ReplayChange::Identical => {}
                    ReplayChange::Service(s) => req.service_identifier = u.services[*s].arn.clone(),
                    ReplayChange::Network(n) => {
                        req.service_network_identifier = u.networks[*n].arn.clone()
                    }
                    ReplayChange::Tags(t) => {
                        req.tags = tags_json(*t).and_then(|t| serde_json::from_value(t).ok())
                    }
                    ReplayChange::Principal(p) => principal = *p,
                    ReplayChange::IdentifierForm => {
                        let flip = |s: &str, all: &[CreatedResource]| {
                            all.iter()
                                .find(|r| r.id == s)
                                .map(|r| r.arn.clone())
                                .or_else(|| all.iter().find(|r| r.arn == s).map(|r| r.id.clone()))
                                .unwrap_or_else(|| s.to_owned())
                        };
                        req.service_identifier = flip(&req.service_identifier, &u.services);
                        req.service_network_identifier =
                            flip(&req.service_network_identifier, &u.networks);
                    }
                }
                let body = req.to_json();
                let prediction = world.predict_create(&account(principal), &body);
                let e = ctx.create(Role::ALL[principal], &body).await;
                let id = id_of(&e).filter(|_| super::succeeded(&e));
                creates.push((principal, req, id));
                (
                    principal,
                    format!("Replay create #{} ({change:?})", create + 1),
                    e,
                    prediction,
                )
            }
            Call::Get {
                principal,
                association,
            } => {
                let id = assoc_id(&creates, *association);
                let prediction = world.predict_get(&account(*principal), &id);
                let e = ctx.get(Role::ALL[*principal], &id).await;
                (*principal, format!("Get {id}"), e, prediction)
            }
            Call::Delete {
                principal,
                association,
            } => {
                let id = assoc_id(&creates, *association);
                // A delete while CREATE_IN_PROGRESS is refused (CONFLICT-DELETE-CREATING): let it settle.
                let settled = |e: &Exchange| lattice_checks::state::settled(e);
                let _ = ctx
                    .fx
                    .poll_association(
                        Role::ALL[*principal],
                        &id,
                        ctx.options.status_timeout,
                        settled,
                    )
                    .await;
                let prediction = world.predict_delete(&account(*principal), &id);
                let e = ctx.delete(Role::ALL[*principal], &id).await;
                (*principal, format!("Delete {id}"), e, prediction)
            }
            Call::List { principal, by } => {
                let (key, value, svc, sn) = match by {
                    ListBy::Service { service, by_arn } => {
                        let s = &u.services[*service];
                        (
                            "serviceIdentifier",
                            ident(s, *by_arn),
                            Some(s.id.clone()),
                            None,
                        )
                    }
                    ListBy::Network { network, by_arn } => {
                        let n = &u.networks[*network];
                        (
                            "serviceNetworkIdentifier",
                            ident(n, *by_arn),
                            None,
                            Some(n.id.clone()),
                        )
                    }
                };
                let e = ctx.list_by(Role::ALL[*principal], key, &value).await;
                let (must, may) =
                    world.expected_list(&account(*principal), svc.as_deref(), sn.as_deref());
                let text = format!("List by {key}={value}");
                let mut violations = Vec::new();
                if let Some(resp) = e.ok().filter(|_| super::unjudgeable(&e).is_none()) {
                    if resp.is_success() {
                        let listed: BTreeSet<String> = listed_ids(&e).into_iter().collect();
                        let missing: Vec<&String> = must.difference(&listed).collect();
                        let extra: Vec<&String> = listed
                            .iter()
                            .filter(|id| !must.contains(*id) && !may.contains(*id))
                            .collect();
                        if !missing.is_empty() || !extra.is_empty() {
                            violations.push(Violation::ListMismatch {
                                what: "List".into(),
                                missing: missing.into_iter().cloned().collect(),
                                extra: extra.into_iter().cloned().collect(),
                            });
                        }
                    } else if resp.status != 403 {
                        violations.push(Violation::WrongOutcome {
                            expected: vec!["200".into(), "403 AccessDeniedException".into()],
                            found: resp.outcome(),
                        });
                    }
                }
                let failed = !violations.is_empty();
                steps.push(SequenceStep {
                    text: format!("{}: {text}", role(*principal)),
                    expected: format!("{} listed", must.len()),
                    exchange: Some(e),
                    rule: RuleId::OwnOutsider,
                    violations,
                });
                if failed {
                    let at = steps.len() - 1;
                    return Ok(SequenceRun {
                        steps,
                        first_failure: Some(at),
                        inconclusive: None,
                    });
                }
                continue;
            }
            Call::Tag {
                principal,
                association,
                tags,
            } => {
                let id = assoc_id(&creates, *association);
                let get = ctx.get(Role::ALL[*principal], &id).await;
                let Some(arn) = lattice_checks::state::member_of(&get, "arn") else {
                    continue;
                };
                let mut call =
                    ApiCall::labelled(Operation::TagResource, Role::ALL[*principal], &arn);
                call.body =
                    serde_json::to_vec(&json!({ "tags": tag_set(*tags) })).unwrap_or_default();
                let e = ctx.driver.send(&call).await;
                let prediction = world.predict_get(&account(*principal), &id);
                (
                    *principal,
                    format!("Tag {arn} with set {tags}"),
                    e,
                    prediction,
                )
            }
            Call::ListTags { .. } => continue,
            Call::Share {
                owner,
                resource,
                with,
            } => {
                let res = match resource {
                    ResourceSlot::Service(s) => u.services[*s].clone(),
                    ResourceSlot::Network(n) => u.networks[*n].clone(),
                };
                let share = ctx.fx.share(&res, Role::ALL[*with]).await?;
                u.shares.insert((*resource, *with), share);
                world.share(&res.id, &account(*with));
                steps.push(SequenceStep {
                    text: format!("{}: Share {} with {}", role(*owner), res.id, role(*with)),
                    expected: "shared".into(),
                    exchange: None,
                    rule: RuleId::OwnSharedNetwork,
                    violations: vec![],
                });
                continue;
            }
            Call::Unshare {
                owner,
                resource,
                with,
            } => {
                let Some(share) = u.shares.remove(&(*resource, *with)) else {
                    continue;
                };
                ctx.fx.unshare(Role::ALL[*owner], &share).await?;
                let id = match resource {
                    ResourceSlot::Service(s) => u.services[*s].id.clone(),
                    ResourceSlot::Network(n) => u.networks[*n].id.clone(),
                };
                world.unshare(&id, &account(*with));
                steps.push(SequenceStep {
                    text: format!("{}: Unshare {id} from {}", role(*owner), role(*with)),
                    expected: "unshared".into(),
                    exchange: None,
                    rule: RuleId::OwnUnshare,
                    violations: vec![],
                });
                continue;
            }
        };
        // Judge the call against the model, then apply what the endpoint did.
        let caller = account(principal);
        if let Some(reason) = super::unjudgeable(&exchange) {
            steps.push(SequenceStep {
                text: format!("{}: {text}", role(principal)),
                expected: String::new(),
                exchange: Some(exchange),
                rule: prediction.rule,
                violations: vec![],
            });
            return Ok(SequenceRun {
                steps,
                first_failure: None,
                inconclusive: Some(reason),
            });
        }
        let resp = exchange.ok().cloned();
        let status = resp.as_ref().map_or(0, |r| r.status);
        let error = resp
            .as_ref()
            .filter(|r| !r.is_success())
            .and_then(|r| r.error_type());
        let mut violations = Vec::new();
        if !prediction.admits(status, error.as_deref()) {
            violations.push(Violation::WrongOutcome {
                expected: vec![expected_text(&prediction.acceptable)],
                found: resp.as_ref().map(|r| r.outcome()).unwrap_or_default(),
            });
        }
        let is_create = matches!(call, Call::Create { .. } | Call::Replay { .. });
        if is_create && status == 200 {
            let got = id_of(&exchange).unwrap_or_default();
            let replay_ids: Vec<&String> = prediction
                .acceptable
                .iter()
                .filter_map(|e| match e {
                    Expected::Replayed { id } => Some(id),
                    _ => None,
                })
                .collect();
            let created_ok = prediction.acceptable.contains(&Expected::Created)
                && world.association(&got).is_none();
            if !created_ok && !replay_ids.contains(&&got) {
                violations.push(Violation::UnexpectedAssociation {
                    got: got.clone(),
                    expected: expected_text(&prediction.acceptable),
                });
            }
            violations.extend(
                lattice_checks::state::created_by(&exchange, &caller)
                    .into_iter()
                    .filter(|_| {
                        // A replay reports the original creator.
                        !matches!(call, Call::Replay { .. }) || world.association(&got).is_none()
                    }),
            );
            if let Some((_, req, _)) = creates.last() {
                world.record_create(&caller, req, &got);
            }
        }
        if matches!(call, Call::Delete { .. }) && status == 200 {
            if let Some(id) = match call {
                Call::Delete { association, .. } => Some(assoc_id(&creates, *association)),
                _ => None,
            } {
                world.record_delete(&id);
                let (gone, done) = ctx.wait_gone(Role::ALL[principal], &id).await;
                if done {
                    world.record_gone(&id);
                }
                let _ = gone;
            }
        }
        let failed = !violations.is_empty();
        steps.push(SequenceStep {
            text: format!("{}: {text}", role(principal)),
            expected: expected_text(&prediction.acceptable),
            exchange: Some(exchange),
            rule: prediction.rule,
            violations,
        });
        if failed {
            let at = steps.len() - 1;
            return Ok(SequenceRun {
                steps,
                first_failure: Some(at),
                inconclusive: None,
            });
        }
    }
    Ok(SequenceRun {
        steps,
        first_failure: None,
        inconclusive: None,
    })
}

/// The numbered script of a run, marking the failing step.
fn script(outcome: &SequenceRun) -> String {
    let mut out = String::new();
    for (i, s) in outcome.steps.iter().enumerate() {
        let got = s
            .exchange
            .as_ref()
            .map(describe)
            .unwrap_or_else(|| "ok".into());
        let mark = if Some(i) == outcome.first_failure {
            "  ✗ expected "
        } else {
            "  → "
        };
        let tail = if Some(i) == outcome.first_failure {
            format!("{}, got {got}", s.expected)
        } else {
            got
        };
        out.push_str(&format!("{}. {}{mark}{tail}\n", i + 1, s.text));
    }
    out
}

/// Runs generated sequences; shrinks and reports the first mismatch.
pub async fn run(ctx: Arc<Ctx>) -> Vec<CaseResult> {
    if !ctx.profile.capabilities.ram || ctx.driver.principals().len() < PRINCIPALS {
        return vec![CaseResult::skipped(
            RuleId::OwnSharedNetwork,
            "the stateful property needs RAM and three principals",
        )];
    }
    let sequences: Vec<Vec<Call>> = {
        let strategy = lattice_gen::call_sequence(12);
        let n = ctx.options.cases.div_ceil(4).max(1);
        (0..n)
            .filter_map(|i| {
                strategy
                    .new_tree(&mut runner(ctx.options.seed, &format!("stateful#{i}")))
                    .ok()
                    .map(|t| t.current())
            })
            .collect()
    };
    let mut out = Vec::new();
    for seq in sequences {
        let outcome = match execute(&ctx, &seq).await {
            Ok(o) => o,
            Err(e) => {
                out.push(CaseResult::inconclusive(
                    RuleId::OwnSharedNetwork,
                    e.to_string(),
                    vec![*e.exchange],
                ));
                continue;
            }
        };
        if let Some(reason) = &outcome.inconclusive {
            out.push(CaseResult::inconclusive(
                outcome.steps.last().map_or(RuleId::IdempReplay, |s| s.rule),
                reason.clone(),
                vec![],
            ));
            continue;
        }
        let Some(at) = outcome.first_failure else {
            for s in &outcome.steps {
                if let Some(e) = &s.exchange {
                    out.push(
                        CaseResult::new(s.rule, vec![], vec![e.clone()], s.expected.clone())
                            .with_note(format!("stateful: {}", s.text)),
                    );
                }
            }
            continue;
        };
        // Shrink: drop calls one at a time (re-tying references), keep a shorter failing run.
        let mut best_seq: Vec<Call> = seq[..=at.min(seq.len() - 1)].to_vec();
        let mut best = outcome;
        let mut budget = ctx.options.shrink_budget;
        let mut i = 0;
        while i < best_seq.len() && budget > 0 {
            let mut cand = best_seq.clone();
            cand.remove(i);
            let cand = tie_references(cand);
            budget -= 1;
            match execute(&ctx, &cand).await {
                Ok(o) if o.first_failure.is_some() && cand.len() < best_seq.len() => {
                    best_seq = cand;
                    best = o;
                }
                _ => i += 1,
            }
        }
        let at = best.first_failure.unwrap_or(0);
        let step = &best.steps[at];
        let mut violations = step.violations.clone();
        violations.push(Violation::Sequence {
            calls: best.steps.len(),
            script: script(&best),
        });
        let evidence: Vec<Exchange> = best
            .steps
            .iter()
            .filter_map(|s| s.exchange.clone())
            .collect();
        let mut case = CaseResult::new(step.rule, vec![], evidence, step.expected.clone());
        case.verdict = Verdict::Fail(violations);
        out.push(case.with_note(format!(
            "stateful sequence shrunk from {} to {} calls",
            seq.len(),
            best_seq.len()
        )));
        break;
    }
    out
}
