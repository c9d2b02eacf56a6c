//! `GetServiceNetworkServiceAssociation`, `DeleteServiceNetworkServiceAssociation` and
//! `ListServiceNetworkServiceAssociations`.

use lattice_spec::constraints::{
    ASSOCIATION_IDENTIFIER, SERVICE_IDENTIFIER, SERVICE_NETWORK_IDENTIFIER,
};
use lattice_spec::ids::ResourceKind;
use serde_json::{json, Value};

use crate::access::{self, Purpose};
use crate::choice::Choice;
use crate::context::Ctx;
use crate::defect::Defect;
use crate::errors::{ApiError, FieldError};
use crate::failures::FailStep;
use crate::input::{check_member, finish};
use crate::lifecycle::Phase;
use crate::reply::Reply;

use super::paging::{Page, Query};
use super::{label, views};

const LABEL: &str = "serviceNetworkServiceAssociationIdentifier";

/// How long Get lags a new association under `transient-not-found`.
pub(crate) const READ_LAG: std::time::Duration = std::time::Duration::from_millis(60);

/// Whether a new association is not readable yet (see [`Ctx::read_lag`]).
fn unreadable(ctx: &Ctx<'_>, a: &crate::world::Association) -> bool {
    let lag = ctx.read_lag();
    a.deleting_since.is_none()
        && !lag.is_zero()
        && ctx
            .clock
            .now
            .duration_since(a.created_at)
            .is_ok_and(|age| age < lag)
}

/// Serves `GetServiceNetworkServiceAssociation`: the association, with `failureCode` and
/// `failureMessage` when it is `CREATE_FAILED` or `DELETE_FAILED`.
pub(crate) fn get(ctx: &mut Ctx<'_>, raw_label: Option<&str>) -> Result<Reply, ApiError> {
    let ident = label(ctx, raw_label, LABEL, &ASSOCIATION_IDENTIFIER)?;
    let a = access::association(ctx, &ident, Purpose::Read)?;
    // Only a new association's creation is read late; its deletion is seen at once.
    if unreadable(ctx, &a) {
        return Err(ApiError::not_found(ResourceKind::Association, &ident));
    }
    let mut body = views::described(ctx, &a);
    if let Some((code, message)) = views::failure(ctx, &a) {
        body["failureCode"] = json!(code);
        body["failureMessage"] = json!(message);
    }
    Ok(Reply::json(200, body))
}

/// Serves `DeleteServiceNetworkServiceAssociation`: 409 while creation is in progress; a repeat
/// while deletion is in progress answers the same, with no change; an association that is
/// `ACTIVE`, `CREATE_FAILED` or `DELETE_FAILED` starts being deleted (a deletion the failure
/// plan names ends `DELETE_FAILED`).
pub(crate) fn delete(ctx: &mut Ctx<'_>, raw_label: Option<&str>) -> Result<Reply, ApiError> {
    let ident = label(ctx, raw_label, LABEL, &ASSOCIATION_IDENTIFIER)?;
    let a = access::association(ctx, &ident, Purpose::Delete)?;
    let network_owner_only = ctx.caller == a.network.account
        && ctx.caller != a.creator
        && ctx.caller != a.service.account;
    if network_owner_only && ctx.has(Defect::NetworkOwnerCannotDelete) {
        return Err(ApiError::AccessDenied {
            message: "Only the creator of the association may delete it.".to_owned(),
        });
    }
    let body = json!({
        "id": a.id,
        "status": "DELETE_IN_PROGRESS",
        "arn": ctx.arn(ctx.caller, ResourceKind::Association, &a.id),
    });
    match ctx.clock.association(&a) {
        Phase::Creating if !ctx.has(Defect::DeleteWhileCreating) => Err(ApiError::conflict(
            ResourceKind::Association,
            &a.id,
            "Creation is in progress.",
        )),
        Phase::Deleting => Ok(Reply::json(200, body)),
        _ => {
            ctx.world.deletions_started += 1;
            let failure = ctx.config.failures.matching(
                FailStep::Delete,
                ctx.world.deletions_started,
                &a.service.id,
                ctx.world
                    .services
                    .get(&a.service.id)
                    .map(|s| s.name.as_str()),
            );
            ctx.world
                .start_deleting_association(&a.id, ctx.clock.now, failure);
            let clock = ctx.clock;
            clock.sweep(ctx.world);
            Ok(Reply::json(200, body))
        }
    }
}

