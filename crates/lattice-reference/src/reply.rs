//! A reply before it becomes HTTP: status, JSON body or error, and the restJson1 rendering
//! (`x-amzn-ErrorType`, `Content-Type`, `x-amzn-RequestId`, `Retry-After`), where the HTTP-level
//! defects are applied.

use std::time::Duration;

use http::header::{HeaderName, HeaderValue, CONTENT_TYPE, RETRY_AFTER};
use http::{Response, StatusCode};
use lattice_spec::ErrorType;
use serde_json::{json, Map, Value};

use crate::choice::{Choice, Choices};
use crate::defect::{Defect, Defects};
use crate::errors::{ApiError, FieldError, Reason, Unparsed};

/// What an operation answers.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Reply {
    /// A success with a JSON object body.
    Json {
        /// The HTTP status.
        status: u16,
        /// The body.
        body: Value,
        /// Hold the response this long before sending it (the race window).
        delay: Option<Duration>,
    },
    /// A success with no body (204).
    Empty {
        /// The HTTP status.
        status: u16,
    },
    /// A failure.
    Error(ApiError),
}

impl Reply {
    /// A JSON success.
    pub(crate) fn json(status: u16, body: Value) -> Self {
        Reply::Json {
            status,
            body: compact(body),
            delay: None,
        }
    }

    /// How long the response is held back before it is sent (the race window), if at all.
    pub(crate) fn hold(&self) -> Option<Duration> {
        match self {
            Reply::Json { delay, .. } => *delay,
            Reply::Empty { .. } | Reply::Error(_) => None,
        }
    }

    /// Renders the reply for the wire.
    pub(crate) fn into_response(
        self,
        request_id: &str,
        defects: Defects,
        choices: Choices,
    ) -> Response<Vec<u8>> {
        match self {
            Reply::Json { status, body, .. } => {
                let bytes = serde_json::to_vec(&body).unwrap_or_else(|_| b"{}".to_vec());
                let mime = if defects.has(Defect::WrongSuccessContentType) {
                    "text/plain"
                } else {
                    json_media_type(choices)
                };
                response(status, request_id, bytes, &[(CONTENT_TYPE, mime)])
            }
            Reply::Empty { status } => response(status, request_id, Vec::new(), &[]),
            Reply::Error(err) => render_error(&err, request_id, defects, choices),
        }
    }
}

/// A response: status, body, `x-amzn-RequestId` and these headers (a value that is not a valid
/// header value is left out).
fn response(
    status: u16,
    request_id: &str,
    body: Vec<u8>,
    headers: &[(HeaderName, &str)],
) -> Response<Vec<u8>> {
    let mut response = Response::new(body);
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let request_id = (HeaderName::from_static("x-amzn-requestid"), request_id);
    for (name, value) in std::iter::once(&request_id).chain(headers) {
        if let Ok(value) = HeaderValue::from_str(value) {
            response.headers_mut().insert(name.clone(), value);
        }
    }
    response
}

impl Reply {
    /// What the reply puts on the wire, for the recorder: status, error type, `Retry-After` and
    /// the error body (success bodies are not recorded).
    pub(crate) fn answered(&self, defects: Defects, choices: Choices) -> crate::faults::Answered {
        match self {
            Reply::Json { status, .. } | Reply::Empty { status } => crate::faults::Answered {
                status: *status,
                ..Default::default()
            },
            Reply::Error(err) => {
                let wire = error_wire(err, defects, choices);
                crate::faults::Answered {
                    status: wire.status,
                    error_type: wire.error_type,
                    retry_after: wire.retry_after,
                    error_body: Some(String::from_utf8_lossy(&wire.body).into_owned()),
                    fault: None,
                }
            }
        }
    }
}

impl From<ApiError> for Reply {
    fn from(err: ApiError) -> Self {
        Reply::Error(err)
    }
}

/// Removes `null` members from objects, recursively, so optional members are simply absent.
pub(crate) fn compact(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, compact(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(compact).collect()),
        other => other,
    }
}

