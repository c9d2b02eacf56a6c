//! Invalid create inputs: each breaks exactly one rule and carries that rule's id.
//!
//! "Exactly one" is judged by the oracle, `lattice_spec::validate::validate_create_body`: every
//! violation it reports for a generated input names the labelled rule, and it reports at least
//! one. Some breaks cannot be made alone, and are not generated:
//!
//! - identifiers shorter than the `@length` minimum (17 for services, 3 for service networks)
//!   also break the anchored pattern, so `VAL-SVC-LENGTH` / `VAL-SN-LENGTH` are generated only
//!   as too-long, pattern-matching ARNs (2049 characters and more);
//! - the empty client token breaks both `VAL-TOKEN-LENGTH` and `VAL-TOKEN-PATTERN`, so the
//!   length rule is generated only as too-long tokens (65 scalar values and more);
//! - a body missing both identifiers breaks both `REQUIRED` rules.

use lattice_spec::ids::ResourceKind;
use lattice_spec::ValidationRule;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::Union;
use serde_json::{json, Value};

use crate::body::{create_body, set_member, Extras, InvalidInput, RawBody};
use crate::chars::pattern;
use crate::identifiers::{
    pattern_breaking_identifier, service_identifier, service_network_identifier,
    too_long_identifier,
};
use crate::tags::{
    aws_prefixed_tag_key, bad_length_tag_key, tag_with_forbidden_character, too_long_tag_value,
    too_many_tags, TAG_COUNT_SAFE_MAX,
};
use crate::token::{client_token, pattern_breaking_token, too_long_token};
use crate::valid::valid_extras;
use lattice_spec::wire::Tags;

/// Every rule an invalid-input generator breaks, in catalogue order: the validation rules but
/// those judged on other rules' inputs ([`for_rule`] says which).
pub fn generated_rules() -> Vec<ValidationRule> {
    ValidationRule::ALL
        .iter()
        .copied()
        .filter(|r| for_rule(*r, &Ids::Generated).is_some())
        .collect()
}

/// Where the identifiers of a body come from.
#[derive(Debug, Clone)]
pub(crate) enum Ids {
    /// Drawn from the whole valid space (well-formed, nonexistent).
    Generated,
    /// Given by the caller, kept verbatim.
    Pinned { service: String, network: String },
}

impl Ids {
    pub(crate) fn strategy(&self) -> BoxedStrategy<(String, String)> {
        match self {
            Ids::Generated => (service_identifier(), service_network_identifier()).boxed(),
            Ids::Pinned { service, network } => Just((service.clone(), network.clone())).boxed(),
        }
    }
}

fn input(rule: ValidationRule, body: Value, note: String) -> InvalidInput {
    InvalidInput {
        rule,
        body: RawBody::Json(body),
        note,
    }
}

/// A valid body, as identifiers plus optional members.
fn base(ids: &Ids) -> BoxedStrategy<(String, String, Extras)> {
    (ids.strategy(), valid_extras(TAG_COUNT_SAFE_MAX))
        .prop_map(|((s, n), e)| (s, n, e))
        .boxed()
}

fn required(ids: &Ids, rule: ValidationRule, member: &'static str) -> BoxedStrategy<InvalidInput> {
    (base(ids), any::<bool>())
        .prop_map(move |((s, n, e), as_null)| {
            let body = create_body(&s, &n, &e);
            let (body, how) = if as_null {
                (set_member(body, member, Some(Value::Null)), "null")
            } else {
                (set_member(body, member, None), "missing")
            };
            input(rule, body, format!("`{member}` {how}"))
        })
        .boxed()
}

fn identifier_rule(
    ids: &Ids,
    rule: ValidationRule,
    kind: ResourceKind,
    broken: BoxedStrategy<(String, String)>,
) -> BoxedStrategy<InvalidInput> {
    (base(ids), broken)
        .prop_map(move |((s, n, e), (bad, note))| {
            let (s, n, member) = match kind {
                ResourceKind::Service => (bad, n, "serviceIdentifier"),
                _ => (s, bad, "serviceNetworkIdentifier"),
            };
            input(rule, create_body(&s, &n, &e), format!("`{member}`: {note}"))
        })
        .boxed()
}

