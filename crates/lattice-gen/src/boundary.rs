//! Deterministic boundary sets, meant to run before any random case: every bound met exactly
//! (valid) and crossed by one (invalid), and every edge of every pattern.

use lattice_spec::ids::ResourceKind;
use lattice_spec::{TagsRule, ValidationRule};
use serde_json::{json, Value};

use crate::body::{
    create_body, set_member, AmbiguousInput, Extras, InvalidInput, RawBody, PLACEHOLDER_NETWORK_ID,
    PLACEHOLDER_SERVICE_ID,
};
use crate::chars::TAG_FORBIDDEN;
use crate::identifiers::{min_arn_len, ArnParts, IDENTIFIER_MAX_LEN};
use crate::invalid::unparsable_variants;
use crate::tags::{
    AWS_PREFIX_CASES, TAG_COUNT_MODEL_MAX, TAG_COUNT_SAFE_MAX, TAG_KEY_MAX_LEN, TAG_VALUE_MAX_LEN,
};
use lattice_spec::wire::Tags;

const SUFFIX: &str = "0123456789abcdef0";

fn arn(kind: ResourceKind, partition: &str, region: &str, account: &str) -> ArnParts {
    ArnParts::new(kind, partition, region, account, SUFFIX)
}

/// A pattern-valid ARN of exactly `len` characters: partition `a…`, region `US-EAST-1` padded.
pub(crate) fn arn_exact(kind: ResourceKind, len: usize) -> String {
    let budget = len - min_arn_len(kind) + 2;
    let region = "US-EAST-1";
    let (p, r) = if budget > region.len() + 1 {
        ("a".repeat(budget - region.len()), region.to_owned())
    } else {
        ("a".repeat(budget / 2), "R".repeat(budget - budget / 2))
    };
    let s = arn(kind, &p, &r, "111122223333").render();
    debug_assert_eq!(s.chars().count(), len);
    s
}

