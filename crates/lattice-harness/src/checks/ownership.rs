//! Ownership and sharing across accounts through AWS RAM: who may associate what, who sees the
//! association, who may delete it, and what an ended share changes.

use std::sync::Arc;

use lattice_checks::state::{created_by, listed_ids};
use lattice_checks::{Verdict, Violation};
use lattice_spec::wire::AssociationStatus;
use lattice_spec::wire::CreateAssociationRequest;
use lattice_spec::ExpectedOutcome;
use lattice_spec::{Role, RuleId};

use super::{id_of, succeeded, unjudgeable, CaseResult, Ctx};
use lattice_transport::fixtures::{CreatedResource, SetupError};

/// Rules this check decides.
pub const RULES: &[RuleId] = &[
    RuleId::OwnBothOwned,
    RuleId::OwnSharedNetwork,
    RuleId::OwnSharedService,
    RuleId::OwnBothShared,
    RuleId::OwnNotShared,
    RuleId::OwnBareId,
    RuleId::OwnOutsider,
    RuleId::OwnDeleteEither,
    RuleId::OwnUnshare,
];

struct World {
    owner: Role,
    peer: Role,
    outsider: Role,
    svc_o: [CreatedResource; 4],
    sn_o: CreatedResource,
    svc_p: CreatedResource,
    sn_p: CreatedResource,
    sn_p2: CreatedResource,
    sn_x: CreatedResource,
    share_p2: String,
}

async fn setup(ctx: &Ctx, owner: Role, peer: Role, outsider: Role) -> Result<World, SetupError> {
    let fx = &ctx.fx;
    let svc_o = [
        fx.service(owner).await?,
        fx.service(owner).await?,
        fx.service(owner).await?,
        fx.service(owner).await?,
    ];
    let sn_o = fx.network(owner).await?;
    let (svc_p, sn_p, sn_p2) = (
        fx.service(peer).await?,
        fx.network(peer).await?,
        fx.network(peer).await?,
    );
    let sn_x = fx.network(outsider).await?;
    fx.share(&sn_p, owner).await?;
    fx.share(&svc_p, owner).await?;
    let share_p2 = fx.share(&sn_p2, owner).await?;
    Ok(World {
        owner,
        peer,
        outsider,
        svc_o,
        sn_o,
        svc_p,
        sn_p,
        sn_p2,
        sn_x,
        share_p2,
    })
}

fn ok200() -> Vec<ExpectedOutcome> {
    vec![ExpectedOutcome::Success(200)]
}

/// A successful create whose `createdBy` is the caller, then visible to `also` through Get and
/// List (filtered by the query member and value given with `also`).
async fn allowed(
    ctx: &Ctx,
    rule: RuleId,
    caller: Role,
    svc: &str,
    sn: &str,
    also: Option<(Role, &str, &str)>,
) -> (CaseResult, Option<String>) {
    let e = ctx
        .create(
            caller,
            &CreateAssociationRequest::new(svc, sn)
                .token(&ctx.fx.token("own"))
                .to_json(),
        )
        .await;
    let mut case = ctx.judge(rule, &e, vec![]);
    let id = id_of(&e).filter(|_| succeeded(&e));
    if case.verdict != Verdict::Pass {
        return (case, id);
    }
    let mut v = Vec::new();
    if let Some(account) = ctx.fx.account(caller) {
        v.extend(created_by(&e, &account));
    }
    if let (Some((other, key, value)), Some(id)) = (also, &id) {
        let get = ctx.get(other, id).await;
        if unjudgeable(&get).is_none() && !succeeded(&get) {
            v.push(Violation::Contradiction {
                message: format!(
                    "the other resource owner cannot Get the association: {}",
                    get.ok().map(|r| r.outcome()).unwrap_or_default()
                ),
            });
        }
        let list = ctx.list_by(other, key, value).await;
        if unjudgeable(&list).is_none() && !listed_ids(&list).contains(id) {
            v.push(Violation::Contradiction {
                message: "the other resource owner's List does not show the association".into(),
            });
        }
        case.evidence.extend([get, list]);
    }
    if !v.is_empty() {
        case.verdict = Verdict::Fail(v);
    }
    (case, id)
}

