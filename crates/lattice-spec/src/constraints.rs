//! Constraint tables for every input member of the operations this suite sends, taken from the
//! official model (`specs/upstream/`; a test proves they still match it).
//!
//! Semantics follow Smithy: lengths count Unicode scalar values, map lengths count entries, and
//! `@pattern` is an ECMA-262 regex with *search* semantics. ECMA `\d` is ASCII, so patterns are
//! compiled with `\d` rewritten to `[0-9]` (Rust's `\d` would accept any Unicode digit).

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;

/// The kind and bounds of a shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShapeKind {
    /// A string with optional length bounds (scalar values) and an optional ECMA pattern.
    String {
        /// `@length` min, if any.
        min: Option<usize>,
        /// `@length` max, if any.
        max: Option<usize>,
        /// The Smithy `@pattern`, verbatim.
        pattern: Option<&'static str>,
    },
    /// A string enum with its values.
    Enum(&'static [&'static str]),
    /// An integer with `@range` bounds.
    Integer {
        /// Lowest allowed value.
        min: i64,
        /// Highest allowed value.
        max: i64,
    },
    /// A map of `TagKey` to `TagValue` with at most `max` entries.
    TagMap {
        /// Most entries allowed.
        max: usize,
    },
    /// A list of `TagKey` with at most `max` members.
    TagKeyList {
        /// Most members allowed.
        max: usize,
    },
    /// A structure (only `SharingConfig` here: `{ "enabled": Boolean }`).
    Structure,
}

/// A named shape of the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// The shape's name in the model (without namespace).
    pub name: &'static str,
    /// Its kind and constraints.
    pub kind: ShapeKind,
}

const fn string(
    name: &'static str,
    min: Option<usize>,
    max: Option<usize>,
    pattern: Option<&'static str>,
) -> Shape {
    Shape {
        name,
        kind: ShapeKind::String { min, max, pattern },
    }
}

