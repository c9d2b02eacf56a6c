//! `CreateServiceNetwork`, `GetServiceNetwork`, `ListServiceNetworks` and
//! `DeleteServiceNetwork`.

use lattice_spec::constraints::{
    AUTH_TYPE, CLIENT_TOKEN, SERVICE_NETWORK_IDENTIFIER, SERVICE_NETWORK_NAME,
};
use lattice_spec::ids::ResourceKind;

use crate::access;
use crate::context::Ctx;
use crate::errors::ApiError;
use crate::input::{check_member, finish, parse_body, require};
use crate::lifecycle::Phase;
use crate::reply::Reply;
use crate::tags::check_tags;
use crate::world::Network;

use super::paging::list_page;
use super::{check_enum, create_prelude, label, views};

/// Serves `CreateServiceNetwork` (201). A replayed token with the same name returns the same
/// network.
pub(crate) fn create(ctx: &mut Ctx<'_>, body: &[u8]) -> Result<Reply, ApiError> {
    let mut body = parse_body(body, ctx.defects())?;
    let token = body.string("clientToken");
    let name = body.string("name");
    let tags = body.tags("tags");
    let auth_type = body.string("authType");
    let sharing = body.bool_struct("sharingConfig", "enabled");
    body.check_types()?;
    let mut errs = Vec::new();
    require(&name, "name", &mut errs);
    if let Some(n) = &name {
        check_member(&SERVICE_NETWORK_NAME, "name", n, false, &mut errs);
    }
    if let Some(t) = &token {
        check_member(&CLIENT_TOKEN, "clientToken", t, false, &mut errs);
    }
    check_enum(&AUTH_TYPE, "authType", auth_type.as_deref(), &mut errs);
    if let Some(t) = &tags {
        check_tags(t, "tags", ctx.defects(), ctx.choices(), &mut errs);
    }
    finish(errs)?;
    let name = name.unwrap_or_default();

    let named = ctx
        .world
        .network_named(ctx.caller, &name)
        .map(|n| n.id.clone());
    let replayed = |id: &str| {
        ctx.world
            .networks
            .get(id)
            .map(|n| views::network(ctx, n, false))
    };
    let key = match create_prelude(
        ctx,
        ResourceKind::ServiceNetwork,
        token,
        &name,
        replayed,
        named,
    )? {
        Ok(key) => key,
        Err(replay) => return Ok(replay),
    };
    crate::live_like::refuse_over_account_quota(ctx, ResourceKind::ServiceNetwork)?;
    let id = format!("sn-{}", ctx.id_suffix());
    let network = Network {
        id: id.clone(),
        seq: ctx.world.next_seq(),
        account: ctx.caller.to_owned(),
        name: name.clone(),
        auth_type: auth_type.unwrap_or_else(|| "NONE".to_owned()),
        sharing_enabled: sharing.flatten(),
        created_at: ctx.clock.now,
        deleting_since: None,
    };
    if let Some(t) = tags.filter(|t| !t.is_empty()) {
        ctx.world.tags.insert(id.clone(), t);
    }
    if let Some(k) = key {
        ctx.world.resource_tokens.insert(k, (name, id.clone()));
    }
    let body = views::network(ctx, &network, false);
    ctx.world.insert_network(network);
    Ok(Reply::json(201, body))
}

/// Serves `GetServiceNetwork`: the owner, and accounts it is shared with, can see it.
pub(crate) fn get(ctx: &mut Ctx<'_>, raw_label: Option<&str>) -> Result<Reply, ApiError> {
    let ident = label(
        ctx,
        raw_label,
        "serviceNetworkIdentifier",
        &SERVICE_NETWORK_IDENTIFIER,
    )?;
    let n = access::network(ctx, &ident)?;
    Ok(Reply::json(200, views::network(ctx, &n, true)))
}

/// Serves `ListServiceNetworks`: the caller's networks and those shared with it, in creation
/// order, `maxResults` (1..100) at a time.
pub(crate) fn list(ctx: &mut Ctx<'_>, query: Option<&str>) -> Result<Reply, ApiError> {
    let visible = ctx
        .world
        .networks
        .values()
        .filter(|n| access::listed(ctx, &n.account, &n.id));
    list_page(
        query,
        visible,
        |n| n.seq,
        |n| views::network_summary(ctx, n),
    )
}

/// Serves `DeleteServiceNetwork` (204): owner only; 409 while anything is associated; the
/// network is being deleted for the transition delay, then gone.
pub(crate) fn delete(ctx: &mut Ctx<'_>, raw_label: Option<&str>) -> Result<Reply, ApiError> {
    let ident = label(
        ctx,
        raw_label,
        "serviceNetworkIdentifier",
        &SERVICE_NETWORK_IDENTIFIER,
    )?;
    let n = access::network(ctx, &ident)?;
    if n.account != ctx.caller {
        return Err(ApiError::AccessDenied {
            message: format!("Only the owner of service network {} may delete it.", n.id),
        });
    }
    if ctx.world.associations_on_network(&n.id).next().is_some() {
        return Err(ApiError::conflict(
            ResourceKind::ServiceNetwork,
            &n.id,
            format!("ServiceNetwork {} has resource(s) associated.", n.id),
        ));
    }
    if ctx.clock.resource(n.deleting_since) == Phase::Active {
        ctx.world.mark_deleting(&n.id, ctx.clock.now);
        let clock = ctx.clock;
        clock.sweep(ctx.world);
    }
    Ok(Reply::Empty { status: 204 })
}
