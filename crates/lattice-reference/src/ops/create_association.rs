//! `CreateServiceNetworkServiceAssociation`: validation first, then idempotency, existence and
//! visibility, ownership, conflicts, the quota, and finally the new association.

use lattice_spec::constraints::{
    ShapeKind, CLIENT_TOKEN, RESERVED_TAG_PREFIX, SERVICE_IDENTIFIER, SERVICE_NETWORK_IDENTIFIER,
};
use lattice_spec::ids::ResourceKind;
use lattice_spec::wire::Tags;

use crate::access;
use crate::choice::Choice;
use crate::context::Ctx;
use crate::defect::Defect;
use crate::errors::{resource_type, ApiError, FieldError};
use crate::failures::FailStep;
use crate::input::{check_member, finish, parse_body};
use crate::lifecycle::Phase;
use crate::reply::Reply;
use crate::tags::{check_tags, is_reserved_key};
use crate::world::{Association, ResourceRef, Service, TokenRecord};

use super::views;

/// How long the pair check and the insert are apart under `race-on-duplicate`.
///
/// The endpoint serves each request's checks and insert on one thread under one lock, so a
/// literal "release the lock and sleep" could never interleave two requests. The defect therefore makes a new association
/// invisible to the pair check for this window, and holds the response for slightly longer, so
/// that the insert is complete before the caller hears of it (as with a real unlocked
/// check-then-insert): only requests that overlap in time can both succeed.
pub(crate) const RACE_WINDOW: std::time::Duration = std::time::Duration::from_millis(25);

/// The validated members of a Create request.
struct Request {
    token: Option<String>,
    service: String,
    network: String,
    tags: Tags,
}

/// The user guide's tags per resource (`TAG-COUNT-50`), enforced only under the
/// `fifty-tags-*` choices: the model's limit of 200 applies by default.
const USER_GUIDE_TAG_LIMIT: usize = 50;

fn validate(ctx: &Ctx<'_>, body: &[u8]) -> Result<Request, ApiError> {
    if ctx.chose(Choice::EmptyBodyUnparseable) && body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::unparseable_body(
            "The request body is empty: a JSON object is required.",
        ));
    }
    let mut body = parse_body(body, ctx.defects())?;
    if ctx.has(Defect::ExistenceBeforeValidation) {
        existence_first(
            ctx,
            body.peek_string("serviceIdentifier"),
            body.peek_string("serviceNetworkIdentifier"),
        )?;
    }
    let token = body.string("clientToken");
    let service = body.string("serviceIdentifier");
    let network = body.string("serviceNetworkIdentifier");
    let tags = body.tags("tags");
    body.check_types()?;

    let mut errs = Vec::new();
    let lax = ctx.has(Defect::LaxIdentifierPattern);
    match &service {
        Some(s) => check_member(&SERVICE_IDENTIFIER, "serviceIdentifier", s, lax, &mut errs),
        None if ctx.has(Defect::UncheckedRequiredMember) => {}
        None => errs.push(FieldError::new("serviceIdentifier", "Member is required")),
    }
    match &network {
        Some(n) => check_member(
            &SERVICE_NETWORK_IDENTIFIER,
            "serviceNetworkIdentifier",
            n,
            lax,
            &mut errs,
        ),
        None => errs.push(FieldError::new(
            "serviceNetworkIdentifier",
            "Member is required",
        )),
    }
    let real = |kind, ident: &Option<String>| {
        ident.as_deref().is_some_and(|i| {
            access::name_of(ctx, kind, i).is_some_and(|(r, _)| r.account == ctx.caller)
                && match kind {
                    ResourceKind::Service => access::service(ctx, i).is_ok(),
                    _ => access::network(ctx, i).is_ok(),
                }
        })
    };
    let unchecked_token = ctx.has(Defect::TokenUncheckedWithRealResources)
        && real(ResourceKind::Service, &service)
        && real(ResourceKind::ServiceNetwork, &network);
    if let Some(t) = token.as_ref().filter(|_| !unchecked_token) {
        if ctx.has(Defect::FullMatchTokenPattern) && !t.chars().all(|c| ('!'..='~').contains(&c)) {
            errs.push(FieldError::new(
                "clientToken",
                "Member must satisfy regular expression pattern: [!-~]+",
            ));
        }
        let mut shape = CLIENT_TOKEN;
        if let ShapeKind::String { max, .. } = &mut shape.kind {
            if ctx.has(Defect::UncheckedTokenLength) {
                *max = None;
            }
        }
        check_member(&shape, "clientToken", t, false, &mut errs);
    }
    if let Some(tags) = &tags {
        if ctx.has(Defect::AwsPrefixCaseCrash)
            && tags
                .keys()
                .any(|k| is_reserved_key(k) && !k.starts_with(RESERVED_TAG_PREFIX))
        {
            return Err(ApiError::Internal {
                message: "Failed to handle request.".to_owned(),
            });
        }
        check_tags(tags, "tags", ctx.defects(), ctx.choices(), &mut errs);
        if ctx.chose(Choice::FiftyTagsValidation) && tags.len() > USER_GUIDE_TAG_LIMIT {
            errs.push(FieldError::new(
                "tags",
                format!("A resource can have at most {USER_GUIDE_TAG_LIMIT} tags"),
            ));
        }
    }
    finish(errs)?;
    Ok(Request {
        token,
        service: service.unwrap_or_default(),
        network: network.unwrap_or_default(),
        tags: tags.unwrap_or_default(),
    })
}

