//! Ownership and sharing across accounts through AWS RAM: who may associate what, who sees the
//! association, who may delete it, and what an ended share changes (judged by
//! `lattice_checks::judge::ownership`).

use std::sync::Arc;

use lattice_checks::judge::ownership::{self as judge, Control, SeenByOther};
use lattice_checks::judge::{answered_as, created, created_id};
use lattice_checks::state::member_of;
use lattice_checks::Exchange;
use lattice_spec::wire::CreateAssociationRequest;
use lattice_spec::{Check, Operation, OwnershipRule, Role, RuleId};
use lattice_transport::driver::ApiCall;

use super::{CaseResult, Ctx};
use lattice_transport::fixtures::{CreatedResource, SetupError};

/// What the ownership cases run on: the owner's, the peer's and the outsider's resources, and
/// the peer's resources shared with the owner.
struct Universe {
    svc_o: [CreatedResource; 4],
    sn_o: CreatedResource,
    svc_p: CreatedResource,
    sn_p: CreatedResource,
    sn_p2: CreatedResource,
    sn_x: CreatedResource,
    share_p2: String,
}

async fn setup(ctx: &Ctx) -> Result<Universe, SetupError> {
    let fx = &ctx.fx;
    let (owner, peer) = (Role::Owner, Role::Peer);
    let svc_o = if fx.economy().is_some() {
        // Pooled services are ready already.
        [
            fx.service(owner).await?,
            fx.service(owner).await?,
            fx.service(owner).await?,
            fx.service(owner).await?,
        ]
    } else {
        // The services are created first, so that they become ACTIVE meanwhile.
        let new = [
            fx.new_service(owner).await?,
            fx.new_service(owner).await?,
            fx.new_service(owner).await?,
            fx.new_service(owner).await?,
        ];
        [
            fx.ready(&new[0]).await?,
            fx.ready(&new[1]).await?,
            fx.ready(&new[2]).await?,
            fx.ready(&new[3]).await?,
        ]
    };
    let sn_o = fx.network(owner).await?;
    let (svc_p, sn_p) = (fx.service(peer).await?, fx.network(peer).await?);
    let sn_x = fx.network(Role::Outsider).await?;
    let share_p = fx.share(&sn_p, owner).await?;
    fx.share(&svc_p, owner).await?;
    // The share that OWN-UNSHARE ends (last of all): under the fixture economy (at most three
    // service networks at once) the peer's one network's own share.
    let (sn_p2, share_p2) = if fx.economy().is_some() {
        (sn_p.clone(), share_p)
    } else {
        let sn_p2 = fx.network(peer).await?;
        let share_p2 = fx.share(&sn_p2, owner).await?;
        (sn_p2, share_p2)
    };
    Ok(Universe {
        svc_o,
        sn_o,
        svc_p,
        sn_p,
        sn_p2,
        sn_x,
        share_p2,
    })
}

/// A create of `svc` and `sn` by the owner, with a fresh token.
async fn create(ctx: &Ctx, svc: &str, sn: &str) -> Exchange {
    let body = CreateAssociationRequest::new(svc, sn)
        .token(&ctx.fx.token("own"))
        .to_json();
    ctx.create(Role::Owner, &body).await
}

/// What an allowed create made: its case, the new association's id, and the create itself.
struct Allowed {
    case: CaseResult,
    id: Option<String>,
    create: Exchange,
}

