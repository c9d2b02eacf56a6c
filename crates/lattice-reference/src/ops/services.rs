//! `CreateService`, `GetService`, `ListServices` and `DeleteService`: the fixtures the
//! association needs.

use lattice_spec::constraints::{
    AUTH_TYPE, CERTIFICATE_ARN, CLIENT_TOKEN, CUSTOM_DOMAIN_NAME, IDLE_TIMEOUT_SECONDS,
    SERVICE_IDENTIFIER, SERVICE_NAME,
};
use lattice_spec::ids::ResourceKind;
use serde_json::json;

use crate::access;
use crate::context::Ctx;
use crate::defect::Defect;
use crate::errors::ApiError;
use crate::input::{check_member, finish, parse_body, require};
use crate::lifecycle::Phase;
use crate::reply::Reply;
use crate::tags::check_tags;
use crate::world::Service;

use super::paging::list_page;
use super::{check_enum, check_range, create_prelude, label, views};

/// Serves `CreateService` (201). A replayed token with the same name returns the same service.
pub(crate) fn create(ctx: &mut Ctx<'_>, body: &[u8]) -> Result<Reply, ApiError> {
    let mut body = parse_body(body, ctx.defects())?;
    let token = body.string("clientToken");
    let name = body.string("name");
    let tags = body.tags("tags");
    let custom_domain_name = body.string("customDomainName");
    let certificate_arn = body.string("certificateArn");
    let auth_type = body.string("authType");
    let idle = body.integer("idleTimeoutSeconds");
    body.check_types()?;
    let mut errs = Vec::new();
    require(&name, "name", &mut errs);
    if let Some(n) = &name {
        check_member(&SERVICE_NAME, "name", n, false, &mut errs);
    }
    if let Some(t) = &token {
        check_member(&CLIENT_TOKEN, "clientToken", t, false, &mut errs);
    }
    if let Some(d) = &custom_domain_name {
        check_member(&CUSTOM_DOMAIN_NAME, "customDomainName", d, false, &mut errs);
    }
    if let Some(c) = &certificate_arn {
        check_member(&CERTIFICATE_ARN, "certificateArn", c, false, &mut errs);
    }
    check_enum(&AUTH_TYPE, "authType", auth_type.as_deref(), &mut errs);
    check_range(&IDLE_TIMEOUT_SECONDS, "idleTimeoutSeconds", idle, &mut errs);
    if let Some(t) = &tags {
        check_tags(t, "tags", ctx.defects(), ctx.choices(), &mut errs);
    }
    finish(errs)?;
    let name = name.unwrap_or_default();

    let named = ctx
        .world
        .service_named(ctx.caller, &name)
        .map(|s| s.id.clone());
    let replayed = |id: &str| {
        ctx.world
            .services
            .get(id)
            .map(|s| views::service(ctx, s, false))
    };
    let key = match create_prelude(ctx, ResourceKind::Service, token, &name, replayed, named)? {
        Ok(key) => key,
        Err(replay) => return Ok(replay),
    };
    crate::live_like::refuse_over_account_quota(ctx, ResourceKind::Service)?;
    let suffix = ctx.id_suffix();
    let id = format!("svc-{suffix}");
    let service = Service {
        id: id.clone(),
        seq: ctx.world.next_seq(),
        account: ctx.caller.to_owned(),
        name: name.clone(),
        auth_type: auth_type.unwrap_or_else(|| "NONE".to_owned()),
        custom_domain_name,
        certificate_arn,
        idle_timeout_seconds: idle.unwrap_or(60),
        domain_name: format!(
            "{name}-{suffix}.{}.vpc-lattice-svcs.{}.on.aws",
            ctx.world.ids.hex(7),
            ctx.config.region
        ),
        created_at: ctx.clock.now,
        deleting_since: None,
    };
    if let Some(t) = tags.filter(|t| !t.is_empty()) {
        ctx.world.tags.insert(id.clone(), t);
    }
    if let Some(k) = key {
        ctx.world.resource_tokens.insert(k, (name, id.clone()));
    }
    let body = views::service(ctx, &service, false);
    ctx.world.insert_service(service);
    Ok(Reply::json(created(ctx), body))
}

/// The status of a successful CreateService: the modelled 201 (200 under
/// `create-service-returns-200`).
fn created(ctx: &Ctx<'_>) -> u16 {
    if ctx.has(Defect::CreateServiceReturns200) {
        200
    } else {
        201
    }
}

/// Serves `GetService`: the owner, and accounts it is shared with, can see it.
pub(crate) fn get(ctx: &mut Ctx<'_>, raw_label: Option<&str>) -> Result<Reply, ApiError> {
    let ident = label(ctx, raw_label, "serviceIdentifier", &SERVICE_IDENTIFIER)?;
    let s = access::service(ctx, &ident)?;
    Ok(Reply::json(200, views::service(ctx, &s, true)))
}

/// Serves `ListServices`: the caller's services and those shared with it, in creation order,
/// `maxResults` (1..100) at a time.
pub(crate) fn list(ctx: &mut Ctx<'_>, query: Option<&str>) -> Result<Reply, ApiError> {
    let visible = ctx
        .world
        .services
        .values()
        .filter(|s| access::listed(ctx, &s.account, &s.id));
    list_page(
        query,
        visible,
        |s| s.seq,
        |s| views::service_summary(ctx, s),
    )
}

/// Serves `DeleteService`: owner only; 409 while any association names it; the service is
/// `DELETE_IN_PROGRESS` for the transition delay, then gone.
pub(crate) fn delete(ctx: &mut Ctx<'_>, raw_label: Option<&str>) -> Result<Reply, ApiError> {
    let ident = label(ctx, raw_label, "serviceIdentifier", &SERVICE_IDENTIFIER)?;
    let s = access::service(ctx, &ident)?;
    if s.account != ctx.caller {
        return Err(ApiError::AccessDenied {
            message: format!("Only the owner of service {} may delete it.", s.id),
        });
    }
    if ctx.world.associations_of_service(&s.id).next().is_some() {
        return Err(ApiError::conflict(
            ResourceKind::Service,
            &s.id,
            format!(
                "Service {} has one or more associated service networks.",
                s.id
            ),
        ));
    }
    let body = json!({
        "id": s.id,
        "arn": ctx.arn(&s.account, ResourceKind::Service, &s.id),
        "name": s.name,
        "status": "DELETE_IN_PROGRESS",
    });
    if ctx.clock.resource(s.deleting_since) == Phase::Active {
        ctx.world.mark_deleting(&s.id, ctx.clock.now);
        let clock = ctx.clock;
        clock.sweep(ctx.world);
    }
    Ok(Reply::json(200, body))
}
