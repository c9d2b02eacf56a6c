//! Response members in full: every member of a successful VPC Lattice answer against its
//! modelled JSON type (`lattice_spec::outputs`), nested structures, lists and enums included,
//! timestamps as RFC 3339 date-time strings (HTTP-OUTPUT-TYPES).

use serde_json::{Map, Value};

use lattice_spec::outputs::{is_date_time, output_of, OutputMember, OutputType};
use lattice_spec::Operation;

use crate::verdict::Violation;

/// The JSON type a violation names for an output type.
fn expected(ty: &OutputType) -> &'static str {
    match ty {
        OutputType::String | OutputType::Enum(_) => "string",
        OutputType::Timestamp => "date-time string (RFC 3339, UTC)",
        OutputType::Integer => "integer",
        OutputType::Boolean => "boolean",
        OutputType::Structure(_) | OutputType::StringMap => "object",
        OutputType::List(_) => "array",
    }
}

/// One value against its output type; `path` names it in a violation (`items[0].dnsEntry`).
fn value(v: &Value, ty: &OutputType, path: &str, out: &mut Vec<Violation>) {
    let wrong = || Violation::WrongType {
        member: path.to_owned(),
        expected: expected(ty).to_owned(),
    };
    match (ty, v) {
        (OutputType::String, Value::String(_)) => {}
        (OutputType::Enum(shape), Value::String(s)) => {
            if let lattice_spec::constraints::ShapeKind::Enum(values) = shape.kind {
                if !values.contains(&s.as_str()) {
                    out.push(Violation::NotInEnum {
                        member: path.to_owned(),
                        value: s.clone(),
                        allowed: values.iter().map(|v| (*v).to_owned()).collect(),
                    });
                }
            }
        }
        (OutputType::Timestamp, Value::String(s)) if is_date_time(s) => {}
        (OutputType::Integer, Value::Number(n)) if n.is_i64() || n.is_u64() => {}
        (OutputType::Boolean, Value::Bool(_)) => {}
        (OutputType::Structure(members), Value::Object(o)) => structure(o, members, path, out),
        (OutputType::List(members), Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let at = format!("{path}[{i}]");
                match item {
                    Value::Object(o) => structure(o, members, &at, out),
                    _ => out.push(Violation::WrongType {
                        member: at,
                        expected: "object".to_owned(),
                    }),
                }
            }
        }
        (OutputType::StringMap, Value::Object(o)) => {
            for (k, v) in o {
                if !v.is_string() {
                    out.push(Violation::WrongType {
                        member: format!("{path}.{k}"),
                        expected: "string".to_owned(),
                    });
                }
            }
        }
        _ => out.push(wrong()),
    }
}

/// The members of a structure (none is required: absent and null members are fine; members the
/// model does not know are left alone, since a newer model may add some).
fn structure(
    o: &Map<String, Value>,
    members: &[OutputMember],
    path: &str,
    out: &mut Vec<Violation>,
) {
    for m in members {
        match o.get(m.name) {
            None | Some(Value::Null) => {}
            Some(v) => {
                let at = if path.is_empty() {
                    m.name.to_owned()
                } else {
                    format!("{path}.{}", m.name)
                };
                value(v, &m.ty, &at, out);
            }
        }
    }
}

/// HTTP-OUTPUT-TYPES on a successful answer of `op` with body `body`: `None` when there is
/// nothing to judge (an AWS RAM operation, or an empty body where the output has no member).
pub fn output_types(op: Operation, body: &str) -> Option<Vec<Violation>> {
    let members = output_of(op)?;
    if body.trim().is_empty() && members.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    match serde_json::from_str::<Value>(body) {
        Ok(Value::Object(o)) => structure(&o, members, "", &mut out),
        _ => out.push(Violation::NotJsonObject {
            what: format!("the successful {}'s", op.name()),
            preview: crate::shape::preview(body),
        }),
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn judged(op: Operation, body: Value) -> Vec<String> {
        output_types(op, &body.to_string())
            .unwrap_or_default()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn well_typed_answers_break_nothing_and_unknown_members_are_left_alone() {
        let get = Operation::GetServiceNetworkServiceAssociation;
        let body = json!({"id": "snsa-0123456789abcdef0", "status": "ACTIVE",
            "createdAt": "2026-12-07T10:15:30.123Z", "dnsEntry": {"domainName": "d", "hostedZoneId": "z"},
            "customDomainName": null, "somethingNewer": 5});
        assert_eq!(judged(get, body), Vec::<String>::new());
        let list = Operation::ListServiceNetworks;
        let body = json!({"items": [{"id": "sn-0123456789abcdef0", "numberOfAssociatedServices": 2,
            "lastUpdatedAt": "2026-12-07T10:15:30Z"}], "nextToken": "t"});
        assert_eq!(judged(list, body), Vec::<String>::new());
        let tags = Operation::ListTagsForResource;
        assert_eq!(
            judged(tags, json!({"tags": {"k": "v"}})),
            Vec::<String>::new()
        );
    }

    #[test]
    fn each_wrong_type_is_named_by_its_path() {
        let list = Operation::ListServiceNetworkServiceAssociations;
        let body = json!({"items": [{"createdAt": 1765102530, "dnsEntry": {"domainName": 7}},
            "not an object", {"status": "AVAILABLE"}], "nextToken": 3});
        assert_eq!(
            judged(list, body).len(),
            5,
            "createdAt, dnsEntry.domainName, items[1], status, nextToken"
        );
        let network = Operation::CreateServiceNetwork;
        let body = json!({"sharingConfig": {"enabled": "yes"}, "authType": "NONE"});
        assert_eq!(judged(network, body).len(), 1);
        let service = Operation::GetService;
        let body = json!({"idleTimeoutSeconds": 1.5, "createdAt": "2026-12-07 10:15:30"});
        assert_eq!(judged(service, body).len(), 2);
        let tags = Operation::ListTagsForResource;
        assert_eq!(judged(tags, json!({"tags": {"k": 1}})).len(), 1);
    }

    #[test]
    fn empty_outputs_may_have_empty_bodies_but_a_body_must_be_an_object() {
        let delete = Operation::DeleteServiceNetwork;
        assert_eq!(output_types(delete, ""), None);
        assert_eq!(output_types(Operation::CreateResourceShare, "{}"), None);
        let get = Operation::GetService;
        assert_eq!(output_types(get, "").map(|v| v.len()), Some(1));
        assert_eq!(output_types(get, "[1]").map(|v| v.len()), Some(1));
    }
}