/// `ClientToken`: 1..64, `[!-~]+` (search semantics: one printable ASCII character suffices).
pub const CLIENT_TOKEN: Shape = string("ClientToken", Some(1), Some(64), Some("[!-~]+"));
/// `ServiceIdentifier`: a `svc-` id or a service ARN.
pub const SERVICE_IDENTIFIER: Shape = string(
    "ServiceIdentifier",
    Some(17),
    Some(2048),
    Some(
        r"^((svc-[0-9a-z]{17})|(arn:[a-z0-9\-]+:vpc-lattice:[a-zA-Z0-9\-]+:\d{12}:service/svc-[0-9a-z]{17}))$",
    ),
);
/// `ServiceNetworkIdentifier`: a `sn-` id or a service network ARN (names are not accepted).
pub const SERVICE_NETWORK_IDENTIFIER: Shape = string(
    "ServiceNetworkIdentifier",
    Some(3),
    Some(2048),
    Some(
        r"^((sn-[0-9a-z]{17})|(arn:[a-z0-9\-]+:vpc-lattice:[a-zA-Z0-9\-]+:\d{12}:servicenetwork/sn-[0-9a-z]{17}))$",
    ),
);
/// `ServiceNetworkServiceAssociationIdentifier`: a `snsa-` id or an association ARN.
pub const ASSOCIATION_IDENTIFIER: Shape = string(
    "ServiceNetworkServiceAssociationIdentifier",
    Some(17),
    Some(2048),
    Some(
        r"^((snsa-[0-9a-z]{17})|(arn:[a-z0-9\-]+:vpc-lattice:[a-zA-Z0-9\-]+:\d{12}:servicenetworkserviceassociation/snsa-[0-9a-z]{17}))$",
    ),
);
/// `ServiceNetworkServiceAssociationArn` (output).
pub const ASSOCIATION_ARN: Shape = string(
    "ServiceNetworkServiceAssociationArn",
    Some(20),
    Some(2048),
    Some(
        r"^arn:[a-z0-9\-]+:vpc-lattice:[a-zA-Z0-9\-]+:\d{12}:servicenetworkserviceassociation/snsa-[0-9a-z]{17}$",
    ),
);
/// `AccountId` (output: `createdBy`).
pub const ACCOUNT_ID: Shape = string("AccountId", Some(1), Some(12), Some(r"^[0-9]{12}$"));
/// `ServiceId` (output).
pub const SERVICE_ID: Shape = string("ServiceId", Some(21), Some(21), Some(r"^svc-[0-9a-z]{17}$"));
/// `ServiceNetworkId` (output).
pub const SERVICE_NETWORK_ID: Shape = string(
    "ServiceNetworkId",
    Some(20),
    Some(20),
    Some(r"^sn-[0-9a-z]{17}$"),
);
/// `ServiceArn` (output).
pub const SERVICE_ARN: Shape = string(
    "ServiceArn",
    Some(20),
    Some(2048),
    Some(r"^arn:[a-z0-9\-]+:vpc-lattice:[a-zA-Z0-9\-]+:\d{12}:service/svc-[0-9a-z]{17}$"),
);
/// `ServiceNetworkArn` (output).
pub const SERVICE_NETWORK_ARN: Shape = string(
    "ServiceNetworkArn",
    Some(32),
    Some(2048),
    Some(r"^arn:[a-z0-9\-]+:vpc-lattice:[a-zA-Z0-9\-]+:\d{12}:servicenetwork/sn-[0-9a-z]{17}$"),
);
/// `TagKey`: 1..128 scalar values; no model pattern (the character set is in the docs only).
pub const TAG_KEY: Shape = string("TagKey", Some(1), Some(128), None);
/// `TagValue`: 0..256 scalar values; no model pattern.
pub const TAG_VALUE: Shape = string("TagValue", Some(0), Some(256), None);
/// `TagMap`: at most 200 entries.
pub const TAG_MAP: Shape = Shape {
    name: "TagMap",
    kind: ShapeKind::TagMap { max: 200 },
};
/// `TagKeys`: at most 200 keys (UntagResource's query list).
pub const TAG_KEYS: Shape = Shape {
    name: "TagKeys",
    kind: ShapeKind::TagKeyList { max: 200 },
};
/// `ServiceNetworkName`: 3..63, look-ahead pattern (checked by hand, see [`matches_pattern`]).
pub const SERVICE_NETWORK_NAME: Shape = string(
    "ServiceNetworkName",
    Some(3),
    Some(63),
    Some(r"^(?![-])(?!.*[-]$)(?!.*[-]{2})[a-z0-9-]+$"),
);
/// `ServiceName`: 3..40, look-ahead pattern that also forbids the `svc-` prefix.
pub const SERVICE_NAME: Shape = string(
    "ServiceName",
    Some(3),
    Some(40),
    Some(r"^(?!svc-)(?![-])(?!.*[-]$)(?!.*[-]{2})[a-z0-9-]+$"),
);
/// `AuthType`.
pub const AUTH_TYPE: Shape = Shape {
    name: "AuthType",
    kind: ShapeKind::Enum(&["NONE", "AWS_IAM"]),
};
/// `ServiceCustomDomainName`: 3..255, no pattern.
pub const CUSTOM_DOMAIN_NAME: Shape = string("ServiceCustomDomainName", Some(3), Some(255), None);
/// `CertificateArn`: up to 2048, an ACM certificate ARN or empty.
pub const CERTIFICATE_ARN: Shape = string(
    "CertificateArn",
    None,
    Some(2048),
    Some(
        r"^(arn(:[a-z0-9]+([.-][a-z0-9]+)*){2}(:([a-z0-9]+([.-][a-z0-9]+)*)?){2}:certificate/[0-9a-z-]+)?$",
    ),
);
/// `IdleTimeoutSeconds` (botocore model only; newer than the Smithy snapshot).
pub const IDLE_TIMEOUT_SECONDS: Shape = Shape {
    name: "IdleTimeoutSeconds",
    kind: ShapeKind::Integer { min: 60, max: 600 },
};
/// `MaxResults`: 1..100.
pub const MAX_RESULTS: Shape = Shape {
    name: "MaxResults",
    kind: ShapeKind::Integer { min: 1, max: 100 },
};
/// `NextToken`: 1..2048.
pub const NEXT_TOKEN: Shape = string("NextToken", Some(1), Some(2048), None);
/// `Arn` (the `/tags/{resourceArn}` label): up to 1224, region lower case only.
pub const ARN: Shape = string(
    "Arn",
    None,
    Some(1224),
    Some(
        r"^arn:[a-z0-9][-.a-z0-9]{0,62}:vpc-lattice:([a-z0-9][-.a-z0-9]{0,62})?:\d{12}?:[^/].{0,1023}$",
    ),
);
/// `SharingConfig`: `{ "enabled": Boolean }`.
pub const SHARING_CONFIG: Shape = Shape {
    name: "SharingConfig",
    kind: ShapeKind::Structure,
};
/// `ServiceNetworkServiceAssociationStatus`.
pub const ASSOCIATION_STATUS: Shape = Shape {
    name: "ServiceNetworkServiceAssociationStatus",
    kind: ShapeKind::Enum(&[
        "CREATE_IN_PROGRESS",
        "ACTIVE",
        "DELETE_IN_PROGRESS",
        "CREATE_FAILED",
        "DELETE_FAILED",
    ]),
};

