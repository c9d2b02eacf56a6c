//! Observers: wire-format rules checked on every exchange of a run (status codes, content type,
//! error header and members, response members against their patterns and enums).

use serde_json::Value;

use lattice_spec::constraints::{
    matches_pattern, Shape, ShapeKind, ACCOUNT_ID, ASSOCIATION_ARN, ASSOCIATION_IDENTIFIER,
    ASSOCIATION_STATUS, SERVICE_ARN, SERVICE_ID, SERVICE_NETWORK_ARN, SERVICE_NETWORK_ID,
};
use lattice_spec::errors::VALIDATION_REASONS;
use lattice_spec::RuleId;
use lattice_spec::{ErrorType, Operation};

use crate::exchange::{Exchange, RecordedResponse};
use crate::verdict::Violation;

/// A rule observed on one exchange, with what (if anything) contradicts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observation {
    /// The rule id.
    pub rule: RuleId,
    /// Empty when the exchange honours the rule.
    pub violations: Vec<Violation>,
    /// What the endpoint chose where the contract leaves it open (an error name a neighbouring
    /// call answered that its model does not list), for the report.
    pub chosen: Option<String>,
}

fn obs(rule: RuleId, violations: Vec<Violation>) -> Observation {
    Observation {
        rule,
        violations,
        chosen: None,
    }
}

/// The name AWS front ends give a body they cannot deserialize: accepted for a 400 answer to
/// the Create (VAL-BODY-MALFORMED and VAL-BODY-TYPES accept it), though no model lists it.
const SERIALIZATION_EXCEPTION: &str = "SerializationException";

/// What the error type of an error answer shows about HTTP-ERROR-TYPE-HEADER. The Create must
/// name one of its modelled errors (or SerializationException on a 400); a neighbouring call is
/// judged by its status elsewhere and its error type is recorded, not failed: real VPC Lattice
/// answers some of them with error names their models lack (404 NotFoundException from
/// ListTagsForResource on another account's association).
fn error_type_observation(
    op: Operation,
    resp: &RecordedResponse,
    raw: Option<&str>,
    error: Option<ErrorType>,
) -> Observation {
    let create = op == Operation::CreateServiceNetworkServiceAssociation;
    let sanitized = raw.map(lattice_spec::errors::sanitize_error_type);
    let unmodelled = |known: bool| {
        let name = error.map_or_else(|| raw.unwrap_or_default().to_owned(), |e| e.name().into());
        if create {
            obs(
                RuleId::HttpErrorTypeHeader,
                vec![Violation::UnmodelledError {
                    error: name,
                    operation: op.name().into(),
                    known,
                }],
            )
        } else {
            let mut o = obs(RuleId::HttpErrorTypeHeader, vec![]);
            o.chosen = Some(format!(
                "{} answered {} {} (not in its model)",
                op.name(),
                resp.status,
                sanitized.unwrap_or_default()
            ));
            o
        }
    };
    match (raw, error) {
        (None, _) => obs(
            RuleId::HttpErrorTypeHeader,
            vec![Violation::MissingHeader {
                header: "X-Amzn-Errortype".into(),
                status: resp.status,
            }],
        ),
        (Some(_), None)
            if create && resp.status == 400 && sanitized == Some(SERIALIZATION_EXCEPTION) =>
        {
            obs(RuleId::HttpErrorTypeHeader, vec![])
        }
        (Some(_), None) => unmodelled(false),
        (Some(_), Some(e)) if !op.errors().contains(&e) => unmodelled(true),
        _ => obs(RuleId::HttpErrorTypeHeader, vec![]),
    }
}

fn is_json_content_type(r: &RecordedResponse) -> bool {
    r.header("content-type")
        .and_then(|ct| ct.split(';').next())
        .is_some_and(|ct| ct.trim().eq_ignore_ascii_case("application/json"))
}

/// Checks a string member of a JSON object against an output shape (absent members are fine:
/// no output member is `@required`).
fn member(obj: &Value, name: &str, shape: &Shape, out: &mut Vec<Violation>) {
    let Some(v) = obj.get(name) else { return };
    if v.is_null() {
        return;
    }
    let Some(s) = v.as_str() else {
        out.push(Violation::WrongType {
            member: name.into(),
            expected: "string".into(),
        });
        return;
    };
    match shape.kind {
        ShapeKind::Enum(values) if !values.contains(&s) => out.push(Violation::NotInEnum {
            member: name.into(),
            value: s.into(),
            allowed: values.iter().map(|v| v.to_string()).collect(),
        }),
        ShapeKind::String {
            pattern: Some(p), ..
        } if !matches_pattern(shape, s) => out.push(Violation::PatternMismatch {
            member: name.into(),
            value: s.into(),
            pattern: p.into(),
        }),
        _ => {}
    }
}

