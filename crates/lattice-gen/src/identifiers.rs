//! Service and service-network identifiers: valid ids and ARNs across the whole space the model's
//! patterns allow, identifiers that break only the length rule, and identifiers that break only
//! the pattern rule.
//!
//! The identifier patterns are anchored (`^…$`), so every string shorter than the shortest
//! match (21 chars for a `svc-` id, 20 for a `sn-` id) breaks the pattern as well as any length
//! minimum it breaks. Too-short identifiers therefore break two rules at once and are never
//! generated as single-rule inputs. Too-long ones can break the length rule alone: the ARN's
//! partition and region are unbounded in the pattern, so an ARN of 2049 characters still matches.

use lattice_spec::constraints::StringViolation;
use lattice_spec::ids::{ResourceKind, ID_SUFFIX_LEN};
use proptest::prelude::*;
use proptest::sample::select;

use crate::chars::{pattern, Text, NON_ASCII_LETTERS, PARTITION_TEXT, REGION_TEXT};

/// The `@length` maximum of both identifier shapes.
pub const IDENTIFIER_MAX_LEN: usize = 2048;

/// Well-known partitions (any `[a-z0-9-]+` is allowed; these are the real ones).
pub const PARTITIONS: &[&str] = &[
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

/// Real region names (any `[a-zA-Z0-9-]+` is allowed, upper case included).
pub const REGIONS: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "ap-southeast-2",
    "ap-northeast-1",
    "sa-east-1",
    "ca-west-1",
    "me-central-1",
    "cn-north-1",
    "us-gov-west-1",
];

/// The parts of a VPC Lattice ARN, kept apart so a single part can be broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArnParts {
    /// `arn` in a valid ARN.
    pub scheme: String,
    /// The partition, `[a-z0-9-]+`.
    pub partition: String,
    /// The service namespace, `vpc-lattice` in a valid ARN.
    pub namespace: String,
    /// The region, `[a-zA-Z0-9-]+`.
    pub region: String,
    /// The account, 12 ASCII digits.
    pub account: String,
    /// The resource type (`service`, `servicenetwork`).
    pub resource_type: String,
    /// The resource id (`svc-…`, `sn-…`).
    pub id: String,
}

impl ArnParts {
    /// Builds the parts of a valid ARN.
    pub fn new(
        kind: ResourceKind,
        partition: &str,
        region: &str,
        account: &str,
        suffix: &str,
    ) -> Self {
        Self {
            scheme: "arn".into(),
            partition: partition.into(),
            namespace: "vpc-lattice".into(),
            region: region.into(),
            account: account.into(),
            resource_type: kind.arn_type().into(),
            id: format!("{}{suffix}", kind.prefix()),
        }
    }

    /// The ARN text.
    pub fn render(&self) -> String {
        format!(
            "{}:{}:{}:{}:{}:{}/{}",
            self.scheme,
            self.partition,
            self.namespace,
            self.region,
            self.account,
            self.resource_type,
            self.id
        )
    }

    /// Length in characters when partition and region are one character each.
    fn fixed_len(kind: ResourceKind) -> usize {
        ArnParts::new(kind, "", "", "000000000000", &"0".repeat(ID_SUFFIX_LEN))
            .render()
            .chars()
            .count()
    }
}

/// The shortest valid ARN of a kind (62 for services, 68 for service networks).
pub fn min_arn_len(kind: ResourceKind) -> usize {
    ArnParts::fixed_len(kind) + 2
}

/// 17 characters of `[0-9a-z]`.
pub fn id_suffix() -> impl Strategy<Value = String> + Clone {
    prop_oneof![
        6 => pattern("[0-9a-f]{17}"),
        3 => pattern("[0-9a-z]{17}"),
        1 => select(vec!["00000000000000000".to_owned(), "zzzzzzzzzzzzzzzzz".to_owned(), "0123456789abcdefz".to_owned()]),
    ]
}

/// A partition: a real one, or any `[a-z0-9-]+`.
pub fn partition() -> impl Strategy<Value = String> + Clone {
    prop_oneof![
        3 => select(PARTITIONS).prop_map(str::to_owned),
        1 => pattern("[a-z0-9-]{1,12}"),
    ]
}

