//! The operations: one handler per operation, dispatched from the route, with the helpers they
//! share (path labels, enums, integer ranges).

pub(crate) mod associations;
mod create_association;
mod networks;
mod paging;
mod ram;
mod services;
mod tagging;
mod views;

use lattice_spec::constraints::{Shape, ShapeKind};
use lattice_spec::operations::{decode_label, Operation};

use crate::choice::Choice;
use crate::context::Ctx;
use crate::defect::{Defect, Defects};
use crate::errors::{ApiError, FieldError};
use crate::input::{check_member, finish, too_large};
use crate::reply::Reply;
use crate::route::{signing_name, Route};

/// Serves one routed, authenticated request.
pub(crate) fn dispatch(
    ctx: &mut Ctx<'_>,
    route: &Route,
    query: Option<&str>,
    body: &[u8],
) -> Reply {
    use ram::Answer;
    use Operation::*;
    let label = route.label.as_deref();
    let result = match route.op {
        CreateServiceNetworkServiceAssociation => create_association::create(ctx, body),
        GetServiceNetworkServiceAssociation => associations::get(ctx, label),
        DeleteServiceNetworkServiceAssociation => associations::delete(ctx, label),
        ListServiceNetworkServiceAssociations => associations::list(ctx, query),
        CreateServiceNetwork => networks::create(ctx, body),
        GetServiceNetwork => networks::get(ctx, label),
        ListServiceNetworks => networks::list(ctx, query),
        DeleteServiceNetwork => networks::delete(ctx, label),
        CreateService => services::create(ctx, body),
        GetService => services::get(ctx, label),
        ListServices => services::list(ctx, query),
        DeleteService => services::delete(ctx, label),
        TagResource => tagging::tag(ctx, label, body),
        UntagResource => tagging::untag(ctx, label, query),
        ListTagsForResource => tagging::list(ctx, label),
        CreateResourceShare => ram::create_share(ctx, body),
        GetResourceShares => ram::get_shares(ctx, body),
        GetResourceShareInvitations => ram::get_invitations(ctx, body),
        AcceptResourceShareInvitation => ram::answer_invitation(ctx, body, Answer::Accept),
        RejectResourceShareInvitation => ram::answer_invitation(ctx, body, Answer::Reject),
        DeleteResourceShare => ram::delete_share(ctx, query),
    };
    match result {
        Ok(reply) => reply,
        Err(err) if ctx.chose(Choice::ResourceIdArn) => Reply::Error(resource_id_as_arn(ctx, err)),
        Err(err) => Reply::Error(err),
    }
}

/// Under `resource-id-arn`: the `resourceId` of a 404, 409 or 402 as the resource's ARN (a
/// service or network in its owner's account, an association in the caller's, anything that
/// names nothing in the caller's); a value that is not a bare id is kept.
fn resource_id_as_arn(ctx: &Ctx<'_>, err: ApiError) -> ApiError {
    use lattice_spec::ids::{ResourceId, ResourceKind};
    let arn = |id: &str| -> Option<String> {
        let kind = [
            ResourceKind::Association,
            ResourceKind::ServiceNetwork,
            ResourceKind::Service,
        ]
        .into_iter()
        .find(|k| ResourceId::parse(*k, id).is_ok())?;
        let owner = match kind {
            ResourceKind::Service => ctx.world.services.get(id).map(|s| s.account.as_str()),
            ResourceKind::ServiceNetwork => ctx.world.networks.get(id).map(|n| n.account.as_str()),
            ResourceKind::Association => None,
        };
        Some(ctx.arn(owner.unwrap_or(ctx.caller), kind, id))
    };
    match err {
        ApiError::NotFound {
            message,
            resource_id,
            resource_type,
        } => ApiError::NotFound {
            message,
            resource_id: arn(&resource_id).unwrap_or(resource_id),
            resource_type,
        },
        ApiError::Conflict {
            message,
            resource_id,
            resource_type,
        } => ApiError::Conflict {
            message,
            resource_id: arn(&resource_id).unwrap_or(resource_id),
            resource_type,
        },
        ApiError::Quota {
            message,
            resource_id,
            resource_type,
            quota_code,
        } => ApiError::Quota {
            message,
            resource_id: resource_id.map(|r| arn(&r).unwrap_or(r)),
            resource_type,
            quota_code,
        },
        other => other,
    }
}

