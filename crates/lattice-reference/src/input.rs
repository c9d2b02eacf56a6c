//! Reading a restJson1 request body: size limit, JSON parsing, member types, and the length and
//! pattern constraints of the model (shared constraint tables; the order and the error reporting
//! are this endpoint's own).

use lattice_spec::constraints::{check_string, Shape, ShapeKind, StringViolation};
use lattice_spec::wire::Tags;
use serde_json::{Map, Value};

use crate::defect::{Defect, Defects};
use crate::errors::{ApiError, FieldError};

/// The largest body accepted: 1 MiB.
pub(crate) const MAX_BODY: usize = 1 << 20;

/// A JSON object body being read member by member; type errors are collected on the way.
#[derive(Debug)]
pub(crate) struct Body {
    obj: Map<String, Value>,
    type_errors: Vec<FieldError>,
}

/// Parses a body as a JSON object. An empty body reads as `{}`. Too large, malformed or
/// non-object bodies are `cannotParse` (500 under `malformed-body-500`).
pub(crate) fn parse_body(body: &[u8], defects: Defects) -> Result<Body, ApiError> {
    let fail = |message: &str| unparseable(message, defects);
    if body.len() > MAX_BODY {
        return Err(too_large(defects));
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Body {
            obj: Map::new(),
            type_errors: Vec::new(),
        });
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(obj)) => Ok(Body {
            obj,
            type_errors: Vec::new(),
        }),
        Ok(_) => Err(fail("The request body must be a JSON object.")),
        Err(e) => Err(fail(&format!("The request body is not valid JSON: {e}"))),
    }
}

/// A body that cannot be parsed: `cannotParse` (500 under `malformed-body-500`).
fn unparseable(message: &str, defects: Defects) -> ApiError {
    if defects.has(Defect::MalformedBody500) {
        ApiError::Internal {
            message: format!("Failed to handle request: {message}"),
        }
    } else {
        ApiError::unparseable_body(message)
    }
}

/// A body over [`MAX_BODY`]: cannot be parsed.
pub(crate) fn too_large(defects: Defects) -> ApiError {
    unparseable("The request body is larger than 1 MiB.", defects)
}

impl Body {
    fn wrong_type(&mut self, name: &str, expected: &str) {
        self.type_errors
            .push(FieldError::new(name, format!("Expected {expected}")));
    }

    /// A string member's value if it is a string, without recording a type error.
    pub(crate) fn peek_string(&self, name: &str) -> Option<&str> {
        self.obj.get(name).and_then(Value::as_str)
    }

    /// A string member; `null` reads as absent.
    pub(crate) fn string(&mut self, name: &str) -> Option<String> {
        match self.obj.get(name) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                self.wrong_type(name, "a string");
                None
            }
        }
    }

    /// A boolean member.
    pub(crate) fn boolean(&mut self, name: &str) -> Option<bool> {
        match self.obj.get(name) {
            None | Some(Value::Null) => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(_) => {
                self.wrong_type(name, "a boolean");
                None
            }
        }
    }

    /// An integer member.
    pub(crate) fn integer(&mut self, name: &str) -> Option<i64> {
        match self.obj.get(name) {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) if n.is_i64() => n.as_i64(),
            Some(_) => {
                self.wrong_type(name, "an integer");
                None
            }
        }
    }

    /// A list-of-strings member.
    pub(crate) fn string_list(&mut self, name: &str) -> Option<Vec<String>> {
        match self.obj.get(name) {
            None | Some(Value::Null) => None,
            Some(Value::Array(items)) => {
                let strings: Option<Vec<String>> = items
                    .iter()
                    .map(|v| v.as_str().map(str::to_owned))
                    .collect();
                if strings.is_none() {
                    self.wrong_type(name, "a list of strings");
                }
                strings
            }
            Some(_) => {
                self.wrong_type(name, "a list of strings");
                None
            }
        }
    }

    /// A structure member whose members are all booleans (`sharingConfig`).
    pub(crate) fn bool_struct(&mut self, name: &str, member: &str) -> Option<Option<bool>> {
        match self.obj.get(name) {
            None | Some(Value::Null) => None,
            Some(Value::Object(m)) => match m.get(member) {
                None | Some(Value::Null) => Some(None),
                Some(Value::Bool(b)) => Some(Some(*b)),
                Some(_) => {
                    self.wrong_type(&format!("{name}.{member}"), "a boolean");
                    None
                }
            },
            Some(_) => {
                self.wrong_type(name, "a structure");
                None
            }
        }
    }

    /// A tag map member: an object whose values are all strings.
    pub(crate) fn tags(&mut self, name: &str) -> Option<Tags> {
        match self.obj.get(name) {
            None | Some(Value::Null) => None,
            Some(Value::Object(m)) => {
                let tags: Option<Tags> = m
                    .iter()
                    .map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                    .collect();
                if tags.is_none() {
                    self.wrong_type(name, "a map of string to string");
                }
                tags
            }
            Some(_) => {
                self.wrong_type(name, "a map of string to string");
                None
            }
        }
    }

    /// Fails with `cannotParse` (naming the members) if any member had the wrong JSON type.
    pub(crate) fn check_types(&self) -> Result<(), ApiError> {
        if self.type_errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::wrong_types(self.type_errors.clone()))
        }
    }
}