/// Under `existence-before-validation`: a well-formed identifier naming nothing wins over any
/// invalid member.
fn existence_first(
    ctx: &Ctx<'_>,
    service: Option<&str>,
    network: Option<&str>,
) -> Result<(), ApiError> {
    if let Some(s) = service {
        if access::name_of(ctx, ResourceKind::Service, s).is_some() {
            access::service(ctx, s)?;
        }
    }
    if let Some(n) = network {
        if access::name_of(ctx, ResourceKind::ServiceNetwork, n).is_some() {
            access::network(ctx, n)?;
        }
    }
    Ok(())
}

fn token_key(ctx: &Ctx<'_>, token: &str) -> (String, String) {
    let scope = if ctx.has(Defect::GlobalClientTokens) {
        "*".to_owned()
    } else {
        ctx.caller.to_owned()
    };
    let token = if ctx.has(Defect::CaseInsensitiveTokens) {
        token.to_lowercase()
    } else {
        token.to_owned()
    };
    (scope, token)
}

/// The network side of a new association: a real network, or (under `accept-missing-network`)
/// the bare name of one that does not exist.
struct NetworkSide {
    owner: ResourceRef,
    deleting_since: Option<std::time::SystemTime>,
}

fn network_side(ctx: &Ctx<'_>, raw: &str) -> Result<NetworkSide, ApiError> {
    match access::network(ctx, raw) {
        Ok(n) => Ok(NetworkSide {
            owner: ResourceRef {
                account: n.account,
                id: n.id,
            },
            deleting_since: n.deleting_since,
        }),
        Err(e) if ctx.has(Defect::AcceptMissingNetwork) => {
            match access::name_of(ctx, ResourceKind::ServiceNetwork, raw) {
                Some((r, _)) if !ctx.world.networks.contains_key(&r.id) => Ok(NetworkSide {
                    owner: r,
                    deleting_since: None,
                }),
                _ => Err(e),
            }
        }
        Err(e) => Err(e),
    }
}

