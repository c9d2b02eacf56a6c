//! Existence: well-formed identifiers of resources that do not exist are 404
//! ResourceNotFoundException with `resourceId` and `resourceType`; bare ids and same-account ARNs.

use std::sync::Arc;

use lattice_checks::judge::existence::{by_arn, not_found, nothing_listed};
use lattice_spec::wire::CreateAssociationRequest;
use lattice_spec::{Check, Role, RuleId};
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
    out.extend(arn_forms(&ctx).await);
    out
}

/// Field `i` of an ARN (`arn:partition:service:region:account:resource`).
fn arn_field(arn: &str, i: usize) -> Option<String> {
    arn.splitn(6, ':').nth(i).map(str::to_owned)
}

/// The ARN with field `i` replaced by `value`.
fn with_field(arn: &str, i: usize, value: &str) -> String {
    let mut parts: Vec<&str> = arn.splitn(6, ':').collect();
    if let Some(p) = parts.get_mut(i) {
        *p = value;
    }
    parts.join(":")
}

/// The region an ARN of another region names: us-west-2, or us-east-1 where the endpoint is in
/// us-west-2.
fn other_region(region: &str) -> &'static str {
    if region == "us-west-2" {
        "us-east-1"
    } else {
        "us-west-2"
    }
}

/// A 12-digit account that is not `account`: the peer's where the target has one, else the
/// owner's with its last digit changed.
fn other_account(ctx: &Ctx, account: &str) -> String {
    ctx.fx
        .account(Role::Peer)
        .filter(|a| a != account)
        .unwrap_or_else(|| {
            let mut a = account.to_owned();
            let last = if a.ends_with('1') { "2" } else { "1" };
            a.replace_range(a.len().saturating_sub(1).., last);
            a
        })
}

/// EXIST-BY-ARN and EXIST-FOREIGN-ARN: four pairs of the owner's; a service by ARN, a network
/// by ARN and both by ARN (one pair each), then the fourth pair's service and network ids under
/// ARNs of another account and of another region, after which List of that service must list
/// nothing.
async fn arn_forms(ctx: &Ctx) -> Vec<CaseResult> {
    let rules = [RuleId::ExistByArn, RuleId::ExistForeignArn];
    // Four pairs of the owner's (on a live target's economy, pooled services on the pooled
    // network): one per form of the valid creates, one for the foreign ARNs.
    let mut pairs = Vec::new();
    for _ in 0..4 {
        match ctx.fx.pair(Role::Owner).await {
            Ok(p) => pairs.push(p),
            Err(e) => return setup_failed(&rules, &e),
        }
    }
    let mut out = Vec::new();
    let forms = [
        (&pairs[0], pairs[0].0.arn.as_str(), pairs[0].1.id.as_str()),
        (&pairs[1], pairs[1].0.id.as_str(), pairs[1].1.arn.as_str()),
        (&pairs[2], pairs[2].0.arn.as_str(), pairs[2].1.arn.as_str()),
    ];
    let mut control = None;
    for ((svc, network), service, network_ident) in forms {
        let create = ctx
            .create(
                Role::Owner,
                &CreateAssociationRequest::new(service, network_ident)
                    .token(&ctx.fx.token("exist-arn"))
                    .to_json(),
            )
            .await;
        let read = match lattice_checks::judge::created_id(&create) {
            Some(id) => ctx.read_created(Role::Owner, &id).await,
            None => create.clone(),
        };
        let note = format!("service `{service}`, network `{network_ident}`");
        out.push(by_arn(&create, &read, (&svc.id, &network.id), note));
        control.get_or_insert(create);
    }
    let Some(control) = control else { return out };
    let (svc, fresh) = &pairs[3];
    let Some(own_account) = arn_field(&svc.arn, 4) else {
        let reason = format!("the service's ARN `{}` has no account to change", svc.arn);
        out.push(CaseResult::inconclusive(
            RuleId::ExistForeignArn,
            reason,
            vec![control],
        ));
        return out;
    };
    let account = other_account(ctx, &own_account);
    let region = other_region(ctx.driver.region());
    let cases = [
        (with_field(&svc.arn, 4, &account), fresh.id.clone()),
        (with_field(&svc.arn, 3, region), fresh.id.clone()),
        (svc.id.clone(), with_field(&fresh.arn, 4, &account)),
        (svc.id.clone(), with_field(&fresh.arn, 3, region)),
    ];
    for (service, network) in cases {
        let e = ctx
            .create(
                Role::Owner,
                &CreateAssociationRequest::new(&service, &network).to_json(),
            )
            .await;
        let note = format!("service `{service}`, network `{network}`");
        out.push(not_found(
            ExistenceRule::ExistForeignArn,
            &e,
            note,
            &control,
        ));
    }
    let listed = ctx.list_by(Role::Owner, "serviceIdentifier", &svc.id).await;
    out.push(nothing_listed(
        ExistenceRule::ExistForeignArn,
        &listed,
        &control,
        format!("List of `{}` after the refused creates", svc.id),
    ));
    out
}