fn token_rule(
    ids: &Ids,
    rule: ValidationRule,
    broken: BoxedStrategy<(String, String)>,
) -> BoxedStrategy<InvalidInput> {
    (base(ids), broken)
        .prop_map(move |((s, n, mut e), (token, note))| {
            e.token = Some(token);
            input(
                rule,
                create_body(&s, &n, &e),
                format!("`clientToken`: {note}"),
            )
        })
        .boxed()
}

fn tag_rule(
    ids: &Ids,
    rule: ValidationRule,
    broken: BoxedStrategy<(Tags, String)>,
) -> BoxedStrategy<InvalidInput> {
    (
        ids.strategy(),
        option::weighted(0.75, client_token()),
        broken,
    )
        .prop_map(move |((s, n), token, (tags, note))| {
            let e = Extras {
                token,
                tags: Some(tags),
            };
            input(rule, create_body(&s, &n, &e), format!("`tags`: {note}"))
        })
        .boxed()
}

/// JSON values of every type but string, built around `s` (which a wrong-typed member would
/// otherwise have held).
fn non_strings(s: &str) -> Vec<(Value, &'static str)> {
    vec![
        (json!(42), "a number"),
        (json!(-1.5), "a fraction"),
        (json!(true), "a boolean"),
        (json!([s]), "an array holding the string"),
        (json!({ "value": s }), "an object holding the string"),
        (json!([]), "an empty array"),
        (json!({}), "an empty object"),
    ]
}

fn body_types(ids: &Ids) -> BoxedStrategy<InvalidInput> {
    (
        base(ids),
        0usize..5,
        any::<prop::sample::Index>(),
        pattern("[a-z][a-z0-9]{0,8}"),
    )
        .prop_map(|((s, n, e), member, pick, tag_key)| {
            let body = create_body(&s, &n, &e);
            let token = e.token.clone().unwrap_or_else(|| "token-1".into());
            let (body, note) = match member {
                0 => {
                    let (v, what) = pick.get(&non_strings(&token)).clone();
                    (
                        set_member(body, "clientToken", Some(v)),
                        format!("`clientToken` is {what}"),
                    )
                }
                1 => {
                    let (v, what) = pick.get(&non_strings(&s)).clone();
                    (
                        set_member(body, "serviceIdentifier", Some(v)),
                        format!("`serviceIdentifier` is {what}"),
                    )
                }
                2 => {
                    let (v, what) = pick.get(&non_strings(&n)).clone();
                    (
                        set_member(body, "serviceNetworkIdentifier", Some(v)),
                        format!("`serviceNetworkIdentifier` is {what}"),
                    )
                }
                3 => {
                    let options = [
                        (
                            json!([{ "key": tag_key, "value": "v" }]),
                            "a list of key/value objects",
                        ),
                        (
                            json!(format!("{{\"{tag_key}\":\"v\"}}")),
                            "a string holding a JSON map",
                        ),
                        (json!(7), "a number"),
                        (json!(false), "a boolean"),
                        (json!([]), "an empty array"),
                    ];
                    let (v, what) = pick.get(&options).clone();
                    (
                        set_member(body, "tags", Some(v)),
                        format!("`tags` is {what}"),
                    )
                }
                _ => {
                    let options = [
                        (json!(1), "a number"),
                        (json!(0.5), "a fraction"),
                        (json!(true), "a boolean"),
                        (Value::Null, "null"),
                        (json!(["v"]), "an array"),
                        (json!({ "v": "w" }), "an object"),
                    ];
                    let (v, what) = pick.get(&options).clone();
                    let mut tags: serde_json::Map<String, Value> = e
                        .tags
                        .clone()
                        .unwrap_or_default()
                        .into_iter()
                        .map(|(k, v)| (k, Value::String(v)))
                        .collect();
                    if tags.len() >= TAG_COUNT_SAFE_MAX {
                        let first = tags.keys().next().cloned().unwrap_or_default();
                        tags.remove(&first);
                    }
                    tags.insert(tag_key.clone(), v);
                    (
                        set_member(body, "tags", Some(Value::Object(tags))),
                        format!("tag value of `{tag_key}` is {what}"),
                    )
                }
            };
            input(ValidationRule::ValBodyTypes, body, note)
        })
        .boxed()
}

