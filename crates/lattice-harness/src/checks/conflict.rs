//! Conflicts: a second association for an associated pair, while the pair's association or one of
//! its resources is being deleted, re-association after a completed delete, and a delete while
//! the association is being created (judged by `lattice_checks::judge::conflict`).

use std::sync::Arc;

use lattice_checks::judge::conflict::{self as judge, WhileDeleting};
use lattice_checks::judge::{answered_as, created, must_succeed};
use lattice_checks::Exchange;
use lattice_spec::wire::{AssociationStatus, CreateAssociationRequest};
use lattice_spec::{Operation, Role, RuleId};

use super::{setup_failed, CaseResult, Ctx};
use lattice_transport::driver::ApiCall;
use lattice_transport::fixtures::CreatedResource;

/// A create of the pair as the owner, with a fresh token labelled `label`.
async fn create(ctx: &Ctx, pair: &(CreatedResource, CreatedResource), label: &str) -> Exchange {
    let body = CreateAssociationRequest::new(&pair.0.id, &pair.1.id)
        .token(&ctx.fx.token(label))
        .to_json();
    ctx.create(Role::Owner, &body).await
}

async fn duplicate(ctx: &Ctx) -> Vec<CaseResult> {
    let rule = RuleId::ConflictDuplicate;
    let pair = match ctx.fx.pair(Role::Owner).await {
        Ok(p) => p,
        Err(e) => return setup_failed(&[rule], &e),
    };
    let first = create(ctx, &pair, "dup").await;
    if let Some(case) = must_succeed(rule, &first, "the first create must succeed") {
        return vec![case];
    }
    let second = create(ctx, &pair, "dup").await;
    vec![judge::duplicate(&first, &second)]
}

/// How many times a deleting-state rule is tried on fresh resources when its create may have
/// come after the deletion finished (a loaded machine or a fast endpoint): the window is a
/// timing, not a contract, matter.
const WINDOW_ATTEMPTS: usize = 3;

/// Runs one try of a deleting-state rule, and again on fresh resources (at most
/// [`WINDOW_ATTEMPTS`] in all) while the try says its create missed the window; the last try's
/// cases.
async fn within_window<F, Fut>(mut attempt: F) -> Vec<CaseResult>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = (Vec<CaseResult>, bool)>,
{
    let mut tries = 1;
    loop {
        let (cases, missed) = attempt().await;
        if !missed || tries == WINDOW_ATTEMPTS {
            return cases;
        }
        tries += 1;
    }
}

async fn deleting_association(ctx: &Ctx) -> Vec<CaseResult> {
    let rule = RuleId::ConflictDeletingAssoc;
    if !ctx.profile.capabilities.async_status {
        return vec![CaseResult::skipped(
            rule,
            "the target deletes synchronously (capabilities.async_status = false): DELETE_IN_PROGRESS cannot be produced",
        )];
    }
    within_window(|| deleting_association_once(ctx)).await
}

/// One try of CONFLICT-DELETING-ASSOC on a fresh pair; `true` when the create missed the window.
async fn deleting_association_once(ctx: &Ctx) -> (Vec<CaseResult>, bool) {
    let rule = RuleId::ConflictDeletingAssoc;
    let pair = match ctx.fx.pair(Role::Owner).await {
        Ok(p) => p,
        Err(e) => return (setup_failed(&[rule], &e), false),
    };
    let first = create(ctx, &pair, "del").await;
    let id = match created(rule, &first, "the create must succeed") {
        Ok(id) => id,
        Err(case) => return (vec![*case], false),
    };
    let (ready, ended) = ctx.until_active(&id).await;
    let is_active =
        ended && lattice_checks::state::status_of(&ready) == Some(AssociationStatus::Active);
    if !is_active {
        return (
            vec![judge::deleting_association(&first, &ready, false, None)],
            false,
        );
    }
    let delete = ctx.delete(Role::Owner, &id).await;
    let second = create(ctx, &pair, "del").await;
    let after = if answered_as(rule, &second) {
        None
    } else {
        Some(ctx.get(Role::Owner, &id).await)
    };
    let seen = WhileDeleting {
        delete: &delete,
        create: &second,
        after: after.as_ref(),
    };
    let case = judge::deleting_association(&first, &ready, true, Some(seen));
    (vec![case], seen.missed_window())
}

async fn deleting_resource(ctx: &Ctx) -> Vec<CaseResult> {
    let rule = RuleId::ConflictDeletingResource;
    if !ctx.profile.capabilities.async_status || !ctx.profile.capabilities.delete {
        return vec![CaseResult::skipped(
            rule,
            "the target deletes synchronously or cannot delete: a service in DELETE_IN_PROGRESS cannot be produced",
        )];
    }
    within_window(|| deleting_resource_once(ctx)).await
}

