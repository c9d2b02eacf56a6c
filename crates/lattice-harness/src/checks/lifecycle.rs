//! Lifecycle: a new association reaches ACTIVE (or CREATE_FAILED with a failure code and message)
//! within the status budget, polled with backoff; a deleted one reaches 404. And the quota probe.

use std::sync::Arc;

use lattice_checks::state::member_of;
use lattice_checks::{Exchange, Verdict, Violation};
use lattice_spec::wire::AssociationStatus;
use lattice_spec::wire::CreateAssociationRequest;
use lattice_spec::ExpectedOutcome;
use lattice_spec::{Role, RuleId};

use super::{id_of, setup_failed, succeeded, CaseResult, Ctx};

/// Rules this check decides.
pub const RULES: &[RuleId] = &[RuleId::LifeReachesActive, RuleId::LifeDeleteGone];

fn settled(e: &Exchange) -> bool {
    matches!(
        lattice_checks::state::status_of(e),
        Some(AssociationStatus::Active | AssociationStatus::CreateFailed)
    ) || e.ok().is_some_and(|r| !r.is_success())
}

/// Runs the lifecycle cases.
pub async fn run(ctx: Arc<Ctx>) -> Vec<CaseResult> {
    let pair = match ctx.fx.pair(Role::Owner).await {
        Ok(p) => p,
        Err(e) => return setup_failed(RULES, &e),
    };
    let create = ctx
        .create(
            Role::Owner,
            &CreateAssociationRequest::new(&pair.0.id, &pair.1.id)
                .token(&ctx.fx.token("life"))
                .to_json(),
        )
        .await;
    let Some(id) = id_of(&create).filter(|_| succeeded(&create)) else {
        let case = ctx.judge_with(
            RuleId::LifeReachesActive,
            &[ExpectedOutcome::Success(200)],
            &create,
            vec![],
        );
        return vec![case.with_note("the create must succeed")];
    };
    let (last, done) = ctx
        .fx
        .poll_association(Role::Owner, &id, ctx.options.status_timeout, settled)
        .await;
    let mut out = Vec::new();
    let budget = ctx.options.status_timeout.as_secs_f32();
    if !done {
        let status = member_of(&last, "status")
            .unwrap_or_else(|| last.ok().map(|r| r.outcome()).unwrap_or_default());
        let v = vec![Violation::Contradiction {
            message: format!("still `{status}` after {budget:.0} s of polling"),
        }];
        out.push(CaseResult::new(
            RuleId::LifeReachesActive,
            v,
            vec![create.clone(), last.clone()],
            "ACTIVE or CREATE_FAILED",
        ));
    } else {
        let mut case = ctx.judge(RuleId::LifeReachesActive, &last, vec![create.clone()]);
        if lattice_checks::state::status_of(&last) == Some(AssociationStatus::CreateFailed) {
            let missing: Vec<Violation> = ["failureCode", "failureMessage"]
                .iter()
                .filter(|m| member_of(&last, m).is_none())
                .map(|m| Violation::MissingMember {
                    shape: "GetServiceNetworkServiceAssociationResponse".into(),
                    member: (*m).into(),
                })
                .collect();
            if !missing.is_empty() {
                case.verdict = Verdict::Fail(missing);
            }
        }
        out.push(case.with_note(format!(
            "first status `{}`",
            member_of(&create, "status").unwrap_or_default()
        )));
    }
    if !ctx.profile.capabilities.delete {
        out.push(CaseResult::skipped(
            RuleId::LifeDeleteGone,
            "the target cannot delete associations",
        ));
        return out;
    }
    let delete = ctx.delete(Role::Owner, &id).await;
    if !succeeded(&delete) {
        out.push(
            ctx.judge_with(
                RuleId::LifeDeleteGone,
                &[ExpectedOutcome::Success(200)],
                &delete,
                vec![],
            )
            .with_note("the delete must be accepted"),
        );
        return out;
    }
    let mut v = Vec::new();
    if let Some(s) = member_of(&delete, "status").filter(|s| {
        !matches!(
            AssociationStatus::parse(s),
            Some(AssociationStatus::DeleteInProgress | AssociationStatus::DeleteFailed)
        )
    }) {
        v.push(Violation::Contradiction {
            message: format!("the delete answered status `{s}`, not DELETE_IN_PROGRESS"),
        });
    }
    let (gone, done) = ctx.wait_gone(Role::Owner, &id).await;
    if !done && super::unjudgeable(&gone).is_none() {
        let status = member_of(&gone, "status").unwrap_or_default();
        v.push(Violation::Contradiction {
            message: format!("Get still answers `{status}` {budget:.0} s after the delete"),
        });
        out.push(CaseResult::new(
            RuleId::LifeDeleteGone,
            v,
            vec![delete, gone],
            "404 within the status budget",
        ));
    } else {
        let mut case = ctx.judge(RuleId::LifeDeleteGone, &gone, vec![delete]);
        if !v.is_empty() {
            case.verdict = Verdict::Fail(v);
        }
        out.push(case);
    }
    out
}

/// The quota probe: fill one network up to the target's small quota, then one more.
pub async fn quota(ctx: Arc<Ctx>) -> Vec<CaseResult> {
    let Some(quota) = ctx.profile.capabilities.quota_probe else {
        return vec![CaseResult::skipped(
            RuleId::QuotaAssociations,
            "the target has no small quota to probe (capabilities.quota_probe); never probed on live AWS (500 per network)",
        )];
    };
    if ctx.profile.live {
        return vec![CaseResult::skipped(
            RuleId::QuotaAssociations,
            "never probed on live AWS",
        )];
    }
    let sn = match ctx.fx.network(Role::Owner).await {
        Ok(n) => n,
        Err(e) => return setup_failed(&[RuleId::QuotaAssociations], &e),
    };
    let mut evidence = Vec::new();
    for _ in 0..quota {
        let svc = match ctx.fx.service(Role::Owner).await {
            Ok(s) => s,
            Err(e) => return setup_failed(&[RuleId::QuotaAssociations], &e),
        };
        let e = ctx
            .create(
                Role::Owner,
                &CreateAssociationRequest::new(&svc.id, &sn.id)
                    .token(&ctx.fx.token("quota"))
                    .to_json(),
            )
            .await;
        if !succeeded(&e) {
            let case = ctx.judge_with(
                RuleId::QuotaAssociations,
                &[ExpectedOutcome::Success(200)],
                &e,
                evidence,
            );
            return vec![case.with_note(format!(
                "associations up to the quota of {quota} must succeed"
            ))];
        }
        evidence.push(e);
    }
    let svc = match ctx.fx.service(Role::Owner).await {
        Ok(s) => s,
        Err(e) => return setup_failed(&[RuleId::QuotaAssociations], &e),
    };
    let over = ctx
        .create(
            Role::Owner,
            &CreateAssociationRequest::new(&svc.id, &sn.id)
                .token(&ctx.fx.token("quota"))
                .to_json(),
        )
        .await;
    let mut case = ctx.judge(RuleId::QuotaAssociations, &over, vec![]);
    if case.verdict == Verdict::Pass {
        let missing: Vec<Violation> = ["serviceCode", "quotaCode"]
            .iter()
            .filter(|m| member_of(&over, m).is_none())
            .map(|m| Violation::MissingMember {
                shape: "ServiceQuotaExceededException".into(),
                member: (*m).into(),
            })
            .collect();
        if !missing.is_empty() {
            case.verdict = Verdict::Fail(missing);
        }
    }
    vec![case.with_note(format!(
        "association {} in a network with a quota of {quota}",
        quota + 1
    ))]
}
