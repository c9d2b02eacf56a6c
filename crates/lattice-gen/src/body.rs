//! What the generators hand to the harness: raw bodies, labelled invalid inputs, labelled
//! ambiguous inputs, and the identifiers a body is built around.

use lattice_spec::wire::CreateAssociationRequest;
use serde_json::Value;

/// The service id used where a deterministic set needs a well-formed service identifier and
/// the caller gave none. Well-formed and (with overwhelming likelihood) nonexistent.
pub const PLACEHOLDER_SERVICE_ID: &str = "svc-0123456789abcdef0";
/// The service network id used likewise (see [`PLACEHOLDER_SERVICE_ID`]).
pub const PLACEHOLDER_NETWORK_ID: &str = "sn-0123456789abcdef0";

/// A request body as sent on the wire: JSON, or raw bytes for malformed and non-JSON bodies.
#[derive(Debug, Clone, PartialEq)]
pub enum RawBody {
    /// A JSON value (any type: objects for most inputs, other types for malformed ones).
    Json(Value),
    /// Bytes that are not a JSON document (truncated, invalid UTF-8, empty, …).
    Bytes(Vec<u8>),
}

impl RawBody {
    /// The exact bytes to send.
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            RawBody::Json(v) => serde_json::to_vec(v).expect("a JSON value always serialises"),
            RawBody::Bytes(b) => b.clone(),
        }
    }

    /// The JSON value, when the body is one.
    pub fn as_json(&self) -> Option<&Value> {
        match self {
            RawBody::Json(v) => Some(v),
            RawBody::Bytes(_) => None,
        }
    }
}

/// An input that breaks exactly one rule of the contract, labelled with that rule's id (from
/// `lattice_spec::ValidationRule`); `lattice_spec::validate` names exactly that rule for it.
#[derive(Debug, Clone)]
pub struct InvalidInput {
    /// The rule the body breaks.
    pub rule: lattice_spec::ValidationRule,
    /// The body to send.
    pub body: RawBody,
    /// What was broken, on one line.
    pub note: String,
}

/// A body that the model accepts but that the user guide would refuse, labelled with the rule
/// that records the disagreement (`TAG-COUNT-50`, `TAG-AWS-PREFIX-CASE`). Either outcome the rule
/// allows is conformant.
#[derive(Debug, Clone)]
pub struct AmbiguousInput {
    /// The rule id of the ambiguity.
    pub rule: lattice_spec::TagsRule,
    /// The body to send (always a JSON object).
    pub body: Value,
    /// What makes it ambiguous, on one line.
    pub note: String,
}

/// The optional members of a create body, apart from the two identifiers.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Extras {
    pub(crate) token: Option<String>,
    pub(crate) tags: Option<lattice_spec::wire::Tags>,
}

/// Builds a create body: the two identifiers, and the token and tags when present.
pub(crate) fn create_body(service: &str, network: &str, extras: &Extras) -> Value {
    CreateAssociationRequest::new(service, network)
        .maybe_token(extras.token.clone())
        .tags(extras.tags.clone())
        .to_json()
}

/// Sets (or, with `None`, removes) one member of a JSON object body.
pub(crate) fn set_member(mut body: Value, name: &str, value: Option<Value>) -> Value {
    if let Some(obj) = body.as_object_mut() {
        match value {
            Some(v) => {
                obj.insert(name.to_owned(), v);
            }
            None => {
                obj.remove(name);
            }
        }
    }
    body
}