fn tags(pairs: &[(&str, &str)]) -> Tags {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn numbered_tags(n: usize) -> Tags {
    (0..n)
        .map(|i| (format!("k{i:03}"), "v".to_owned()))
        .collect()
}

fn with_tags(t: Tags) -> Extras {
    Extras {
        token: None,
        tags: Some(t),
    }
}

fn with_token(t: impl Into<String>) -> Extras {
    Extras {
        token: Some(t.into()),
        tags: None,
    }
}

/// Valid identifier edges of one kind.
fn identifier_edges(kind: ResourceKind) -> Vec<String> {
    let id = |suffix: &str| format!("{}{suffix}", kind.prefix());
    vec![
        id("00000000000000000"),
        id("zzzzzzzzzzzzzzzzz"),
        id(SUFFIX),
        arn(kind, "a", "r", "000000000000").render(),
        arn(kind, "-", "-", "999999999999").render(),
        arn(kind, "0", "0", "111122223333").render(),
        arn(kind, "aws", "US-EAST-1", "111122223333").render(),
        arn(kind, "aws-us-gov", "Us-Gov-West-1", "111122223333").render(),
        arn(kind, "aws-cn", "cn-north-1", "111122223333").render(),
        arn_exact(kind, min_arn_len(kind)),
        arn_exact(kind, IDENTIFIER_MAX_LEN - 1),
        arn_exact(kind, IDENTIFIER_MAX_LEN),
    ]
}

/// Valid token and tag edges: each optional member at its bounds.
fn member_edges() -> Vec<Extras> {
    let mut out = vec![
        Extras::default(),
        with_token("!"),
        with_token("~"),
        with_token("a"),
        with_token("a".repeat(64)),
        with_token(" a "),
        with_token("\u{7f}!\u{80}"),
        with_token(format!("{}a", "é".repeat(63))),
        with_token(format!("{}a", "😀".repeat(63))),
        with_token(format!("a{}", " ".repeat(63))),
        with_token("\u{0}a"),
        with_token("\ta\n"),
        with_token("0f3c7a2e-9b1d-4c55-8e2a-6d1f0b7c9a31"),
        with_tags(Tags::new()),
        with_tags(numbered_tags(1)),
        with_tags(numbered_tags(TAG_COUNT_SAFE_MAX)),
        with_tags(tags(&[("k", "")])),
        with_tags(tags(&[(&"k".repeat(TAG_KEY_MAX_LEN), "v")])),
        with_tags(tags(&[(&"é".repeat(TAG_KEY_MAX_LEN), "v")])),
        with_tags(tags(&[(&"𠀀".repeat(TAG_KEY_MAX_LEN), "v")])),
        with_tags(tags(&[("k", &"v".repeat(TAG_VALUE_MAX_LEN))])),
        with_tags(tags(&[("k", &"é".repeat(TAG_VALUE_MAX_LEN))])),
        with_tags(tags(&[("k", &"𠀀".repeat(TAG_VALUE_MAX_LEN))])),
        with_tags(tags(&[("_.:/=+-@", "_.:/=+-@")])),
        with_tags(tags(&[
            ("aws", "v"),
            ("aws-key", "v"),
            ("awsx:", "v"),
            ("aw:s", "v"),
            ("AWS", "v"),
            ("xaws:", "v"),
        ])),
        with_tags(tags(&[
            ("٣५０Ⅻ½", "٣५０Ⅻ½"),
            ("ǅʰ𝒜", "ǅʰ𝒜"),
            ("日本語", "한글"),
        ])),
        with_tags(tags(&[("a b\u{3000}c\u{a0}d\u{2003}e", "v w")])),
    ];
    out.push(Extras {
        token: Some("t".repeat(64)),
        tags: Some(numbered_tags(TAG_COUNT_SAFE_MAX)),
    });
    out
}

/// Valid bodies at every edge, with placeholder ids ([`PLACEHOLDER_SERVICE_ID`],
/// [`PLACEHOLDER_NETWORK_ID`]) where the edge is not about the identifier: ids and ARNs at
/// their shortest and longest (2048), upper- and mixed-case regions, one-character and
/// dash-only partitions, all-zero and all-nine accounts; tokens of 1 and 64 scalar values, at
/// `!` and `~`, with non-ASCII and control characters around one printable character; tags
/// absent, empty, 1 and 50 entries, keys of 1 and 128 and values of 0 and 256 scalar values
/// (ASCII, 2-byte and 4-byte), every allowed symbol, Unicode digits, letters and spaces, and
/// `aws`-like keys that are not the reserved prefix.
pub fn boundary_valid_bodies() -> Vec<Value> {
    let mut out = Vec::new();
    for svc in identifier_edges(ResourceKind::Service) {
        out.push(create_body(
            &svc,
            PLACEHOLDER_NETWORK_ID,
            &Extras::default(),
        ));
    }
    for sn in identifier_edges(ResourceKind::ServiceNetwork) {
        out.push(create_body(PLACEHOLDER_SERVICE_ID, &sn, &Extras::default()));
    }
    out.push(create_body(
        &arn_exact(ResourceKind::Service, IDENTIFIER_MAX_LEN),
        &arn_exact(ResourceKind::ServiceNetwork, IDENTIFIER_MAX_LEN),
        &Extras::default(),
    ));
    out.extend(boundary_valid_bodies_with(
        PLACEHOLDER_SERVICE_ID.into(),
        PLACEHOLDER_NETWORK_ID.into(),
    ));
    out
}

/// The token and tag edges of [`boundary_valid_bodies`], around the given identifiers (kept
/// verbatim), for acceptance checks against real resources.
pub fn boundary_valid_bodies_with(service: String, network: String) -> Vec<Value> {
    member_edges()
        .iter()
        .map(|e| create_body(&service, &network, e))
        .collect()
}

fn bad(rule: ValidationRule, body: Value, note: impl Into<String>) -> InvalidInput {
    InvalidInput {
        rule,
        body: RawBody::Json(body),
        note: note.into(),
    }
}

/// Identifier values of a kind that break only the pattern, with notes.
fn pattern_edges(kind: ResourceKind) -> Vec<(String, String)> {
    let p = kind.prefix();
    let other = match kind {
        ResourceKind::Service => ResourceKind::ServiceNetwork,
        _ => ResourceKind::Service,
    };
    let good = |f: &dyn Fn(&mut ArnParts)| {
        let mut a = arn(kind, "aws", "us-east-1", "111122223333");
        f(&mut a);
        a.render()
    };
    let mut out = vec![
        (
            format!("{p}0123456789abcdef"),
            "16 id characters".to_owned(),
        ),
        (
            format!("{p}0123456789abcdef01"),
            "18 id characters".to_owned(),
        ),
        (
            format!("{p}0123456789ABCDEF0"),
            "upper-case id characters".to_owned(),
        ),
        (
            format!("{p}0123456789abcdef٣"),
            "an Arabic-Indic digit in the id".to_owned(),
        ),
        (
            format!("{}{SUFFIX}", p.to_uppercase()),
            "upper-case prefix".to_owned(),
        ),
        (
            format!("{}{SUFFIX}", other.prefix()),
            "an id of the other kind".to_owned(),
        ),
        (format!(" {p}{SUFFIX}"), "leading space".to_owned()),
        (format!("{p}{SUFFIX}\n"), "trailing line feed".to_owned()),
        (
            good(&|a| a.account = "11112222333".into()),
            "11-digit account".to_owned(),
        ),
        (
            good(&|a| a.account = "1111222233334".into()),
            "13-digit account".to_owned(),
        ),
        (
            good(&|a| a.account = "11112222333٣".into()),
            "Arabic-Indic digit in the account".to_owned(),
        ),
        (
            good(&|a| a.partition = String::new()),
            "empty partition".to_owned(),
        ),
        (
            good(&|a| a.partition = "AWS".into()),
            "upper-case partition".to_owned(),
        ),
        (
            good(&|a| a.region = String::new()),
            "empty region".to_owned(),
        ),
        (
            good(&|a| a.region = "us_east_1".into()),
            "`_` in the region".to_owned(),
        ),
        (
            good(&|a| a.namespace = "vpclattice".into()),
            "namespace `vpclattice`".to_owned(),
        ),
        (
            good(&|a| a.resource_type = other.arn_type().into()),
            "the other kind's resource type".to_owned(),
        ),
        (
            good(&|a| a.id = format!("{}{SUFFIX}", other.prefix())),
            "an id of the other kind in the ARN".to_owned(),
        ),
        (
            good(&|a| a.scheme = "ARN".into()),
            "upper-case `ARN`".to_owned(),
        ),
    ];
    let mut long: Vec<char> = arn_exact(kind, IDENTIFIER_MAX_LEN).chars().collect();
    long[4] = '_';
    out.push((
        long.into_iter().collect(),
        "2048 characters with `_` in the partition".to_owned(),
    ));
    match kind {
        ResourceKind::Service => {
            out.push((
                "svc-0123456789abc".into(),
                "17 characters (the length minimum), not an id".into(),
            ));
            out.push(("my-service-name-0001".into(), "a service name".into()));
        }
        _ => {
            out.push((
                "abc".into(),
                "3 characters (the length minimum), not an id".into(),
            ));
            out.push(("sn-".into(), "the bare prefix".into()));
            out.push(("my-network".into(), "a service network name".into()));
        }
    }
    out
}

/// Invalid inputs at every edge, one rule each, with placeholder ids where the rule is not about
/// them (see [`boundary_valid_bodies`]).
pub fn boundary_inputs() -> Vec<InvalidInput> {
    boundary_inputs_with(PLACEHOLDER_SERVICE_ID.into(), PLACEHOLDER_NETWORK_ID.into())
}

/// As [`boundary_inputs`], keeping the given identifiers wherever the rule is not about them.
pub fn boundary_inputs_with(service: String, network: String) -> Vec<InvalidInput> {
    let base = Base::new(&service, &network);
    ValidationRule::ALL
        .iter()
        .flat_map(|rule| boundary_for(*rule, &base))
        .collect()
}

/// The valid bodies the boundary inputs are made from.
struct Base<'a> {
    svc: &'a str,
    sn: &'a str,
    /// The two identifiers only.
    plain: Value,
    /// The identifiers, a token and a tag.
    full: Value,
}

