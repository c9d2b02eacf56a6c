//! Input validation of a raw `CreateServiceNetworkServiceAssociation` body against the contract,
//! naming the rule that each violation breaks.

use serde_json::Value;

use crate::constraints::ShapeKind;
use crate::constraints::{
    check_string, scalar_len, tag_chars_ok, StringViolation, CLIENT_TOKEN, RESERVED_TAG_PREFIX,
    SERVICE_IDENTIFIER, SERVICE_NETWORK_IDENTIFIER, TAG_KEY, TAG_MAP, TAG_VALUE,
};
use crate::rule_ids as r;
use crate::wire::{CreateAssociationRequest, Tags};

/// One broken rule, with the member it concerns.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Violation {
    /// The rule id (see `rule_ids`).
    pub rule: &'static str,
    /// The member path, such as `serviceIdentifier` or `tags`.
    pub member: String,
}

fn v(rule: &'static str, member: &str) -> Violation {
    Violation {
        rule,
        member: member.to_owned(),
    }
}

/// Validates raw body bytes. `Ok` carries the typed request; `Err` every violation found (a
/// malformed or non-object body stops at that one).
pub fn validate_create_body(body: &[u8]) -> Result<CreateAssociationRequest, Vec<Violation>> {
    let value: Value =
        serde_json::from_slice(body).map_err(|_| vec![v(r::VAL_BODY_MALFORMED, "")])?;
    validate_create_value(&value)
}

/// Validates a parsed JSON body (see [`validate_create_body`]).
pub fn validate_create_value(value: &Value) -> Result<CreateAssociationRequest, Vec<Violation>> {
    let Some(obj) = value.as_object() else {
        return Err(vec![v(r::VAL_BODY_MALFORMED, "")]);
    };
    let mut out = Vec::new();
    let string_member = |name: &str, out: &mut Vec<Violation>| -> Option<String> {
        match obj.get(name) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                out.push(v(r::VAL_BODY_TYPES, name));
                None
            }
        }
    };
    let token = string_member("clientToken", &mut out);
    let svc = string_member("serviceIdentifier", &mut out);
    let sn = string_member("serviceNetworkIdentifier", &mut out);
    let tags = match obj.get("tags") {
        None | Some(Value::Null) => None,
        Some(Value::Object(map)) => {
            let mut tags = Tags::new();
            for (k, val) in map {
                match val {
                    Value::String(s) => {
                        tags.insert(k.clone(), s.clone());
                    }
                    _ => out.push(v(r::VAL_BODY_TYPES, &format!("tags.{k}"))),
                }
            }
            Some(tags)
        }
        Some(_) => {
            out.push(v(r::VAL_BODY_TYPES, "tags"));
            None
        }
    };
    if svc.is_none() && !out.iter().any(|x| x.member == "serviceIdentifier") {
        out.push(v(r::VAL_SVC_REQUIRED, "serviceIdentifier"));
    }
    if sn.is_none() && !out.iter().any(|x| x.member == "serviceNetworkIdentifier") {
        out.push(v(r::VAL_SN_REQUIRED, "serviceNetworkIdentifier"));
    }
    let mut string_rules = |s: &Option<String>, shape, member: &str, len_rule, pat_rule| {
        if let Some(s) = s {
            for problem in check_string(shape, s) {
                let rule = match problem {
                    StringViolation::TooShort | StringViolation::TooLong => len_rule,
                    StringViolation::Pattern => pat_rule,
                };
                if !out.iter().any(|x| x.rule == rule) {
                    out.push(v(rule, member));
                }
            }
        }
    };
    string_rules(
        &token,
        &CLIENT_TOKEN,
        "clientToken",
        r::VAL_TOKEN_LENGTH,
        r::VAL_TOKEN_PATTERN,
    );
    string_rules(
        &svc,
        &SERVICE_IDENTIFIER,
        "serviceIdentifier",
        r::VAL_SVC_LENGTH,
        r::VAL_SVC_PATTERN,
    );
    string_rules(
        &sn,
        &SERVICE_NETWORK_IDENTIFIER,
        "serviceNetworkIdentifier",
        r::VAL_SN_LENGTH,
        r::VAL_SN_PATTERN,
    );
    if let Some(tags) = &tags {
        out.extend(tag_violations(tags));
    }
    if out.is_empty() {
        Ok(CreateAssociationRequest {
            client_token: token,
            service_identifier: svc.unwrap_or_default(),
            service_network_identifier: sn.unwrap_or_default(),
            tags,
        })
    } else {
        Err(out)
    }
}

