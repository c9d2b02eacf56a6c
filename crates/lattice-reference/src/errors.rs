//! What the endpoint answers when a request fails: the modelled VPC Lattice errors, the AWS
//! front-end signature errors, and AWS RAM's errors, each rendered as a restJson1 error; and
//! why a request could not be read at all (the connection is closed and the event logged).

use std::time::Duration;

use lattice_spec::ids::ResourceKind;

use crate::choice::{Choice, Choices};

/// `ValidationExceptionReason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reason {
    /// No operation is bound to this method and path.
    UnknownOperation,
    /// The body (or a member's JSON type) could not be parsed.
    CannotParse,
    /// A member breaks its constraints.
    FieldValidationFailed,
    /// Anything else (query parameters that cannot be decoded, …).
    Other,
}

impl Reason {
    /// The value on the wire (lower camel case).
    pub(crate) fn wire(self) -> &'static str {
        match self {
            Reason::UnknownOperation => "unknownOperation",
            Reason::CannotParse => "cannotParse",
            Reason::FieldValidationFailed => "fieldValidationFailed",
            Reason::Other => "other",
        }
    }
}

/// One `ValidationExceptionField`: a member and why it failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldError {
    /// The member name, such as `serviceIdentifier` or `tags`.
    pub(crate) name: String,
    /// Why it failed.
    pub(crate) message: String,
}

impl FieldError {
    /// A field error for `name`.
    pub(crate) fn new(name: &str, message: impl Into<String>) -> Self {
        Self {
            name: name.to_owned(),
            message: message.into(),
        }
    }
}

/// What a `cannotParse` error could not parse (front ends that deserialize before the
/// operation runs name both `SerializationException`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unparsed {
    /// The body: not JSON, not an object, or too large.
    Body,
    /// A member of the wrong JSON type.
    MemberTypes,
}

/// The `resourceType` reported for a kind of resource in 404/409/402 bodies.
pub(crate) fn resource_type(kind: ResourceKind) -> &'static str {
    match kind {
        ResourceKind::Service => "SERVICE",
        ResourceKind::ServiceNetwork => "SERVICE_NETWORK",
        ResourceKind::Association => "SERVICE_NETWORK_SERVICE_ASSOCIATION",
    }
}

/// What part of a signature failed to verify (the choices name some of them differently).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SignatureFault {
    /// The signature does not match the one computed.
    Mismatch,
    /// The credential scope names another region, service or date.
    Scope,
    /// `X-Amz-Date` is older than the accepted window.
    Expired,
    /// `X-Amz-Date` is later than the accepted window.
    NotYetValid,
    /// `x-amz-content-sha256` does not match the body received.
    PayloadHash,
    /// `SignedHeaders` leaves out `host`.
    HostUnsigned,
}

/// A SigV4 front-end failure (403, or 400 where a choice names it so).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum AuthError {
    /// No `Authorization` header.
    #[error("missing authentication token")]
    Missing,
    /// The `Authorization` header (or `X-Amz-Date`) is malformed or incomplete.
    #[error("incomplete signature: {0}")]
    Incomplete(String),
    /// The access key id is not known.
    #[error("the security token included in the request is invalid")]
    UnknownKey,
    /// The signature does not verify: what failed, and AWS's message for it.
    #[error("invalid signature: {1}")]
    BadSignature(SignatureFault, String),
}

impl AuthError {
    /// The status and the AWS error name sent in `x-amzn-ErrorType`: the restJson1 front-end
    /// names, or the ones the choices take instead.
    pub(crate) fn wire(&self, choices: Choices) -> (u16, &'static str) {
        use SignatureFault as F;
        let query = choices.has(Choice::QueryAuthNames);
        let mismatch = if choices.has(Choice::SignatureDoesNotMatch) {
            (403, "SignatureDoesNotMatch")
        } else {
            (403, "InvalidSignatureException")
        };
        match self {
            AuthError::Missing if query => (403, "MissingAuthenticationToken"),
            AuthError::Missing => (403, "MissingAuthenticationTokenException"),
            AuthError::Incomplete(_) => (403, "IncompleteSignatureException"),
            AuthError::UnknownKey if query => (403, "InvalidClientTokenId"),
            AuthError::UnknownKey => (403, "UnrecognizedClientException"),
            AuthError::BadSignature(F::HostUnsigned, _) => {
                if choices.has(Choice::HostUnsignedIncomplete403) {
                    (403, "IncompleteSignatureException")
                } else if choices.has(Choice::HostUnsignedIncomplete400) {
                    (400, "IncompleteSignatureException")
                } else {
                    (403, "InvalidSignatureException")
                }
            }
            AuthError::BadSignature(F::Expired | F::NotYetValid, _)
                if choices.has(Choice::RequestExpired) =>
            {
                (400, "RequestExpired")
            }
            AuthError::BadSignature(F::PayloadHash, _)
                if choices.has(Choice::ContentSha256Mismatch) =>
            {
                (400, "XAmzContentSHA256Mismatch")
            }
            AuthError::BadSignature(..) => mismatch,
        }
    }