impl<'a> Base<'a> {
    fn new(svc: &'a str, sn: &'a str) -> Self {
        let full = create_body(
            svc,
            sn,
            &Extras {
                token: Some("token-1".into()),
                tags: Some(tags(&[("env", "test")])),
            },
        );
        Self {
            svc,
            sn,
            plain: create_body(svc, sn, &Extras::default()),
            full,
        }
    }

    /// The plain body with these tags.
    fn tagged(&self, rule: ValidationRule, t: Tags, note: String) -> InvalidInput {
        bad(rule, create_body(self.svc, self.sn, &with_tags(t)), note)
    }
}

/// A rule's boundary inputs. Every validation rule is named: a new one does not compile until it
/// has its edges here (or says it has none, as VAL-BEFORE-EXIST, judged on the others' inputs).
fn boundary_for(rule: ValidationRule, b: &Base<'_>) -> Vec<InvalidInput> {
    use ValidationRule as V;
    match rule {
        V::ValSvcRequired => required(b, rule, "serviceIdentifier"),
        V::ValSnRequired => required(b, rule, "serviceNetworkIdentifier"),
        V::ValSvcLength => too_long(b, rule, ResourceKind::Service),
        V::ValSnLength => too_long(b, rule, ResourceKind::ServiceNetwork),
        V::ValSvcPattern => pattern(b, rule, ResourceKind::Service),
        V::ValSnPattern => pattern(b, rule, ResourceKind::ServiceNetwork),
        V::ValTokenLength => long_tokens(b),
        V::ValTokenPattern => bad_tokens(b),
        V::ValBodyMalformed => malformed(b),
        V::ValBodyTypes => wrong_types(b),
        V::ValBeforeExist => vec![],
        V::TagCountMax => vec![b.tagged(
            rule,
            numbered_tags(TAG_COUNT_MODEL_MAX + 1),
            "201 tags".into(),
        )],
        V::TagKeyLength => tag_key_lengths(b),
        V::TagValueLength => ["k", "é", "𠀀"]
            .iter()
            .map(|c| {
                let v = c.replace('k', "v");
                let t = tags(&[("k", &v.repeat(TAG_VALUE_MAX_LEN + 1))]);
                b.tagged(rule, t, format!("tag value of 257 `{v}`"))
            })
            .collect(),
        V::TagCharset => tag_charset(b),
        V::TagAwsPrefix => aws_prefixes(b),
    }
}

