//! A reply before it becomes HTTP: status, JSON body or error, and the restJson1 rendering
//! (`x-amzn-ErrorType`, `Content-Type`, `x-amzn-RequestId`, `Retry-After`), where the HTTP-level
//! defects are applied.

use std::time::Duration;

use http::header::{HeaderName, HeaderValue, CONTENT_TYPE, RETRY_AFTER};
use http::{Response, StatusCode};
use lattice_spec::ErrorType;
use serde_json::{json, Map, Value};

use crate::defect::{Defect, Defects};
use crate::errors::ApiError;

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
    pub(crate) fn into_response(self, request_id: &str, defects: Defects) -> Response<Vec<u8>> {
        match self {
            Reply::Json { status, body, .. } => {
                let bytes = serde_json::to_vec(&body).unwrap_or_else(|_| b"{}".to_vec());
                let mime = if defects.has(Defect::WrongSuccessContentType) {
                    "text/plain"
                } else {
                    "application/json"
                };
                response(status, request_id, bytes, &[(CONTENT_TYPE, mime)])
            }
            Reply::Empty { status } => response(status, request_id, Vec::new(), &[]),
            Reply::Error(err) => render_error(&err, request_id, defects),
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
    pub(crate) fn answered(&self, defects: Defects) -> crate::faults::Answered {
        match self {
            Reply::Json { status, .. } | Reply::Empty { status } => crate::faults::Answered {
                status: *status,
                ..Default::default()
            },
            Reply::Error(err) => {
                let wire = error_wire(err, defects);
                crate::faults::Answered {
                    status: wire.status,
                    error_type: wire.error_type.map(str::to_owned),
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
    error_type: Option<&'static str>,
    retry_after: Option<String>,
    body: Vec<u8>,
}

fn error_wire(err: &ApiError, defects: Defects) -> ErrorWire {
    let (name, mut status, body, retry_after) = error_parts(err, defects);
    if name == ErrorType::ConflictException.name() && defects.has(Defect::ConflictWrongStatus) {
        status = 400;
    }
    if name == ErrorType::ResourceNotFoundException.name() && defects.has(Defect::NotFound400) {
        status = 400;
    }
    ErrorWire {
        status,
        error_type: (!defects.has(Defect::MissingErrorTypeHeader)).then_some(name),
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

fn render_error(err: &ApiError, request_id: &str, defects: Defects) -> Response<Vec<u8>> {
    let wire = error_wire(err, defects);
    let mut headers = vec![(CONTENT_TYPE, "application/json")];
    if let Some(name) = wire.error_type {
        headers.push((HeaderName::from_static("x-amzn-errortype"), name));
    }
    if let Some(value) = &wire.retry_after {
        headers.push((RETRY_AFTER, value));
    }
    response(wire.status, request_id, wire.body, &headers)
}

fn error_parts(
    err: &ApiError,
    defects: Defects,
) -> (&'static str, u16, Map<String, Value>, Option<u32>) {
    let object = |v: Value| match v {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    match err {
        ApiError::Validation {
            reason,
            message,
            fields,
        } => {
            let reason = if defects.has(Defect::ValidationReasonOutsideEnum) {
                "FIELD_VALIDATION_FAILED"
            } else {
                reason.wire()
            };
            let mut body = object(json!({ "message": message, "reason": reason }));
            if !fields.is_empty() {
                let list: Vec<Value> = fields
                    .iter()
                    .map(|f| json!({ "name": f.name, "message": f.message }))
                    .collect();
                body.insert("fieldList".to_owned(), Value::Array(list));
            }
            (ErrorType::ValidationException.name(), 400, body, None)
        }
        ApiError::AccessDenied { message } => (
            ErrorType::AccessDeniedException.name(),
            403,
            object(json!({ "message": message })),
            None,
        ),
        ApiError::NotFound {
            message,
            resource_id,
            resource_type,
        } => {
            let mut body = object(
                json!({ "message": message, "resourceId": resource_id, "resourceType": resource_type }),
            );
            if defects.has(Defect::NotFoundMissingResourceId) {
                body.remove("resourceId");
            }
            (ErrorType::ResourceNotFoundException.name(), 404, body, None)
        }
        ApiError::Conflict {
            message,
            resource_id,
            resource_type,
        } => (
            ErrorType::ConflictException.name(),
            409,
            object(
                json!({ "message": message, "resourceId": resource_id, "resourceType": resource_type }),
            ),
            None,
        ),
        ApiError::Quota {
            message,
            resource_id,
            resource_type,
        } => (
            ErrorType::ServiceQuotaExceededException.name(),
            402,
            object(json!({
                "message": message,
                "resourceId": resource_id,
                "resourceType": resource_type,
                "serviceCode": "vpc-lattice",
                "quotaCode": QUOTA_CODE,
            })),
            None,
        ),
        ApiError::Internal { message } => (
            ErrorType::InternalServerException.name(),
            500,
            object(json!({ "message": message })),
            Some(1),
        ),
        ApiError::Throttling { message } => (
            ErrorType::ThrottlingException.name(),
            429,
            object(json!({ "message": message, "serviceCode": "vpc-lattice" })),
            Some(0),
        ),
        ApiError::Auth(auth) => (
            auth.name(),
            403,
            object(json!({ "message": auth.message() })),
            None,
        ),
        ApiError::Ram {
            name,
            status,
            message,
        }
        | ApiError::Unmodelled {
            name,
            status,
            message,
        } => (name, *status, object(json!({ "message": message })), None),
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
                    resource_id: "sn-x".into(),
                    resource_type: "SERVICE_NETWORK",
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
            let (name, status, body, _) = error_parts(&err, Defects::default());
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