/// Runs the ownership cases.
pub async fn run(ctx: Arc<Ctx>) -> Vec<CaseResult> {
    if !ctx.profile.capabilities.ram {
        return without_ram(&ctx).await;
    }
    let (Some(owner), Some(peer), Some(outsider)) = (
        ctx.principal(Role::Owner),
        ctx.principal(Role::Peer),
        ctx.principal(Role::Outsider),
    ) else {
        return RULES
            .iter()
            .map(|r| {
                CaseResult::skipped(
                    *r,
                    "the target profile needs three principals: owner, peer, outsider",
                )
            })
            .collect();
    };
    let w = match setup(&ctx, owner, peer, outsider).await {
        Ok(w) => w,
        Err(e) => return super::setup_failed(RULES, &e),
    };
    let mut out = Vec::new();
    // Both owned.
    let (case, both_owned) = allowed(
        &ctx,
        RuleId::OwnBothOwned,
        w.owner,
        &w.svc_o[0].id,
        &w.sn_o.id,
        None,
    )
    .await;
    out.push(case.with_note("the caller owns the service and the network"));
    // Network shared by the peer, addressed by ARN.
    let (case, shared_net) = allowed(
        &ctx,
        RuleId::OwnSharedNetwork,
        w.owner,
        &w.svc_o[0].id,
        &w.sn_p.arn,
        Some((w.peer, "serviceNetworkIdentifier", &w.sn_p.id)),
    )
    .await;
    out.push(case.with_note(
        "the caller owns the service; the peer's network is shared with it and addressed by ARN",
    ));
    // Service shared by the peer, addressed by ARN.
    let (case, _) = allowed(
        &ctx,
        RuleId::OwnSharedService,
        w.owner,
        &w.svc_p.arn,
        &w.sn_o.id,
        Some((w.peer, "serviceIdentifier", &w.svc_p.id)),
    )
    .await;
    out.push(case.with_note(
        "the caller owns the network; the peer's service is shared with it and addressed by ARN",
    ));
    // Both shared.
    let e = ctx
        .create(
            w.owner,
            &CreateAssociationRequest::new(&w.svc_p.arn, &w.sn_p.arn)
                .token(&ctx.fx.token("own"))
                .to_json(),
        )
        .await;
    out.push(
        ctx.judge(RuleId::OwnBothShared, &e, vec![])
            .with_note("both resources are only shared with the caller"),
    );
    // Never shared.
    let e = ctx
        .create(
            w.owner,
            &CreateAssociationRequest::new(&w.svc_o[1].id, &w.sn_x.arn)
                .token(&ctx.fx.token("own"))
                .to_json(),
        )
        .await;
    out.push(
        ctx.judge(RuleId::OwnNotShared, &e, vec![])
            .with_note("the outsider's network was never shared"),
    );
    // A peer's bare id resolves in the caller's account.
    let e = ctx
        .create(
            w.owner,
            &CreateAssociationRequest::new(&w.svc_o[1].id, &w.sn_p.id)
                .token(&ctx.fx.token("own"))
                .to_json(),
        )
        .await;
    out.push(
        ctx.judge(RuleId::OwnBareId, &e, vec![])
            .with_note("the peer's shared network given as a bare id"),
    );
    // An outsider sees none of it.
    if let Some(id) = &both_owned {
        out.extend(outsider_cases(&ctx, w.owner, w.outsider, id, &w.sn_o).await);
    }
    // Either owner may delete: the network owner deletes what the caller created.
    if !ctx.profile.capabilities.delete {
        out.push(CaseResult::skipped(
            RuleId::OwnDeleteEither,
            "the target cannot delete associations (capabilities.delete = false)",
        ));
    } else if let Some(id) = &shared_net {
        let active = |e: &lattice_checks::Exchange| lattice_checks::state::settled(e);
        let _ = ctx
            .fx
            .poll_association(w.owner, id, ctx.options.status_timeout, active)
            .await;
        let delete = ctx.delete(w.peer, id).await;
        out.push(
            ctx.judge(RuleId::OwnDeleteEither, &delete, vec![])
                .with_note("the network owner deletes the association the service owner created"),
        );
    }
    // Ending a share keeps existing associations and refuses new ones.
    let e = ctx
        .create(
            w.owner,
            &CreateAssociationRequest::new(&w.svc_o[2].id, &w.sn_p2.arn)
                .token(&ctx.fx.token("own"))
                .to_json(),
        )
        .await;
    if let Some(id) = id_of(&e).filter(|_| succeeded(&e)) {
        match ctx.fx.unshare(w.peer, &w.share_p2).await {
            Err(err) => out.push(CaseResult::inconclusive(
                RuleId::OwnUnshare,
                err.to_string(),
                vec![e, *err.exchange],
            )),
            Ok(()) => {
                let still = ctx.get(w.owner, &id).await;
                let mut persists =
                    ctx.judge_with(RuleId::OwnUnshare, &ok200(), &still, vec![e.clone()]);
                persists.note =
                    Some("the existing association persists after the share ends".into());
                out.push(persists);
                let fresh = ctx
                    .create(
                        w.owner,
                        &CreateAssociationRequest::new(&w.svc_o[3].id, &w.sn_p2.arn)
                            .token(&ctx.fx.token("own"))
                            .to_json(),
                    )
                    .await;
                out.push(
                    ctx.judge(RuleId::OwnUnshare, &fresh, vec![e])
                        .with_note("a new association with the formerly shared network"),
                );
            }
        }
    } else {
        out.push(
            ctx.judge_with(RuleId::OwnUnshare, &ok200(), &e, vec![])
                .with_note("the association before the share ends must succeed"),
        );
    }
    out
}

