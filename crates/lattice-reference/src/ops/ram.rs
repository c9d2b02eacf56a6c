//! AWS RAM, as far as sharing a service or service network needs it: `CreateResourceShare`
//! (one `PENDING` invitation per principal), `GetResourceShares`, `GetResourceShareInvitations`,
//! `AcceptResourceShareInvitation`, `RejectResourceShareInvitation` and `DeleteResourceShare`.
//! RAM timestamps are epoch seconds.

use lattice_spec::ids::{LatticeArn, ResourceKind};
use serde_json::{json, Value};

use crate::clock::epoch_seconds;
use crate::context::Ctx;
use crate::errors::ApiError;
use crate::input::{parse_body, Body};
use crate::reply::Reply;
use crate::route::parse_query;
use crate::world::{Invitation, InvitationStatus, ResourceRef, Share, ShareRequest};

/// Reads a RAM body; parse and type failures become `InvalidParameterException`.
fn ram_body(ctx: &Ctx<'_>, body: &[u8]) -> Result<Body, ApiError> {
    parse_body(body, ctx.defects()).map_err(as_ram)
}

/// RAM's shape of a parse failure: `InvalidParameterException`.
pub(super) fn as_ram(err: ApiError) -> ApiError {
    match err {
        ApiError::Validation { message, .. } => ApiError::ram("InvalidParameterException", message),
        other => other,
    }
}

/// RAM's `ResourceShareStatus` values (this endpoint's shares are only ever `ACTIVE` or
/// `DELETED`).
const SHARE_STATUSES: [&str; 5] = ["PENDING", "ACTIVE", "FAILED", "DELETING", "DELETED"];

/// A share's `ResourceShareStatus`.
fn share_status(share: &Share) -> &'static str {
    if share.deleted {
        "DELETED"
    } else {
        "ACTIVE"
    }
}

fn share_view(share: &Share) -> Value {
    json!({
        "resourceShareArn": share.arn,
        "name": share.name,
        "owningAccountId": share.owner,
        "allowExternalPrincipals": share.allow_external,
        "status": share_status(share),
        "creationTime": epoch_seconds(share.created_at),
        "lastUpdatedTime": epoch_seconds(share.created_at),
        "featureSet": "STANDARD",
    })
}

fn invitation_view(ctx: &Ctx<'_>, inv: &Invitation) -> Value {
    let name = ctx.world.shares.get(&inv.share_arn).map(|s| s.name.clone());
    json!({
        "resourceShareInvitationArn": inv.arn,
        "resourceShareName": name,
        "resourceShareArn": inv.share_arn,
        "senderAccountId": inv.sender,
        "receiverAccountId": inv.receiver,
        "invitationTimestamp": epoch_seconds(inv.created_at),
        "status": inv.status.wire(),
    })
}

fn ram_arn(ctx: &Ctx<'_>, kind: &str, uuid: &str) -> String {
    format!(
        "arn:{}:ram:{}:{}:{kind}/{uuid}",
        ctx.config.partition, ctx.config.region, ctx.caller
    )
}

/// Checks that `arn` names a service or service network the caller owns.
fn owned_resource(ctx: &Ctx<'_>, arn: &str) -> Result<ResourceRef, ApiError> {
    let parsed = LatticeArn::parse(arn).map_err(|_| {
        ApiError::ram(
            "MalformedArnException",
            format!("The ARN {arn} is malformed."),
        )
    })?;
    let unknown = || {
        ApiError::ram(
            "UnknownResourceException",
            format!("The resource {arn} does not exist or is not yours to share."),
        )
    };
    if parsed.partition != ctx.config.partition
        || parsed.region != ctx.config.region
        || parsed.account != ctx.caller
    {
        return Err(unknown());
    }
    let id = parsed.id.to_string();
    let exists = match parsed.kind() {
        ResourceKind::Service => ctx
            .world
            .services
            .get(&id)
            .is_some_and(|s| s.account == ctx.caller),
        ResourceKind::ServiceNetwork => ctx
            .world
            .networks
            .get(&id)
            .is_some_and(|n| n.account == ctx.caller),
        ResourceKind::Association => false,
    };
    if exists {
        Ok(ResourceRef {
            account: parsed.account,
            id,
        })
    } else {
        Err(unknown())
    }
}