fn required(b: &Base<'_>, rule: ValidationRule, member: &str) -> Vec<InvalidInput> {
    vec![
        bad(
            rule,
            set_member(b.plain.clone(), member, None),
            format!("`{member}` missing"),
        ),
        bad(
            rule,
            set_member(b.full.clone(), member, Some(Value::Null)),
            format!("`{member}` null"),
        ),
    ]
}

fn too_long(b: &Base<'_>, rule: ValidationRule, kind: ResourceKind) -> Vec<InvalidInput> {
    [IDENTIFIER_MAX_LEN + 1, IDENTIFIER_MAX_LEN * 2]
        .iter()
        .map(|len| {
            let arn = arn_exact(kind, *len);
            let (body, member) = match kind {
                ResourceKind::Service => (
                    create_body(&arn, b.sn, &Extras::default()),
                    "serviceIdentifier",
                ),
                _ => (
                    create_body(b.svc, &arn, &Extras::default()),
                    "serviceNetworkIdentifier",
                ),
            };
            bad(
                rule,
                body,
                format!("`{member}`: well-formed ARN of {len} characters"),
            )
        })
        .collect()
}

fn pattern(b: &Base<'_>, rule: ValidationRule, kind: ResourceKind) -> Vec<InvalidInput> {
    pattern_edges(kind)
        .into_iter()
        .map(|(value, note)| match kind {
            ResourceKind::Service => bad(
                rule,
                create_body(&value, b.sn, &Extras::default()),
                format!("`serviceIdentifier`: {note}"),
            ),
            _ => bad(
                rule,
                create_body(b.svc, &value, &Extras::default()),
                format!("`serviceNetworkIdentifier`: {note}"),
            ),
        })
        .collect()
}