/// One try of CONFLICT-DELETING-RESOURCE on a fresh disposable pair; `true` when the create
/// missed the window.
async fn deleting_resource_once(ctx: &Ctx) -> (Vec<CaseResult>, bool) {
    let rule = RuleId::ConflictDeletingResource;
    let pair = match ctx.fx.disposable_pair(Role::Owner).await {
        Ok(p) => p,
        Err(e) => return (setup_failed(&[rule], &e), false),
    };
    let delete = ctx
        .driver
        .send(&ApiCall::labelled(
            Operation::DeleteService,
            Role::Owner,
            &pair.0.id,
        ))
        .await;
    let create = create(ctx, &pair, "delres").await;
    let after = if answered_as(rule, &create) {
        None
    } else {
        let get = ApiCall::labelled(Operation::GetService, Role::Owner, &pair.0.id);
        Some(ctx.driver.send(&get).await)
    };
    let seen = WhileDeleting {
        delete: &delete,
        create: &create,
        after: after.as_ref(),
    };
    (vec![judge::deleting_resource(seen)], seen.missed_window())
}

async fn reassociate(ctx: &Ctx) -> Vec<CaseResult> {
    let rule = RuleId::ConflictReassociate;
    if !ctx.profile.capabilities.delete {
        return vec![CaseResult::skipped(
            rule,
            "the target cannot delete associations",
        )];
    }
    let pair = match ctx.fx.pair(Role::Owner).await {
        Ok(p) => p,
        Err(e) => return setup_failed(&[rule], &e),
    };
    let first = create(ctx, &pair, "re").await;
    let id = match created(rule, &first, "the create must succeed") {
        Ok(id) => id,
        Err(case) => return vec![*case],
    };
    let _ = ctx.settle(Role::Owner, &id).await;
    let delete = ctx.delete(Role::Owner, &id).await;
    let (gone, done) = ctx.wait_gone(Role::Owner, &id).await;
    let again = if done {
        Some(create(ctx, &pair, "re").await)
    } else {
        None
    };
    vec![judge::reassociate(
        &first,
        &delete,
        &gone,
        done,
        again.as_ref(),
    )]
}

async fn delete_creating(ctx: &Ctx) -> Vec<CaseResult> {
    let rule = RuleId::ConflictDeleteCreating;
    if !ctx.profile.capabilities.async_status {
        return vec![CaseResult::skipped(
            rule,
            "the target creates synchronously (capabilities.async_status = false): CREATE_IN_PROGRESS cannot be produced",
        )];
    }
    let pair = match ctx.fx.pair(Role::Owner).await {
        Ok(p) => p,
        Err(e) => return setup_failed(&[rule], &e),
    };
    let first = create(ctx, &pair, "dc").await;
    let id = match created(rule, &first, "the create must succeed") {
        Ok(id) => id,
        Err(case) => return vec![*case],
    };
    if let Some(case) = judge::creating_reached(&first) {
        return vec![case];
    }
    let delete = ctx.delete(Role::Owner, &id).await;
    vec![judge::delete_creating(&first, &delete)]
}

/// How many fresh services CONFLICT-RESOURCE-CREATING tries before it leaves the rule
/// inconclusive: a case the timing made undecidable (the service became ACTIVE first) is tried
/// again.
const CREATING_ATTEMPTS: usize = 3;

async fn resource_creating(ctx: &Ctx) -> Vec<CaseResult> {
    let rule = RuleId::ConflictResourceCreating;
    if !ctx.profile.capabilities.async_status {
        return vec![CaseResult::skipped(
            rule,
            "the target creates synchronously (capabilities.async_status = false): a service in CREATE_IN_PROGRESS cannot be produced",
        )];
    }
    let sn = match ctx.fx.any_network(Role::Owner).await {
        Ok(n) => n,
        Err(e) => return setup_failed(&[rule], &e),
    };
    let mut last = Vec::new();
    for _ in 0..CREATING_ATTEMPTS {
        let new = match ctx.fx.new_service(Role::Owner).await {
            Ok(s) => s,
            Err(e) => return setup_failed(&[rule], &e),
        };
        let body = CreateAssociationRequest::new(&new.resource.id, &sn.id)
            .token(&ctx.fx.token("creating"))
            .to_json();
        let create = ctx.create(Role::Owner, &body).await;
        let after = if answered_as(rule, &create) {
            None
        } else {
            let get = ApiCall::labelled(Operation::GetService, Role::Owner, &new.resource.id);
            Some(ctx.driver.send(&get).await)
        };
        let case = judge::resource_creating(&new.answer, &create, after.as_ref());
        let timing = case.verdict.name() == "inconclusive" && judge::service_creating(&new.answer);
        if !timing {
            return vec![case];
        }
        last = vec![case];
    }
    last
}

/// Runs the conflict cases.
pub async fn run(ctx: Arc<Ctx>) -> Vec<CaseResult> {
    let mut out = duplicate(&ctx).await;
    out.extend(resource_creating(&ctx).await);
    out.extend(deleting_association(&ctx).await);
    out.extend(deleting_resource(&ctx).await);
    out.extend(reassociate(&ctx).await);
    out.extend(delete_creating(&ctx).await);
    out
}