    /// The message AWS front ends send for this failure.
    pub(crate) fn message(&self) -> String {
        match self {
            AuthError::Missing => "Missing Authentication Token".to_owned(),
            AuthError::Incomplete(m) | AuthError::BadSignature(_, m) => m.clone(),
            AuthError::UnknownKey => {
                "The security token included in the request is invalid.".to_owned()
            }
        }
    }
}

/// Every way a request can fail.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ApiError {
    /// 400 `ValidationException`.
    #[error("validation failed (`{}`): {message}", reason.wire())]
    Validation {
        /// The modelled reason.
        reason: Reason,
        /// A sentence for people.
        message: String,
        /// The members that failed, if any.
        fields: Vec<FieldError>,
        /// What could not be parsed, for a `cannotParse` error of the body or its member types.
        unparsed: Option<Unparsed>,
    },
    /// 403 `AccessDeniedException`.
    #[error("access denied: {message}")]
    AccessDenied {
        /// A sentence for people.
        message: String,
    },
    /// 404 `ResourceNotFoundException`.
    #[error("resource `{resource_id}` not found")]
    NotFound {
        /// A sentence for people.
        message: String,
        /// The identifier as the caller gave it.
        resource_id: String,
        /// `SERVICE`, `SERVICE_NETWORK`, …
        resource_type: &'static str,
    },
    /// 409 `ConflictException`.
    #[error("conflict on `{resource_id}`: {message}")]
    Conflict {
        /// A sentence for people.
        message: String,
        /// The conflicting resource's id.
        resource_id: String,
        /// Its type.
        resource_type: &'static str,
    },
    /// 402 `ServiceQuotaExceededException`.
    #[error("quota exceeded: {message}")]
    Quota {
        /// A sentence for people.
        message: String,
        /// The resource whose quota is full, when there is one.
        resource_id: Option<String>,
        /// Its type.
        resource_type: &'static str,
        /// The quota's code.
        quota_code: &'static str,
    },
    /// 429 `ThrottlingException` (with `Retry-After`).
    #[error("throttled: {message}")]
    Throttling {
        /// A sentence for people.
        message: String,
        /// Whole seconds to wait (`Retry-After`).
        retry_after: u32,
    },
    /// 500 `InternalServerException`.
    #[error("internal error: {message}")]
    Internal {
        /// A sentence for people.
        message: String,
    },
    /// 403 from the SigV4 front end.
    #[error(transparent)]
    Auth(#[from] AuthError),
    /// An error type the model does not list (the fault plan's `unknown`): its name, status and
    /// message.
    #[error("{name}: {message}")]
    Unmodelled {
        /// The error type's name.
        name: &'static str,
        /// Its status.
        status: u16,
        /// A sentence for people.
        message: String,
    },
    /// An AWS RAM error: its name, status and message.
    #[error("{name}: {message}")]
    Ram {
        /// The RAM error shape's name.
        name: &'static str,
        /// Its modelled status.
        status: u16,
        /// A sentence for people.
        message: String,
    },
}

impl ApiError {
    /// A `fieldValidationFailed` error naming the members that failed: `fields` has one entry
    /// per violated constraint, and the message counts distinct members (one member breaking
    /// two constraints is one parameter, with both reasons).
    pub(crate) fn fields(fields: Vec<FieldError>) -> Self {
        let mut members: Vec<&str> = Vec::new();
        for f in &fields {
            if !members.contains(&f.name.as_str()) {
                members.push(&f.name);
            }
        }
        let message = match members.as_slice() {
            [] => "The request failed validation.".to_owned(),
            [only] => {
                let reasons: Vec<&str> = fields.iter().map(|f| f.message.as_str()).collect();
                format!("Invalid parameter `{only}`: {}", reasons.join("; "))
            }
            _ => {
                let named: Vec<String> = members.iter().map(|m| format!("`{m}`")).collect();
                format!(
                    "{} parameters failed validation: {}",
                    members.len(),
                    named.join(", ")
                )
            }
        };
        ApiError::Validation {
            reason: Reason::FieldValidationFailed,
            message,
            fields,
            unparsed: None,
        }
    }