/// The answer to a body over the limit, before the signature is checked (the body was not
/// kept, so it cannot be verified): `cannotParse`, in RAM's own shape on RAM paths.
pub(crate) fn body_too_large(path: &str, defects: Defects) -> Reply {
    let err = too_large(defects);
    Reply::Error(if signing_name(path) == "ram" {
        ram::as_ram(err)
    } else {
        err
    })
}

/// Decodes a path label and checks it against its shape (identifier patterns follow
/// `lax-identifier-pattern`).
fn label(
    ctx: &Ctx<'_>,
    raw: Option<&str>,
    member: &str,
    shape: &Shape,
) -> Result<String, ApiError> {
    let decoded = decode_label(raw.unwrap_or_default()).ok_or_else(|| {
        ApiError::cannot_parse(
            "The path label is not valid percent-encoded UTF-8.",
            vec![FieldError::new(
                member,
                "Broken percent-escape or invalid UTF-8",
            )],
        )
    })?;
    let mut errs = Vec::new();
    let unchecked = ctx.has(Defect::UncheckedReadIdentifiers)
        && matches!(
            member,
            "serviceNetworkServiceAssociationIdentifier" | "resourceArn"
        );
    if decoded.is_empty() {
        errs.push(FieldError::new(member, "Member is required"));
    } else if !unchecked {
        check_member(
            shape,
            member,
            &decoded,
            ctx.has(Defect::LaxIdentifierPattern),
            &mut errs,
        );
    }
    finish(errs)?;
    Ok(decoded)
}

/// Records a value outside an enum shape.
fn check_enum(shape: &Shape, member: &str, value: Option<&str>, errs: &mut Vec<FieldError>) {
    if let (ShapeKind::Enum(values), Some(v)) = (shape.kind, value) {
        if !values.contains(&v) {
            errs.push(FieldError::new(
                member,
                format!(
                    "Member must satisfy enum value set: [{}]",
                    values.join(", ")
                ),
            ));
        }
    }
}

/// Records an integer outside its range.
fn check_range(shape: &Shape, member: &str, value: Option<i64>, errs: &mut Vec<FieldError>) {
    if let (ShapeKind::Integer { min, max }, Some(v)) = (shape.kind, value) {
        if v < min || v > max {
            errs.push(FieldError::new(
                member,
                format!("Member must be between {min} and {max}"),
            ));
        }
    }
}

/// A `CreateService` or `CreateServiceNetwork` token record's key: (caller, operation, token).
type ResourceTokenKey = (String, &'static str, String);

/// Before a `CreateService` or `CreateServiceNetwork` creates anything: a token the caller used
/// for a resource of the same name replays it (`Ok(Err(reply))`, 201); a token used with another
/// name, or a name already in use, is a conflict. Otherwise `Ok(Ok(key))`: the token's key to
/// record with the new resource. `replayed` renders a live resource by id (`None`: gone), and
/// `named` finds the caller's resource of a name.
fn create_prelude(
    ctx: &Ctx<'_>,
    kind: lattice_spec::ids::ResourceKind,
    token: Option<String>,
    name: &str,
    replayed: impl Fn(&str) -> Option<serde_json::Value>,
    named: Option<String>,
) -> Result<Result<Option<ResourceTokenKey>, Reply>, ApiError> {
    use lattice_spec::ids::ResourceKind;
    let (operation, noun) = match kind {
        ResourceKind::Service => ("CreateService", "service"),
        _ => ("CreateServiceNetwork", "service network"),
    };
    let key = token.map(|t| (ctx.caller.to_owned(), operation, t));
    if let Some((prior_name, id)) = key.as_ref().and_then(|k| ctx.world.resource_tokens.get(k)) {
        if let Some(body) = replayed(id) {
            if prior_name == name {
                return Ok(Err(Reply::json(201, body)));
            }
            return Err(ApiError::conflict(
                kind,
                id,
                "The clientToken was already used with different parameters.",
            ));
        }
    }
    if let Some(existing) = named {
        return Err(ApiError::conflict(
            kind,
            &existing,
            format!("A {noun} named {name} already exists in this account."),
        ));
    }
    Ok(Ok(key))
}