/// Serves `CreateServiceNetworkServiceAssociation`: validation, idempotency, existence and
/// visibility, ownership, resources being deleted, the pair conflict, the quota, then the new
/// association.
pub(crate) fn create(ctx: &mut Ctx<'_>, body: &[u8]) -> Result<Reply, ApiError> {
    let req = validate(ctx, body)?;
    let status = if ctx.has(Defect::CreateReturns201) {
        201
    } else {
        200
    };
    // Idempotency: a token names the association it created, within the caller's account.
    let key = req
        .token
        .as_deref()
        .filter(|_| !ctx.has(Defect::IgnoreClientToken))
        .map(|t| token_key(ctx, t));
    let named = Named {
        service: access::name_of(ctx, ResourceKind::Service, &req.service).map(|(r, _)| r),
        network: access::name_of(ctx, ResourceKind::ServiceNetwork, &req.network).map(|(r, _)| r),
    };
    if let Some(reply) = replay(ctx, key.as_ref(), &named, &req, status)? {
        return Ok(reply);
    }
    let (service, network) = resolve(ctx, &req)?;
    refuse_deleting(ctx, &service, &network)?;
    if let Some(reply) = tokenless_replay(ctx, &req, &service, &network, status) {
        return Ok(reply);
    }
    refuse_pair_conflict(ctx, &service, &network)?;
    refuse_over_tag_quota(ctx, &req)?;
    refuse_over_quota(ctx, &network)?;
    Ok(insert(ctx, req, key, named, &service, network, status))
}

/// The resources a request names, resolved as a token records them (`None`: names nothing).
struct Named {
    service: Option<ResourceRef>,
    network: Option<ResourceRef>,
}

/// A replay of a recorded token: the same association (same parameters), or a conflict.
fn replay(
    ctx: &Ctx<'_>,
    key: Option<&(String, String)>,
    named: &Named,
    req: &Request,
    status: u16,
) -> Result<Option<Reply>, ApiError> {
    let Some(rec) = key.and_then(|k| ctx.world.association_tokens.get(k)) else {
        return Ok(None);
    };
    let same = Some(&rec.service) == named.service.as_ref()
        && Some(&rec.network) == named.network.as_ref()
        && rec.tags == req.tags;
    let answer = match ctx.world.associations.get(&rec.association_id) {
        Some(a) => views::replayed(ctx, a),
        // Gone: the token is only still here under `token-outlives-association`.
        None if ctx.chose(Choice::TokenOutlivesAssociation) => rec.answer.clone(),
        None => return Ok(None),
    };
    if same || ctx.has(Defect::AcceptTokenMismatch) {
        return Ok(Some(Reply::json(status, answer)));
    }
    if ctx.chose(Choice::TokenMismatchValidation) {
        return Err(ApiError::fields(vec![FieldError::new(
            "clientToken",
            "The clientToken was already used with different parameters.",
        )]));
    }
    Err(ApiError::conflict(
        ResourceKind::Association,
        &rec.association_id,
        "The clientToken was already used with different parameters (idempotent parameter mismatch).",
    ))
}

/// Existence, visibility and ownership: the service and the network the caller may associate.
fn resolve(ctx: &Ctx<'_>, req: &Request) -> Result<(Service, NetworkSide), ApiError> {
    // Under `network-looked-up-first` the network's absence is reported before the service's.
    let early_network = if ctx.chose(Choice::NetworkLookedUpFirst) {
        Some(network_side(ctx, &req.network)?)
    } else {
        None
    };
    let service = match access::service(ctx, &req.service) {
        Ok(s) => s,
        Err(ApiError::NotFound { .. }) if ctx.has(Defect::MissingService400) => {
            return Err(ApiError::fields(vec![FieldError::new(
                "serviceIdentifier",
                "The service does not exist",
            )]));
        }
        Err(e) => return Err(e),
    };
    let network = match early_network {
        Some(n) => n,
        None => network_side(ctx, &req.network)?,
    };

    // Ownership: the caller must own at least one side.
    if service.account != ctx.caller
        && network.owner.account != ctx.caller
        && !ctx.has(Defect::AllowBothShared)
    {
        if ctx.chose(Choice::BothSharedNotFound) {
            return Err(ApiError::not_found(ResourceKind::Service, &req.service));
        }
        return Err(ApiError::AccessDenied {
            message: "The caller must own either the service or the service network; you cannot associate a \
                      service and a service network that are both shared with you."
                .to_owned(),
        });
    }

    Ok((service, network))
}