/// Serves `CreateResourceShare`.
pub(crate) fn create_share(ctx: &mut Ctx<'_>, body: &[u8]) -> Result<Reply, ApiError> {
    let mut body = ram_body(ctx, body)?;
    let name = body.string("name");
    let resource_arns = body.string_list("resourceArns").unwrap_or_default();
    let principals = body.string_list("principals").unwrap_or_default();
    let allow_external = body.boolean("allowExternalPrincipals").unwrap_or(true);
    let token = body.string("clientToken");
    body.check_types().map_err(as_ram)?;
    let Some(name) = name.filter(|n| !n.is_empty()) else {
        return Err(ApiError::ram(
            "MissingRequiredParameterException",
            "The name parameter is required.",
        ));
    };
    let request = ShareRequest {
        share_arn: String::new(),
        name: name.clone(),
        resource_arns: resource_arns.iter().cloned().collect(),
        principals: principals.iter().cloned().collect(),
        allow_external,
    };
    if let Some(prior) = token.as_ref().and_then(|t| {
        ctx.world
            .share_tokens
            .get(&(ctx.caller.to_owned(), t.clone()))
    }) {
        if !prior.same_parameters(&request) {
            return Err(ApiError::ram(
                "IdempotentParameterMismatchException",
                format!(
                    "The clientToken was already used with different parameters, for {}.",
                    prior.share_arn
                ),
            ));
        }
        if let Some(share) = ctx.world.shares.get(&prior.share_arn) {
            return Ok(Reply::json(
                200,
                json!({ "resourceShare": share_view(share), "clientToken": token }),
            ));
        }
    }
    let resources = resource_arns
        .iter()
        .map(|a| owned_resource(ctx, a))
        .collect::<Result<Vec<_>, _>>()?;
    for p in &principals {
        if p.len() != 12 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ApiError::ram(
                "InvalidParameterException",
                format!("The principal {p} is not a 12-digit account id."),
            ));
        }
        if p == ctx.caller {
            return Err(ApiError::ram(
                "InvalidParameterException",
                "You cannot share resources with your own account.",
            ));
        }
    }
    let uuid = ctx.world.ids.uuid();
    let arn = ram_arn(ctx, "resource-share", &uuid);
    let share = Share {
        arn: arn.clone(),
        name,
        owner: ctx.caller.to_owned(),
        resources,
        allow_external,
        created_at: ctx.clock.now,
        deleted: false,
    };
    for p in principals {
        let inv_uuid = ctx.world.ids.uuid();
        let inv_arn = ram_arn(ctx, "resource-share-invitation", &inv_uuid);
        let inv = Invitation {
            arn: inv_arn.clone(),
            share_arn: arn.clone(),
            sender: ctx.caller.to_owned(),
            receiver: p,
            status: InvitationStatus::Pending,
            created_at: ctx.clock.now,
            visible_from: ctx.clock.now + ctx.ram_lag(),
            usable_from: None,
        };
        ctx.world.invitations.insert(inv_arn, inv);
    }
    if let Some(t) = &token {
        let record = ShareRequest {
            share_arn: arn.clone(),
            ..request
        };
        ctx.world
            .share_tokens
            .insert((ctx.caller.to_owned(), t.clone()), record);
    }
    let view = share_view(&share);
    ctx.world.shares.insert(arn, share);
    Ok(Reply::json(
        200,
        json!({ "resourceShare": view, "clientToken": token }),
    ))
}

/// Serves `GetResourceShares` (`resourceOwner` `SELF` or `OTHER-ACCOUNTS`): every status, or
/// only `resourceShareStatus` when it is given.
pub(crate) fn get_shares(ctx: &mut Ctx<'_>, body: &[u8]) -> Result<Reply, ApiError> {
    let mut body = ram_body(ctx, body)?;
    let owner = body.string("resourceOwner");
    let arns = body.string_list("resourceShareArns");
    let status = body.string("resourceShareStatus");
    body.check_types().map_err(as_ram)?;
    let mine = match owner.as_deref() {
        Some("SELF") => true,
        Some("OTHER-ACCOUNTS") => false,
        Some(other) => {
            return Err(ApiError::ram(
                "InvalidParameterException",
                format!("resourceOwner {other} is not SELF or OTHER-ACCOUNTS."),
            ));
        }
        None => {
            return Err(ApiError::ram(
                "MissingRequiredParameterException",
                "The resourceOwner parameter is required.",
            ))
        }
    };
    if let Some(s) = status.as_deref() {
        if !SHARE_STATUSES.contains(&s) {
            return Err(ApiError::ram(
                "InvalidParameterException",
                format!(
                    "resourceShareStatus {s} is not one of {}.",
                    SHARE_STATUSES.join(", ")
                ),
            ));
        }
    }
    let shares: Vec<Value> = ctx
        .world
        .shares
        .values()
        .filter(|s| status.as_deref().is_none_or(|want| share_status(s) == want))
        .filter(|s| arns.as_ref().is_none_or(|a| a.contains(&s.arn)))
        .filter(|s| {
            if mine {
                s.owner == ctx.caller
            } else {
                ctx.world.invitations.values().any(|i| {
                    i.share_arn == s.arn
                        && i.receiver == ctx.caller
                        && i.status == InvitationStatus::Accepted
                })
            }
        })
        .map(share_view)
        .collect();
    Ok(Reply::json(200, json!({ "resourceShares": shares })))
}