fn long_tokens(b: &Base<'_>) -> Vec<InvalidInput> {
    [
        ("a".repeat(65), "65 printable ASCII characters"),
        (
            format!("{}a", "é".repeat(64)),
            "65 scalar values, one printable",
        ),
        (
            format!("{}a", "😀".repeat(64)),
            "65 scalar values of 4 bytes but one",
        ),
    ]
    .into_iter()
    .map(|(token, note)| {
        bad(
            ValidationRule::ValTokenLength,
            create_body(b.svc, b.sn, &with_token(token)),
            format!("`clientToken`: {note}"),
        )
    })
    .collect()
}

fn bad_tokens(b: &Base<'_>) -> Vec<InvalidInput> {
    [
        (" ".to_owned(), "one space"),
        (" ".repeat(64), "64 spaces"),
        ("\u{7f}".to_owned(), "DEL (just above `~`)"),
        ("é".to_owned(), "one non-ASCII letter"),
        ("€".repeat(64), "64 non-ASCII symbols"),
        ("\t\n".to_owned(), "control white space"),
        ("\u{0}".to_owned(), "NUL"),
    ]
    .into_iter()
    .map(|(token, note)| {
        bad(
            ValidationRule::ValTokenPattern,
            create_body(b.svc, b.sn, &with_token(token)),
            format!("`clientToken`: {note}"),
        )
    })
    .collect()
}

fn wrong_types(b: &Base<'_>) -> Vec<InvalidInput> {
    let rule = ValidationRule::ValBodyTypes;
    let members = [
        ("clientToken", json!(42), "a number"),
        ("clientToken", json!(["token-1"]), "an array"),
        ("serviceIdentifier", json!(42), "a number"),
        (
            "serviceIdentifier",
            json!([b.svc]),
            "an array holding the id",
        ),
        ("serviceNetworkIdentifier", json!(true), "a boolean"),
        (
            "serviceNetworkIdentifier",
            json!({ "id": b.sn }),
            "an object",
        ),
        (
            "tags",
            json!([{ "key": "env", "value": "test" }]),
            "a list of key/value objects",
        ),
        ("tags", json!("env=test"), "a string"),
        ("tags", json!(["env"]), "an array of strings"),
    ];
    let mut out: Vec<InvalidInput> = members
        .into_iter()
        .map(|(member, value, note)| {
            bad(
                rule,
                set_member(b.plain.clone(), member, Some(value)),
                format!("`{member}` is {note}"),
            )
        })
        .collect();
    for (value, note) in [
        (json!(1), "a number"),
        (Value::Null, "null"),
        (json!(true), "a boolean"),
        (json!(["v"]), "an array"),
    ] {
        let body = set_member(b.plain.clone(), "tags", Some(json!({ "env": value })));
        out.push(bad(rule, body, format!("tag value is {note}")));
    }
    out
}