/// A create the rule allows; when it passes, the peer's Get and List (filtered by `also`'s query
/// member and value) are collected for the judgement.
async fn allowed(
    ctx: &Ctx,
    rule: OwnershipRule,
    svc: &str,
    sn: &str,
    also: Option<(&str, &str)>,
) -> Allowed {
    let e = create(ctx, svc, sn).await;
    let id = created_id(&e);
    let account = ctx.fx.account(Role::Owner);
    // createdBy is optional in the Create's answer: read it from Get when it is left out.
    let read = match (&id, member_of(&e, "createdBy")) {
        (Some(id), None) => Some(ctx.read_created(Role::Owner, id).await),
        _ => None,
    };
    let mut seen = None;
    if let (Some((key, value)), Some(id), true) = (also, &id, answered_as(rule.id(), &e)) {
        let get = ctx.read_created(Role::Peer, id).await;
        let list = ctx.list_by(Role::Peer, key, value).await;
        seen = Some((id.clone(), get, list));
    }
    let other = seen
        .as_ref()
        .map(|(id, get, list)| SeenByOther { id, get, list });
    let case = judge::allowed(rule, &e, read.as_ref(), account.as_deref(), other);
    Allowed {
        case,
        id,
        create: e,
    }
}

/// OWN-ARN-CREATOR on an association the owner made against the peer's shared resource: the
/// owner's Get of it, judged with the create; `shared_member` names the peer's resource in Get.
async fn arn_creator(ctx: &Ctx, made: &Allowed, shared_member: &str) -> Option<CaseResult> {
    let (creator, owner) = (ctx.fx.account(Role::Owner)?, ctx.fx.account(Role::Peer)?);
    // A create that made nothing is judged on its own answer (the rule then fails with it).
    let read = match made.id.as_deref() {
        Some(id) => ctx.read_created(Role::Owner, id).await,
        None => made.create.clone(),
    };
    let who = judge::CreatorAndOwner {
        creator: &creator,
        owner: &owner,
        shared_member,
    };
    Some(judge::arn_creator(&made.create, &read, who))
}

/// Runs the ownership cases.
pub async fn run(ctx: Arc<Ctx>) -> Vec<CaseResult> {
    if !ctx.profile.capabilities.ram {
        return without_ram(&ctx).await;
    }
    if Role::ALL.iter().any(|r| ctx.principal(*r).is_none()) {
        return skip_all(
            Check::Ownership.rules(),
            "the target profile needs three principals: owner, peer, outsider",
        );
    }
    let w = match setup(&ctx).await {
        Ok(w) => w,
        Err(e) => return super::setup_failed(Check::Ownership.rules(), &e),
    };
    let (mut out, shared_net) = creates(&ctx, &w).await;
    out.extend(delete_either(&ctx, shared_net.as_deref()).await);
    out.extend(unshare(&ctx, &w).await);
    out
}

/// The creates: both owned, a shared network, a shared service, both shared, never shared, a bare
/// id, and the outsider's view of the owner's association. Returns the shared-network one's id.
async fn creates(ctx: &Ctx, w: &Universe) -> (Vec<CaseResult>, Option<String>) {
    use OwnershipRule as O;
    let mut out = Vec::new();
    let made = allowed(ctx, O::OwnBothOwned, &w.svc_o[0].id, &w.sn_o.id, None).await;
    let both_owned = made.id;
    out.push(
        made.case
            .with_note("the caller owns the service and the network"),
    );
    let also = Some(("serviceNetworkIdentifier", w.sn_p.id.as_str()));
    let net = allowed(ctx, O::OwnSharedNetwork, &w.svc_o[0].id, &w.sn_p.arn, also).await;
    out.extend(arn_creator(ctx, &net, "serviceNetworkArn").await);
    out.push(net.case.with_note(
        "the caller owns the service; the peer's network is shared with it and addressed by ARN",
    ));
    let shared_net = net.id;
    let also = Some(("serviceIdentifier", w.svc_p.id.as_str()));
    let svc = allowed(ctx, O::OwnSharedService, &w.svc_p.arn, &w.sn_o.id, also).await;
    out.extend(arn_creator(ctx, &svc, "serviceArn").await);
    out.push(svc.case.with_note(
        "the caller owns the network; the peer's service is shared with it and addressed by ARN",
    ));
    // A refusal means something only where the same resources are usable when one side is the
    // caller's own: the creates with the peer's shared network and service above.
    let shared_network = Control {
        exchange: &net.create,
        what: "the create with the peer's network shared with the caller",
    };
    let shared_service = Control {
        exchange: &svc.create,
        what: "the create with the peer's service shared with the caller",
    };
    let e = create(ctx, &w.svc_p.arn, &w.sn_p.arn).await;
    let note = "both resources are only shared with the caller";
    let controls = [shared_network, shared_service];
    out.push(judge::answer(O::OwnBothShared, &e, note, &controls));
    let e = create(ctx, &w.svc_o[1].id, &w.sn_x.arn).await;
    let note = "the outsider's network was never shared";
    out.push(judge::answer(O::OwnNotShared, &e, note, &[shared_network]));
    out.push(bare_id(ctx, &w.svc_o[1].id, &w.sn_p.id, shared_network).await);
    let unshared = create(ctx, &w.svc_o[1].id, &w.sn_x.id).await;
    out.push(judge::bare_id_unshared(&unshared));
    if let Some(id) = &both_owned {
        out.extend(outsider_cases(ctx, id, &w.sn_o).await);
    }
    (out, shared_net)
}

