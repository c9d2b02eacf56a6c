//! Existence: well-formed identifiers of resources that do not exist are 404
//! ResourceNotFoundException with `resourceId` and `resourceType`; bare ids and same-account ARNs.

use std::sync::Arc;

use lattice_checks::judge::existence::not_found;
use lattice_spec::wire::CreateAssociationRequest;
use lattice_spec::{Check, Role};
use lattice_spec::{ExistenceRule, ResourceKind};

use super::{setup_failed, CaseResult, Ctx};

use super::validation::id_suffix as suffix;

/// Runs the existence cases.
pub async fn run(ctx: Arc<Ctx>) -> Vec<CaseResult> {
    let mut out = Vec::new();
    let (svc, sn) = match ctx.fx.pair(Role::Owner).await {
        Ok(p) => p,
        Err(e) => return setup_failed(Check::Existence.rules(), &e),
    };
    let account = ctx.fx.account(Role::Owner).unwrap_or_default();
    let region = ctx.driver.region().to_owned();
    let partition = lattice_spec::LatticeArn::parse(&svc.arn)
        .map(|a| a.partition)
        .unwrap_or_else(|_| "aws".into());
    let mut rng = super::validation::runner(ctx.options.seed, "existence");
    let arn = |kind: ResourceKind, id: &str| {
        format!(
            "arn:{partition}:vpc-lattice:{region}:{account}:{}/{id}",
            kind.arn_type()
        )
    };
    // The controls: the same requests naming resources that exist must succeed, or a not-found
    // shows nothing.
    let control_create = ctx
        .create(
            Role::Owner,
            &CreateAssociationRequest::new(&svc.id, &sn.id)
                .token(&ctx.fx.token("exist"))
                .to_json(),
        )
        .await;
    let control_get = match lattice_checks::judge::created_id(&control_create) {
        Some(id) => ctx.read_created(Role::Owner, &id).await,
        None => control_create.clone(),
    };
    for i in 0..ctx.options.cases.clamp(2, 8) {
        let ghost_svc = format!("svc-{}", suffix(&mut rng));
        let ghost_sn = format!("sn-{}", suffix(&mut rng));
        let by_arn = i % 2 == 1;
        let svc_ident = if by_arn {
            arn(ResourceKind::Service, &ghost_svc)
        } else {
            ghost_svc.clone()
        };
        let sn_ident = if by_arn {
            arn(ResourceKind::ServiceNetwork, &ghost_sn)
        } else {
            ghost_sn.clone()
        };
        let e = ctx
            .create(
                Role::Owner,
                &CreateAssociationRequest::new(&svc_ident, &sn.id).to_json(),
            )
            .await;
        out.push(not_found(
            ExistenceRule::ExistService,
            &e,
            format!("nonexistent service `{svc_ident}`"),
            &control_create,
        ));
        let e = ctx
            .create(
                Role::Owner,
                &CreateAssociationRequest::new(&svc.id, &sn_ident).to_json(),
            )
            .await;
        out.push(not_found(
            ExistenceRule::ExistNetwork,
            &e,
            format!("nonexistent network `{sn_ident}`"),
            &control_create,
        ));
        let ghost_assoc = format!("snsa-{}", suffix(&mut rng));
        let ident = if by_arn {
            arn(ResourceKind::Association, &ghost_assoc)
        } else {
            ghost_assoc
        };
        let e = ctx.get(Role::Owner, &ident).await;
        out.push(not_found(
            ExistenceRule::ExistAssociation,
            &e,
            format!("Get of nonexistent `{ident}`"),
            &control_get,
        ));
        if !ctx.profile.capabilities.delete {
            continue;
        }
        let e = ctx.delete(Role::Owner, &ident).await;
        out.push(not_found(
            ExistenceRule::ExistAssociation,
            &e,
            format!("Delete of nonexistent `{ident}`"),
            &control_get,
        ));
    }
    out
}