    /// A `cannotParse` error (of a path label or a query).
    pub(crate) fn cannot_parse(message: impl Into<String>, fields: Vec<FieldError>) -> Self {
        ApiError::Validation {
            reason: Reason::CannotParse,
            message: message.into(),
            fields,
            unparsed: None,
        }
    }

    /// A `cannotParse` error of the request body itself (not JSON, not an object, too large).
    pub(crate) fn unparseable_body(message: impl Into<String>) -> Self {
        ApiError::Validation {
            reason: Reason::CannotParse,
            message: message.into(),
            fields: Vec::new(),
            unparsed: Some(Unparsed::Body),
        }
    }

    /// A `cannotParse` error naming the members of the wrong JSON type.
    pub(crate) fn wrong_types(fields: Vec<FieldError>) -> Self {
        ApiError::Validation {
            reason: Reason::CannotParse,
            message: "Some members of the request body have the wrong JSON type.".to_owned(),
            fields,
            unparsed: Some(Unparsed::MemberTypes),
        }
    }

    /// Another `reason` (the query of a List that cannot be decoded).
    pub(crate) fn other(message: impl Into<String>) -> Self {
        ApiError::Validation {
            reason: Reason::Other,
            message: message.into(),
            fields: Vec::new(),
            unparsed: None,
        }
    }

    /// The `unknownOperation` error for a method and path no operation is bound to.
    pub(crate) fn unknown_operation(method: &str, path: &str) -> Self {
        ApiError::Validation {
            reason: Reason::UnknownOperation,
            message: format!("No operation is bound to {method} {path}"),
            fields: Vec::new(),
            unparsed: None,
        }
    }

    /// A 404 for a resource of `kind` named `resource_id`.
    pub(crate) fn not_found(kind: ResourceKind, resource_id: &str) -> Self {
        let what = match kind {
            ResourceKind::Service => "Service",
            ResourceKind::ServiceNetwork => "Service network",
            ResourceKind::Association => "Service network service association",
        };
        ApiError::NotFound {
            message: format!("{what} {resource_id} not found."),
            resource_id: resource_id.to_owned(),
            resource_type: resource_type(kind),
        }
    }

    /// A 409 on a resource of `kind`.
    pub(crate) fn conflict(
        kind: ResourceKind,
        resource_id: &str,
        message: impl Into<String>,
    ) -> Self {
        ApiError::Conflict {
            message: message.into(),
            resource_id: resource_id.to_owned(),
            resource_type: resource_type(kind),
        }
    }

    /// A RAM error.
    pub(crate) fn ram(name: &'static str, message: impl Into<String>) -> Self {
        let status = match name {
            "ServerInternalException" => 500,
            "ServiceUnavailableException" => 503,
            "ThrottlingException" => 429,
            _ => 400,
        };
        ApiError::Ram {
            name,
            status,
            message: message.into(),
        }
    }
}

/// Why a request's body could not be read: nothing is answered, the connection is closed, and
/// the event is logged in one line.
#[derive(Debug, thiserror::Error)]
pub(crate) enum BodyError {
    /// The client closed the connection (or it failed) before the body was complete.
    #[error("the request body broke off after {read} bytes")]
    Broken {
        /// The bytes of the body read until then.
        read: usize,
        /// What the connection reported.
        #[source]
        source: hyper::Error,
    },
    /// The body did not arrive in time.
    #[error("the request body did not arrive within {} s", .0.as_secs())]
    TooSlow(Duration),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(fields: &[(&str, &str)]) -> String {
        let fields = fields.iter().map(|(n, m)| FieldError::new(n, *m)).collect();
        match ApiError::fields(fields) {
            ApiError::Validation { message, .. } => message,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn validation_messages_count_distinct_members() {
        assert_eq!(
            message(&[
                ("serviceIdentifier", "too short"),
                ("serviceIdentifier", "pattern")
            ]),
            "Invalid parameter `serviceIdentifier`: too short; pattern"
        );
        assert_eq!(
            message(&[("a", "x"), ("b", "y"), ("a", "z")]),
            "2 parameters failed validation: `a`, `b`"
        );
        assert_eq!(message(&[("a", "x")]), "Invalid parameter `a`: x");
    }
}