/// OWN-BARE-ID: the owner names the peer's shared network by its bare id. Resolved through the
/// share (200), the association must be the owner's and name the peer's network (the owner's
/// Get shows it); or the bare id names nothing (404). The reading is recorded either way.
async fn bare_id(ctx: &Ctx, svc: &str, peer_network: &str, by_arn: Control<'_>) -> CaseResult {
    let e = create(ctx, svc, peer_network).await;
    let get = match created_id(&e) {
        Some(id) => Some(ctx.read_created(Role::Owner, &id).await),
        None => None,
    };
    let account = ctx.fx.account(Role::Owner);
    judge::bare_id(&e, get.as_ref(), account.as_deref(), peer_network, by_arn)
}

/// Either owner may delete: the network owner deletes what the service owner created.
async fn delete_either(ctx: &Ctx, shared_net: Option<&str>) -> Vec<CaseResult> {
    if !ctx.profile.capabilities.delete {
        return vec![CaseResult::skipped(
            RuleId::OwnDeleteEither,
            "the target cannot delete associations (capabilities.delete = false)",
        )];
    }
    let Some(id) = shared_net else {
        return vec![];
    };
    let _ = ctx.settle(Role::Owner, id).await;
    let delete = ctx.delete(Role::Peer, id).await;
    vec![judge::answer(
        OwnershipRule::OwnDeleteEither,
        &delete,
        "the network owner deletes the association the service owner created",
        &[],
    )]
}

/// Ending a share keeps existing associations and refuses new ones.
async fn unshare(ctx: &Ctx, w: &Universe) -> Vec<CaseResult> {
    let rule = RuleId::OwnUnshare;
    let e = create(ctx, &w.svc_o[2].id, &w.sn_p2.arn).await;
    let id = match created(
        rule,
        &e,
        "the association before the share ends must succeed",
    ) {
        Ok(id) => id,
        Err(case) => return vec![*case],
    };
    if let Err(err) = ctx.fx.unshare(Role::Peer, &w.share_p2).await {
        return vec![CaseResult::inconclusive(
            rule,
            err.to_string(),
            vec![e, *err.exchange],
        )];
    }
    let still = ctx.read_created(Role::Owner, &id).await;
    let fresh = create(ctx, &w.svc_o[3].id, &w.sn_p2.arn).await;
    vec![
        judge::unshare_persists(&e, &still),
        judge::unshare_refuses_new(&e, &fresh),
    ]
}