fn malformed(b: &Base<'_>) -> Vec<InvalidInput> {
    let rule = ValidationRule::ValBodyMalformed;
    let text = serde_json::to_string(&b.full).expect("serialises");
    let bytes = |bytes: Vec<u8>, note: String| InvalidInput {
        rule,
        body: RawBody::Bytes(bytes),
        note: format!("malformed JSON: {note}"),
    };
    let mut out: Vec<InvalidInput> = unparsable_variants(&text)
        .into_iter()
        .map(|(b, note)| bytes(b, note))
        .collect();
    out.push(bytes(
        text.as_bytes()[..text.len() / 2].to_vec(),
        "truncated at half".into(),
    ));
    out.push(bytes(
        text.as_bytes()[..text.len() - 1].to_vec(),
        "last byte missing".into(),
    ));
    for (value, note) in [
        (json!([b.full.clone()]), "an array holding the body"),
        (Value::String(text.clone()), "a string holding the body"),
        (json!(200), "a number"),
        (json!(true), "a boolean"),
        (Value::Null, "null"),
        (json!([]), "an empty array"),
    ] {
        out.push(bad(rule, value, format!("body is {note}, not an object")));
    }
    out
}

fn tag_key_lengths(b: &Base<'_>) -> Vec<InvalidInput> {
    let rule = ValidationRule::TagKeyLength;
    let mut out = vec![b.tagged(rule, tags(&[("", "v")]), "empty tag key".into())];
    for c in ["k", "é", "𠀀"] {
        let t = tags(&[(&c.repeat(TAG_KEY_MAX_LEN + 1), "v")]);
        out.push(b.tagged(rule, t, format!("tag key of 129 `{c}`")));
    }
    out
}

fn tag_charset(b: &Base<'_>) -> Vec<InvalidInput> {
    let rule = ValidationRule::TagCharset;
    let mut out = Vec::new();
    for c in TAG_FORBIDDEN {
        out.push(b.tagged(
            rule,
            tags(&[(&format!("k{c}"), "v")]),
            format!("forbidden {c:?} in a tag key"),
        ));
        out.push(b.tagged(
            rule,
            tags(&[("k", &format!("v{c}"))]),
            format!("forbidden {c:?} in a tag value"),
        ));
    }
    out
}

fn aws_prefixes(b: &Base<'_>) -> Vec<InvalidInput> {
    [
        "aws:".to_owned(),
        "aws:x".to_owned(),
        "aws:aws:".to_owned(),
        format!("aws:{}", "k".repeat(TAG_KEY_MAX_LEN - 4)),
    ]
    .into_iter()
    .map(|key| {
        let note = format!(
            "tag key `{}` begins with `aws:`",
            key.chars().take(12).collect::<String>()
        );
        b.tagged(ValidationRule::TagAwsPrefix, tags(&[(&key, "v")]), note)
    })
    .collect()
}

/// The ambiguous edges: 51 and 200 tags (`TAG-COUNT-50`), and every other letter case of `aws:`
/// alone and as a prefix (`TAG-AWS-PREFIX-CASE`), with placeholder ids.
pub fn boundary_ambiguous_inputs() -> Vec<AmbiguousInput> {
    let amb = |rule, tags: Tags, note: String| AmbiguousInput {
        rule,
        body: create_body(
            PLACEHOLDER_SERVICE_ID,
            PLACEHOLDER_NETWORK_ID,
            &with_tags(tags),
        ),
        note,
    };
    let mut out = vec![
        amb(
            TagsRule::TagCount50,
            numbered_tags(TAG_COUNT_SAFE_MAX + 1),
            "51 tags (user guide max 50)".into(),
        ),
        amb(
            TagsRule::TagCount50,
            numbered_tags(TAG_COUNT_MODEL_MAX),
            "200 tags (model max, user guide 50)".into(),
        ),
    ];
    for p in AWS_PREFIX_CASES {
        out.push(amb(
            TagsRule::TagAwsPrefixCase,
            tags(&[(p, "v")]),
            format!("tag key `{p}`"),
        ));
        out.push(amb(
            TagsRule::TagAwsPrefixCase,
            tags(&[(&format!("{p}key"), "v")]),
            format!("tag key `{p}key`"),
        ));
    }
    out
}
