//! No pass without the decisive observation, one test per rule family: where the behaviour a
//! rule is about never happened (the endpoint refused the control request too, the state the
//! rule needs was never reached, the answer came without the member the rule reads), the pure
//! judgement is inconclusive or a failure, never a pass.

use serde_json::{json, Value};

use lattice_checks::judge::{
    conflict, existence, idempotency, lifecycle, must_succeed, ownership, signature, tags,
    validation,
};
use lattice_checks::{observe, Exchange, TransportFailure, Verdict};
use lattice_spec::{
    ExistenceRule, Operation, OwnershipRule, RuleId, SignatureRule, ValidationRule,
};

/// An answer with this status and JSON body (its `__type` also sent as `X-Amzn-Errortype`).
fn ex(op: Operation, status: u16, body: Value) -> Exchange {
    let error = body.get("__type").and_then(Value::as_str);
    Exchange::json_answer(op.name(), status, error, &body.to_string())
}

const CREATE: Operation = Operation::CreateServiceNetworkServiceAssociation;

fn ok(body: Value) -> Exchange {
    ex(CREATE, 200, body)
}

fn err(status: u16, name: &str) -> Exchange {
    ex(
        CREATE,
        status,
        json!({"__type": name, "message": "m", "resourceId": "r", "resourceType": "t", "reason": "other"}),
    )
}

fn assoc(id: &str) -> Exchange {
    ok(
        json!({"id": id, "arn": format!("arn:x/{id}"), "createdBy": "111122223333", "status": "ACTIVE"}),
    )
}

fn not_a_pass(v: &Verdict) -> bool {
    *v != Verdict::Pass
}

#[test]
fn val_validation_before_existence_needs_a_refusal_of_the_input_s_own_kind() {
    for neither in [
        err(500, "InternalServerException"),
        assoc("snsa-1"),
        err(409, "ConflictException"),
    ] {
        let c = validation::before_exist(ValidationRule::ValSvcPattern, &neither);
        assert_eq!(c.verdict.name(), "inconclusive", "{:?}", c.verdict);
    }
}

#[test]
fn tag_a_200_for_fifty_one_tags_passes_only_with_every_tag_attached() {
    let sent: std::collections::BTreeMap<String, String> =
        (0..51).map(|i| (format!("k{i}"), "v".to_owned())).collect();
    let create = assoc("snsa-1");
    // No ARN to read the tags back: nothing shows they were kept.
    assert!(not_a_pass(
        &tags::count_fifty_attached(&sent, &create, None, "n").verdict
    ));
    let throttled = ex(
        Operation::ListTagsForResource,
        429,
        json!({"__type": "ThrottlingException"}),
    );
    assert_eq!(
        tags::count_fifty_attached(&sent, &create, Some(&throttled), "n")
            .verdict
            .name(),
        "inconclusive"
    );
}

#[test]
fn idemp_a_refusal_shows_a_token_rule_only_where_the_token_replays() {
    let first = assoc("snsa-1");
    let no_replay = err(409, "ConflictException");
    let refused = err(409, "ConflictException");
    let c = idempotency::mismatch(&first, &no_replay, &refused, "other tags");
    assert_eq!(c.verdict.name(), "inconclusive");
    let tokens = idempotency::TokenCases {
        token: "tokenABC",
        other_case: "TOKENABC",
    };
    let c = idempotency::case_sensitive(&first, &no_replay, &refused, tokens);
    assert_eq!(c.verdict.name(), "inconclusive");
    let c = idempotency::account_scope(&first, &no_replay, &assoc("snsa-2"));
    assert_eq!(c.verdict.name(), "inconclusive");
    // With a working replay the same refusal passes, and an acceptance fails whatever.
    let c = idempotency::mismatch(&first, &first, &refused, "other tags");
    assert_eq!(c.verdict, Verdict::Pass);
    assert!(
        idempotency::mismatch(&first, &no_replay, &assoc("snsa-2"), "x")
            .verdict
            .is_fail()
    );
}

#[test]
fn conflict_an_in_progress_state_never_reached_decides_nothing() {
    let active_service = ok(json!({"id": "svc-1", "status": "ACTIVE"}));
    let c = conflict::resource_creating(&active_service, &err(409, "ConflictException"), None);
    assert_eq!(c.verdict.name(), "inconclusive");
    assert!(conflict::creating_reached(&assoc("snsa-1")).is_some());
    let c = conflict::deleting_association(&assoc("snsa-1"), &assoc("snsa-1"), false, None);
    assert_eq!(c.verdict.name(), "inconclusive");
}