/// A region: a real one, the same in upper or mixed case, or any `[a-zA-Z0-9-]+`.
pub fn region() -> impl Strategy<Value = String> + Clone {
    prop_oneof![
        3 => select(REGIONS).prop_map(str::to_owned),
        1 => select(REGIONS).prop_map(str::to_uppercase),
        1 => (select(REGIONS), any::<u16>()).prop_map(|(r, bits)| {
            r.chars()
                .enumerate()
                .map(|(i, c)| if bits & (1 << (i % 16)) != 0 { c.to_ascii_uppercase() } else { c })
                .collect()
        }),
        1 => pattern("[a-zA-Z0-9-]{1,16}"),
    ]
}

/// A 12-digit account.
pub fn account() -> impl Strategy<Value = String> + Clone {
    prop_oneof![
        4 => pattern("[0-9]{12}"),
        1 => select(vec!["000000000000".to_owned(), "999999999999".to_owned(), "111122223333".to_owned()]),
    ]
}

/// A bare id of a kind: `svc-…` or `sn-…`.
pub fn resource_id(kind: ResourceKind) -> impl Strategy<Value = String> + Clone {
    id_suffix().prop_map(move |s| format!("{}{s}", kind.prefix()))
}

/// The parts of a valid, ordinary-length ARN of a kind.
pub fn arn_parts(kind: ResourceKind) -> impl Strategy<Value = ArnParts> + Clone {
    (partition(), region(), account(), id_suffix())
        .prop_map(move |(p, r, a, s)| ArnParts::new(kind, &p, &r, &a, &s))
}

/// Random `[a-z0-9-]` and `[a-zA-Z0-9-]` texts that fill `budget` characters between them.
fn padding(budget: usize) -> impl Strategy<Value = (String, String)> {
    (1..budget).prop_flat_map(move |p_len| {
        (
            Text::new(&[(1, PARTITION_TEXT)], p_len, p_len),
            Text::new(&[(1, REGION_TEXT)], budget - p_len, budget - p_len),
        )
    })
}

/// A valid-pattern ARN of exactly `len` characters (`len` ≥ [`min_arn_len`]), padding the
/// partition and the region.
pub fn arn_of_len(kind: ResourceKind, len: usize) -> impl Strategy<Value = String> {
    let budget = len.saturating_sub(ArnParts::fixed_len(kind)).max(2);
    (padding(budget), account(), id_suffix())
        .prop_map(move |((p, r), a, s)| ArnParts::new(kind, &p, &r, &a, &s).render())
}

/// A valid ARN of a kind: mostly ordinary, sometimes of any length up to the 2048 maximum.
pub fn arn(kind: ResourceKind) -> impl Strategy<Value = String> {
    let min = min_arn_len(kind);
    prop_oneof![
        9 => arn_parts(kind).prop_map(|p| p.render()).boxed(),
        1 => prop_oneof![Just(min), Just(IDENTIFIER_MAX_LEN), min..=IDENTIFIER_MAX_LEN]
            .prop_flat_map(move |len| arn_of_len(kind, len))
            .boxed(),
    ]
}

/// A valid identifier of a kind: a bare id or an ARN.
pub fn identifier(kind: ResourceKind) -> BoxedStrategy<String> {
    prop_oneof![1 => resource_id(kind).boxed(), 1 => arn(kind).boxed()].boxed()
}

/// A valid `serviceIdentifier`: `svc-` ids and service ARNs over any partition, any region
/// (upper case included), any 12-digit account, and lengths up to 2048.
pub fn service_identifier() -> impl Strategy<Value = String> {
    identifier(ResourceKind::Service)
}

/// A valid `serviceNetworkIdentifier`: `sn-` ids and service network ARNs over the same space.
pub fn service_network_identifier() -> impl Strategy<Value = String> {
    identifier(ResourceKind::ServiceNetwork)
}

/// An identifier that matches the pattern but is longer than 2048 characters: it breaks only
/// the length rule. With a note.
pub fn too_long_identifier(kind: ResourceKind) -> BoxedStrategy<(String, String)> {
    prop_oneof![
        Just(IDENTIFIER_MAX_LEN + 1),
        (IDENTIFIER_MAX_LEN + 1)..=(IDENTIFIER_MAX_LEN + 64)
    ]
    .prop_flat_map(move |len| arn_of_len(kind, len))
    .prop_map(|s| {
        let note = format!(
            "well-formed ARN of {} characters (max 2048)",
            s.chars().count()
        );
        (s, note)
    })
    .boxed()
}

