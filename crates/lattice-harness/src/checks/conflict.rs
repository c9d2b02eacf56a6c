//! Conflicts: a second association for an associated pair, while the pair's association or one of
//! its resources is being deleted, and re-association after a completed delete.

use std::sync::Arc;

use lattice_checks::{Verdict, Violation};
use lattice_spec::RuleId;
use lattice_spec::{ErrorType, Operation, Outcome};

use super::{create_body, id_of, setup_failed, succeeded, CaseResult, Ctx};
use lattice_transport::driver::ApiCall;

/// Rules this check decides.
pub const RULES: &[RuleId] = &[
    RuleId::ConflictDuplicate,
    RuleId::ConflictDeletingAssoc,
    RuleId::ConflictDeletingResource,
    RuleId::ConflictReassociate,
    RuleId::ConflictDeleteCreating,
];

fn ok200() -> Vec<Outcome> {
    vec![Outcome::Success(200)]
}

fn conflict_members(e: &lattice_checks::Exchange) -> Vec<Violation> {
    let Some(resp) = e.ok().filter(|r| r.status == 409) else {
        return vec![];
    };
    let body = resp.json().unwrap_or_default();
    ErrorType::ConflictException
        .required_members()
        .iter()
        .filter(|m| !body.get(**m).is_some_and(|v| v.is_string()))
        .map(|m| Violation::MissingMember {
            shape: "ConflictException".into(),
            member: (*m).into(),
        })
        .collect()
}

async fn duplicate(ctx: &Ctx) -> Vec<CaseResult> {
    let pair = match ctx.fx.pair(0).await {
        Ok(p) => p,
        Err(e) => return setup_failed(&[RuleId::ConflictDuplicate], &e),
    };
    let first = ctx
        .create(
            0,
            &create_body(&pair.0.id, &pair.1.id, Some(&ctx.fx.token("dup")), None),
        )
        .await;
    if !succeeded(&first) {
        return vec![ctx
            .judge_with(RuleId::ConflictDuplicate, &ok200(), &first, vec![])
            .with_note("the first create must succeed")];
    }
    let second = ctx
        .create(
            0,
            &create_body(&pair.0.id, &pair.1.id, Some(&ctx.fx.token("dup")), None),
        )
        .await;
    let mut case = ctx.judge(RuleId::ConflictDuplicate, &second, vec![first]);
    if case.verdict == Verdict::Pass {
        let v = conflict_members(&second);
        if !v.is_empty() {
            case.verdict = Verdict::Fail(v);
        }
    }
    vec![case.with_note("a second create for the associated pair, with a new token")]
}

async fn deleting_association(ctx: &Ctx) -> Vec<CaseResult> {
    if !ctx.profile.capabilities.async_status {
        return vec![CaseResult::skipped(
            RuleId::ConflictDeletingAssoc,
            "the target deletes synchronously (capabilities.async_status = false): DELETE_IN_PROGRESS cannot be produced",
        )];
    }
    let pair = match ctx.fx.pair(0).await {
        Ok(p) => p,
        Err(e) => return setup_failed(&[RuleId::ConflictDeletingAssoc], &e),
    };
    let first = ctx
        .create(
            0,
            &create_body(&pair.0.id, &pair.1.id, Some(&ctx.fx.token("del")), None),
        )
        .await;
    let Some(id) = id_of(&first).filter(|_| succeeded(&first)) else {
        return vec![ctx
            .judge_with(RuleId::ConflictDeletingAssoc, &ok200(), &first, vec![])
            .with_note("the create must succeed")];
    };
    let active = |e: &lattice_checks::Exchange| {
        lattice_checks::state::member_of(e, "status").as_deref() == Some("ACTIVE")
    };
    let (ready, is_active) = ctx
        .fx
        .poll_association(0, &id, ctx.options.status_timeout, active)
        .await;
    if !is_active {
        return vec![CaseResult::inconclusive(
            RuleId::ConflictDeletingAssoc,
            "the association never became ACTIVE",
            vec![first, ready],
        )];
    }
    let delete = ctx.delete(0, &id).await;
    let in_progress = lattice_checks::state::member_of(&delete, "status").as_deref()
        == Some("DELETE_IN_PROGRESS");
    let second = ctx
        .create(
            0,
            &create_body(&pair.0.id, &pair.1.id, Some(&ctx.fx.token("del")), None),
        )
        .await;
    if !in_progress {
        return vec![CaseResult::inconclusive(
            RuleId::ConflictDeletingAssoc,
            "the delete did not report DELETE_IN_PROGRESS, so the in-progress state was not reached",
            vec![first, delete, second],
        )];
    }
    let case = ctx.judge(RuleId::ConflictDeletingAssoc, &second, vec![first, delete]);
    vec![case.with_note("a create for the pair right after its association's delete was accepted")]
}