/// An error as it goes on the wire: status, `x-amzn-ErrorType` (unless a defect drops it),
/// `Retry-After` value and body bytes.
struct ErrorWire {
    status: u16,
    error_type: Option<String>,
    retry_after: Option<String>,
    body: Vec<u8>,
}

/// The `X-Amzn-Errortype` value of an error named `name`, in the form the choices take (the
/// bare shape name by default).
fn error_type_value(name: &str, ram: bool, choices: Choices) -> String {
    if choices.has(Choice::ErrorTypeNamespaced) {
        let namespace = if ram {
            "com.amazonaws.ram"
        } else {
            "com.amazonaws.vpclattice"
        };
        format!("{namespace}#{name}")
    } else if choices.has(Choice::ErrorTypeWithSuffix) {
        format!("{name}:http://internal.amazon.com/coral/com.amazonaws.vpclattice/")
    } else {
        name.to_owned()
    }
}

fn error_wire(err: &ApiError, defects: Defects, choices: Choices) -> ErrorWire {
    let (name, mut status, mut body, retry_after) = error_parts(err, defects, choices);
    if name == ErrorType::ConflictException.name() && defects.has(Defect::ConflictWrongStatus) {
        status = 400;
    }
    if name == ErrorType::ResourceNotFoundException.name() && defects.has(Defect::NotFound400) {
        status = 400;
    }
    let value = error_type_value(name, matches!(err, ApiError::Ram { .. }), choices);
    if choices.has(Choice::ErrorTypeNamespaced) {
        body.insert("__type".to_owned(), Value::from(value.clone()));
    }
    ErrorWire {
        status,
        error_type: (!defects.has(Defect::MissingErrorTypeHeader)).then_some(value),
        retry_after: retry_after.map(|seconds| {
            if defects.has(Defect::RetryAfterHttpDate) {
                "Wed, 21 Oct 2015 07:28:00 GMT".to_owned()
            } else {
                seconds.to_string()
            }
        }),
        body: serde_json::to_vec(&Value::Object(body)).unwrap_or_else(|_| b"{}".to_vec()),
    }
}

/// The JSON media type, with a charset parameter under `json-charset`.
pub(crate) fn json_media_type(choices: Choices) -> &'static str {
    if choices.has(Choice::JsonCharset) {
        "application/json; charset=utf-8"
    } else {
        "application/json"
    }
}

fn render_error(
    err: &ApiError,
    request_id: &str,
    defects: Defects,
    choices: Choices,
) -> Response<Vec<u8>> {
    let wire = error_wire(err, defects, choices);
    let mut headers = vec![(CONTENT_TYPE, json_media_type(choices))];
    if let Some(name) = &wire.error_type {
        headers.push((HeaderName::from_static("x-amzn-errortype"), name));
    }
    if let Some(value) = &wire.retry_after {
        headers.push((RETRY_AFTER, value));
    }
    response(wire.status, request_id, wire.body, &headers)
}