fn other_kind(kind: ResourceKind) -> ResourceKind {
    match kind {
        ResourceKind::Service => ResourceKind::ServiceNetwork,
        _ => ResourceKind::Service,
    }
}

/// The `@length` minimum of the identifier shape of a kind (17 for services, 3 for networks).
pub fn identifier_min_len(kind: ResourceKind) -> usize {
    match kind {
        ResourceKind::ServiceNetwork => 3,
        _ => 17,
    }
}

fn replace_at(s: &str, at: usize, c: char) -> String {
    s.chars()
        .enumerate()
        .map(|(i, x)| if i == at { c } else { x })
        .collect()
}

/// Ids whose shape is wrong but whose length is allowed: upper-case or non-ASCII suffix
/// characters, too few or too many suffix characters, a wrong or mangled prefix, a name, and
/// surrounding white space.
fn bad_ids(kind: ResourceKind) -> BoxedStrategy<(String, String)> {
    let prefix = kind.prefix();
    let min = identifier_min_len(kind);
    // Suffix lengths other than 17 that keep the whole id within the length bounds.
    let short_min = min.saturating_sub(prefix.len());
    let other = other_kind(kind);
    prop_oneof![
        (
            id_suffix(),
            0..ID_SUFFIX_LEN,
            proptest::char::range('A', 'Z')
        )
            .prop_map(move |(s, at, c)| {
                (
                    format!("{prefix}{}", replace_at(&s, at, c)),
                    "upper-case character in the id".to_owned(),
                )
            }),
        (
            id_suffix(),
            0..ID_SUFFIX_LEN,
            prop_oneof![
                select(NON_ASCII_LETTERS),
                select(crate::chars::NON_ASCII_DIGITS)
            ]
        )
            .prop_map(move |(s, at, c)| {
                (
                    format!("{prefix}{}", replace_at(&s, at, c)),
                    format!("non-ASCII `{c}` in the id"),
                )
            }),
        prop_oneof![
            Just(16usize),
            Just(18usize),
            short_min..=16usize,
            18usize..=40
        ]
        .prop_flat_map(
            |n| proptest::string::string_regex(&format!("[0-9a-z]{{{n}}}")).expect("regex")
        )
        .prop_map(move |s| {
            let n = s.len();
            (
                format!("{prefix}{s}"),
                format!("{n} id characters instead of 17"),
            )
        }),
        id_suffix().prop_map(move |s| (
            format!("{}{s}", other.prefix()),
            format!("an id of the other kind (`{}`)", other.prefix())
        )),
        (
            id_suffix(),
            select(vec![
                prefix.to_uppercase(),
                prefix.trim_end_matches('-').to_owned(),
                prefix.replace('-', "_"),
                format!("{}:", prefix.trim_end_matches('-')),
                "snsa-".to_owned(),
                "arn-".to_owned(),
            ])
        )
            .prop_map(|(s, p)| (format!("{p}{s}"), format!("mangled prefix `{p}`"))),
        pattern("[a-z][a-z0-9-]{38}[a-z0-9]")
            .prop_flat_map(move |full| (Just(full), min.max(3)..=40))
            .prop_map(|(full, n)| {
                let name: String = full.chars().take(n - 1).chain(['x']).collect();
                let note = format!("a name (`{name}`) instead of an id");
                (name, note)
            }),
        (
            resource_id(kind),
            select(vec![
                (" ", ""),
                ("", " "),
                ("", "\n"),
                ("\t", ""),
                ("", "\u{a0}")
            ])
        )
            .prop_map(|(id, (l, r))| (
                format!("{l}{id}{r}"),
                "id with surrounding white space".to_owned()
            )),
    ]
    .boxed()
}

