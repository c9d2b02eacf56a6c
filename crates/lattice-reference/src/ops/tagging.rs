//! `TagResource`, `UntagResource` and `ListTagsForResource` on `/tags/{resourceArn}`: services and
//! service networks (owner may tag, sharees may read) and associations (every account involved).

use lattice_spec::constraints::ShapeKind;
use lattice_spec::constraints::{ARN, TAG_MAP};
use lattice_spec::ids::{LatticeArn, ResourceKind};
use serde_json::json;

use crate::access::{self, Purpose};
use crate::choice::Choice;
use crate::context::Ctx;
use crate::defect::Defect;
use crate::errors::{ApiError, FieldError};
use crate::input::{finish, parse_body};
use crate::reply::Reply;
use crate::route::parse_query;
use crate::tags::{check_tag_keys, check_tags};

use super::label;

/// Finds the tagged resource's id; `write` requires ownership (or involvement, for associations).
fn target(ctx: &Ctx<'_>, arn_text: &str, write: bool) -> Result<String, ApiError> {
    let not_found = || ApiError::NotFound {
        message: format!("Resource {arn_text} not found."),
        resource_id: arn_text.to_owned(),
        resource_type: "RESOURCE",
    };
    let arn = LatticeArn::parse(arn_text).map_err(|_| not_found())?;
    match arn.kind() {
        ResourceKind::Association => Ok(access::association(ctx, arn_text, Purpose::Read)?.id),
        ResourceKind::Service => {
            let s = access::service(ctx, arn_text)?;
            owner_check(ctx, write, &s.account, &s.id)
        }
        ResourceKind::ServiceNetwork => {
            let n = access::network(ctx, arn_text)?;
            owner_check(ctx, write, &n.account, &n.id)
        }
    }
}

fn owner_check(ctx: &Ctx<'_>, write: bool, owner: &str, id: &str) -> Result<String, ApiError> {
    if write && owner != ctx.caller {
        return Err(ApiError::AccessDenied {
            message: format!("Only the owner of {id} may change its tags."),
        });
    }
    Ok(id.to_owned())
}

/// Serves `TagResource`.
pub(crate) fn tag(
    ctx: &mut Ctx<'_>,
    raw_label: Option<&str>,
    body: &[u8],
) -> Result<Reply, ApiError> {
    let mut body = parse_body(body, ctx.defects())?;
    let tags = body.tags("tags");
    body.check_types()?;
    let arn_text = label(ctx, raw_label, "resourceArn", &ARN)?;
    let mut errs = Vec::new();
    match &tags {
        None => errs.push(FieldError::new("tags", "Member is required")),
        Some(t) => check_tags(t, "tags", ctx.defects(), ctx.choices(), &mut errs),
    }
    finish(errs)?;
    let id = target(ctx, &arn_text, true)?;
    let mut merged = ctx.world.tags.get(&id).cloned().unwrap_or_default();
    merged.extend(tags.unwrap_or_default());
    let max = match TAG_MAP.kind {
        ShapeKind::TagMap { max } => max,
        _ => 200,
    };
    if merged.len() > max {
        return Err(ApiError::fields(vec![FieldError::new(
            "tags",
            format!("A resource can have at most {max} tags"),
        )]));
    }
    ctx.world.tags.insert(id, merged);
    Ok(Reply::json(200, json!({})))
}

/// Serves `UntagResource` (`tagKeys` repeated in the query).
pub(crate) fn untag(
    ctx: &mut Ctx<'_>,
    raw_label: Option<&str>,
    query: Option<&str>,
) -> Result<Reply, ApiError> {
    let params = parse_query(query).ok_or_else(|| {
        ApiError::cannot_parse(
            "The query string is not valid percent-encoded UTF-8.",
            Vec::new(),
        )
    })?;
    let arn_text = label(ctx, raw_label, "resourceArn", &ARN)?;
    let keys: Vec<String> = params
        .into_iter()
        .filter(|(k, _)| k == "tagKeys")
        .map(|(_, v)| v)
        .collect();
    let mut errs = Vec::new();
    check_tag_keys(&keys, "tagKeys", &mut errs);
    finish(errs)?;
    let id = target(ctx, &arn_text, true)?;
    if let Some(tags) = ctx.world.tags.get_mut(&id) {
        for k in &keys {
            tags.remove(k);
        }
    }
    Ok(Reply::json(200, json!({})))
}

/// Serves `ListTagsForResource`. Under `tags-not-found-exception`, an association's tags are
/// the creator's alone: anyone else gets 404 `NotFoundException`, as real VPC Lattice was seen
/// to answer.
pub(crate) fn list(ctx: &mut Ctx<'_>, raw_label: Option<&str>) -> Result<Reply, ApiError> {
    let arn_text = label(ctx, raw_label, "resourceArn", &ARN)?;
    if ctx.chose(Choice::TagsNotFoundException) {
        let association = LatticeArn::parse(&arn_text)
            .ok()
            .filter(|a| a.kind() == ResourceKind::Association)
            .map(|a| a.id.to_string());
        let creator = association
            .as_ref()
            .and_then(|id| ctx.world.associations.get(id))
            .map(|a| a.creator.as_str());
        if association.is_some() && creator != Some(ctx.caller) {
            return Err(ApiError::Unmodelled {
                name: "NotFoundException",
                status: 404,
                message: "Resource was not found".to_owned(),
            });
        }
    }
    let id = match target(ctx, &arn_text, false) {
        Err(ApiError::NotFound { .. }) if ctx.has(Defect::TagsOfNothingEmpty) => {
            return Ok(Reply::json(200, json!({ "tags": {} })));
        }
        other => other?,
    };
    let tags = ctx.world.tags.get(&id).cloned().unwrap_or_default();
    Ok(Reply::json(200, json!({ "tags": tags })))
}