/// The members HTTP-RESPONSE-SHAPE insists on in a Create or Get answer: no output member is
/// `@required`, but without `id` and `arn` the association cannot be addressed. The others are
/// checked against their patterns and enums when present.
const REQUIRED_TO_ADDRESS: &[&str] = &["id", "arn"];

/// The association members of a Create, Get, Delete or List-item body, checked against their
/// patterns and enums. `required` names members this check insists on (e.g. `id` on Create).
pub fn association_members(obj: &Value, shape_name: &str, required: &[&str]) -> Vec<Violation> {
    let mut out = Vec::new();
    if !obj.is_object() {
        out.push(Violation::WrongType {
            member: shape_name.into(),
            expected: "object".into(),
        });
        return out;
    }
    for name in required {
        if obj.get(*name).is_none_or(Value::is_null) {
            out.push(Violation::MissingMember {
                shape: shape_name.into(),
                member: (*name).into(),
            });
        }
    }
    member(obj, "id", &ASSOCIATION_IDENTIFIER, &mut out);
    member(obj, "arn", &ASSOCIATION_ARN, &mut out);
    member(obj, "createdBy", &ACCOUNT_ID, &mut out);
    member(obj, "serviceId", &SERVICE_ID, &mut out);
    member(obj, "serviceNetworkId", &SERVICE_NETWORK_ID, &mut out);
    member(obj, "serviceArn", &SERVICE_ARN, &mut out);
    member(obj, "serviceNetworkArn", &SERVICE_NETWORK_ARN, &mut out);
    out
}

/// The status member alone (LIFE-STATUS-ENUM).
pub fn status_member(obj: &Value) -> Vec<Violation> {
    let mut out = Vec::new();
    member(obj, "status", &ASSOCIATION_STATUS, &mut out);
    out
}

/// LIFE-STATUS-ENUM on the `status` members of `objects`: an observation only when at least one
/// of them has a status (a body without one shows nothing about the enum).
fn status_observation<'a>(objects: impl IntoIterator<Item = &'a Value>) -> Option<Observation> {
    let mut seen = false;
    let mut violations = Vec::new();
    for o in objects {
        if o.get("status").is_some() {
            seen = true;
            violations.extend(status_member(o));
        }
    }
    seen.then(|| obs(RuleId::LifeStatusEnum, violations))
}

/// Checks a modelled error body: the error type names one of the operation's modelled errors,
/// its status is the modelled one, and every required member is present as a string.
fn error_observations(op: Operation, resp: &RecordedResponse, out: &mut Vec<Observation>) {
    let raw_type = resp.header("x-amzn-errortype");
    let error = resp.error_type().and_then(|e| ErrorType::from_wire(&e));
    out.push(error_type_observation(op, resp, raw_type, error));
    let Some(error) = error else { return };
    let status = if resp.status == error.status() {
        vec![]
    } else {
        vec![Violation::WrongOutcome {
            expected: vec![format!("{} {}", error.status(), error.name())],
            found: resp.outcome(),
        }]
    };
    out.push(obs(RuleId::HttpErrorStatus, status));
    let mut members = Vec::new();
    match resp.json() {
        Some(body @ Value::Object(_)) => {
            for name in error.required_members() {
                match body.get(*name) {
                    None | Some(Value::Null) => members.push(Violation::MissingMember {
                        shape: error.name().into(),
                        member: (*name).into(),
                    }),
                    Some(Value::String(_)) => {}
                    Some(_) => members.push(Violation::WrongType {
                        member: (*name).into(),
                        expected: "string".into(),
                    }),
                }
            }
            if error == ErrorType::ValidationException {
                let mut shape = Vec::new();
                if let Some(reason) = body.get("reason").and_then(Value::as_str) {
                    if !VALIDATION_REASONS.contains(&reason) {
                        shape.push(Violation::NotInEnum {
                            member: "reason".into(),
                            value: reason.into(),
                            allowed: VALIDATION_REASONS.iter().map(|s| s.to_string()).collect(),
                        });
                    }
                }
                match body.get("fieldList") {
                    None | Some(Value::Null) => {}
                    Some(Value::Array(items)) => {
                        for item in items {
                            for name in ["name", "message"] {
                                if !item.get(name).is_some_and(Value::is_string) {
                                    shape.push(Violation::MissingMember {
                                        shape: "ValidationExceptionField".into(),
                                        member: name.into(),
                                    });
                                }
                            }
                        }
                    }
                    Some(_) => shape.push(Violation::WrongType {
                        member: "fieldList".into(),
                        expected: "array".into(),
                    }),
                }
                out.push(obs(RuleId::ValErrorShape, shape));
                out.extend(field_list_names(op, &body));
            }
        }
        _ => members.push(Violation::NotJsonObject {
            what: error.name().into(),
            preview: preview(&resp.body),
        }),
    }
    out.push(obs(RuleId::HttpErrorMembers, members));
    if error.has_retry_after() {
        if let Some(v) = resp.header("retry-after") {
            let bad = v.trim().parse::<u32>().is_err();
            let violations = if bad {
                vec![Violation::BadHeader {
                    header: "Retry-After".into(),
                    value: v.to_owned(),
                    expected: "an integer number of seconds".into(),
                }]
            } else {
                vec![]
            };
            out.push(obs(RuleId::HttpRetryAfter, violations));
        }
    }
}

