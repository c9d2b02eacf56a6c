//! How resources look on the wire, as seen by the caller: ARNs carry the reader's account for
//! associations (the "local account ID" prefix) and the owner's account for services and
//! service networks.

use lattice_spec::ids::ResourceKind;
use serde_json::{json, Value};

use crate::choice::Choice;
use crate::clock::{epoch_seconds, rfc3339};
use crate::context::Ctx;
use crate::defect::Defect;
use crate::lifecycle::{Clock, Phase};
use crate::world::{Association, Network, Service};

/// The hosted zone reported in DNS entries.
const HOSTED_ZONE_ID: &str = "Z07ANLATTICEREF0000";

/// A service's `dnsEntry`.
pub(crate) fn dns_entry(service: &Service) -> Value {
    json!({ "domainName": service.domain_name, "hostedZoneId": HOSTED_ZONE_ID })
}

/// An association's `dnsEntry`: its service's (another domain under `association-dns-differs`).
fn association_dns(ctx: &Ctx<'_>, service: &Service) -> Value {
    let mut dns = dns_entry(service);
    if ctx.has(Defect::AssociationDnsDiffers) {
        dns["domainName"] = json!(format!("snsa.{}", service.domain_name));
    }
    dns
}

/// The `createdBy` reported for an association.
fn created_by(ctx: &Ctx<'_>, a: &Association) -> String {
    if ctx.has(Defect::CreatedByResourceOwner) {
        a.network.account.clone()
    } else if ctx.has(Defect::CreatedByAsArn) {
        format!("arn:aws:iam::{}:root", a.creator)
    } else {
        a.creator.clone()
    }
}

/// The association's ARN as its reader sees it: in the reader's account (the "local account ID"
/// prefix). Under `arn-in-owner-account` its creator sees it in the account of the resource it
/// does not own.
fn association_arn(ctx: &Ctx<'_>, a: &Association) -> String {
    let account = if ctx.has(Defect::ArnInOwnerAccount) && ctx.caller == a.creator {
        [&a.network.account, &a.service.account]
            .into_iter()
            .find(|acc| acc.as_str() != a.creator)
            .map_or(ctx.caller, String::as_str)
    } else {
        ctx.caller
    };
    ctx.arn(account, ResourceKind::Association, &a.id)
}