/// Checks a string against its shape (length in scalar values, then pattern), recording each
/// violation for `name`. `lax` accepts upper-case letters where the pattern wants lower case
/// (the `lax-identifier-pattern` defect).
pub(crate) fn check_member(
    shape: &Shape,
    name: &str,
    value: &str,
    lax: bool,
    errs: &mut Vec<FieldError>,
) {
    let ShapeKind::String { min, max, pattern } = shape.kind else {
        return;
    };
    let checked = if lax {
        value.to_ascii_lowercase()
    } else {
        value.to_owned()
    };
    for v in check_string(shape, &checked) {
        let message = match v {
            StringViolation::TooShort => {
                format!(
                    "Member must have length greater than or equal to {}",
                    min.unwrap_or(0)
                )
            }
            StringViolation::TooLong => format!(
                "Member must have length less than or equal to {}",
                max.unwrap_or(0)
            ),
            StringViolation::Pattern => {
                format!(
                    "Member must satisfy regular expression pattern: {}",
                    pattern.unwrap_or_default()
                )
            }
        };
        errs.push(FieldError::new(name, message));
    }
}

/// Records a missing required member.
pub(crate) fn require<T>(value: &Option<T>, name: &str, errs: &mut Vec<FieldError>) {
    if value.is_none() {
        errs.push(FieldError::new(name, "Member is required"));
    }
}

/// Fails with `fieldValidationFailed` when any violation was recorded.
pub(crate) fn finish(errs: Vec<FieldError>) -> Result<(), ApiError> {
    if errs.is_empty() {
        Ok(())
    } else {
        Err(ApiError::fields(errs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::errors::Reason;
    use lattice_spec::constraints::{CLIENT_TOKEN, SERVICE_IDENTIFIER};

    fn reason(r: Result<Body, ApiError>) -> Option<Reason> {
        match r {
            Err(ApiError::Validation { reason, .. }) => Some(reason),
            _ => None,
        }
    }

    #[test]
    fn malformed_and_non_object_bodies_cannot_be_parsed() {
        for body in [
            &b"{"[..],
            b"[]",
            b"\"x\"",
            b"1",
            b"null",
            b"\xff\xfe",
            b"plain text",
        ] {
            assert_eq!(
                reason(parse_body(body, Defects::default())),
                Some(Reason::CannotParse),
                "{body:?}"
            );
        }
        assert_eq!(
            reason(parse_body(&vec![b' '; MAX_BODY + 1], Defects::default())),
            Some(Reason::CannotParse)
        );
        assert!(parse_body(b"", Defects::default()).is_ok());
    }

    #[test]
    fn wrong_member_types_are_reported_by_name() {
        let mut body = parse_body(br#"{"a":1,"t":{"k":2},"b":"x"}"#, Defects::default()).unwrap();
        assert_eq!(body.string("a"), None);
        assert_eq!(body.tags("t"), None);
        assert_eq!(body.string("b").as_deref(), Some("x"));
        let Err(ApiError::Validation { fields, .. }) = body.check_types() else {
            panic!("types")
        };
        let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["a", "t"]);
    }

    #[test]
    fn lengths_and_patterns_are_checked_in_scalar_values() {
        let mut errs = Vec::new();
        check_member(
            &CLIENT_TOKEN,
            "clientToken",
            &"é".repeat(64),
            false,
            &mut errs,
        );
        assert_eq!(
            errs.len(),
            1,
            "64 scalar values are fine but no printable ASCII: {errs:?}"
        );
        errs.clear();
        check_member(
            &SERVICE_IDENTIFIER,
            "serviceIdentifier",
            "svc-0123456789ABCDEF0",
            false,
            &mut errs,
        );
        assert_eq!(errs.len(), 1);
        errs.clear();
        check_member(
            &SERVICE_IDENTIFIER,
            "serviceIdentifier",
            "svc-0123456789ABCDEF0",
            true,
            &mut errs,
        );
        assert!(errs.is_empty());
    }
}
