//! Linearizability under concurrency: N creates for one pair at once. With one shared token every
//! caller gets the same association; with distinct tokens exactly one succeeds and every other
//! caller gets a conflict. Either way exactly one association exists afterwards. Runs for each
//! level of `--race-levels` and reports the first N that breaks.

use std::collections::BTreeSet;
use std::sync::Arc;

use lattice_checks::state::listed_ids;
use lattice_checks::{Exchange, Verdict, Violation};
use lattice_spec::wire::CreateAssociationRequest;
use lattice_spec::{Role, RuleId};

use super::{id_of, setup_failed, succeeded, unjudgeable, CaseResult, Ctx};

/// Rules this check decides (the concurrent forms of replay and duplicate).
pub const RULES: &[RuleId] = &[RuleId::IdempReplay, RuleId::ConflictDuplicate];

async fn burst(
    ctx: &Arc<Ctx>,
    n: usize,
    shared_token: bool,
) -> Result<(Vec<Exchange>, Exchange), lattice_transport::fixtures::SetupError> {
    let pair = ctx.fx.pair(Role::Owner).await?;
    let token = ctx.fx.token("race");
    let mut set = tokio::task::JoinSet::new();
    for i in 0..n {
        let ctx = ctx.clone();
        let t = if shared_token {
            token.clone()
        } else {
            format!("{token}-{i}")
        };
        let body = CreateAssociationRequest::new(&pair.0.id, &pair.1.id)
            .token(&t)
            .to_json();
        set.spawn(async move { (i, ctx.create(Role::Owner, &body).await) });
    }
    let mut results: Vec<(usize, Exchange)> = set.join_all().await;
    results.sort_by_key(|(i, _)| *i);
    let list = ctx.list_by_network(Role::Owner, &pair.1.id).await;
    Ok((results.into_iter().map(|(_, e)| e).collect(), list))
}

fn judge(n: usize, shared_token: bool, creates: &[Exchange], list: &Exchange) -> Vec<Violation> {
    let mut v = Vec::new();
    let ok: Vec<&Exchange> = creates.iter().filter(|e| succeeded(e)).collect();
    let ids: BTreeSet<String> = ok.iter().filter_map(|e| id_of(e)).collect();
    let conflicts = creates
        .iter()
        .filter(|e| e.ok().is_some_and(|r| r.status == 409))
        .count();
    if shared_token {
        if ok.len() != n || ids.len() != 1 {
            v.push(Violation::Contradiction {
                message: format!("{n} concurrent creates with one token: {} succeeded with {} distinct id(s); expected {n} with one", ok.len(), ids.len()),
            });
        }
    } else if ok.len() != 1 || conflicts != n - 1 {
        v.push(Violation::Contradiction {
            message: format!("{n} concurrent creates with distinct tokens: {} succeeded, {conflicts} conflicted; expected 1 and {}", ok.len(), n - 1),
        });
    }
    let listed = listed_ids(list).len();
    if unjudgeable(list).is_none() && listed != 1 {
        v.push(Violation::Contradiction {
            message: format!("List shows {listed} associations for the pair; expected exactly 1"),
        });
    }
    v
}

/// Runs the bursts at every level, stopping a mode at its first failing N.
pub async fn run(ctx: Arc<Ctx>) -> Vec<CaseResult> {
    let mut out = Vec::new();
    for (rule, shared) in [
        (RuleId::IdempReplay, true),
        (RuleId::ConflictDuplicate, false),
    ] {
        for &n in &ctx.options.race_levels {
            let (creates, list) = match burst(&ctx, n, shared).await {
                Ok(x) => x,
                Err(e) => {
                    out.extend(setup_failed(&[rule], &e));
                    break;
                }
            };
            if let Some(reason) = creates.iter().chain([&list]).find_map(unjudgeable) {
                out.push(CaseResult::inconclusive(rule, reason, vec![]));
                continue;
            }
            let v = judge(n, shared, &creates, &list);
            let failed = !v.is_empty();
            let mut evidence: Vec<Exchange> = creates.into_iter().take(4).collect();
            evidence.push(list);
            let what = if shared {
                "one token"
            } else {
                "distinct tokens"
            };
            let mut case = CaseResult::new(rule, v, evidence, "a linearizable outcome")
                .with_note(format!("{n} concurrent creates for one pair, {what}"));
            if failed {
                case.note = Some(format!(
                    "first failing N = {n} ({what}); the first 4 creates and the List are shown"
                ));
                case.verdict = match case.verdict {
                    Verdict::Fail(v) => Verdict::Fail(v),
                    other => other,
                };
                out.push(case);
                break;
            }
            out.push(case);
        }
    }
    out
}