/// Where a member travels in the HTTP request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// A JSON body member.
    Body,
    /// A path label (`@httpLabel`).
    Label,
    /// A query parameter (`@httpQuery`).
    Query,
}

/// One input member of one operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member {
    /// The operation's name in the model.
    pub operation: &'static str,
    /// The member name, exactly as on the wire.
    pub name: &'static str,
    /// Its target shape.
    pub shape: Shape,
    /// `@required`.
    pub required: bool,
    /// Where it is bound.
    pub location: Location,
}

const fn m(
    operation: &'static str,
    name: &'static str,
    shape: Shape,
    required: bool,
    location: Location,
) -> Member {
    Member {
        operation,
        name,
        shape,
        required,
        location,
    }
}

use Location::{Body, Label, Query};

/// The name of the operation under test.
pub const CREATE_ASSOCIATION: &str = "CreateServiceNetworkServiceAssociation";

/// Every input member of every VPC Lattice operation the suite sends or the reference endpoint
/// serves, with its constraints.
pub const INPUT_MEMBERS: &[Member] = &[
    m(CREATE_ASSOCIATION, "clientToken", CLIENT_TOKEN, false, Body),
    m(
        CREATE_ASSOCIATION,
        "serviceIdentifier",
        SERVICE_IDENTIFIER,
        true,
        Body,
    ),
    m(
        CREATE_ASSOCIATION,
        "serviceNetworkIdentifier",
        SERVICE_NETWORK_IDENTIFIER,
        true,
        Body,
    ),
    m(CREATE_ASSOCIATION, "tags", TAG_MAP, false, Body),
    m(
        "GetServiceNetworkServiceAssociation",
        "serviceNetworkServiceAssociationIdentifier",
        ASSOCIATION_IDENTIFIER,
        true,
        Label,
    ),
    m(
        "DeleteServiceNetworkServiceAssociation",
        "serviceNetworkServiceAssociationIdentifier",
        ASSOCIATION_IDENTIFIER,
        true,
        Label,
    ),
    m(
        "ListServiceNetworkServiceAssociations",
        "serviceNetworkIdentifier",
        SERVICE_NETWORK_IDENTIFIER,
        false,
        Query,
    ),
    m(
        "ListServiceNetworkServiceAssociations",
        "serviceIdentifier",
        SERVICE_IDENTIFIER,
        false,
        Query,
    ),
    m(
        "ListServiceNetworkServiceAssociations",
        "maxResults",
        MAX_RESULTS,
        false,
        Query,
    ),
    m(
        "ListServiceNetworkServiceAssociations",
        "nextToken",
        NEXT_TOKEN,
        false,
        Query,
    ),
    m(
        "CreateServiceNetwork",
        "clientToken",
        CLIENT_TOKEN,
        false,
        Body,
    ),
    m(
        "CreateServiceNetwork",
        "name",
        SERVICE_NETWORK_NAME,
        true,
        Body,
    ),
    m("CreateServiceNetwork", "authType", AUTH_TYPE, false, Body),
    m("CreateServiceNetwork", "tags", TAG_MAP, false, Body),
    m(
        "CreateServiceNetwork",
        "sharingConfig",
        SHARING_CONFIG,
        false,
        Body,
    ),
    m("CreateService", "clientToken", CLIENT_TOKEN, false, Body),
    m("CreateService", "name", SERVICE_NAME, true, Body),
    m("CreateService", "tags", TAG_MAP, false, Body),
    m(
        "CreateService",
        "customDomainName",
        CUSTOM_DOMAIN_NAME,
        false,
        Body,
    ),
    m(
        "CreateService",
        "certificateArn",
        CERTIFICATE_ARN,
        false,
        Body,
    ),
    m("CreateService", "authType", AUTH_TYPE, false, Body),
    m(
        "CreateService",
        "idleTimeoutSeconds",
        IDLE_TIMEOUT_SECONDS,
        false,
        Body,
    ),
    m(
        "GetService",
        "serviceIdentifier",
        SERVICE_IDENTIFIER,
        true,
        Label,
    ),
    m(
        "DeleteService",
        "serviceIdentifier",
        SERVICE_IDENTIFIER,
        true,
        Label,
    ),
    m(
        "GetServiceNetwork",
        "serviceNetworkIdentifier",
        SERVICE_NETWORK_IDENTIFIER,
        true,
        Label,
    ),
    m(
        "DeleteServiceNetwork",
        "serviceNetworkIdentifier",
        SERVICE_NETWORK_IDENTIFIER,
        true,
        Label,
    ),
    m("TagResource", "resourceArn", ARN, true, Label),
    m("TagResource", "tags", TAG_MAP, true, Body),
    m("UntagResource", "resourceArn", ARN, true, Label),
    m("UntagResource", "tagKeys", TAG_KEYS, true, Query),
    m("ListTagsForResource", "resourceArn", ARN, true, Label),
    m(
        "ListServiceNetworks",
        "maxResults",
        MAX_RESULTS,
        false,
        Query,
    ),
    m("ListServiceNetworks", "nextToken", NEXT_TOKEN, false, Query),
    m("ListServices", "maxResults", MAX_RESULTS, false, Query),
    m("ListServices", "nextToken", NEXT_TOKEN, false, Query),
];