async fn deleting_resource(ctx: &Ctx) -> Vec<CaseResult> {
    if !ctx.profile.capabilities.async_status || !ctx.profile.capabilities.delete {
        return vec![CaseResult::skipped(
            RuleId::ConflictDeletingResource,
            "the target deletes synchronously or cannot delete: a service in DELETE_IN_PROGRESS cannot be produced",
        )];
    }
    let pair = match ctx.fx.pair(0).await {
        Ok(p) => p,
        Err(e) => return setup_failed(&[RuleId::ConflictDeletingResource], &e),
    };
    let delete = ctx
        .driver
        .send(&ApiCall::labelled(Operation::DeleteService, 0, &pair.0.id))
        .await;
    let in_progress = lattice_checks::state::member_of(&delete, "status").as_deref()
        == Some("DELETE_IN_PROGRESS");
    let create = ctx
        .create(
            0,
            &create_body(&pair.0.id, &pair.1.id, Some(&ctx.fx.token("delres")), None),
        )
        .await;
    if !in_progress {
        return vec![CaseResult::inconclusive(
            RuleId::ConflictDeletingResource,
            "DeleteService did not report DELETE_IN_PROGRESS, so the in-progress state was not reached",
            vec![delete, create],
        )];
    }
    vec![ctx
        .judge(RuleId::ConflictDeletingResource, &create, vec![delete])
        .with_note("a create with a service whose delete is in progress")]
}

async fn reassociate(ctx: &Ctx) -> Vec<CaseResult> {
    if !ctx.profile.capabilities.delete {
        return vec![CaseResult::skipped(
            RuleId::ConflictReassociate,
            "the target cannot delete associations",
        )];
    }
    let pair = match ctx.fx.pair(0).await {
        Ok(p) => p,
        Err(e) => return setup_failed(&[RuleId::ConflictReassociate], &e),
    };
    let first = ctx
        .create(
            0,
            &create_body(&pair.0.id, &pair.1.id, Some(&ctx.fx.token("re")), None),
        )
        .await;
    let Some(id) = id_of(&first).filter(|_| succeeded(&first)) else {
        return vec![ctx
            .judge_with(RuleId::ConflictReassociate, &ok200(), &first, vec![])
            .with_note("the create must succeed")];
    };
    let active = |e: &lattice_checks::Exchange| {
        lattice_checks::state::member_of(e, "status").as_deref() != Some("CREATE_IN_PROGRESS")
    };
    let _ = ctx
        .fx
        .poll_association(0, &id, ctx.options.status_timeout, active)
        .await;
    let delete = ctx.delete(0, &id).await;
    let (gone, done) = ctx.wait_gone(0, &id).await;
    if !done {
        return vec![CaseResult::inconclusive(
            RuleId::ConflictReassociate,
            "the deleted association never disappeared",
            vec![first, delete, gone],
        )];
    }
    let again = ctx
        .create(
            0,
            &create_body(&pair.0.id, &pair.1.id, Some(&ctx.fx.token("re")), None),
        )
        .await;
    vec![ctx
        .judge(
            RuleId::ConflictReassociate,
            &again,
            vec![first, delete, gone],
        )
        .with_note("create, delete, wait until gone, create again")]
}

async fn delete_creating(ctx: &Ctx) -> Vec<CaseResult> {
    if !ctx.profile.capabilities.async_status {
        return vec![CaseResult::skipped(
            RuleId::ConflictDeleteCreating,
            "the target creates synchronously (capabilities.async_status = false): CREATE_IN_PROGRESS cannot be produced",
        )];
    }
    let pair = match ctx.fx.pair(0).await {
        Ok(p) => p,
        Err(e) => return setup_failed(&[RuleId::ConflictDeleteCreating], &e),
    };
    let first = ctx
        .create(
            0,
            &create_body(&pair.0.id, &pair.1.id, Some(&ctx.fx.token("dc")), None),
        )
        .await;
    let Some(id) = id_of(&first).filter(|_| succeeded(&first)) else {
        return vec![ctx
            .judge_with(RuleId::ConflictDeleteCreating, &ok200(), &first, vec![])
            .with_note("the create must succeed")];
    };
    if lattice_checks::state::member_of(&first, "status").as_deref() != Some("CREATE_IN_PROGRESS") {
        return vec![CaseResult::inconclusive(
            RuleId::ConflictDeleteCreating,
            "the create answered a status other than CREATE_IN_PROGRESS, so the in-progress state was not reached",
            vec![first],
        )];
    }
    let delete = ctx.delete(0, &id).await;
    vec![ctx
        .judge(RuleId::ConflictDeleteCreating, &delete, vec![first])
        .with_note("a delete right after a create that answered CREATE_IN_PROGRESS")]
}

/// Runs the conflict cases.
pub async fn run(ctx: Arc<Ctx>) -> Vec<CaseResult> {
    let mut out = duplicate(&ctx).await;
    out.extend(deleting_association(&ctx).await);
    out.extend(deleting_resource(&ctx).await);
    out.extend(reassociate(&ctx).await);
    out.extend(delete_creating(&ctx).await);
    out
}