/// Bytes that do not parse as JSON, derived from a valid body's text.
pub(crate) fn unparsable_variants(text: &str) -> Vec<(Vec<u8>, String)> {
    let bytes = text.as_bytes();
    let mut out: Vec<(Vec<u8>, String)> = vec![
        (Vec::new(), "empty body".into()),
        (b"  \r\n".to_vec(), "white space only".into()),
        (format!("{text} x").into_bytes(), "trailing garbage after the object".into()),
        (format!("{text}{{}}").into_bytes(), "two objects".into()),
        (format!("{},}}", &text[..text.len() - 1]).into_bytes(), "trailing comma".into()),
        (text.replace('"', "'").into_bytes(), "single-quoted strings".into()),
        (text.replacen("\"serviceIdentifier\"", "serviceIdentifier", 1).into_bytes(), "unquoted member name".into()),
        (text.replacen('{', "{/* comment */", 1).into_bytes(), "a comment".into()),
        (text.replacen('{', "{\"clientToken\":NaN,", 1).into_bytes(), "NaN literal".into()),
        (b"<CreateServiceNetworkServiceAssociationRequest/>".to_vec(), "XML".into()),
        (b"serviceIdentifier=svc-0123456789abcdef0&serviceNetworkIdentifier=sn-0123456789abcdef0".to_vec(), "form-encoded".into()),
    ];
    // Invalid UTF-8 inside the service identifier's string.
    let at = text
        .find("\"serviceIdentifier\":\"")
        .map(|i| i + "\"serviceIdentifier\":\"".len())
        .unwrap_or(1);
    for (bad, what) in [
        (&[0xff][..], "byte 0xFF"),
        (&[0xc3][..], "a lone UTF-8 lead byte"),
        (&[0xc0, 0xaf][..], "an overlong encoding"),
        (&[0xed, 0xa0, 0x80][..], "an encoded surrogate"),
    ] {
        let mut b = bytes[..at].to_vec();
        b.extend_from_slice(bad);
        b.extend_from_slice(&bytes[at..]);
        out.push((b, format!("invalid UTF-8 ({what}) in a string")));
    }
    out
}

fn malformed(ids: &Ids) -> BoxedStrategy<InvalidInput> {
    let bytes = (
        base(ids),
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
    )
        .prop_map(|((s, n, e), pick, cut)| {
            let text = serde_json::to_string(&create_body(&s, &n, &e)).expect("serialises");
            let mut variants = unparsable_variants(&text);
            let cut = cut.index(text.len());
            let mut truncated = text.as_bytes()[..cut].to_vec();
            truncated.shrink_to_fit();
            variants.push((
                truncated,
                format!("truncated after {cut} of {} bytes", text.len()),
            ));
            let (b, note) = pick.get(&variants).clone();
            InvalidInput {
                rule: ValidationRule::ValBodyMalformed,
                body: RawBody::Bytes(b),
                note: format!("malformed JSON: {note}"),
            }
        });
    let non_object = (
        base(ids),
        select(vec!["array", "string", "number", "true", "null"]),
    )
        .prop_map(|((s, n, e), kind)| {
            let body = create_body(&s, &n, &e);
            let v = match kind {
                "array" => json!([body]),
                "string" => Value::String(body.to_string()),
                "number" => json!(200),
                "true" => json!(true),
                _ => Value::Null,
            };
            InvalidInput {
                rule: ValidationRule::ValBodyMalformed,
                body: RawBody::Json(v),
                note: format!("body is JSON {kind}, not an object"),
            }
        });
    prop_oneof![3 => bytes, 2 => non_object].boxed()
}

