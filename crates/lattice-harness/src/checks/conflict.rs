//! Conflicts: a second association for an associated pair, while the pair's association or one of
//! its resources is being deleted, and re-association after a completed delete.

use std::sync::Arc;

use lattice_checks::{Verdict, Violation};
use lattice_spec::wire::AssociationStatus;
use lattice_spec::wire::CreateAssociationRequest;
use lattice_spec::{ErrorType, ExpectedOutcome, Operation};
use lattice_spec::{Role, RuleId};

use super::{id_of, setup_failed, succeeded, CaseResult, Ctx};
use lattice_transport::driver::ApiCall;

/// Rules this check decides.
pub const RULES: &[RuleId] = &[
    RuleId::ConflictDuplicate,
    RuleId::ConflictDeletingAssoc,
    RuleId::ConflictDeletingResource,
    RuleId::ConflictReassociate,
    RuleId::ConflictDeleteCreating,
];

fn ok200() -> Vec<ExpectedOutcome> {
    vec![ExpectedOutcome::Success(200)]
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
    let pair = match ctx.fx.pair(Role::Owner).await {
        Ok(p) => p,
        Err(e) => return setup_failed(&[RuleId::ConflictDuplicate], &e),
    };
    let first = ctx
        .create(
            Role::Owner,
            &CreateAssociationRequest::new(&pair.0.id, &pair.1.id)
                .token(&ctx.fx.token("dup"))
                .to_json(),
        )
        .await;
    if !succeeded(&first) {
        return vec![ctx
            .judge_with(RuleId::ConflictDuplicate, &ok200(), &first, vec![])
            .with_note("the first create must succeed")];
    }
    let second = ctx
        .create(
            Role::Owner,
            &CreateAssociationRequest::new(&pair.0.id, &pair.1.id)
                .token(&ctx.fx.token("dup"))
                .to_json(),
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
    let pair = match ctx.fx.pair(Role::Owner).await {
        Ok(p) => p,
        Err(e) => return setup_failed(&[RuleId::ConflictDeletingAssoc], &e),
    };
    let first = ctx
        .create(
            Role::Owner,
            &CreateAssociationRequest::new(&pair.0.id, &pair.1.id)
                .token(&ctx.fx.token("del"))
                .to_json(),
        )
        .await;
    let Some(id) = id_of(&first).filter(|_| succeeded(&first)) else {
        return vec![ctx
            .judge_with(RuleId::ConflictDeletingAssoc, &ok200(), &first, vec![])
            .with_note("the create must succeed")];
    };
    let active = |e: &lattice_checks::Exchange| {
        lattice_checks::state::status_of(e) == Some(AssociationStatus::Active)
    };
    let (ready, is_active) = ctx
        .fx
        .poll_association(Role::Owner, &id, ctx.options.status_timeout, active)
        .await;
    if !is_active {
        return vec![CaseResult::inconclusive(
            RuleId::ConflictDeletingAssoc,
            "the association never became ACTIVE",
            vec![first, ready],
        )];
    }
    let delete = ctx.delete(Role::Owner, &id).await;
    let in_progress =
        lattice_checks::state::status_of(&delete) == Some(AssociationStatus::DeleteInProgress);
    let second = ctx
        .create(
            Role::Owner,
            &CreateAssociationRequest::new(&pair.0.id, &pair.1.id)
                .token(&ctx.fx.token("del"))
                .to_json(),
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
    let pair = match ctx.fx.pair(Role::Owner).await {
        Ok(p) => p,
        Err(e) => return setup_failed(&[RuleId::ConflictDeletingResource], &e),
    };
    let delete = ctx
        .driver
        .send(&ApiCall::labelled(
            Operation::DeleteService,
            Role::Owner,
            &pair.0.id,
        ))
        .await;
    let in_progress =
        lattice_checks::state::status_of(&delete) == Some(AssociationStatus::DeleteInProgress);
    let create = ctx
        .create(
            Role::Owner,
            &CreateAssociationRequest::new(&pair.0.id, &pair.1.id)
                .token(&ctx.fx.token("delres"))
                .to_json(),
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
    let pair = match ctx.fx.pair(Role::Owner).await {
        Ok(p) => p,
        Err(e) => return setup_failed(&[RuleId::ConflictReassociate], &e),
    };
    let first = ctx
        .create(
            Role::Owner,
            &CreateAssociationRequest::new(&pair.0.id, &pair.1.id)
                .token(&ctx.fx.token("re"))
                .to_json(),
        )
        .await;
    let Some(id) = id_of(&first).filter(|_| succeeded(&first)) else {
        return vec![ctx
            .judge_with(RuleId::ConflictReassociate, &ok200(), &first, vec![])
            .with_note("the create must succeed")];
    };
    let active = |e: &lattice_checks::Exchange| lattice_checks::state::settled(e);
    let _ = ctx
        .fx
        .poll_association(Role::Owner, &id, ctx.options.status_timeout, active)
        .await;
    let delete = ctx.delete(Role::Owner, &id).await;
    let (gone, done) = ctx.wait_gone(Role::Owner, &id).await;
    if !done {
        return vec![CaseResult::inconclusive(
            RuleId::ConflictReassociate,
            "the deleted association never disappeared",
            vec![first, delete, gone],
        )];
    }
    let again = ctx
        .create(
            Role::Owner,
            &CreateAssociationRequest::new(&pair.0.id, &pair.1.id)
                .token(&ctx.fx.token("re"))
                .to_json(),
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
    let pair = match ctx.fx.pair(Role::Owner).await {
        Ok(p) => p,
        Err(e) => return setup_failed(&[RuleId::ConflictDeleteCreating], &e),
    };
    let first = ctx
        .create(
            Role::Owner,
            &CreateAssociationRequest::new(&pair.0.id, &pair.1.id)
                .token(&ctx.fx.token("dc"))
                .to_json(),
        )
        .await;
    let Some(id) = id_of(&first).filter(|_| succeeded(&first)) else {
        return vec![ctx
            .judge_with(RuleId::ConflictDeleteCreating, &ok200(), &first, vec![])
            .with_note("the create must succeed")];
    };
    if lattice_checks::state::settled(&first) {
        return vec![CaseResult::inconclusive(
            RuleId::ConflictDeleteCreating,
            "the create answered a status other than CREATE_IN_PROGRESS, so the in-progress state was not reached",
            vec![first],
        )];
    }
    let delete = ctx.delete(Role::Owner, &id).await;
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