/// An outsider (no share, owns neither resource) cannot Get or Delete the owner's association by
/// ARN, and its List of the owner's network does not show it.
async fn outsider_cases(ctx: &Ctx, id: &str, sn_o: &CreatedResource) -> Vec<CaseResult> {
    let mut out = Vec::new();
    // Each refusal counts only where the owner's own read of the same thing succeeds.
    let owner_read = ctx.read_created(Role::Owner, id).await;
    let arn = member_of(&owner_read, "arn").unwrap_or_else(|| id.to_owned());
    let get = ctx.get(Role::Outsider, &arn).await;
    let exists = Control {
        exchange: &owner_read,
        what: "the owner's own Get of its association",
    };
    out.push(judge::answer(
        OwnershipRule::OwnOutsider,
        &get,
        "the outsider Gets the owner's association by ARN",
        &[exists],
    ));
    if ctx.profile.capabilities.delete {
        let delete = ctx.delete(Role::Outsider, &arn).await;
        let after = ctx.read_created(Role::Owner, id).await;
        out.push(judge::outsider_delete(&delete, &after));
    }
    let owner_list = ctx
        .list_showing(Role::Owner, "serviceNetworkIdentifier", &sn_o.arn, id)
        .await;
    let list = ctx.list_by_network(Role::Outsider, &sn_o.arn).await;
    out.push(judge::outsider_list(&list, id, &owner_list));
    if arn.starts_with("arn:") {
        let tags_as = |who| ApiCall::labelled(Operation::ListTagsForResource, who, &arn);
        let owner_tags = ctx.driver.send(&tags_as(Role::Owner)).await;
        let tags = ctx.driver.send(&tags_as(Role::Outsider)).await;
        let readable = Control {
            exchange: &owner_tags,
            what: "the owner's own ListTagsForResource of its association",
        };
        out.push(judge::outsider_tags(&tags, readable));
    }
    out
}

fn skip_all(rules: &[RuleId], reason: &str) -> Vec<CaseResult> {
    rules
        .iter()
        .map(|r| CaseResult::skipped(*r, reason))
        .collect()
}

/// Without RAM (capabilities.ram = false) the rules that need no share still run: both owned,
/// never shared, and the outsider; the others are skipped.
async fn without_ram(ctx: &Ctx) -> Vec<CaseResult> {
    use OwnershipRule as O;
    let need_ram = [
        O::OwnSharedNetwork,
        O::OwnArnCreator,
        O::OwnSharedService,
        O::OwnBothShared,
        O::OwnBareId,
        O::OwnDeleteEither,
        O::OwnUnshare,
    ]
    .map(OwnershipRule::id);
    let mut out = skip_all(
        &need_ram,
        "the target does not share through AWS RAM (capabilities.ram = false)",
    );
    let run_here = [O::OwnBothOwned, O::OwnNotShared, O::OwnOutsider].map(OwnershipRule::id);
    if ctx.principal(Role::Outsider).is_none() {
        out.extend(skip_all(
            &run_here,
            "the target profile needs an owner and an outsider",
        ));
        return out;
    }
    let fx = &ctx.fx;
    let world = async {
        Ok::<_, SetupError>((
            fx.service(Role::Owner).await?,
            fx.service(Role::Owner).await?,
            fx.network(Role::Owner).await?,
            fx.network(Role::Outsider).await?,
        ))
    };
    let (svc_a, svc_b, sn_o, sn_x) = match world.await {
        Ok(w) => w,
        Err(e) => {
            out.extend(super::setup_failed(&run_here, &e));
            return out;
        }
    };
    let made = allowed(ctx, O::OwnBothOwned, &svc_a.id, &sn_o.id, None).await;
    let both_owned = made.id;
    out.push(
        made.case
            .with_note("the caller owns the service and the network"),
    );
    let e = create(ctx, &svc_b.id, &sn_x.arn).await;
    let creates_work = Control {
        exchange: &made.create,
        what: "the caller's create with its own network",
    };
    out.push(judge::answer(
        O::OwnNotShared,
        &e,
        "the outsider's network was never shared",
        &[creates_work],
    ));
    match &both_owned {
        Some(id) => out.extend(outsider_cases(ctx, id, &sn_o).await),
        None => out.push(CaseResult::inconclusive(
            RuleId::OwnOutsider,
            "the owner's association could not be created",
            vec![],
        )),
    }
    out
}
