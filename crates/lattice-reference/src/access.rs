//! Resolving identifiers and deciding visibility: a bare id names a resource in the caller's
//! account, an ARN names it in the ARN's account (and must be of this partition and region); a
//! resource of another account is visible only when it was shared with the caller through an
//! accepted RAM share. Invisible and missing resources are both "not found", unless a choice
//! reads an existing resource of another account as denied (`never-shared-access-denied`,
//! `unshared-access-denied`) or a bare id as resolved through a share (`bare-id-through-share`).

use lattice_spec::ids::{Identifier, ResourceKind};

use crate::choice::Choice;
use crate::context::Ctx;
use crate::defect::Defect;
use crate::errors::ApiError;
use crate::world::{Association, Network, ResourceRef, Service};

/// What an identifier names, without looking anything up: the account (the ARN's, or the
/// caller's for a bare id) and the id. `None` when it is not an identifier of `kind` or names
/// another partition or region.
pub(crate) fn name_of(ctx: &Ctx<'_>, kind: ResourceKind, raw: &str) -> Option<(ResourceRef, bool)> {
    let ident = Identifier::parse(kind, raw).ok()?;
    let by_id_alone = ctx.has(Defect::ArnAccountIgnored);
    if let Identifier::Arn(arn) = &ident {
        if !by_id_alone
            && (arn.partition != ctx.config.partition || arn.region != ctx.config.region)
        {
            return None;
        }
    }
    let bare = matches!(ident, Identifier::Id(_));
    let account = if by_id_alone {
        ctx.caller
    } else {
        ident.account(ctx.caller)
    };
    Some((
        ResourceRef {
            account: account.to_owned(),
            id: ident.id().to_string(),
        },
        bare,
    ))
}

/// Whether the caller may use a resource owned by `target.account`: its own, or shared with it.
fn usable(ctx: &Ctx<'_>, target: &ResourceRef) -> bool {
    target.account == ctx.caller
        || ctx.has(Defect::AcceptUnsharedResource)
        || ctx
            .world
            .shared_with(target, ctx.caller, ctx.has(Defect::UnshareBlocksNothing))
}

/// Whether a List shows the caller a service or network of `account`: the caller's own, and
/// those shared with it through a live RAM share whose invitation it accepted.
pub(crate) fn listed(ctx: &Ctx<'_>, account: &str, id: &str) -> bool {
    account == ctx.caller
        || ctx.world.shared_with(
            &ResourceRef {
                account: account.to_owned(),
                id: id.to_owned(),
            },
            ctx.caller,
            false,
        )
}

/// Finds the service `raw` names and that the caller may use.
pub(crate) fn service(ctx: &Ctx<'_>, raw: &str) -> Result<Service, ApiError> {
    if raw.starts_with("arn:") && ctx.has(Defect::OwnArnUnresolved) {
        return Err(ApiError::not_found(ResourceKind::Service, raw));
    }
    let found = resolve(ctx, ResourceKind::Service, raw, |id| {
        ctx.world.services.get(id).map(|s| (s.account.as_str(), s))
    })?;
    Ok(found.clone())
}

/// Finds the service network `raw` names and that the caller may use.
pub(crate) fn network(ctx: &Ctx<'_>, raw: &str) -> Result<Network, ApiError> {
    let found = resolve(ctx, ResourceKind::ServiceNetwork, raw, |id| {
        ctx.world.networks.get(id).map(|n| (n.account.as_str(), n))
    })?;
    Ok(found.clone())
}

/// Services and networks alike: what `raw` names (in the caller's account for a bare id, in the
/// ARN's otherwise), found by `lookup` (id → owner account and resource), and usable by the
/// caller; anything else is "not found".
fn resolve<'w, T>(
    ctx: &Ctx<'_>,
    kind: ResourceKind,
    raw: &str,
    lookup: impl Fn(&str) -> Option<(&'w str, &'w T)>,
) -> Result<&'w T, ApiError> {
    let missing = || ApiError::not_found(kind, raw);
    let (target, bare) = name_of(ctx, kind, raw).ok_or_else(missing)?;
    let any_account = bare && ctx.has(Defect::BareIdAnyAccount);
    let through_share = |account: &str| {
        let owner = ResourceRef {
            account: account.to_owned(),
            id: target.id.clone(),
        };
        bare && ctx.chose(Choice::BareIdThroughShare)
            && ctx.world.shared_with(&owner, ctx.caller, false)
    };
    let (account, found) = lookup(&target.id)
        .filter(|(account, _)| any_account || *account == target.account || through_share(account))
        .ok_or_else(missing)?;
    let owner = ResourceRef {
        account: account.to_owned(),
        id: target.id.clone(),
    };
    if usable(ctx, &owner) || any_account {
        return Ok(found);
    }
    // Another account's resource the caller may not use: not found, or denied as a choice says.
    let once_shared = ctx.world.shared_with(&owner, ctx.caller, true);
    let denied = if once_shared {
        ctx.chose(Choice::UnsharedAccessDenied)
    } else {
        ctx.chose(Choice::NeverSharedAccessDenied)
    };
    if denied {
        return Err(ApiError::AccessDenied {
            message: format!(
                "The caller may not use {raw}: it belongs to another account and is not shared with the caller."
            ),
        });
    }
    Err(missing())
}

/// Who is asking to see an association: readers may be hidden from by a defect, deleters not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// Get, List, tags.
    Read,
    /// Delete.
    Delete,
}

/// Whether the caller may see (or delete) an association.
pub(crate) fn can_see(ctx: &Ctx<'_>, a: &Association, purpose: Purpose) -> bool {
    if purpose == Purpose::Delete && ctx.has(Defect::OutsiderCanDelete) {
        return true;
    }
    if !a.involves(ctx.caller) {
        return false;
    }
    if purpose == Purpose::Read
        && ctx.has(Defect::AssociationInvisibleToPeer)
        && a.creator != ctx.caller
    {
        return false;
    }
    true
}

/// Finds the association `raw` (an id or ARN) names and that the caller may see. An ARN names
/// it in the ARN's account, which must be one the association exists in (the creator's or a
/// resource owner's).
pub(crate) fn association(
    ctx: &Ctx<'_>,
    raw: &str,
    purpose: Purpose,
) -> Result<Association, ApiError> {
    let missing = || ApiError::not_found(ResourceKind::Association, raw);
    if raw.starts_with("arn:") && ctx.has(Defect::ArnUnresolvedOnReads) {
        return Err(missing());
    }
    let (target, _) = name_of(ctx, ResourceKind::Association, raw).ok_or_else(missing)?;
    let found = ctx.world.associations.get(&target.id).ok_or_else(missing)?;
    let home_ok = found.involves(&target.account)
        || purpose == Purpose::Delete && ctx.has(Defect::OutsiderCanDelete);
    if home_ok && can_see(ctx, found, purpose) {
        return Ok(found.clone());
    }
    // An account that is no party to the association: not found, or denied by choice.
    if home_ok && !found.involves(ctx.caller) && ctx.chose(Choice::OutsiderAccessDenied) {
        return Err(ApiError::AccessDenied {
            message: format!("The caller is not a party to the association {raw}."),
        });
    }
    Err(missing())
}