/// An outsider (no share, owns neither resource) cannot Get or Delete the owner's association by
/// ARN, and its List of the owner's network does not show it.
async fn outsider_cases(
    ctx: &Ctx,
    owner: Role,
    outsider: Role,
    id: &str,
    sn_o: &CreatedResource,
) -> Vec<CaseResult> {
    let mut out = Vec::new();
    let arn = lattice_checks::state::member_of(&ctx.get(owner, id).await, "arn")
        .unwrap_or_else(|| id.to_owned());
    let get = ctx.get(outsider, &arn).await;
    out.push(
        ctx.judge(RuleId::OwnOutsider, &get, vec![])
            .with_note("the outsider Gets the owner's association by ARN"),
    );
    if ctx.profile.capabilities.delete {
        let delete = ctx.delete(outsider, &arn).await;
        let mut case = ctx
            .judge(RuleId::OwnOutsider, &delete, vec![])
            .with_note("the outsider Deletes the owner's association by ARN");
        let after = ctx.get(owner, id).await;
        if unjudgeable(&after).is_none()
            && (!succeeded(&after)
                || lattice_checks::state::status_of(&after)
                    == Some(AssociationStatus::DeleteInProgress))
        {
            case.verdict = Verdict::Fail(vec![Violation::Contradiction {
                message: "after the outsider's Delete the association is no longer intact".into(),
            }]);
        }
        case.evidence.push(after);
        out.push(case);
    }
    let list = ctx.list_by_network(outsider, &sn_o.arn).await;
    let v = if listed_ids(&list).iter().any(|l| l == id) {
        vec![Violation::Contradiction {
            message: "the outsider's List shows the owner's association".into(),
        }]
    } else {
        vec![]
    };
    out.push(
        CaseResult::new(
            RuleId::OwnOutsider,
            v,
            vec![list],
            "the association not listed",
        )
        .with_note("the outsider Lists the owner's network"),
    );
    out
}

/// Without RAM (capabilities.ram = false) the rules that need no share still run: both owned,
/// never shared, and the outsider; the others are skipped.
async fn without_ram(ctx: &Ctx) -> Vec<CaseResult> {
    const NEED_RAM: &[RuleId] = &[
        RuleId::OwnSharedNetwork,
        RuleId::OwnSharedService,
        RuleId::OwnBothShared,
        RuleId::OwnBareId,
        RuleId::OwnDeleteEither,
        RuleId::OwnUnshare,
    ];
    let mut out: Vec<CaseResult> = NEED_RAM
        .iter()
        .map(|r| {
            CaseResult::skipped(
                *r,
                "the target does not share through AWS RAM (capabilities.ram = false)",
            )
        })
        .collect();
    let (Some(owner), Some(outsider)) = (ctx.principal(Role::Owner), ctx.principal(Role::Outsider))
    else {
        out.extend(
            [
                RuleId::OwnBothOwned,
                RuleId::OwnNotShared,
                RuleId::OwnOutsider,
            ]
            .iter()
            .map(|r| CaseResult::skipped(*r, "the target profile needs an owner and an outsider")),
        );
        return out;
    };
    let fx = &ctx.fx;
    let world = async {
        Ok::<_, SetupError>((
            fx.service(owner).await?,
            fx.service(owner).await?,
            fx.network(owner).await?,
            fx.network(outsider).await?,
        ))
    };
    let (svc_a, svc_b, sn_o, sn_x) = match world.await {
        Ok(w) => w,
        Err(e) => {
            out.extend(super::setup_failed(
                &[
                    RuleId::OwnBothOwned,
                    RuleId::OwnNotShared,
                    RuleId::OwnOutsider,
                ],
                &e,
            ));
            return out;
        }
    };
    let (case, both_owned) =
        allowed(ctx, RuleId::OwnBothOwned, owner, &svc_a.id, &sn_o.id, None).await;
    out.push(case.with_note("the caller owns the service and the network"));
    let e = ctx
        .create(
            owner,
            &CreateAssociationRequest::new(&svc_b.id, &sn_x.arn)
                .token(&ctx.fx.token("own"))
                .to_json(),
        )
        .await;
    out.push(
        ctx.judge(RuleId::OwnNotShared, &e, vec![])
            .with_note("the outsider's network was never shared"),
    );
    match &both_owned {
        Some(id) => out.extend(outsider_cases(ctx, owner, outsider, id, &sn_o).await),
        None => out.push(CaseResult::inconclusive(
            RuleId::OwnOutsider,
            "the owner's association could not be created",
            vec![],
        )),
    }
    out
}