/// Serves `ListServiceNetworkServiceAssociations`: at least one of `serviceNetworkIdentifier`
/// and `serviceIdentifier`; `maxResults` 1..100; `nextToken` pagination in creation order.
pub(crate) fn list(ctx: &mut Ctx<'_>, query: Option<&str>) -> Result<Reply, ApiError> {
    let query = Query::parse(query)?;
    let network = query.first("serviceNetworkIdentifier");
    let service = query.first("serviceIdentifier");

    let mut errs = Vec::new();
    let lax = ctx.has(Defect::LaxIdentifierPattern);
    if let Some(n) = &network {
        check_member(
            &SERVICE_NETWORK_IDENTIFIER,
            "serviceNetworkIdentifier",
            n,
            lax,
            &mut errs,
        );
    }
    if let Some(s) = &service {
        check_member(&SERVICE_IDENTIFIER, "serviceIdentifier", s, lax, &mut errs);
    }
    if network.is_none() && service.is_none() && !ctx.has(Defect::ListWithoutFilter) {
        errs.push(FieldError::new(
            "serviceNetworkIdentifier",
            "You must provide either the service network identifier or the service identifier.",
        ));
    }
    let page = Page::read(&query, &mut errs);
    if ctx.has(Defect::UncheckedMaxResults) {
        errs.retain(|e| e.name != "maxResults");
    }
    finish(errs)?;

    let resolve = |kind: ResourceKind, ident: &str| {
        let unmatched = ident.starts_with("arn:") && ctx.has(Defect::ListFilterArnUnmatched);
        access::name_of(ctx, kind, ident)
            .map(|(r, _)| r)
            .filter(|_| !unmatched)
    };
    let network_ref = network
        .as_deref()
        .filter(|_| !ctx.has(Defect::ListIgnoresNetworkFilter))
        .map(|n| resolve(ResourceKind::ServiceNetwork, n));
    let service_ref = service
        .as_deref()
        .filter(|_| !ctx.has(Defect::ListIgnoresServiceFilter))
        .map(|s| resolve(ResourceKind::Service, s));
    if ctx.chose(Choice::ListForeignFilterDenied) {
        let foreign = [&network_ref, &service_ref]
            .into_iter()
            .flatten()
            .flatten()
            .find(|r| r.account != ctx.caller && !ctx.world.shared_with(r, ctx.caller, false));
        if let Some(r) = foreign {
            return Err(ApiError::AccessDenied {
                message: format!(
                    "The caller may not list the associations of {}: it belongs to another account.",
                    r.id
                ),
            });
        }
    }
    let gone = ctx
        .world
        .gone
        .iter()
        .filter(|_| ctx.has(Defect::DeletedStaysListed));
    let matching = ctx
        .world
        .associations
        .values()
        .chain(gone)
        .filter(|a| {
            network_ref
                .as_ref()
                .is_none_or(|r| r.as_ref() == Some(&a.network))
        })
        .filter(|a| {
            service_ref
                .as_ref()
                .is_none_or(|r| r.as_ref() == Some(&a.service))
        })
        .filter(|a| access::can_see(ctx, a, Purpose::Read))
        .filter(|a| !(ctx.list_lags() && unreadable(ctx, a)));
    let (mut items, next) = page.of(matching, |a| a.seq);
    if ctx.has(Defect::PagingSkipsItem) && query.first("nextToken").is_some() && !items.is_empty() {
        items.remove(0);
    }
    let items: Vec<Value> = items.iter().map(|a| views::described(ctx, a)).collect();
    Ok(Reply::json(
        200,
        json!({ "items": items, "nextToken": next }),
    ))
}