/// The generator of a validation rule's inputs. Every validation rule is named here, so that a
/// rule added to the catalogue's `validation` check does not compile until it has a generator
/// (or is said to have none, as VAL-BEFORE-EXIST, which is judged on the other rules' inputs,
/// and VAL-ERROR-SHAPE's kin in other checks).
pub(crate) fn for_rule(rule: ValidationRule, ids: &Ids) -> Option<BoxedStrategy<InvalidInput>> {
    use ValidationRule as V;
    let s = match rule {
        ValidationRule::ValSvcRequired => {
            required(ids, ValidationRule::ValSvcRequired, "serviceIdentifier")
        }
        ValidationRule::ValSnRequired => required(
            ids,
            ValidationRule::ValSnRequired,
            "serviceNetworkIdentifier",
        ),
        ValidationRule::ValSvcLength => identifier_rule(
            ids,
            ValidationRule::ValSvcLength,
            ResourceKind::Service,
            too_long_identifier(ResourceKind::Service),
        ),
        ValidationRule::ValSnLength => identifier_rule(
            ids,
            ValidationRule::ValSnLength,
            ResourceKind::ServiceNetwork,
            too_long_identifier(ResourceKind::ServiceNetwork),
        ),
        ValidationRule::ValSvcPattern => identifier_rule(
            ids,
            ValidationRule::ValSvcPattern,
            ResourceKind::Service,
            pattern_breaking_identifier(ResourceKind::Service),
        ),
        ValidationRule::ValSnPattern => identifier_rule(
            ids,
            ValidationRule::ValSnPattern,
            ResourceKind::ServiceNetwork,
            pattern_breaking_identifier(ResourceKind::ServiceNetwork),
        ),
        ValidationRule::ValTokenLength => {
            token_rule(ids, ValidationRule::ValTokenLength, too_long_token())
        }
        ValidationRule::ValTokenPattern => token_rule(
            ids,
            ValidationRule::ValTokenPattern,
            pattern_breaking_token(),
        ),
        ValidationRule::ValBodyTypes => body_types(ids),
        ValidationRule::ValBodyMalformed => malformed(ids),
        V::TagCountMax => tag_rule(ids, rule, too_many_tags()),
        V::TagKeyLength => tag_rule(ids, rule, bad_length_tag_key()),
        V::TagValueLength => tag_rule(ids, rule, too_long_tag_value()),
        V::TagCharset => tag_rule(ids, rule, tag_with_forbidden_character()),
        V::TagAwsPrefix => tag_rule(ids, rule, aws_prefixed_tag_key()),
        V::ValBeforeExist => return None,
    };
    Some(s)
}

fn any_rule(ids: &Ids) -> BoxedStrategy<InvalidInput> {
    Union::new(
        ValidationRule::ALL
            .iter()
            .filter_map(|rule| for_rule(*rule, ids)),
    )
    .boxed()
}

/// An input that breaks exactly one rule, any of [`generated_rules`], with identifiers drawn from
/// the whole valid space where the broken rule is not about them.
pub fn invalid_create_input() -> impl Strategy<Value = InvalidInput> {
    any_rule(&Ids::Generated)
}

/// As [`invalid_create_input`], keeping the given identifiers verbatim wherever the broken rule
/// is not about them (pass well-formed, nonexistent ids to check that validation comes before
/// existence).
pub fn invalid_create_input_with(
    service: String,
    network: String,
) -> impl Strategy<Value = InvalidInput> {
    any_rule(&Ids::Pinned { service, network })
}

/// Inputs that break exactly `rule`; `None` when no generator breaks it alone.
pub fn invalid_create_input_for(rule: ValidationRule) -> Option<BoxedStrategy<InvalidInput>> {
    for_rule(rule, &Ids::Generated)
}

/// As [`invalid_create_input_for`], keeping the given identifiers where the rule is not about
/// them.
pub fn invalid_create_input_for_with(
    rule: ValidationRule,
    service: String,
    network: String,
) -> Option<BoxedStrategy<InvalidInput>> {
    for_rule(rule, &Ids::Pinned { service, network })
}
