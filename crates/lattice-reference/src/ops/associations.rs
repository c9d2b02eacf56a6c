//! `GetServiceNetworkServiceAssociation`, `DeleteServiceNetworkServiceAssociation` and
//! `ListServiceNetworkServiceAssociations`.

use lattice_spec::constraints::{
    ASSOCIATION_IDENTIFIER, NEXT_TOKEN, SERVICE_IDENTIFIER, SERVICE_NETWORK_IDENTIFIER,
};
use lattice_spec::ids::ResourceKind;
use serde_json::{json, Value};

use crate::access::{self, Purpose};
use crate::context::Ctx;
use crate::defect::Defect;
use crate::errors::{ApiError, FieldError};
use crate::input::{check_member, finish};
use crate::lifecycle::Phase;
use crate::reply::Reply;
use crate::route::parse_query;

use super::{label, views};

const LABEL: &str = "serviceNetworkServiceAssociationIdentifier";

/// Serves `GetServiceNetworkServiceAssociation`.
pub(crate) fn get(ctx: &mut Ctx<'_>, raw_label: Option<&str>) -> Result<Reply, ApiError> {
    let ident = label(ctx, raw_label, LABEL, &ASSOCIATION_IDENTIFIER)?;
    let a = access::association(ctx, &ident, Purpose::Read)?;
    Ok(Reply::json(200, views::described(ctx, &a)))
}

/// Serves `DeleteServiceNetworkServiceAssociation`: 409 while creation is in progress; a repeat
/// while deletion is in progress answers the same, with no change.
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
            ctx.world.mark_deleting(&a.id, ctx.clock.now);
            let clock = ctx.clock;
            clock.sweep(ctx.world);
            Ok(Reply::json(200, body))
        }
    }
}

/// The page size when `maxResults` is not given.
const DEFAULT_PAGE: usize = 100;

fn page_token(seq: u64) -> String {
    format!("page-after-{seq}")
}

fn parse_page_token(token: &str) -> Option<u64> {
    token.strip_prefix("page-after-")?.parse().ok()
}

/// Serves `ListServiceNetworkServiceAssociations`: at least one of `serviceNetworkIdentifier`
/// and `serviceIdentifier`; `maxResults` 1..100; `nextToken` pagination in creation order.
pub(crate) fn list(ctx: &mut Ctx<'_>, query: Option<&str>) -> Result<Reply, ApiError> {
    let params = parse_query(query).ok_or_else(|| ApiError::Validation {
        reason: crate::errors::Reason::Other,
        message: "The query string is not valid percent-encoded UTF-8.".to_owned(),
        fields: Vec::new(),
    })?;
    let first = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let network = first("serviceNetworkIdentifier");
    let service = first("serviceIdentifier");
    let max_results = first("maxResults");
    let next_token = first("nextToken");

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
    if network.is_none() && service.is_none() {
        errs.push(FieldError::new(
            "serviceNetworkIdentifier",
            "You must provide either the service network identifier or the service identifier.",
        ));
    }
    let limit = match max_results.as_deref().map(str::parse::<i64>) {
        None => DEFAULT_PAGE,
        Some(Ok(n)) if (1..=100).contains(&n) => n as usize,
        Some(_) => {
            errs.push(FieldError::new(
                "maxResults",
                "Member must be an integer between 1 and 100",
            ));
            DEFAULT_PAGE
        }
    };
    let mut after = None;
    if let Some(t) = &next_token {
        check_member(&NEXT_TOKEN, "nextToken", t, false, &mut errs);
        match parse_page_token(t) {
            Some(seq) => after = Some(seq),
            None => errs.push(FieldError::new("nextToken", "The nextToken is not valid")),
        }
    }
    finish(errs)?;

    let network_ref = network
        .as_deref()
        .map(|n| access::name_of(ctx, ResourceKind::ServiceNetwork, n).map(|(r, _)| r));
    let service_ref = service
        .as_deref()
        .map(|s| access::name_of(ctx, ResourceKind::Service, s).map(|(r, _)| r));
    let mut matching: Vec<_> = ctx
        .world
        .associations
        .values()
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
        .filter(|a| after.is_none_or(|seq| a.seq > seq))
        .filter(|a| access::can_see(ctx, a, Purpose::Read))
        .collect();
    matching.sort_by_key(|a| a.seq);
    let more = matching.len() > limit;
    matching.truncate(limit);
    let items: Vec<Value> = matching.iter().map(|a| views::described(ctx, a)).collect();
    let next = if more {
        matching.last().map(|a| page_token(a.seq))
    } else {
        None
    };
    Ok(Reply::json(
        200,
        json!({ "items": items, "nextToken": next }),
    ))
}
