//! The constraint tables, output table, error table and HTTP bindings equal the official models in
//! `specs/upstream/` (botocore `service-2.json` and the Smithy JSON AST). A model update that
//! changes any of them shows up here as a failing test, not as silent drift.

use std::path::PathBuf;

use lattice_spec::constraints::{Location, Shape};
use lattice_spec::constraints::{
    ShapeKind, ACCOUNT_ID, ASSOCIATION_ARN, ASSOCIATION_STATUS, INPUT_MEMBERS, SERVICE_ARN,
    SERVICE_ID, SERVICE_NETWORK_ARN, SERVICE_NETWORK_ID, TAG_KEY, TAG_VALUE,
};
use lattice_spec::outputs::{OutputMember, OutputType, OUTPUTS, SERVICE_STATUS};
use lattice_spec::{ErrorType, Operation};
use serde_json::Value;

fn load(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../specs/upstream")
        .join(name);
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn botocore() -> Value {
    load("vpc-lattice-2022-11-30.service-2.json")
}

fn smithy() -> Value {
    load("vpc-lattice-2022-11-30.smithy.json")
}

/// botocore 1.44 writes a Smithy `^X$` as `X` and an unanchored `X` as `.*X.*`.
fn botocore_form(smithy_pattern: &str) -> String {
    match smithy_pattern
        .strip_prefix('^')
        .and_then(|p| p.strip_suffix('$'))
    {
        Some(inner) => inner.to_owned(),
        None => format!(".*{smithy_pattern}.*"),
    }
}

fn check_shape_botocore(b: &Value, shape: &Shape) {
    let s = &b["shapes"][shape.name];
    assert!(s.is_object(), "botocore has no shape {}", shape.name);
    let num = |k: &str| s.get(k).and_then(Value::as_i64);
    match shape.kind {
        ShapeKind::String { min, max, pattern } => {
            assert_eq!(s["type"], "string", "{}", shape.name);
            assert_eq!(
                num("min").filter(|m| *m > 0),
                min.map(|m| m as i64).filter(|m| *m > 0),
                "{} min",
                shape.name
            );
            assert_eq!(num("max"), max.map(|m| m as i64), "{} max", shape.name);
            assert_eq!(
                s.get("pattern").and_then(Value::as_str).map(str::to_owned),
                pattern.map(botocore_form),
                "{} pattern",
                shape.name
            );
        }
        ShapeKind::Enum(values) => {
            let got: Vec<&str> = s["enum"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            assert_eq!(got, values, "{} enum", shape.name);
        }
        ShapeKind::Integer { min, max } => {
            assert_eq!(
                (num("min"), num("max")),
                (Some(min), Some(max)),
                "{} range",
                shape.name
            );
        }
        ShapeKind::TagMap { max } => {
            assert_eq!(s["type"], "map");
            assert_eq!(num("max"), Some(max as i64));
            assert_eq!(s["key"]["shape"], TAG_KEY.name);
            assert_eq!(s["value"]["shape"], TAG_VALUE.name);
            check_shape_botocore(b, &TAG_KEY);
            check_shape_botocore(b, &TAG_VALUE);
        }
        ShapeKind::TagKeyList { max } => {
            assert_eq!(s["type"], "list");
            assert_eq!(num("max"), Some(max as i64));
            assert_eq!(s["member"]["shape"], TAG_KEY.name);
        }
        ShapeKind::Structure => assert_eq!(s["type"], "structure"),
    }
}

fn check_shape_smithy(m: &Value, shape: &Shape) {
    let s = &m["shapes"][format!("com.amazonaws.vpclattice#{}", shape.name)];
    if shape.name == "IdleTimeoutSeconds" {
        // Newer than the stored Smithy snapshot (specs/upstream/README.md): botocore only.
        assert!(s.is_null());
        return;
    }
    assert!(s.is_object(), "smithy has no shape {}", shape.name);
    let traits = &s["traits"];
    let num = |t: &str, k: &str| traits[t].get(k).and_then(Value::as_i64);
    match shape.kind {
        ShapeKind::String { min, max, pattern } => {
            assert_eq!(
                num("smithy.api#length", "min").filter(|m| *m > 0),
                min.map(|m| m as i64).filter(|m| *m > 0),
                "{}",
                shape.name
            );
            assert_eq!(
                num("smithy.api#length", "max"),
                max.map(|m| m as i64),
                "{}",
                shape.name
            );
            assert_eq!(
                traits["smithy.api#pattern"].as_str(),
                pattern,
                "{} pattern (verbatim)",
                shape.name
            );
        }
        ShapeKind::Enum(values) => {
            let got: Vec<&str> = traits["smithy.api#enum"]
                .as_array()
                .map(|a| a.iter().map(|v| v["value"].as_str().unwrap()).collect())
                .unwrap_or_else(|| {
                    s["members"]
                        .as_object()
                        .unwrap()
                        .values()
                        .map(|v| v["traits"]["smithy.api#enumValue"].as_str().unwrap())
                        .collect()
                });
            assert_eq!(got, values, "{} enum", shape.name);
        }
        ShapeKind::Integer { min, max } => {
            assert_eq!(
                (
                    num("smithy.api#range", "min"),
                    num("smithy.api#range", "max")
                ),
                (Some(min), Some(max))
            );
        }
        ShapeKind::TagMap { max } | ShapeKind::TagKeyList { max } => {
            assert_eq!(
                num("smithy.api#length", "max"),
                Some(max as i64),
                "{}",
                shape.name
            );
        }
        ShapeKind::Structure => assert_eq!(s["type"], "structure"),
    }
}

#[test]
fn every_input_member_matches_both_models() {
    let b = botocore();
    let m = smithy();
    for member in INPUT_MEMBERS {
        let op = &b["operations"][member.operation];
        let input = &b["shapes"][op["input"]["shape"].as_str().unwrap()];
        let bm = &input["members"][member.name];
        assert!(
            bm.is_object(),
            "{}.{} not in botocore",
            member.operation,
            member.name
        );
        assert_eq!(
            bm["shape"], member.shape.name,
            "{}.{} shape",
            member.operation, member.name
        );
        let required = input["required"]
            .as_array()
            .is_some_and(|r| r.iter().any(|x| x == member.name));
        assert_eq!(
            required, member.required,
            "{}.{} required",
            member.operation, member.name
        );
        let location = match bm.get("location").and_then(Value::as_str) {
            None => Location::Body,
            Some("uri") => Location::Label,
            Some("querystring") => Location::Query,
            Some(other) => panic!("unexpected location {other}"),
        };
        assert_eq!(
            location, member.location,
            "{}.{} location",
            member.operation, member.name
        );
        check_shape_botocore(&b, &member.shape);
        check_shape_smithy(&m, &member.shape);
    }
}

#[test]
fn every_input_member_of_the_covered_operations_is_in_the_table() {
    let b = botocore();
    let ops: std::collections::BTreeSet<&str> = INPUT_MEMBERS.iter().map(|m| m.operation).collect();
    for op in Operation::ALL.iter().filter(|op| !op.is_ram()) {
        assert!(
            ops.contains(op.name()),
            "{} is an operation of ours but none of its input members is in the table",
            op.name()
        );
    }
    for op in ops {
        let input = &b["shapes"][b["operations"][op]["input"]["shape"].as_str().unwrap()];
        for name in input["members"].as_object().unwrap().keys() {
            assert!(
                INPUT_MEMBERS
                    .iter()
                    .any(|m| m.operation == op && m.name == name),
                "{op}.{name} is in the model but not in the constraint table"
            );
        }
    }
}

#[test]
fn output_shapes_match_both_models() {
    let b = botocore();
    let m = smithy();
    for shape in [
        ASSOCIATION_ARN,
        ACCOUNT_ID,
        SERVICE_ID,
        SERVICE_NETWORK_ID,
        SERVICE_ARN,
        SERVICE_NETWORK_ARN,
        ASSOCIATION_STATUS,
    ] {
        check_shape_botocore(&b, &shape);
        check_shape_smithy(&m, &shape);
    }
}

#[test]
fn error_types_have_their_modelled_status_and_required_members() {
    let b = botocore();
    for e in ErrorType::ALL {
        let s = &b["shapes"][e.name()];
        assert_eq!(
            s["error"]["httpStatusCode"].as_u64(),
            Some(u64::from(e.status())),
            "{}",
            e.name()
        );
        let mut required: Vec<&str> = s["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        required.sort_unstable();
        let mut ours = e.required_members().to_vec();
        ours.sort_unstable();
        assert_eq!(required, ours, "{} required members", e.name());
        let has_header = s["members"]
            .as_object()
            .unwrap()
            .values()
            .any(|v| v["locationName"] == "Retry-After");
        assert_eq!(has_header, e.has_retry_after(), "{} Retry-After", e.name());
    }
}

#[test]
fn operations_have_their_modelled_http_bindings_and_errors() {
    let lattice = botocore();
    let ram = load("ram-2018-01-04.service-2.json");
    for op in Operation::ALL {
        let model = if op.is_ram() { &ram } else { &lattice };
        let http = &model["operations"][op.name()]["http"];
        assert_eq!(http["method"], op.method().as_str(), "{}", op.name());
        let uri = http["requestUri"].as_str().unwrap().replace("+}", "}");
        assert_eq!(uri, op.path_template(), "{}", op.name());
        assert_eq!(
            http["responseCode"].as_u64().unwrap_or(200),
            u64::from(op.success_status()),
            "{}",
            op.name()
        );
        if !op.is_ram() {
            let mut modelled: Vec<&str> = model["operations"][op.name()]["errors"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["shape"].as_str().unwrap())
                .collect();
            modelled.sort_unstable();
            let mut ours: Vec<&str> = op.errors().iter().map(|e| e.name()).collect();
            ours.sort_unstable();
            assert_eq!(modelled, ours, "{} errors", op.name());
        }
    }
    assert_eq!(lattice["metadata"]["signingName"], "vpc-lattice");
    // RAM has no explicit signingName: SigV4 signs with the endpoint prefix.
    assert_eq!(ram["metadata"]["endpointPrefix"], "ram");
    assert!(ram["metadata"]["signingName"].is_null());
}

/// The JSON type a botocore shape gives a member on the wire, checked against the table's;
/// structures and lists are checked member by member.
fn check_output_type(b: &Value, shape_name: &str, ty: &OutputType, path: &str) {
    let s = &b["shapes"][shape_name];
    assert!(s.is_object(), "{path}: botocore has no shape {shape_name}");
    let kind = s["type"].as_str().unwrap_or_default();
    match ty {
        OutputType::String => {
            assert_eq!(kind, "string", "{path}");
            assert!(s.get("enum").is_none(), "{path}: an enum in the model");
        }
        OutputType::Enum(shape) => {
            assert_eq!(kind, "string", "{path}");
            assert_eq!(shape.name, shape_name, "{path}");
            check_shape_botocore(b, shape);
        }
        OutputType::Timestamp => {
            assert_eq!(kind, "timestamp", "{path}");
            assert_eq!(s["timestampFormat"], "iso8601", "{path}");
        }
        OutputType::Integer => assert!(kind == "integer" || kind == "long", "{path}: {kind}"),
        OutputType::Boolean => assert_eq!(kind, "boolean", "{path}"),
        OutputType::Structure(members) => {
            assert_eq!(kind, "structure", "{path}");
            check_output_members(b, shape_name, members, path);
        }
        OutputType::List(members) => {
            assert_eq!(kind, "list", "{path}");
            let item = s["member"]["shape"].as_str().unwrap();
            assert_eq!(b["shapes"][item]["type"], "structure", "{path} items");
            check_output_members(b, item, members, &format!("{path}[]"));
        }
        OutputType::StringMap => {
            assert_eq!(kind, "map", "{path}");
            let value = s["value"]["shape"].as_str().unwrap();
            assert_eq!(b["shapes"][value]["type"], "string", "{path} values");
        }
    }
}

/// A structure's members in botocore equal the table's: the same names, targets and types.
fn check_output_members(b: &Value, structure: &str, members: &[OutputMember], path: &str) {
    let model = b["shapes"][structure]["members"].as_object().unwrap();
    let mut theirs: Vec<&str> = model.keys().map(String::as_str).collect();
    let mut ours: Vec<&str> = members.iter().map(|m| m.name).collect();
    theirs.sort_unstable();
    ours.sort_unstable();
    assert_eq!(ours, theirs, "{path}: the members of {structure}");
    for m in members {
        let target = model[m.name]["shape"].as_str().unwrap();
        assert_eq!(m.shape, target, "{path}.{}", m.name);
        assert!(
            model[m.name].get("location").is_none(),
            "{path}.{}: bound outside the body",
            m.name
        );
        check_output_type(b, target, &m.ty, &format!("{path}.{}", m.name));
    }
}

#[test]
fn every_output_member_matches_both_models() {
    let b = botocore();
    let m = smithy();
    for (op, shape, members) in OUTPUTS {
        let output = b["operations"][op.name()]["output"]["shape"].as_str();
        assert_eq!(output, Some(*shape), "{} output", op.name());
        check_output_members(&b, shape, members, op.name());
        // The Smithy model's output structure has the same members, and its timestamps are
        // date-time on the wire.
        let smithy_output = m["shapes"][format!("com.amazonaws.vpclattice#{}", op.name())]
            ["output"]["target"]
            .as_str()
            .unwrap();
        let names: std::collections::BTreeSet<&str> = m["shapes"][smithy_output]["members"]
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        // idleTimeoutSeconds is newer than the stored Smithy snapshot (specs/upstream/README.md).
        let ours: std::collections::BTreeSet<&str> = members
            .iter()
            .map(|m| m.name)
            .filter(|n| *n != "idleTimeoutSeconds")
            .collect();
        assert_eq!(ours, names, "{} output in the Smithy model", op.name());
    }
    assert_eq!(
        m["shapes"]["com.amazonaws.vpclattice#Timestamp"]["traits"]["smithy.api#timestampFormat"],
        "date-time"
    );
    check_shape_smithy(&m, &SERVICE_STATUS);
    check_shape_smithy(&m, &lattice_spec::constraints::AUTH_TYPE);
}
