//! Linearizability under concurrency: N creates for one pair at once, with one shared token or
//! distinct ones, for each level of `--race-levels`, reporting the first N that breaks (judged by
//! `lattice_checks::judge::concurrency`).

use std::sync::Arc;

use lattice_checks::judge::concurrency::burst as judge_burst;
use lattice_checks::Exchange;
use lattice_spec::wire::CreateAssociationRequest;
use lattice_spec::{Role, RuleId};

use super::{setup_failed, CaseResult, Ctx};

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
            let case = judge_burst(rule, shared, &creates, &list);
            let failed = case.verdict.is_fail();
            out.push(case);
            if failed {
                break;
            }
        }
    }
    out
}