#[test]
fn own_a_refusal_counts_only_where_the_allowed_request_succeeded() {
    let refused_too = err(404, "ResourceNotFoundException");
    let control = ownership::Control {
        exchange: &refused_too,
        what: "the create with the peer's network shared",
    };
    for rule in [OwnershipRule::OwnBothShared, OwnershipRule::OwnNotShared] {
        let c = ownership::answer(
            rule,
            &err(404, "ResourceNotFoundException"),
            "n",
            &[control],
        );
        assert_eq!(c.verdict.name(), "inconclusive", "{rule}");
    }
    // createdBy in no answer: who created it was not observed.
    let sparse = ok(json!({"id": "snsa-1", "arn": "arn:x"}));
    let c = ownership::allowed(
        OwnershipRule::OwnBothOwned,
        &sparse,
        None,
        Some("111122223333"),
        None,
    );
    assert_eq!(c.verdict.name(), "inconclusive");
    // The outsider not seeing what the owner does not see either shows nothing.
    let empty = ok(json!({"items": []}));
    assert_eq!(
        ownership::outsider_list(&empty, "snsa-1", &empty)
            .verdict
            .name(),
        "inconclusive"
    );
}

#[test]
fn exist_a_not_found_means_something_only_where_the_control_succeeded() {
    let nf = err(404, "ResourceNotFoundException");
    let c = existence::not_found(ExistenceRule::ExistService, &nf, "n".into(), &nf);
    assert_eq!(c.verdict.name(), "inconclusive");
}

#[test]
fn life_a_disappearance_needs_the_association_seen_before_and_a_status_sent() {
    let gone = err(404, "ResourceNotFoundException");
    let deleting = ok(json!({"status": "DELETE_IN_PROGRESS"}));
    let c = lifecycle::delete_gone(&gone, &deleting, &gone, true, 30);
    assert_eq!(c.verdict.name(), "inconclusive");
    // A body without a status observes nothing about the status enum.
    let o = observe(CREATE, &ok(json!({"id": "snsa-1", "arn": "arn:x"})));
    assert!(!o.iter().any(|o| o.rule == RuleId::LifeStatusEnum), "{o:?}");
    // A Get that never showed the association within the budget fails the rule.
    let c = lifecycle::reaches_active(&assoc("snsa-1"), &gone, false, 30);
    assert!(c.verdict.is_fail());
}

#[test]
fn quota_no_pass_unless_the_network_was_filled_and_the_next_one_refused() {
    // An association up to the quota that is refused already is no quota refusal.
    let early = err(402, "ServiceQuotaExceededException");
    let c = must_succeed(RuleId::QuotaAssociations, &early, "up to the quota").expect("a case");
    assert!(c.verdict.is_fail());
    let throttled = ex(CREATE, 429, json!({"__type": "ThrottlingException"}));
    assert_eq!(
        lifecycle::over_quota(&throttled, 4).verdict.name(),
        "inconclusive"
    );
}

#[test]
fn auth_a_refusal_shows_nothing_where_a_correctly_signed_request_is_refused_too() {
    let denied = err(403, "InvalidSignatureException");
    let list_refused = ex(
        Operation::ListServiceNetworkServiceAssociations,
        403,
        json!({"__type": "AccessDeniedException", "message": "m"}),
    );
    let c = signature::refused(
        SignatureRule::AuthUnsigned,
        &denied,
        &list_refused,
        "unsigned",
    );
    assert_eq!(c.verdict.name(), "inconclusive");
}

#[test]
fn http_no_observation_without_an_answer_to_judge() {
    let broken = ok(json!({})).with_response(Err(TransportFailure::Timeout));
    assert!(observe(CREATE, &broken).is_empty());
    let busy = ex(CREATE, 503, json!({"message": "slow down"}));
    assert!(observe(CREATE, &busy).is_empty());
    // A 200 without a JSON object body is no success the rule accepts.
    let empty = ex(CREATE, 200, json!("text"));
    let o = observe(CREATE, &empty);
    assert!(o
        .iter()
        .any(|o| o.rule == RuleId::HttpSuccessStatus && !o.violations.is_empty()));
}
