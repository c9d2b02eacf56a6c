//! Signatures: unsigned requests, a wrong signature, an unknown access key and a wrong service in
//! the scope are refused with 403, and no association is created by any of them.

use std::sync::Arc;

use lattice_checks::state::listed_ids;
use lattice_checks::{Verdict, Violation};
use lattice_spec::wire::CreateAssociationRequest;
use lattice_spec::Operation;
use lattice_spec::{Role, RuleId};

use super::{setup_failed, unjudgeable, CaseResult, Ctx};
use lattice_transport::driver::{ApiCall, SignMode};

/// Rules this check decides.
pub const RULES: &[RuleId] = &[
    RuleId::AuthUnsigned,
    RuleId::AuthBadSignature,
    RuleId::AuthUnknownKey,
    RuleId::AuthWrongService,
];

/// Runs the signature cases.
pub async fn run(ctx: Arc<Ctx>) -> Vec<CaseResult> {
    let mut out = Vec::new();
    for (rule, mode) in [
        (RuleId::AuthUnsigned, SignMode::Unsigned),
        (RuleId::AuthBadSignature, SignMode::BadSignature),
        (RuleId::AuthUnknownKey, SignMode::UnknownKey),
        (RuleId::AuthWrongService, SignMode::WrongService),
    ] {
        let pair = match ctx.fx.pair(Role::Owner).await {
            Ok(p) => p,
            Err(e) => {
                out.extend(setup_failed(&[rule], &e));
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
        call.sign = mode;
        let e = ctx.driver.send(&call).await;
        ctx.fx.track_association(Role::Owner, &e);
        let mut case = ctx.judge(rule, &e, vec![]);
        // Nothing may have been created, whatever the answer.
        let list = ctx.list_by_network(Role::Owner, &pair.1.id).await;
        if unjudgeable(&list).is_none() && !listed_ids(&list).is_empty() {
            let v = Violation::Contradiction {
                message: format!("a {} request created an association", mode.label()),
            };
            case.verdict = match case.verdict {
                Verdict::Fail(mut vs) => {
                    vs.push(v);
                    Verdict::Fail(vs)
                }
                _ => Verdict::Fail(vec![v]),
            };
        }
        // The signed Create stays the decisive request; the List only shows what it created.
        case.decisive = Some(case.evidence.len() - 1);
        case.evidence.push(list);
        out.push(case.with_note(format!("a valid create sent {}", mode.label())));
    }
    out
}
