//! Hostile responses: the parsing and judging code never panics on arbitrary status codes,
//! headers and bodies (arbitrary bytes, near-JSON, deep nesting), and always returns a verdict.

use lattice_checks::{
    judge_outcome, observe, Exchange, ExchangeParts, RecordedRequest, RecordedResponse, Verdict,
};
use lattice_spec::{ExpectedOutcome, Operation};
use proptest::prelude::*;

fn exchange(
    op: Operation,
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
    truncated: bool,
) -> Exchange {
    Exchange::from(ExchangeParts {
        request: RecordedRequest {
            operation: op.name().into(),
            principal: "owner".into(),
            method: op.method().as_str().into(),
            path: op.path_template().into(),
            body: String::new(),
            signing: "sigv4".into(),
        },
        response: Ok(RecordedResponse {
            status,
            headers,
            body: body.into(),
            truncated,
        }),
    })
}

fn header() -> impl Strategy<Value = (String, String)> {
    let names = prop_oneof![
        Just("content-type".to_owned()),
        Just("x-amzn-errortype".to_owned()),
        Just("retry-after".to_owned()),
        "[a-z-]{1,12}",
    ];
    (names, any::<String>())
}

fn body() -> impl Strategy<Value = String> {
    let json_ish = prop_oneof![
        Just(r#"{"id": 1, "status": ["ACTIVE"], "items": {"a": null}}"#.to_owned()),
        Just(r#"{"message": 7, "reason": {}, "fieldList": [1, {"name": []}]}"#.to_owned()),
        Just(
            r#"{"items": [{"id": "snsa-ZZ", "createdBy": 5, "status": null}, 3, "x"]}"#.to_owned()
        ),
        Just(format!("{}{}", "[".repeat(200), "]".repeat(200))),
        Just(r#"{"__type": "a#b:c", "code": "ConflictException"}"#.to_owned()),
        "\\PC{0,200}".prop_map(|s| format!("{{\"message\": \"{s}\"}}")),
    ];
    prop_oneof![
        any::<String>(),
        json_ish,
        proptest::collection::vec(any::<u8>(), 0..512)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned())
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn observing_and_judging_never_panic(
        op in proptest::sample::select(Operation::ALL.to_vec()),
        status in 0u16..1000,
        headers in proptest::collection::vec(header(), 0..6),
        body in body(),
        truncated in any::<bool>(),
    ) {
        let e = exchange(op, status, headers, body, truncated);
        let observations = observe(op, &e);
        for o in &observations {
            for v in &o.violations {
                let _ = v.to_string();
            }
        }
        let outcomes = [ExpectedOutcome::parse("200").unwrap(), ExpectedOutcome::parse("409 ConflictException").unwrap(), ExpectedOutcome::AnyClientError];
        let verdict = judge_outcome(&outcomes, &e);
        prop_assert!(matches!(verdict, Verdict::Pass | Verdict::Fail(_) | Verdict::Inconclusive(_)));
        let r = e.ok().unwrap();
        let _ = (r.outcome(), r.error_type(), r.json());
    }
}

#[test]
fn a_truncated_body_is_never_parsed_as_json() {
    let e = exchange(
        Operation::CreateServiceNetworkServiceAssociation,
        200,
        vec![],
        "{}".into(),
        true,
    );
    assert!(e.ok().unwrap().json().is_none());
}
