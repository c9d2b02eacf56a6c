//! Errors of this crate, and the modelled error types of the VPC Lattice API.

use crate::ids::ResourceKind;

/// What can go wrong inside the spec crate itself.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    /// The text is not an id of the expected kind.
    #[error("`{input}` is not a {kind:?} id (hint: ids are the prefix then 17 of [0-9a-z])")]
    BadId {
        /// The text given.
        input: String,
        /// The kind that was expected.
        kind: ResourceKind,
    },
    /// The text is not a VPC Lattice ARN.
    #[error("`{input}` is not a VPC Lattice ARN (hint: arn:PARTITION:vpc-lattice:REGION:ACCOUNT:TYPE/ID)")]
    BadArn {
        /// The text given.
        input: String,
    },
    /// The embedded rule catalogue does not parse or is inconsistent.
    #[error("rule catalogue: {0}")]
    Catalogue(String),
    /// A line of a client recording (`serve --record`) does not parse.
    #[error("recording line {line}: {message} (hint: record with `lattice-conformance serve --record FILE`)")]
    Recording {
        /// The 1-based line number.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
}

/// The modelled error shapes of the operations this suite covers (restJson1, `X-Amzn-Errortype`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum ErrorType {
    /// 400: the input does not satisfy the model's constraints.
    ValidationException,
    /// 403: the caller may not perform the action.
    AccessDeniedException,
    /// 404: a referenced resource does not exist.
    ResourceNotFoundException,
    /// 409: the request conflicts with the resource's state.
    ConflictException,
    /// 402 (sic): a service quota would be exceeded.
    ServiceQuotaExceededException,
    /// 429: too many requests; `Retry-After` may say when to retry.
    ThrottlingException,
    /// 500: a server fault.
    InternalServerException,
}

impl ErrorType {
    /// Every modelled error type, in the order of the Create operation's error list.
    pub const ALL: [ErrorType; 7] = [
        ErrorType::ValidationException,
        ErrorType::AccessDeniedException,
        ErrorType::ConflictException,
        ErrorType::ResourceNotFoundException,
        ErrorType::ThrottlingException,
        ErrorType::ServiceQuotaExceededException,
        ErrorType::InternalServerException,
    ];

    /// The shape name as it appears in `X-Amzn-Errortype`.
    pub fn name(self) -> &'static str {
        match self {
            ErrorType::ValidationException => "ValidationException",
            ErrorType::AccessDeniedException => "AccessDeniedException",
            ErrorType::ResourceNotFoundException => "ResourceNotFoundException",
            ErrorType::ConflictException => "ConflictException",
            ErrorType::ServiceQuotaExceededException => "ServiceQuotaExceededException",
            ErrorType::ThrottlingException => "ThrottlingException",
            ErrorType::InternalServerException => "InternalServerException",
        }
    }

    /// The modelled HTTP status (`smithy.api#httpError`).
    pub fn status(self) -> u16 {
        match self {
            ErrorType::ValidationException => 400,
            ErrorType::ServiceQuotaExceededException => 402,
            ErrorType::AccessDeniedException => 403,
            ErrorType::ResourceNotFoundException => 404,
            ErrorType::ConflictException => 409,
            ErrorType::ThrottlingException => 429,
            ErrorType::InternalServerException => 500,
        }
    }

    /// The members the model marks `@required` in the JSON body.
    pub fn required_members(self) -> &'static [&'static str] {
        match self {
            ErrorType::ValidationException => &["message", "reason"],
            ErrorType::AccessDeniedException => &["message"],
            ErrorType::ResourceNotFoundException | ErrorType::ConflictException => {
                &["message", "resourceId", "resourceType"]
            }
            ErrorType::ServiceQuotaExceededException => {
                &["message", "resourceType", "serviceCode", "quotaCode"]
            }
            ErrorType::ThrottlingException | ErrorType::InternalServerException => &["message"],
        }
    }

    /// Every JSON body member the model defines (required or not; header-bound ones excluded).
    pub fn body_members(self) -> &'static [&'static str] {
        match self {
            ErrorType::ValidationException => &["message", "reason", "fieldList"],
            ErrorType::AccessDeniedException => &["message"],
            ErrorType::ResourceNotFoundException | ErrorType::ConflictException => {
                &["message", "resourceId", "resourceType"]
            }
            ErrorType::ServiceQuotaExceededException => &[
                "message",
                "resourceId",
                "resourceType",
                "serviceCode",
                "quotaCode",
            ],
            ErrorType::ThrottlingException => &["message", "serviceCode", "quotaCode"],
            ErrorType::InternalServerException => &["message"],
        }
    }

    /// Whether the model binds `retryAfterSeconds` to the `Retry-After` header.
    pub fn has_retry_after(self) -> bool {
        matches!(
            self,
            ErrorType::ThrottlingException | ErrorType::InternalServerException
        )
    }

    /// Whether SDKs retry it (`smithy.api#retryable`).
    pub fn retryable(self) -> bool {
        self.has_retry_after()
    }

    /// Parses an error name, sanitised as restJson1 clients do: text before the first `:`,
    /// then text after the first `#`.
    pub fn from_wire(raw: &str) -> Option<Self> {
        let name = sanitize_error_type(raw);
        Self::ALL.into_iter().find(|e| e.name() == name)
    }
}

/// Sanitises an `X-Amzn-Errortype` value or `__type`/`code` body member (smithy restJson1):
/// keep what stands before the first `:`, then what stands after the first `#`.
pub fn sanitize_error_type(raw: &str) -> &str {
    let before_colon = raw.split(':').next().unwrap_or(raw);
    match before_colon.split_once('#') {
        Some((_, after)) => after,
        None => before_colon,
    }
    .trim()
}

/// The values of `ValidationExceptionReason`, lower camel case as on the wire.
pub const VALIDATION_REASONS: [&str; 4] = [
    "unknownOperation",
    "cannotParse",
    "fieldValidationFailed",
    "other",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_names_are_sanitised_like_restjson1_clients_do() {
        for raw in [
            "ConflictException",
            "ConflictException:http://internal.amazon.com/coral/com.amazon.coral.validate/",
            "com.amazonaws.vpclattice#ConflictException",
        ] {
            assert_eq!(
                ErrorType::from_wire(raw),
                Some(ErrorType::ConflictException),
                "{raw}"
            );
        }
        assert_eq!(ErrorType::from_wire("SerializationException"), None);
    }
}