/// The association's status for the caller, now.
pub(crate) fn status(ctx: &Ctx<'_>, a: &Association) -> &'static str {
    ctx.clock.association(a).wire(ctx.defects())
}

/// Removes `members` from an object body (the optional members `sparse-output` leaves out).
fn without(mut body: Value, members: &[&str]) -> Value {
    if let Value::Object(map) = &mut body {
        for m in members {
            map.remove(*m);
        }
    }
    body
}

/// The body of a Create response (also of a replay).
pub(crate) fn created(ctx: &Ctx<'_>, a: &Association, fresh: bool) -> Value {
    created_with_status(ctx, a, fresh, status(ctx, a))
}

fn created_with_status(ctx: &Ctx<'_>, a: &Association, fresh: bool, status: &str) -> Value {
    let service = ctx.world.services.get(&a.service.id);
    let id = if fresh && ctx.has(Defect::IdOutsidePattern) {
        a.id.to_ascii_uppercase().replacen("SNSA-", "snsa-", 1)
    } else {
        a.id.clone()
    };
    let body = json!({
        "id": id,
        "status": status,
        "arn": association_arn(ctx, a),
        "createdBy": created_by(ctx, a),
        "dnsEntry": service.map(|s| association_dns(ctx, s)),
        "customDomainName": service.and_then(|s| s.custom_domain_name.clone()),
    });
    if ctx.chose(Choice::SparseOutput) {
        without(body, &["createdBy", "dnsEntry", "customDomainName"])
    } else {
        body
    }
}

/// The body of a replayed Create: as a Create, with the association's status now, or (under
/// `replay-original-status`) the status it had when it was created.
pub(crate) fn replayed(ctx: &Ctx<'_>, a: &Association) -> Value {
    if !ctx.chose(Choice::ReplayOriginalStatus) {
        return created(ctx, a, false);
    }
    let then = Clock {
        now: a.created_at,
        ..ctx.clock
    };
    let as_created = Association {
        deleting_since: None,
        ..a.clone()
    };
    let status = then.association(&as_created).wire(ctx.defects());
    created_with_status(ctx, a, false, status)
}

/// The body of a Get response, and an item of a List response.
pub(crate) fn described(ctx: &Ctx<'_>, a: &Association) -> Value {
    let service = ctx.world.services.get(&a.service.id);
    let network = ctx.world.networks.get(&a.network.id);
    let body = json!({
        "id": a.id,
        "status": status(ctx, a),
        "arn": association_arn(ctx, a),
        "createdBy": created_by(ctx, a),
        "createdAt": if ctx.has(Defect::CreatedAtEpochSeconds) {
            json!(epoch_seconds(a.created_at))
        } else {
            json!(rfc3339(a.created_at))
        },
        "serviceId": a.service.id,
        "serviceName": service.map(|s| s.name.clone()),
        "serviceArn": ctx.arn(&a.service.account, ResourceKind::Service, &a.service.id),
        "serviceNetworkId": a.network.id,
        "serviceNetworkName": network.map(|n| n.name.clone()),
        "serviceNetworkArn": ctx.arn(&a.network.account, ResourceKind::ServiceNetwork, &a.network.id),
        "dnsEntry": service.map(|s| association_dns(ctx, s)),
        "customDomainName": service.and_then(|s| s.custom_domain_name.clone()),
    });
    if ctx.chose(Choice::SparseOutput) {
        let optional = [
            "dnsEntry",
            "customDomainName",
            "createdAt",
            "serviceName",
            "serviceNetworkName",
        ];
        without(body, &optional)
    } else {
        body
    }
}

/// The `failureCode` of an association that failed because of the failure plan.
pub(crate) const FAILURE_CODE: &str = "REFERENCE_INJECTED_FAILURE";

/// `failureCode` and `failureMessage` of a `CREATE_FAILED` or `DELETE_FAILED` association
/// (`None` in any other status).
pub(crate) fn failure(ctx: &Ctx<'_>, a: &Association) -> Option<(&'static str, String)> {
    let message = match ctx.clock.association(a) {
        Phase::CreateFailed => format!(
            "The association could not be created: the reference endpoint's failure plan ({}) made it fail. Delete it, then associate again.",
            a.create_failure.as_deref().unwrap_or_default()
        ),
        Phase::DeleteFailed => format!(
            "The association could not be deleted: the reference endpoint's failure plan ({}) made it fail. Delete it again.",
            a.delete_failure.as_deref().unwrap_or_default()
        ),
        _ => return None,
    };
    Some((FAILURE_CODE, message))
}

/// A service's status: `CREATE_IN_PROGRESS` for the service creation delay, then `ACTIVE`, or
/// `DELETE_IN_PROGRESS` while being deleted.
pub(crate) fn service_status(ctx: &Ctx<'_>, s: &Service) -> &'static str {
    match ctx.clock.service(s) {
        Phase::Creating => "CREATE_IN_PROGRESS",
        Phase::Deleting | Phase::Gone => "DELETE_IN_PROGRESS",
        _ => "ACTIVE",
    }
}

/// The body of CreateService and GetService responses.
pub(crate) fn service(ctx: &Ctx<'_>, s: &Service, full: bool) -> Value {
    let mut v = json!({
        "id": s.id,
        "name": s.name,
        "arn": ctx.arn(&s.account, ResourceKind::Service, &s.id),
        "status": service_status(ctx, s),
        "authType": s.auth_type,
        "customDomainName": s.custom_domain_name,
        "certificateArn": s.certificate_arn,
        "dnsEntry": dns_entry(s),
        "idleTimeoutSeconds": s.idle_timeout_seconds,
    });
    if full {
        v["createdAt"] = json!(rfc3339(s.created_at));
        v["lastUpdatedAt"] = json!(rfc3339(s.deleting_since.unwrap_or(s.created_at)));
    }
    v
}

/// An item of a ListServices response (`ServiceSummary`).
pub(crate) fn service_summary(ctx: &Ctx<'_>, s: &Service) -> Value {
    json!({
        "id": s.id,
        "name": s.name,
        "arn": ctx.arn(&s.account, ResourceKind::Service, &s.id),
        "createdAt": rfc3339(s.created_at),
        "lastUpdatedAt": rfc3339(s.deleting_since.unwrap_or(s.created_at)),
        "dnsEntry": dns_entry(s),
        "customDomainName": s.custom_domain_name,
        "status": service_status(ctx, s),
    })
}

/// An item of a ListServiceNetworks response (`ServiceNetworkSummary`).
pub(crate) fn network_summary(ctx: &Ctx<'_>, n: &Network) -> Value {
    json!({
        "id": n.id,
        "name": n.name,
        "arn": ctx.arn(&n.account, ResourceKind::ServiceNetwork, &n.id),
        "createdAt": rfc3339(n.created_at),
        "lastUpdatedAt": rfc3339(n.deleting_since.unwrap_or(n.created_at)),
        "numberOfAssociatedServices": ctx.world.count_on_network(&n.id),
        "numberOfAssociatedVPCs": 0,
        "numberOfAssociatedResourceConfigurations": 0,
    })
}

/// The body of CreateServiceNetwork and GetServiceNetwork responses.
pub(crate) fn network(ctx: &Ctx<'_>, n: &Network, full: bool) -> Value {
    let mut v = json!({
        "id": n.id,
        "name": n.name,
        "arn": ctx.arn(&n.account, ResourceKind::ServiceNetwork, &n.id),
        "authType": n.auth_type,
        "sharingConfig": n.sharing_enabled.map(|e| json!({ "enabled": e })),
    });
    if full {
        v["createdAt"] = json!(rfc3339(n.created_at));
        v["lastUpdatedAt"] = json!(rfc3339(n.deleting_since.unwrap_or(n.created_at)));
        v["numberOfAssociatedServices"] = json!(ctx.world.count_on_network(&n.id));
        v["numberOfAssociatedVPCs"] = json!(0);
    }
    v
}
