//! Input validation of a raw `CreateServiceNetworkServiceAssociation` body against the contract,
//! naming the rule that each violation breaks.

use serde_json::Value;

use crate::constraints::ShapeKind;
use crate::constraints::{
    check_string, scalar_len, tag_chars_ok, StringViolation, CLIENT_TOKEN, RESERVED_TAG_PREFIX,
    SERVICE_IDENTIFIER, SERVICE_NETWORK_IDENTIFIER, TAG_KEY, TAG_MAP, TAG_VALUE,
};
use crate::wire::{CreateAssociationRequest, Tags};
use crate::RuleId;

/// One broken rule, with the member it concerns.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InputViolation {
    /// The rule id (see `rule_ids`).
    pub rule: RuleId,
    /// The member path, such as `serviceIdentifier` or `tags`.
    pub member: String,
}

fn v(rule: RuleId, member: &str) -> InputViolation {
    InputViolation {
        rule,
        member: member.to_owned(),
    }
}

/// Validates raw body bytes. `Ok` carries the typed request; `Err` every violation found (a
/// malformed or non-object body stops at that one).
pub fn validate_create_body(body: &[u8]) -> Result<CreateAssociationRequest, Vec<InputViolation>> {
    let value: Value =
        serde_json::from_slice(body).map_err(|_| vec![v(RuleId::ValBodyMalformed, "")])?;
    validate_create_value(&value)
}

/// Validates a parsed JSON body (see [`validate_create_body`]).
pub fn validate_create_value(
    value: &Value,
) -> Result<CreateAssociationRequest, Vec<InputViolation>> {
    let Some(obj) = value.as_object() else {
        return Err(vec![v(RuleId::ValBodyMalformed, "")]);
    };
    let mut out = Vec::new();
    let string_member = |name: &str, out: &mut Vec<InputViolation>| -> Option<String> {
        match obj.get(name) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                out.push(v(RuleId::ValBodyTypes, name));
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
                    _ => out.push(v(RuleId::ValBodyTypes, &format!("tags.{k}"))),
                }
            }
            Some(tags)
        }
        Some(_) => {
            out.push(v(RuleId::ValBodyTypes, "tags"));
            None
        }
    };
    if svc.is_none() && !out.iter().any(|x| x.member == "serviceIdentifier") {
        out.push(v(RuleId::ValSvcRequired, "serviceIdentifier"));
    }
    if sn.is_none() && !out.iter().any(|x| x.member == "serviceNetworkIdentifier") {
        out.push(v(RuleId::ValSnRequired, "serviceNetworkIdentifier"));
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
        RuleId::ValTokenLength,
        RuleId::ValTokenPattern,
    );
    string_rules(
        &svc,
        &SERVICE_IDENTIFIER,
        "serviceIdentifier",
        RuleId::ValSvcLength,
        RuleId::ValSvcPattern,
    );
    string_rules(
        &sn,
        &SERVICE_NETWORK_IDENTIFIER,
        "serviceNetworkIdentifier",
        RuleId::ValSnLength,
        RuleId::ValSnPattern,
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
pub fn tag_violations(tags: &Tags) -> Vec<InputViolation> {
    let mut out: Vec<InputViolation> = Vec::new();
    let mut push = |rule, member: String| {
        if !out.iter().any(|x| x.rule == rule) {
            out.push(InputViolation { rule, member });
        }
    };
    if let ShapeKind::TagMap { max } = TAG_MAP.kind {
        if tags.len() > max {
            push(RuleId::TagCountMax, "tags".into());
        }
    }
    for (k, val) in tags {
        if !check_string(&TAG_KEY, k).is_empty() {
            push(RuleId::TagKeyLength, format!("tags.{k}"));
        }
        if !check_string(&TAG_VALUE, val).is_empty() {
            push(RuleId::TagValueLength, format!("tags.{k}"));
        }
        if !tag_chars_ok(k) || !tag_chars_ok(val) {
            push(RuleId::TagCharset, format!("tags.{k}"));
        }
        if k.starts_with(RESERVED_TAG_PREFIX) {
            push(RuleId::TagAwsPrefix, format!("tags.{k}"));
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

    fn rules(body: Value) -> Vec<RuleId> {
        match validate_create_value(&body) {
            Ok(_) => vec![],
            Err(v) => v.into_iter().map(|v| v.rule).collect(),
        }
    }

    #[rstest]
    #[case(json!({"serviceIdentifier": SVC, "serviceNetworkIdentifier": SN}), vec![])]
    #[case(json!({"serviceNetworkIdentifier": SN}), vec![RuleId::ValSvcRequired])]
    #[case(json!({"serviceIdentifier": SVC}), vec![RuleId::ValSnRequired])]
    #[case(json!({"serviceIdentifier": "svc-0123", "serviceNetworkIdentifier": SN}), vec![RuleId::ValSvcLength, RuleId::ValSvcPattern])]
    #[case(json!({"serviceIdentifier": "svc-0123456789ABCDEF0", "serviceNetworkIdentifier": SN}), vec![RuleId::ValSvcPattern])]
    #[case(json!({"serviceIdentifier": SVC, "serviceNetworkIdentifier": "my-network"}), vec![RuleId::ValSnPattern])]
    #[case(json!({"serviceIdentifier": SVC, "serviceNetworkIdentifier": SN, "clientToken": ""}), vec![RuleId::ValTokenLength, RuleId::ValTokenPattern])]
    #[case(json!({"serviceIdentifier": SVC, "serviceNetworkIdentifier": SN, "clientToken": "   "}), vec![RuleId::ValTokenPattern])]
    #[case(json!({"serviceIdentifier": SVC, "serviceNetworkIdentifier": SN, "clientToken": 7}), vec![RuleId::ValBodyTypes])]
    #[case(json!([1]), vec![RuleId::ValBodyMalformed])]
    #[case(json!({"serviceIdentifier": SVC, "serviceNetworkIdentifier": SN, "tags": {"aws:x": "v"}}), vec![RuleId::TagAwsPrefix])]
    #[case(json!({"serviceIdentifier": SVC, "serviceNetworkIdentifier": SN, "tags": {"AWS:x": "v"}}), vec![])]
    #[case(json!({"serviceIdentifier": SVC, "serviceNetworkIdentifier": SN, "tags": {"k": "v!"}}), vec![RuleId::TagCharset])]
    #[case(json!({"serviceIdentifier": SVC, "serviceNetworkIdentifier": SN, "tags": {"": "v"}}), vec![RuleId::TagKeyLength])]
    fn each_body_breaks_exactly_the_named_rules(
        #[case] body: Value,
        #[case] expected: Vec<RuleId>,
    ) {
        assert_eq!(rules(body), expected);
    }

    #[test]
    fn non_json_bytes_are_malformed() {
        let err = validate_create_body(b"{\"serviceIdentifier\":").unwrap_err();
        assert_eq!(err[0].rule, RuleId::ValBodyMalformed);
    }

    #[test]
    fn prefix_case_ambiguity_is_only_for_other_cases() {
        assert!(tag_prefix_case_is_ambiguous("AWS:x"));
        assert!(tag_prefix_case_is_ambiguous("Aws:"));
        assert!(!tag_prefix_case_is_ambiguous("aws:x"));
        assert!(!tag_prefix_case_is_ambiguous("awsx"));
    }
}