/// The tag rules a tag map breaks (each rule named once): count, key and value lengths, the
/// documented character set, and the lower-case `aws:` prefix.
pub fn tag_violations(tags: &Tags) -> Vec<Violation> {
    let mut out: Vec<Violation> = Vec::new();
    let mut push = |rule, member: String| {
        if !out.iter().any(|x| x.rule == rule) {
            out.push(Violation { rule, member });
        }
    };
    if let ShapeKind::TagMap { max } = TAG_MAP.kind {
        if tags.len() > max {
            push(r::TAG_COUNT_MAX, "tags".into());
        }
    }
    for (k, val) in tags {
        if !check_string(&TAG_KEY, k).is_empty() {
            push(r::TAG_KEY_LENGTH, format!("tags.{k}"));
        }
        if !check_string(&TAG_VALUE, val).is_empty() {
            push(r::TAG_VALUE_LENGTH, format!("tags.{k}"));
        }
        if !tag_chars_ok(k) || !tag_chars_ok(val) {
            push(r::TAG_CHARSET, format!("tags.{k}"));
        }
        if k.starts_with(RESERVED_TAG_PREFIX) {
            push(r::TAG_AWS_PREFIX, format!("tags.{k}"));
        }
    }
    out
}

/// Whether a tag map is in the range where the model (200) and the user guide (50) disagree.
pub fn tag_count_is_ambiguous(tags: &Tags) -> bool {
    (51..=200).contains(&tags.len())
}

/// Whether a tag key begins with `aws:` in a letter case other than all lower case (only the lower
/// case prefix is documented).
pub fn tag_prefix_case_is_ambiguous(key: &str) -> bool {
    let head: String = key.chars().take(4).collect();
    head.to_lowercase() == RESERVED_TAG_PREFIX
        && head != RESERVED_TAG_PREFIX
        && scalar_len(&head) == 4
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;
    use serde_json::json;

    const SVC: &str = "svc-0123456789abcdef0";
    const SN: &str = "sn-0123456789abcdef0";

    fn rules(body: Value) -> Vec<&'static str> {
        match validate_create_value(&body) {
            Ok(_) => vec![],
            Err(v) => v.into_iter().map(|v| v.rule).collect(),
        }
    }

    #[rstest]
    #[case(json!({"serviceIdentifier": SVC, "serviceNetworkIdentifier": SN}), vec![])]
    #[case(json!({"serviceNetworkIdentifier": SN}), vec![r::VAL_SVC_REQUIRED])]
    #[case(json!({"serviceIdentifier": SVC}), vec![r::VAL_SN_REQUIRED])]
    #[case(json!({"serviceIdentifier": "svc-0123", "serviceNetworkIdentifier": SN}), vec![r::VAL_SVC_LENGTH, r::VAL_SVC_PATTERN])]
    #[case(json!({"serviceIdentifier": "svc-0123456789ABCDEF0", "serviceNetworkIdentifier": SN}), vec![r::VAL_SVC_PATTERN])]
    #[case(json!({"serviceIdentifier": SVC, "serviceNetworkIdentifier": "my-network"}), vec![r::VAL_SN_PATTERN])]
    #[case(json!({"serviceIdentifier": SVC, "serviceNetworkIdentifier": SN, "clientToken": ""}), vec![r::VAL_TOKEN_LENGTH, r::VAL_TOKEN_PATTERN])]
    #[case(json!({"serviceIdentifier": SVC, "serviceNetworkIdentifier": SN, "clientToken": "   "}), vec![r::VAL_TOKEN_PATTERN])]
    #[case(json!({"serviceIdentifier": SVC, "serviceNetworkIdentifier": SN, "clientToken": 7}), vec![r::VAL_BODY_TYPES])]
    #[case(json!([1]), vec![r::VAL_BODY_MALFORMED])]
    #[case(json!({"serviceIdentifier": SVC, "serviceNetworkIdentifier": SN, "tags": {"aws:x": "v"}}), vec![r::TAG_AWS_PREFIX])]
    #[case(json!({"serviceIdentifier": SVC, "serviceNetworkIdentifier": SN, "tags": {"AWS:x": "v"}}), vec![])]
    #[case(json!({"serviceIdentifier": SVC, "serviceNetworkIdentifier": SN, "tags": {"k": "v!"}}), vec![r::TAG_CHARSET])]
    #[case(json!({"serviceIdentifier": SVC, "serviceNetworkIdentifier": SN, "tags": {"": "v"}}), vec![r::TAG_KEY_LENGTH])]
    fn each_body_breaks_exactly_the_named_rules(
        #[case] body: Value,
        #[case] expected: Vec<&'static str>,
    ) {
        assert_eq!(rules(body), expected);
    }

    #[test]
    fn non_json_bytes_are_malformed() {
        let err = validate_create_body(b"{\"serviceIdentifier\":").unwrap_err();
        assert_eq!(err[0].rule, r::VAL_BODY_MALFORMED);
    }

    #[test]
    fn prefix_case_ambiguity_is_only_for_other_cases() {
        assert!(tag_prefix_case_is_ambiguous("AWS:x"));
        assert!(tag_prefix_case_is_ambiguous("Aws:"));
        assert!(!tag_prefix_case_is_ambiguous("aws:x"));
        assert!(!tag_prefix_case_is_ambiguous("awsx"));
    }
}