/// A service still being created, or a service or network being deleted, cannot be associated.
fn refuse_deleting(
    ctx: &Ctx<'_>,
    service: &Service,
    network: &NetworkSide,
) -> Result<(), ApiError> {
    if ctx.clock.service(service) == Phase::Creating && !ctx.has(Defect::AcceptCreatingService) {
        return Err(ApiError::conflict(
            ResourceKind::Service,
            &service.id,
            format!(
                "Invalid resource status for this operation, resource id {}, status: CREATE_IN_PROGRESS.",
                service.id
            ),
        ));
    }
    if !ctx.has(Defect::IgnoreDeletingResource) {
        if ctx.clock.resource(service.deleting_since) == Phase::Deleting {
            return Err(ApiError::conflict(
                ResourceKind::Service,
                &service.id,
                format!("Invalid resource status for this operation, resource id {}, status: DELETE_IN_PROGRESS.", service.id),
            ));
        }
        if ctx.clock.resource(network.deleting_since) == Phase::Deleting {
            return Err(ApiError::conflict(
                ResourceKind::ServiceNetwork,
                &network.owner.id,
                format!(
                    "Invalid resource status for this operation, resource id {}, status: DELETE_IN_PROGRESS.",
                    network.owner.id
                ),
            ));
        }
    }

    Ok(())
}

/// Under `replay-without-token`: a Create without a token for a pair already associated answers
/// that association with the success status, as if it were a retry.
fn tokenless_replay(
    ctx: &Ctx<'_>,
    req: &Request,
    service: &Service,
    network: &NetworkSide,
    status: u16,
) -> Option<Reply> {
    if req.token.is_some() || !ctx.has(Defect::ReplayWithoutToken) {
        return None;
    }
    let existing = ctx
        .world
        .associations_of_pair(&service.id, &network.owner.id)
        .find(|a| ctx.clock.association(a) != Phase::Gone)?;
    Some(Reply::json(status, views::replayed(ctx, existing)))
}

/// The pair may have one association at a time (any status but gone).
fn refuse_pair_conflict(
    ctx: &Ctx<'_>,
    service: &Service,
    network: &NetworkSide,
) -> Result<(), ApiError> {
    let race = ctx.has(Defect::RaceOnDuplicate);
    for a in ctx
        .world
        .associations_of_pair(&service.id, &network.owner.id)
    {
        if race && a.visible_from > ctx.clock.now {
            continue;
        }
        match ctx.clock.association(a) {
            Phase::Gone if ctx.has(Defect::PairBlockedAfterDelete) => {
                return Err(ApiError::conflict(
                    ResourceKind::Association,
                    &a.id,
                    "Association already exists.",
                ));
            }
            Phase::Gone => {}
            Phase::Deleting if ctx.has(Defect::NoConflictWhileDeleting) => {}
            Phase::Deleting => {
                return Err(ApiError::conflict(
                    ResourceKind::Association,
                    &a.id,
                    "A disassociation of this service and service network is in progress.",
                ));
            }
            _ if ctx.has(Defect::NoConflictOnDuplicate) => {}
            failed @ (Phase::CreateFailed | Phase::DeleteFailed) => {
                return Err(ApiError::conflict(
                    ResourceKind::Association,
                    &a.id,
                    format!(
                        "An association of this service and service network is {}: delete it, then associate again.",
                        failed.wire(ctx.defects())
                    ),
                ));
            }
            _ => {
                return Err(ApiError::conflict(
                    ResourceKind::Association,
                    &a.id,
                    "Association already exists.",
                ))
            }
        }
    }
    let pair = (service.id.clone(), network.owner.id.clone());
    if ctx.has(Defect::PairBlockedAfterDelete) && ctx.world.retired_pairs.contains(&pair) {
        return Err(ApiError::conflict(
            ResourceKind::Service,
            &service.id,
            "Association already exists.",
        ));
    }
    Ok(())
}