/// Serves `GetResourceShareInvitations`: the invitations the caller received.
pub(crate) fn get_invitations(ctx: &mut Ctx<'_>, body: &[u8]) -> Result<Reply, ApiError> {
    let mut body = ram_body(ctx, body)?;
    let share_arns = body.string_list("resourceShareArns");
    let inv_arns = body.string_list("resourceShareInvitationArns");
    body.check_types().map_err(as_ram)?;
    let items: Vec<Value> = ctx
        .world
        .invitations
        .values()
        .filter(|i| i.receiver == ctx.caller && i.visible_from <= ctx.clock.now)
        .filter(|i| share_arns.as_ref().is_none_or(|a| a.contains(&i.share_arn)))
        .filter(|i| inv_arns.as_ref().is_none_or(|a| a.contains(&i.arn)))
        .map(|i| invitation_view(ctx, i))
        .collect();
    Ok(Reply::json(
        200,
        json!({ "resourceShareInvitations": items }),
    ))
}

/// What the receiver answers to an invitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Answer {
    /// `AcceptResourceShareInvitation`: the share's resources become usable by the receiver.
    Accept,
    /// `RejectResourceShareInvitation`: nothing is shared with the receiver.
    Reject,
}

/// Serves `AcceptResourceShareInvitation` and `RejectResourceShareInvitation`: only a pending
/// invitation of a live share, received by the caller, can be answered, once.
pub(crate) fn answer_invitation(
    ctx: &mut Ctx<'_>,
    body: &[u8],
    answer: Answer,
) -> Result<Reply, ApiError> {
    let mut body = ram_body(ctx, body)?;
    let arn = body.string("resourceShareInvitationArn");
    let token = body.string("clientToken");
    body.check_types().map_err(as_ram)?;
    let Some(arn) = arn else {
        return Err(ApiError::ram(
            "MissingRequiredParameterException",
            "The resourceShareInvitationArn parameter is required.",
        ));
    };
    if !arn.starts_with("arn:") {
        return Err(ApiError::ram(
            "MalformedArnException",
            format!("The ARN {arn} is malformed."),
        ));
    }
    let not_found = || {
        ApiError::ram(
            "ResourceShareInvitationArnNotFoundException",
            format!("The invitation {arn} was not found."),
        )
    };
    let inv = ctx
        .world
        .invitations
        .get(&arn)
        .filter(|i| i.receiver == ctx.caller && i.visible_from <= ctx.clock.now)
        .ok_or_else(not_found)?;
    match inv.status {
        InvitationStatus::Pending => {}
        InvitationStatus::Accepted => {
            return Err(ApiError::ram(
                "ResourceShareInvitationAlreadyAcceptedException",
                format!("The invitation {arn} was already accepted."),
            ))
        }
        InvitationStatus::Rejected => {
            return Err(ApiError::ram(
                "ResourceShareInvitationAlreadyRejectedException",
                format!("The invitation {arn} was already rejected."),
            ))
        }
    }
    if ctx
        .world
        .shares
        .get(&inv.share_arn)
        .is_none_or(|s| s.deleted)
    {
        return Err(ApiError::ram(
            "OperationNotPermittedException",
            "The resource share was deleted.",
        ));
    }
    let usable_from = ctx.clock.now + ctx.ram_lag();
    if let Some(inv) = ctx.world.invitations.get_mut(&arn) {
        inv.status = match answer {
            Answer::Accept => InvitationStatus::Accepted,
            Answer::Reject => InvitationStatus::Rejected,
        };
        inv.usable_from = (answer == Answer::Accept).then_some(usable_from);
    }
    let view = ctx
        .world
        .invitations
        .get(&arn)
        .map(|i| invitation_view(ctx, i));
    Ok(Reply::json(
        200,
        json!({ "resourceShareInvitation": view, "clientToken": token }),
    ))
}

/// Serves `DeleteResourceShare` (`resourceShareArn` in the query): the owner stops sharing.
pub(crate) fn delete_share(ctx: &mut Ctx<'_>, query: Option<&str>) -> Result<Reply, ApiError> {
    let params = parse_query(query).ok_or_else(|| {
        ApiError::ram(
            "InvalidParameterException",
            "The query string is not valid percent-encoded UTF-8.",
        )
    })?;
    let first = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let token = first("clientToken");
    let Some(arn) = first("resourceShareArn") else {
        return Err(ApiError::ram(
            "MissingRequiredParameterException",
            "The resourceShareArn parameter is required.",
        ));
    };
    if !arn.starts_with("arn:") {
        return Err(ApiError::ram(
            "MalformedArnException",
            format!("The ARN {arn} is malformed."),
        ));
    }
    match ctx.world.shares.get_mut(&arn) {
        Some(share) if share.owner == ctx.caller => share.deleted = true,
        _ => {
            return Err(ApiError::ram(
                "UnknownResourceException",
                format!("The resource share {arn} was not found."),
            ))
        }
    }
    Ok(Reply::json(
        200,
        json!({ "returnValue": true, "clientToken": token }),
    ))
}