/// Whether a `fieldList` name names `member`: the member name or a JSON pointer to it
/// (`/serviceIdentifier`), optionally followed by a path into it (`tags.Key`, `/tags/Key`,
/// `tags[0]`).
fn names_member(name: &str, member: &str) -> bool {
    let rest = name.strip_prefix('/').unwrap_or(name);
    rest.strip_prefix(member)
        .is_some_and(|after| after.is_empty() || after.starts_with(['.', '/', '[']))
}

/// VAL-FIELDLIST-NAMES on a ValidationException body: every `fieldList` name names a member of
/// `op`'s input. An observation only when the list has a name to judge.
fn field_list_names(op: Operation, body: &Value) -> Option<Observation> {
    let names: Vec<&str> = body
        .get("fieldList")?
        .as_array()?
        .iter()
        .filter_map(|item| item.get("name")?.as_str())
        .collect();
    if names.is_empty() {
        return None;
    }
    let members: Vec<&str> = lattice_spec::constraints::members_of(op.name())
        .map(|m| m.name)
        .collect();
    let violations = names
        .into_iter()
        .filter(|n| !members.iter().any(|m| names_member(n, m)))
        .map(|n| Violation::UnmodelledMember {
            member: n.to_owned(),
            modelled: members.iter().map(|m| (*m).to_owned()).collect(),
        })
        .collect();
    Some(obs(RuleId::ValFieldlistNames, violations))
}

/// A short preview of a body for messages.
pub fn preview(body: &str) -> String {
    let mut s: String = body.chars().take(120).collect();
    if body.chars().count() > 120 {
        s.push('…');
    }
    s
}