/// The input members of one operation, in table order.
pub fn members_of(operation: &str) -> impl Iterator<Item = &'static Member> + '_ {
    INPUT_MEMBERS
        .iter()
        .filter(move |m| m.operation == operation)
}

/// Length in Unicode scalar values, as Smithy `@length` counts.
pub fn scalar_len(s: &str) -> usize {
    s.chars().count()
}

/// Rewrites an ECMA-262 pattern for the `regex` crate: `\d` is ASCII in ECMA, Unicode in Rust.
pub fn ecma_to_rust(pattern: &str) -> String {
    pattern.replace(r"\d", "[0-9]")
}

fn compiled(pattern: &'static str) -> Option<&'static Regex> {
    static CACHE: OnceLock<std::sync::Mutex<HashMap<&'static str, &'static Regex>>> =
        OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(re) = cache.get(pattern) {
        return Some(re);
    }
    let re: &'static Regex = Box::leak(Box::new(Regex::new(&ecma_to_rust(pattern)).ok()?));
    cache.insert(pattern, re);
    Some(re)
}

/// True when `name` satisfies the look-ahead name patterns: `[a-z0-9-]+`, no leading or
/// trailing hyphen, no double hyphen, and (for services) no `svc-` prefix.
fn name_ok(s: &str, forbid_svc_prefix: bool) -> bool {
    let charset = s
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    let hyphens = !s.starts_with('-') && !s.ends_with('-') && !s.contains("--");
    let prefix = !forbid_svc_prefix || !s.starts_with("svc-");
    !s.is_empty() && charset && hyphens && prefix
}

/// Whether `s` matches the shape's pattern (search semantics, ASCII digits); true when the shape
/// has no pattern. The look-ahead name patterns, which the `regex` crate cannot run, are checked
/// by hand with the same meaning.
pub fn matches_pattern(shape: &Shape, s: &str) -> bool {
    let ShapeKind::String {
        pattern: Some(p), ..
    } = shape.kind
    else {
        return true;
    };
    match shape.name {
        "ServiceNetworkName" => name_ok(s, false),
        "ServiceName" => name_ok(s, true),
        _ => compiled(p).is_some_and(|re| re.is_match(s)),
    }
}

/// The reason a string breaks its shape, if it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StringViolation {
    /// Fewer scalar values than `min`.
    TooShort,
    /// More scalar values than `max`.
    TooLong,
    /// The pattern does not match.
    Pattern,
}