/// Under `fifty-tags-quota`, the user guide's 50 tags per resource is a quota: more is 402.
fn refuse_over_tag_quota(ctx: &Ctx<'_>, req: &Request) -> Result<(), ApiError> {
    if ctx.chose(Choice::FiftyTagsQuota) && req.tags.len() > USER_GUIDE_TAG_LIMIT {
        return Err(ApiError::Quota {
            message: format!(
                "An association can have at most {USER_GUIDE_TAG_LIMIT} tags; {} were given.",
                req.tags.len()
            ),
            resource_id: None,
            resource_type: resource_type(ResourceKind::Association),
            quota_code: "tags-per-resource",
        });
    }
    Ok(())
}

/// The per-network quota counts every association on the network, whatever its status.
fn refuse_over_quota(ctx: &Ctx<'_>, network: &NetworkSide) -> Result<(), ApiError> {
    let count = ctx.world.count_on_network(&network.owner.id);
    if count >= ctx.config.quota_per_network && !ctx.has(Defect::NoQuota) {
        return Err(ApiError::Quota {
            message: format!(
                "The service network {} already has {count} service associations (quota {}).",
                network.owner.id, ctx.config.quota_per_network
            ),
            resource_id: Some(network.owner.id.clone()),
            resource_type: resource_type(ResourceKind::ServiceNetwork),
            quota_code: crate::reply::QUOTA_CODE,
        });
    }

    Ok(())
}

/// Creates the association, records its tags and token, and answers it.
fn insert(
    ctx: &mut Ctx<'_>,
    req: Request,
    key: Option<(String, String)>,
    named: Named,
    service: &Service,
    network: NetworkSide,
    status: u16,
) -> Reply {
    let id = loop {
        let suffix = ctx.id_suffix();
        let candidate = if ctx.has(Defect::HyphenatedIds) {
            format!(
                "snsa-{}-{}-{}",
                &suffix[..8],
                &suffix[8..12],
                &suffix[12..15]
            )
        } else {
            format!("snsa-{suffix}")
        };
        if !ctx.world.associations.contains_key(&candidate) {
            break candidate;
        }
    };
    let race = ctx.has(Defect::RaceOnDuplicate);
    let now = ctx.clock.now;
    ctx.world.associations_created += 1;
    let create_failure = ctx.config.failures.matching(
        FailStep::Create,
        ctx.world.associations_created,
        &service.id,
        Some(&service.name),
    );
    let association = Association {
        id: id.clone(),
        seq: ctx.world.next_seq(),
        service: ResourceRef {
            account: service.account.clone(),
            id: service.id.clone(),
        },
        network: network.owner.clone(),
        creator: ctx.caller.to_owned(),
        created_at: now,
        visible_from: if race { now + RACE_WINDOW } else { now },
        deleting_since: None,
        create_failure,
        delete_failure: None,
    };
    if !ctx.has(Defect::DropTags) && !req.tags.is_empty() {
        ctx.world.tags.insert(id.clone(), req.tags.clone());
    }
    let body = views::created(ctx, &association, true);
    if let (Some(key), Some(service_ref), Some(network_ref)) = (key, named.service, named.network) {
        let record = TokenRecord {
            association_id: id.clone(),
            service: service_ref,
            network: network_ref,
            tags: req.tags,
            answer: body.clone(),
        };
        ctx.world.association_tokens.insert(key, record);
    }
    ctx.world.insert_association(association);
    let mut reply = Reply::json(status, body);
    if race {
        if let Reply::Json { delay, .. } = &mut reply {
            *delay = Some(RACE_WINDOW + std::time::Duration::from_millis(5));
        }
    }
    reply
}