/// ARNs with one broken part.
fn bad_arns(kind: ResourceKind) -> BoxedStrategy<(String, String)> {
    let other = other_kind(kind);
    let parts = arn_parts(kind);
    let with = move |f: fn(&mut ArnParts, &str), values: Vec<&'static str>, what: &'static str| {
        (parts.clone(), select(values))
            .prop_map(move |(mut p, v)| {
                f(&mut p, v);
                (p.render(), format!("ARN with {what} `{v}`"))
            })
            .boxed()
    };
    prop_oneof![
        with(
            |p, v| p.partition = v.into(),
            vec!["AWS", "Aws-cn", "aws_cn", "aws.cn", "", "aws cn", "awś"],
            "partition"
        ),
        with(
            |p, v| p.region = v.into(),
            vec![
                "",
                "us_east_1",
                "us.east.1",
                "us east 1",
                "ús-east-1",
                "us-east-1/"
            ],
            "region"
        ),
        with(
            |p, v| p.account = v.into(),
            vec![
                "11112222333",
                "1111222233334",
                "11112222333٣",
                "１１１１２２２２３３３３",
                "11112222333a",
                "",
                "-11112222333"
            ],
            "account"
        ),
        with(
            |p, v| p.namespace = v.into(),
            vec![
                "vpclattice",
                "VPC-LATTICE",
                "lattice",
                "vpc-lattice-svcs",
                "ec2"
            ],
            "namespace"
        ),
        with(
            |p, v| p.scheme = v.into(),
            vec!["ARN", "arn ", "urn", ""],
            "scheme"
        ),
        with(
            |p, v| p.resource_type = v.into(),
            vec![
                "services",
                "Service",
                "servicenetworks",
                "ServiceNetwork",
                "servicenetworkserviceassociation",
                ""
            ],
            "resource type"
        ),
        (arn_parts(kind), Just(other)).prop_map(|(mut p, other)| {
            p.resource_type = other.arn_type().into();
            (
                p.render(),
                format!(
                    "resource type `{}` for a `{}` id",
                    other.arn_type(),
                    p.id.split('-').next().unwrap_or("")
                ),
            )
        }),
        (arn_parts(kind), id_suffix()).prop_map(move |(mut p, s)| {
            p.id = format!("{}{s}", other.prefix());
            (
                p.render(),
                format!("a `{}` id inside the ARN", other.prefix()),
            )
        }),
        (
            arn_parts(kind),
            0..ID_SUFFIX_LEN,
            proptest::char::range('A', 'Z')
        )
            .prop_map(move |(mut p, at, c)| {
                let suffix = p.id[kind.prefix().len()..].to_owned();
                p.id = format!("{}{}", kind.prefix(), replace_at(&suffix, at, c));
                (
                    p.render(),
                    "upper-case character in the ARN's id".to_owned(),
                )
            }),
        (arn_parts(kind), select(vec![":extra", "/", "/x", " "])).prop_map(|(p, tail)| {
            (
                format!("{}{tail}", p.render()),
                format!("ARN followed by `{tail}`"),
            )
        }),
        arn_of_len(kind, IDENTIFIER_MAX_LEN).prop_map(|s| {
            // Break the region (or partition) with one character at the exact maximum length.
            let at = s.find(":vpc-lattice:").expect("namespace") - 1;
            let mut b: Vec<char> = s.chars().collect();
            b[at] = '_';
            (
                b.into_iter().collect(),
                "2048-character ARN with `_` in the partition".to_owned(),
            )
        }),
    ]
    .boxed()
}

/// An identifier whose length is allowed (17..=2048 for services, 3..=2048 for service
/// networks) but that does not match the pattern: it breaks only the pattern rule. With a note.
pub fn pattern_breaking_identifier(kind: ResourceKind) -> BoxedStrategy<(String, String)> {
    let shape = shape_of(kind);
    prop_oneof![1 => bad_ids(kind), 1 => bad_arns(kind)]
        .prop_filter("must break the pattern and nothing else", move |(s, _)| {
            lattice_spec::constraints::check_string(shape, s) == [StringViolation::Pattern]
        })
        .boxed()
}

/// The constraint shape of a kind's identifier member.
pub fn shape_of(kind: ResourceKind) -> &'static lattice_spec::constraints::Shape {
    match kind {
        ResourceKind::ServiceNetwork => &lattice_spec::constraints::SERVICE_NETWORK_IDENTIFIER,
        ResourceKind::Association => &lattice_spec::constraints::ASSOCIATION_IDENTIFIER,
        ResourceKind::Service => &lattice_spec::constraints::SERVICE_IDENTIFIER,
    }
}