/// Checks a string against a string shape: length first, then pattern (all that apply).
pub fn check_string(shape: &Shape, s: &str) -> Vec<StringViolation> {
    let mut out = Vec::new();
    if let ShapeKind::String { min, max, pattern } = shape.kind {
        let n = scalar_len(s);
        if min.is_some_and(|min| n < min) {
            out.push(StringViolation::TooShort);
        }
        if max.is_some_and(|max| n > max) {
            out.push(StringViolation::TooLong);
        }
        if pattern.is_some() && !matches_pattern(shape, s) {
            out.push(StringViolation::Pattern);
        }
    }
    out
}

/// The symbols the docs allow in tag keys and values, besides Unicode letters, digits and white
/// space: `_ . : / = + - @`.
pub const TAG_SYMBOLS: &[char] = &['_', '.', ':', '/', '=', '+', '-', '@'];

/// Whether every character is a Unicode letter (`\p{L}`), a Unicode digit or number (`\p{N}`),
/// white space (`\p{Z}`: space separators, not tabs or line breaks), or a tag symbol: the TagMap
/// documentation's character set, read as AWS's usual tag class `[\p{L}\p{Z}\p{N}_.:/=+\-@]`
/// (it is not a model pattern).
pub fn tag_chars_ok(s: &str) -> bool {
    static CLASS: OnceLock<Regex> = OnceLock::new();
    let re =
        CLASS.get_or_init(|| Regex::new(r"^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$").expect("a valid class"));
    re.is_match(s)
}

/// The reserved tag-key prefix (documented in lower case; "May not begin with `aws:`").
pub const RESERVED_TAG_PREFIX: &str = "aws:";

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(" a ", true)]
    #[case("   ", false)]
    #[case("é", false)]
    #[case("éa", true)]
    fn client_token_pattern_has_search_semantics(#[case] s: &str, #[case] ok: bool) {
        assert_eq!(matches_pattern(&CLIENT_TOKEN, s), ok);
    }

    #[test]
    fn digits_in_patterns_are_ascii_only() {
        let ok = "arn:aws:vpc-lattice:us-east-1:111122223333:service/svc-0123456789abcdef0";
        let arabic = "arn:aws:vpc-lattice:us-east-1:11112222333٣:service/svc-0123456789abcdef0";
        assert!(matches_pattern(&SERVICE_IDENTIFIER, ok));
        assert!(!matches_pattern(&SERVICE_IDENTIFIER, arabic));
    }

    #[rstest]
    #[case("my-net", true)]
    #[case("-net", false)]
    #[case("net-", false)]
    #[case("a--b", false)]
    #[case("Net", false)]
    fn names_follow_the_lookahead_patterns(#[case] s: &str, #[case] ok: bool) {
        assert_eq!(matches_pattern(&SERVICE_NETWORK_NAME, s), ok);
        assert_eq!(matches_pattern(&SERVICE_NAME, s), ok);
        assert!(!matches_pattern(&SERVICE_NAME, "svc-abc"));
        assert!(matches_pattern(&SERVICE_NETWORK_NAME, "svc-abc"));
    }

    #[rstest]
    #[case("Team Été 2026", true)]
    #[case("a_b.c:d/e=f+g-h@i", true)]
    #[case("tab\there", false)]
    #[case("line\nbreak", false)]
    #[case("bang!", false)]
    #[case("emoji🙂", false)]
    #[case("\u{93E}", false)]
    fn tag_characters_follow_the_documented_class(#[case] s: &str, #[case] ok: bool) {
        assert_eq!(tag_chars_ok(s), ok, "{s:?}");
    }

    #[test]
    fn lengths_count_scalar_values() {
        let key: String = "é".repeat(128);
        assert!(check_string(&TAG_KEY, &key).is_empty());
        assert_eq!(
            check_string(&TAG_KEY, &format!("{key}a")),
            vec![StringViolation::TooLong]
        );
    }
}
