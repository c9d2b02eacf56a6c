//! Lifecycle: a new association reaches ACTIVE (or CREATE_FAILED with a failure code and message)
//! within the status budget, polled with backoff; a deleted one reaches 404. And the quota probe.
//! Judged by `lattice_checks::judge::lifecycle`.

use std::sync::Arc;

use lattice_checks::judge::{created, lifecycle as judge, must_succeed};
use lattice_spec::wire::CreateAssociationRequest;
use lattice_spec::{Check, Role, RuleId};

use super::{setup_failed, CaseResult, Ctx};

/// Runs the lifecycle cases.
pub async fn run(ctx: Arc<Ctx>) -> Vec<CaseResult> {
    let pair = match ctx.fx.pair(Role::Owner).await {
        Ok(p) => p,
        Err(e) => return setup_failed(Check::Lifecycle.rules(), &e),
    };
    let create = ctx
        .create(
            Role::Owner,
            &CreateAssociationRequest::new(&pair.0.id, &pair.1.id)
                .token(&ctx.fx.token("life"))
                .to_json(),
        )
        .await;
    let id = match created(
        RuleId::LifeReachesActive,
        &create,
        "the create must succeed",
    ) {
        Ok(id) => id,
        Err(case) => return vec![*case],
    };
    let waited = ctx.options.status_timeout.as_secs();
    let (last, ended) = ctx.until_active(&id).await;
    let mut out = vec![judge::reaches_active(&create, &last, ended, waited)];
    if !ctx.profile.capabilities.delete {
        out.push(CaseResult::skipped(
            RuleId::LifeDeleteGone,
            "the target cannot delete associations",
        ));
        return out;
    }
    let delete = ctx.delete(Role::Owner, &id).await;
    if let Some(case) = must_succeed(
        RuleId::LifeDeleteGone,
        &delete,
        "the delete must be accepted",
    ) {
        out.push(case);
        return out;
    }
    let (gone, ended) = ctx.wait_gone(Role::Owner, &id).await;
    out.push(judge::delete_gone(&last, &delete, &gone, ended, waited));
    out
}

/// The quota probe: fill one network up to the target's small quota, then one more.
pub async fn quota(ctx: Arc<Ctx>) -> Vec<CaseResult> {
    let rule = RuleId::QuotaAssociations;
    let Some(quota) = ctx.profile.capabilities.quota_probe else {
        return vec![CaseResult::skipped(
            rule,
            "the target has no small quota to probe (capabilities.quota_probe); never probed on live AWS (500 per network)",
        )];
    };
    if ctx.profile.live {
        return vec![CaseResult::skipped(rule, "never probed on live AWS")];
    }
    let sn = match ctx.fx.network(Role::Owner).await {
        Ok(n) => n,
        Err(e) => return setup_failed(&[rule], &e),
    };
    let associate = || async {
        let svc = ctx.fx.service(Role::Owner).await?;
        let body = CreateAssociationRequest::new(&svc.id, &sn.id)
            .token(&ctx.fx.token("quota"))
            .to_json();
        Ok(ctx.create(Role::Owner, &body).await)
    };
    let mut evidence = Vec::new();
    for _ in 0..quota {
        let e = match associate().await {
            Ok(e) => e,
            Err(e) => return setup_failed(&[rule], &e),
        };
        let note = format!("associations up to the quota of {quota} must succeed");
        if let Some(mut case) = must_succeed(rule, &e, &note) {
            case.evidence.splice(0..0, evidence);
            return vec![case];
        }
        evidence.push(e);
    }
    match associate().await {
        Ok(over) => vec![judge::over_quota(&over, quota)],
        Err(e) => setup_failed(&[rule], &e),
    }
}
