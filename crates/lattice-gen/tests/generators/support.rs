//! Shared helpers: run the oracle on a body, sample a strategy deterministically.

use lattice_gen::{InvalidInput, RawBody};
use lattice_spec::validate::{validate_create_body, validate_create_value, InputViolation};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use serde_json::Value;

/// The oracle's verdict on a body: every violation it reports.
pub(crate) fn violations(body: &RawBody) -> Vec<InputViolation> {
    let res = match body {
        RawBody::Json(v) => validate_create_value(v).map(|_| ()),
        RawBody::Bytes(b) => validate_create_body(b).map(|_| ()),
    };
    res.err().unwrap_or_default()
}

/// Asserts the oracle reports the input's rule and no other, on the value and on its bytes.
pub(crate) fn assert_breaks_exactly_its_rule(input: &InvalidInput) {
    let found = violations(&input.body);
    assert!(
        !found.is_empty(),
        "{}: accepted by the oracle ({})",
        input.rule,
        input.note
    );
    for v in &found {
        assert_eq!(
            v.rule,
            input.rule.id(),
            "{}: also breaks {} at `{}` ({})",
            input.rule,
            v.rule,
            v.member,
            input.note
        );
    }
    let from_bytes = violations(&RawBody::Bytes(input.body.to_bytes()));
    assert_eq!(
        found, from_bytes,
        "value and bytes disagree ({})",
        input.note
    );
    assert!(
        !input.note.is_empty() && !input.note.contains('\n'),
        "note must be one line: {:?}",
        input.note
    );
}

/// Asserts a body is valid to the oracle.
pub(crate) fn assert_valid(body: &Value) {
    if let Err(v) = validate_create_value(body) {
        panic!("valid body refused: {v:?}\n{body}");
    }
}

/// `n` values of a strategy from a fixed seed.
pub(crate) fn sample<S: Strategy>(s: S, n: usize) -> Vec<S::Value> {
    let mut runner = TestRunner::deterministic();
    (0..n)
        .map(|_| s.new_tree(&mut runner).expect("strategy draws").current())
        .collect()
}

/// A member of a JSON object body, as a string.
pub(crate) fn str_member<'a>(body: &'a Value, name: &str) -> Option<&'a str> {
    body.get(name).and_then(Value::as_str)
}
