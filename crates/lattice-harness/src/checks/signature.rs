//! Signatures: unsigned requests, a wrong signature, an unknown access key, a wrong service or
//! region in the scope, a signature dated too far in the past or the future, a body changed under
//! a signed payload hash and an unsigned host are refused, and no association is created by any of
//! them (judged by `lattice_checks::judge::signature`).

use std::sync::Arc;

use lattice_checks::judge::signature::refused;
use lattice_spec::wire::CreateAssociationRequest;
use lattice_spec::{Operation, Role, SignatureRule};

use super::{setup_failed, CaseResult, Ctx};
use lattice_transport::driver::{ApiCall, SignMode};

/// How each rule's request is signed. Every signature rule is named, so a new one does not
/// compile until it says how its request is broken.
fn mode(rule: SignatureRule) -> SignMode {
    match rule {
        SignatureRule::AuthUnsigned => SignMode::Unsigned,
        SignatureRule::AuthBadSignature => SignMode::BadSignature,
        SignatureRule::AuthUnknownKey => SignMode::UnknownKey,
        SignatureRule::AuthWrongService => SignMode::WrongService,
        SignatureRule::AuthExpired => SignMode::Expired,
        SignatureRule::AuthNotYetValid => SignMode::NotYetValid,
        SignatureRule::AuthBodyAltered => SignMode::BodyAltered,
        SignatureRule::AuthHostUnsigned => SignMode::HostUnsigned,
        SignatureRule::AuthWrongRegion => SignMode::WrongRegion,
    }
}

/// Runs the signature cases.
pub async fn run(ctx: Arc<Ctx>) -> Vec<CaseResult> {
    let mut out = Vec::new();
    for rule in SignatureRule::ALL.iter().copied() {
        let pair = match ctx.fx.pair(Role::Owner).await {
            Ok(p) => p,
            Err(e) => {
                out.extend(setup_failed(&[rule.id()], &e));
                continue;
            }
        };
        let body = CreateAssociationRequest::new(&pair.0.id, &pair.1.id)
            .token(&ctx.fx.token("auth"))
            .to_json();
        let mut call = ApiCall::json(
            Operation::CreateServiceNetworkServiceAssociation,
            Role::Owner,
            &body,
        );
        call.sign = mode(rule);
        let e = ctx.driver.send(&call).await;
        ctx.fx.track_association(Role::Owner, &e);
        // Nothing may have been created, whatever the answer.
        let list = ctx.list_by_network(Role::Owner, &pair.1.id).await;
        out.push(refused(rule, &e, &list, call.sign.label()));
    }
    out
}