/// A `resourceType` as the choices spell it.
fn spelled(resource_type: &'static str, choices: Choices) -> &'static str {
    if !choices.has(Choice::ResourceTypeOtherSpelling) {
        return resource_type;
    }
    match resource_type {
        "SERVICE" => "Service",
        "SERVICE_NETWORK" => "ServiceNetwork",
        "SERVICE_NETWORK_SERVICE_ASSOCIATION" => "ServiceNetworkServiceAssociation",
        other => other,
    }
}

/// The body of a `ValidationException` (or, where a choice says so, of a
/// `SerializationException`): its name and members.
fn validation_parts(
    err: &ApiError,
    defects: Defects,
    choices: Choices,
) -> (&'static str, Map<String, Value>) {
    let ApiError::Validation {
        reason,
        message,
        fields,
        unparsed,
    } = err
    else {
        return (ErrorType::ValidationException.name(), Map::new());
    };
    let serialization = match unparsed {
        Some(Unparsed::Body) => choices.has(Choice::MalformedBodySerializationException),
        Some(Unparsed::MemberTypes) => choices.has(Choice::WrongTypeSerializationException),
        None => false,
    };
    if serialization {
        let mut body = Map::new();
        body.insert("message".to_owned(), Value::from(message.as_str()));
        return ("SerializationException", body);
    }
    let reason = if defects.has(Defect::ValidationReasonOutsideEnum) {
        "FIELD_VALIDATION_FAILED"
    } else if choices.has(Choice::ReasonOther)
        && matches!(reason, Reason::FieldValidationFailed | Reason::CannotParse)
    {
        Reason::Other.wire()
    } else {
        reason.wire()
    };
    let name = |f: &FieldError| {
        let mut member = f.name.clone();
        if let Some(first) = member
            .get_mut(..1)
            .filter(|_| defects.has(Defect::FieldListShapeNames))
        {
            first.make_ascii_uppercase();
        }
        if choices.has(Choice::FieldNamesAsPaths) {
            format!("/{member}")
        } else {
            member
        }
    };
    let message = if choices.has(Choice::OtherMessages) && !fields.is_empty() {
        let n = fields.len();
        let each: Vec<String> = fields
            .iter()
            .map(|f| {
                format!(
                    "Value at '{}' failed to satisfy constraint: {}",
                    name(f),
                    f.message
                )
            })
            .collect();
        let plural = if n == 1 { "" } else { "s" };
        format!("{n} validation error{plural} detected: {}", each.join("; "))
    } else if choices.has(Choice::OtherMessages) {
        format!("The request could not be validated: {message}")
    } else {
        message.clone()
    };
    let mut body = Map::new();
    body.insert("message".to_owned(), Value::from(message));
    body.insert("reason".to_owned(), Value::from(reason));
    let kept = if choices.has(Choice::FieldListAbsent) {
        0
    } else if choices.has(Choice::FieldListFirstOnly) {
        1
    } else {
        fields.len()
    };
    if kept > 0 && !fields.is_empty() {
        let list: Vec<Value> = fields
            .iter()
            .take(kept)
            .map(|f| json!({ "name": name(f), "message": f.message }))
            .collect();
        body.insert("fieldList".to_owned(), Value::Array(list));
    }
    (ErrorType::ValidationException.name(), body)
}

/// The message of an error other than a validation error, as the choices word it.
fn worded(err: &ApiError, choices: Choices) -> String {
    let own = match err {
        ApiError::AccessDenied { message }
        | ApiError::NotFound { message, .. }
        | ApiError::Conflict { message, .. }
        | ApiError::Quota { message, .. }
        | ApiError::Throttling { message, .. }
        | ApiError::Internal { message }
        | ApiError::Unmodelled { message, .. }
        | ApiError::Ram { message, .. }
        | ApiError::Validation { message, .. } => message.clone(),
        ApiError::Auth(auth) => auth.message(),
    };
    if !choices.has(Choice::OtherMessages) {
        return own;
    }
    match err {
        ApiError::AccessDenied { .. } => {
            "You do not have sufficient access to perform this action.".to_owned()
        }
        ApiError::NotFound { resource_id, .. } => {
            format!("The resource {resource_id} could not be found.")
        }
        ApiError::Conflict { resource_id, .. } => {
            format!("The request conflicts with the current state of {resource_id}.")
        }
        ApiError::Quota { .. } => "You have exceeded a service quota.".to_owned(),
        ApiError::Throttling { .. } => "Rate exceeded".to_owned(),
        ApiError::Internal { .. } => "An internal error occurred.".to_owned(),
        _ => own,
    }
}

fn error_parts(
    err: &ApiError,
    defects: Defects,
    choices: Choices,
) -> (&'static str, u16, Map<String, Value>, Option<u32>) {
    let object = |v: Value| match v {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    let message = worded(err, choices);
    let sparse = choices.has(Choice::SparseOutput);
    match err {
        ApiError::Validation { .. } => {
            let (name, body) = validation_parts(err, defects, choices);
            (name, 400, body, None)
        }
        ApiError::AccessDenied { .. } => (
            ErrorType::AccessDeniedException.name(),
            403,
            object(json!({ "message": message })),
            None,
        ),
        ApiError::NotFound {
            resource_id,
            resource_type,
            ..
        } => {
            let mut body = object(json!({
                "message": message,
                "resourceId": resource_id,
                "resourceType": spelled(resource_type, choices),
            }));
            if defects.has(Defect::NotFoundMissingResourceId) {
                body.remove("resourceId");
            }
            (ErrorType::ResourceNotFoundException.name(), 404, body, None)
        }
        ApiError::Conflict {
            resource_id,
            resource_type,
            ..
        } => (
            ErrorType::ConflictException.name(),
            409,
            object(json!({
                "message": message,
                "resourceId": resource_id,
                "resourceType": spelled(resource_type, choices),
            })),
            None,
        ),
        ApiError::Quota {
            resource_id,
            resource_type,
            quota_code,
            ..
        } => {
            let mut body = object(json!({
                "message": message,
                "resourceId": resource_id,
                "resourceType": spelled(resource_type, choices),
                "serviceCode": "vpc-lattice",
                "quotaCode": quota_code,
            }));
            if sparse || resource_id.is_none() {
                body.remove("resourceId");
            }
            (
                ErrorType::ServiceQuotaExceededException.name(),
                402,
                body,
                None,
            )
        }
        ApiError::Internal { .. } => (
            ErrorType::InternalServerException.name(),
            500,
            object(json!({ "message": message })),
            Some(1),
        ),
        ApiError::Throttling { retry_after, .. } => {
            let mut body = object(json!({ "message": message, "serviceCode": "vpc-lattice" }));
            if sparse {
                body.remove("serviceCode");
            }
            (
                ErrorType::ThrottlingException.name(),
                429,
                body,
                Some(*retry_after),
            )
        }
        ApiError::Auth(auth) => {
            let (status, name) = auth.wire(choices);
            (name, status, object(json!({ "message": message })), None)
        }
        ApiError::Ram { name, status, .. } | ApiError::Unmodelled { name, status, .. } => {
            (name, *status, object(json!({ "message": message })), None)
        }
    }
}

/// The quota code of "service associations per service network".
pub(crate) const QUOTA_CODE: &str = "L-75D4A19E";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_members_are_dropped_recursively() {
        let v = compact(json!({ "a": null, "b": { "c": null, "d": 1 }, "e": [ { "f": null } ] }));
        assert_eq!(v, json!({ "b": { "d": 1 }, "e": [ {} ] }));
    }

    #[test]
    fn every_modelled_error_carries_its_required_members() {
        let cases = [
            (ApiError::fields(vec![]), ErrorType::ValidationException),
            (
                ApiError::AccessDenied {
                    message: "m".into(),
                },
                ErrorType::AccessDeniedException,
            ),
            (
                ApiError::not_found(lattice_spec::ResourceKind::Service, "svc-x"),
                ErrorType::ResourceNotFoundException,
            ),
            (
                ApiError::conflict(lattice_spec::ResourceKind::Service, "svc-x", "m"),
                ErrorType::ConflictException,
            ),
            (
                ApiError::Quota {
                    message: "m".into(),
                    resource_id: Some("sn-x".into()),
                    resource_type: "SERVICE_NETWORK",
                    quota_code: QUOTA_CODE,
                },
                ErrorType::ServiceQuotaExceededException,
            ),
            (
                ApiError::Internal {
                    message: "m".into(),
                },
                ErrorType::InternalServerException,
            ),
        ];
        for (err, ty) in cases {
            let (name, status, body, _) = error_parts(&err, Defects::default(), Choices::default());
            assert_eq!((name, status), (ty.name(), ty.status()));
            for member in ty.required_members() {
                assert!(
                    body.get(*member).is_some_and(Value::is_string),
                    "{name} lacks {member}"
                );
            }
        }
    }
}