/// Every wire-format observation one exchange allows. Signature failures (403 with a front-end
/// error name) are outside the modelled error list and are not judged here.
pub fn observe(op: Operation, exchange: &Exchange) -> Vec<Observation> {
    let mut out = Vec::new();
    let Some(resp) = exchange.ok() else {
        return out;
    };
    if exchange.is_throttled() && resp.status == 503 {
        return out;
    }
    if exchange.request.signing != "sigv4" {
        return out;
    }
    if resp.status != 204 && !(resp.is_success() && resp.body.is_empty()) {
        let ct = if is_json_content_type(resp) {
            vec![]
        } else {
            vec![Violation::WrongContentType {
                found: resp.header("content-type").map(str::to_owned),
            }]
        };
        out.push(obs(RuleId::HttpContentType, ct));
    }
    if resp.is_success() {
        if op == Operation::CreateServiceNetworkServiceAssociation {
            let mut status = if resp.status == op.success_status() {
                vec![]
            } else {
                vec![Violation::WrongOutcome {
                    expected: vec!["200".into()],
                    found: resp.status.to_string(),
                }]
            };
            if !resp.json().is_some_and(|b| b.is_object()) {
                status.push(Violation::NotJsonObject {
                    what: "the successful Create's".into(),
                    preview: preview(&resp.body),
                });
            }
            out.push(obs(RuleId::HttpSuccessStatus, status));
        }
        if op != Operation::CreateServiceNetworkServiceAssociation && !op.is_ram() {
            let status = if resp.status == op.success_status() {
                vec![]
            } else {
                vec![Violation::WrongOutcome {
                    expected: vec![format!("{} ({})", op.success_status(), op.name())],
                    found: resp.status.to_string(),
                }]
            };
            out.push(obs(RuleId::HttpOperationStatus, status));
        }
        if !resp.truncated {
            if let Some(v) = crate::output::output_types(op, &resp.body) {
                out.push(obs(RuleId::HttpOutputTypes, v));
            }
        }
        let body = resp.json().unwrap_or(Value::Null);
        match op {
            Operation::CreateServiceNetworkServiceAssociation => {
                out.push(obs(
                    RuleId::HttpResponseShape,
                    association_members(
                        &body,
                        "CreateServiceNetworkServiceAssociationResponse",
                        REQUIRED_TO_ADDRESS,
                    ),
                ));
                out.extend(status_observation([&body]));
            }
            Operation::GetServiceNetworkServiceAssociation => {
                out.push(obs(
                    RuleId::HttpResponseShape,
                    association_members(
                        &body,
                        "GetServiceNetworkServiceAssociationResponse",
                        REQUIRED_TO_ADDRESS,
                    ),
                ));
                out.extend(status_observation([&body]));
            }
            Operation::DeleteServiceNetworkServiceAssociation => {
                out.extend(status_observation([&body]));
            }
            Operation::ListServiceNetworkServiceAssociations => {
                let mut v = Vec::new();
                match body.get("items") {
                    Some(Value::Array(items)) => {
                        for item in items {
                            v.extend(association_members(
                                item,
                                "ServiceNetworkServiceAssociationSummary",
                                &[],
                            ));
                        }
                        out.extend(status_observation(items));
                    }
                    _ => v.push(Violation::MissingMember {
                        shape: "ListServiceNetworkServiceAssociationsResponse".into(),
                        member: "items".into(),
                    }),
                }
                out.push(obs(RuleId::HttpResponseShape, v));
            }
            _ => {}
        }
    } else if !op.is_ram() {
        error_observations(op, resp, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::{ExchangeParts, RecordedRequest};
    use serde_json::json;

    fn ex(op: Operation, status: u16, headers: &[(&str, &str)], body: Value) -> Exchange {
        Exchange::from(ExchangeParts {
            request: RecordedRequest {
                operation: op.name().into(),
                principal: "owner".into(),
                method: "POST".into(),
                path: "/".into(),
                body: String::new(),
                signing: "sigv4".into(),
            },
            response: Ok(RecordedResponse {
                status,
                headers: headers
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
                body: body.to_string().into(),
                truncated: false,
            }),
        })
    }

    fn failing(obs: &[Observation]) -> Vec<RuleId> {
        obs.iter()
            .filter(|o| !o.violations.is_empty())
            .map(|o| o.rule)
            .collect()
    }

    const CREATE: Operation = Operation::CreateServiceNetworkServiceAssociation;
    const JSON: (&str, &str) = ("content-type", "application/json");

    #[test]
    fn a_conformant_create_response_breaks_nothing() {
        let body = json!({"id": "snsa-0123456789abcdef0", "arn": "arn:aws:vpc-lattice:us-east-1:111122223333:servicenetworkserviceassociation/snsa-0123456789abcdef0", "createdBy": "111122223333", "status": "ACTIVE"});
        let o = observe(CREATE, &ex(CREATE, 200, &[JSON], body));
        assert_eq!(failing(&o), Vec::<RuleId>::new());
        assert!(o.iter().any(|o| o.rule == RuleId::HttpResponseShape));
    }

    #[test]
    fn optional_members_may_be_absent_but_id_and_arn_may_not() {
        let sparse = json!({"id": "snsa-0123456789abcdef0", "arn": "arn:aws:vpc-lattice:us-east-1:111122223333:servicenetworkserviceassociation/snsa-0123456789abcdef0"});
        let o = observe(CREATE, &ex(CREATE, 200, &[JSON], sparse));
        assert_eq!(failing(&o), Vec::<RuleId>::new());
        let get = Operation::GetServiceNetworkServiceAssociation;
        let no_arn = json!({"id": "snsa-0123456789abcdef0", "status": "ACTIVE"});
        for op in [CREATE, get] {
            let o = observe(op, &ex(op, 200, &[JSON], no_arn.clone()));
            assert_eq!(failing(&o), vec![RuleId::HttpResponseShape], "{op:?}");
        }
    }

    #[test]
    fn response_defects_are_named_by_rule() {
        let body = json!({"id": "snsa-0123456789ABCDEF0", "arn": "arn:aws:vpc-lattice:us-east-1:111122223333:servicenetworkserviceassociation/snsa-0123456789abcdef0", "createdBy": "11112222333٣", "status": "PENDING"});
        let o = observe(
            CREATE,
            &ex(CREATE, 201, &[("content-type", "text/plain")], body),
        );
        assert_eq!(
            failing(&o),
            vec![
                RuleId::HttpContentType,
                RuleId::HttpSuccessStatus,
                RuleId::HttpOutputTypes,
                RuleId::HttpResponseShape,
                RuleId::LifeStatusEnum
            ]
        );
    }

    #[test]
    fn every_other_operation_succeeds_with_its_modelled_status() {
        let judged = |op: Operation, status: u16| {
            let o = observe(op, &ex(op, status, &[JSON], json!({})));
            let rule = o.iter().find(|o| o.rule == RuleId::HttpOperationStatus);
            rule.map(|o| o.violations.is_empty())
        };
        assert_eq!(judged(Operation::CreateService, 201), Some(true));
        assert_eq!(judged(Operation::CreateService, 200), Some(false));
        assert_eq!(judged(Operation::CreateServiceNetwork, 200), Some(false));
        assert_eq!(judged(Operation::GetService, 200), Some(true));
        assert_eq!(judged(Operation::ListTagsForResource, 201), Some(false));
        // The Create has a rule of its own; RAM is outside the model.
        assert_eq!(judged(CREATE, 200), None);
        assert_eq!(judged(Operation::CreateResourceShare, 200), None);
    }

    #[test]
    fn a_body_without_a_status_observes_nothing_about_the_status_enum() {
        let ct = [("content-type", "application/json")];
        for body in [
            json!({"id": "snsa-0123456789abcdef0"}),
            json!("not an object"),
        ] {
            let o = observe(CREATE, &ex(CREATE, 200, &ct, body));
            assert!(!o.iter().any(|o| o.rule == RuleId::LifeStatusEnum), "{o:?}");
        }
        let list = Operation::ListServiceNetworkServiceAssociations;
        let o = observe(list, &ex(list, 200, &ct, json!({"items": [{"id": "x"}]})));
        assert!(!o.iter().any(|o| o.rule == RuleId::LifeStatusEnum), "{o:?}");
        let o = observe(
            list,
            &ex(list, 200, &ct, json!({"items": [{"status": "ACTIVE"}]})),
        );
        assert!(o
            .iter()
            .any(|o| o.rule == RuleId::LifeStatusEnum && o.violations.is_empty()));
    }

    #[test]
    fn a_successful_create_without_a_json_object_body_fails_the_success_rule() {
        let ct = [("content-type", "application/json")];
        for body in [json!("text"), json!([1])] {
            let o = observe(CREATE, &ex(CREATE, 200, &ct, body));
            assert!(failing(&o).contains(&RuleId::HttpSuccessStatus), "{o:?}");
        }
    }

    #[test]
    fn a_serialization_exception_is_a_name_for_a_400_create_only() {
        let header = |status, name| {
            let e = ex(
                CREATE,
                status,
                &[JSON, ("x-amzn-errortype", name)],
                json!({"message": "m"}),
            );
            failing(&observe(CREATE, &e))
        };
        assert_eq!(header(400, "SerializationException"), Vec::<RuleId>::new());
        assert_eq!(
            header(400, "com.amazonaws.vpclattice#SerializationException"),
            Vec::<RuleId>::new()
        );
        assert_eq!(
            header(404, "SerializationException"),
            vec![RuleId::HttpErrorTypeHeader]
        );
    }

    #[test]
    fn an_unmodelled_error_of_a_neighbouring_call_is_recorded_not_failed() {
        let tags = Operation::ListTagsForResource;
        let e = ex(
            tags,
            404,
            &[JSON, ("x-amzn-errortype", "NotFoundException")],
            json!({"message": "Resource was not found"}),
        );
        let o = observe(tags, &e);
        assert_eq!(failing(&o), Vec::<RuleId>::new());
        let header = o
            .iter()
            .find(|o| o.rule == RuleId::HttpErrorTypeHeader)
            .expect("observed");
        assert_eq!(
            header.chosen.as_deref(),
            Some("ListTagsForResource answered 404 NotFoundException (not in its model)")
        );
        // The Create itself must still name a modelled error.
        let e = ex(
            CREATE,
            404,
            &[JSON, ("x-amzn-errortype", "NotFoundException")],
            json!({"message": "m"}),
        );
        assert_eq!(
            failing(&observe(CREATE, &e)),
            vec![RuleId::HttpErrorTypeHeader]
        );
    }

    #[test]
    fn field_list_names_must_name_input_members_in_either_form() {
        let list = Operation::ListServiceNetworkServiceAssociations;
        let judged = |op: Operation, names: &[&str]| {
            let fields: Vec<Value> = names
                .iter()
                .map(|n| json!({"name": n, "message": "m"}))
                .collect();
            let body =
                json!({"message": "m", "reason": "fieldValidationFailed", "fieldList": fields});
            let e = ex(
                op,
                400,
                &[JSON, ("x-amzn-errortype", "ValidationException")],
                body,
            );
            observe(op, &e)
                .into_iter()
                .find(|o| o.rule == RuleId::ValFieldlistNames)
                .map(|o| o.violations.len())
        };
        let good = [
            "serviceIdentifier",
            "/serviceNetworkIdentifier",
            "tags.Key",
            "/tags/Key",
            "tags[0]",
        ];
        assert_eq!(judged(CREATE, &good), Some(0));
        assert_eq!(judged(list, &["maxResults", "/nextToken"]), Some(0));
        // Another operation's member, a shape name, a prefix that is no member, free text.
        let bad = [
            "maxResults",
            "ServiceIdentifier",
            "serviceIdentifierX",
            "the body",
        ];
        assert_eq!(judged(CREATE, &bad), Some(4));
        assert_eq!(judged(list, &["clientToken"]), Some(1));
        // Nothing to judge without names.
        assert_eq!(judged(CREATE, &[]), None);
    }

    #[test]
    fn error_defects_are_named_by_rule() {
        let ok = observe(
            CREATE,
            &ex(
                CREATE,
                409,
                &[JSON, ("x-amzn-errortype", "ConflictException")],
                json!({"message": "m", "resourceId": "x", "resourceType": "y"}),
            ),
        );
        assert_eq!(failing(&ok), Vec::<RuleId>::new());
        let missing = observe(
            CREATE,
            &ex(
                CREATE,
                404,
                &[JSON, ("x-amzn-errortype", "ResourceNotFoundException")],
                json!({"message": "m"}),
            ),
        );
        assert_eq!(failing(&missing), vec![RuleId::HttpErrorMembers]);
        let status = observe(
            CREATE,
            &ex(
                CREATE,
                400,
                &[JSON, ("x-amzn-errortype", "ConflictException")],
                json!({"message": "m", "resourceId": "x", "resourceType": "y"}),
            ),
        );
        assert_eq!(failing(&status), vec![RuleId::HttpErrorStatus]);
        let header = observe(
            CREATE,
            &ex(
                CREATE,
                400,
                &[JSON],
                json!({"message": "m", "reason": "other"}),
            ),
        );
        assert_eq!(failing(&header), vec![RuleId::HttpErrorTypeHeader]);
        let reason = observe(
            CREATE,
            &ex(
                CREATE,
                400,
                &[JSON, ("x-amzn-errortype", "ValidationException")],
                json!({"message": "m", "reason": "bad"}),
            ),
        );
        assert_eq!(failing(&reason), vec![RuleId::ValErrorShape]);
        let retry = observe(
            CREATE,
            &ex(
                CREATE,
                500,
                &[
                    JSON,
                    ("x-amzn-errortype", "InternalServerException"),
                    ("retry-after", "soon"),
                ],
                json!({"message": "m"}),
            ),
        );
        assert_eq!(failing(&retry), vec![RuleId::HttpRetryAfter]);
    }
}
