//! Identifiers: `svc-`, `sn-` and `snsa-` ids, their ARNs, and ID-or-ARN identifiers.

use std::fmt;
use std::str::FromStr;

use crate::errors::SpecError;

/// Number of `[0-9a-z]` characters after the prefix of every VPC Lattice id.
pub const ID_SUFFIX_LEN: usize = 17;

/// The three kinds of resource this contract addresses by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum ResourceKind {
    /// A service: id prefix `svc-`, ARN resource type `service`.
    Service,
    /// A service network: id prefix `sn-`, ARN resource type `servicenetwork`.
    ServiceNetwork,
    /// A service network service association: prefix `snsa-`, type `servicenetworkserviceassociation`.
    Association,
}

impl ResourceKind {
    /// The id prefix, dash included (`svc-`, `sn-`, `snsa-`).
    pub fn prefix(self) -> &'static str {
        match self {
            ResourceKind::Service => "svc-",
            ResourceKind::ServiceNetwork => "sn-",
            ResourceKind::Association => "snsa-",
        }
    }

    /// The resource type as it stands in the ARN (`service/…`).
    pub fn arn_type(self) -> &'static str {
        match self {
            ResourceKind::Service => "service",
            ResourceKind::ServiceNetwork => "servicenetwork",
            ResourceKind::Association => "servicenetworkserviceassociation",
        }
    }

    /// All kinds, in a stable order.
    pub const ALL: [ResourceKind; 3] = [
        ResourceKind::Service,
        ResourceKind::ServiceNetwork,
        ResourceKind::Association,
    ];

    fn from_arn_type(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.arn_type() == s)
    }
}

/// True when `s` is exactly 17 characters of `[0-9a-z]` (ASCII only).
fn is_id_suffix(s: &str) -> bool {
    s.len() == ID_SUFFIX_LEN
        && s.bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
}

/// A resource id such as `svc-0123456789abcdef0`: a prefix and 17 characters of `[0-9a-z]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResourceId {
    kind: ResourceKind,
    suffix: String,
}

impl ResourceId {
    /// Builds an id from its kind and suffix; the suffix must be 17 of `[0-9a-z]`.
    pub fn new(kind: ResourceKind, suffix: &str) -> Result<Self, SpecError> {
        if is_id_suffix(suffix) {
            Ok(Self {
                kind,
                suffix: suffix.to_owned(),
            })
        } else {
            Err(SpecError::BadId {
                input: format!("{}{suffix}", kind.prefix()),
                kind,
            })
        }
    }

    /// Parses an id of the given kind (`svc-…`, `sn-…`, `snsa-…`).
    pub fn parse(kind: ResourceKind, s: &str) -> Result<Self, SpecError> {
        match s.strip_prefix(kind.prefix()) {
            Some(rest) if is_id_suffix(rest) => Ok(Self {
                kind,
                suffix: rest.to_owned(),
            }),
            _ => Err(SpecError::BadId {
                input: s.to_owned(),
                kind,
            }),
        }
    }

    /// The kind of resource this id names.
    pub fn kind(&self) -> ResourceKind {
        self.kind
    }

    /// The 17 characters after the prefix.
    pub fn suffix(&self) -> &str {
        &self.suffix
    }
}

impl fmt::Display for ResourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.kind.prefix(), self.suffix)
    }
}

/// A VPC Lattice ARN: `arn:{partition}:vpc-lattice:{region}:{account}:{type}/{id}`.
///
/// Parsing follows the identifier patterns of the model: partition `[a-z0-9-]+`, region
/// `[a-zA-Z0-9-]+` (upper case allowed), account exactly 12 ASCII digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LatticeArn {
    /// The partition, such as `aws` or `aws-cn`.
    pub partition: String,
    /// The region, such as `us-east-1`.
    pub region: String,
    /// The 12-digit account id.
    pub account: String,
    /// The resource id (its kind gives the ARN's resource type).
    pub id: ResourceId,
}

impl LatticeArn {
    /// Builds an ARN from its parts.
    pub fn new(partition: &str, region: &str, account: &str, id: ResourceId) -> Self {
        Self {
            partition: partition.to_owned(),
            region: region.to_owned(),
            account: account.to_owned(),
            id,
        }
    }

    /// Parses any VPC Lattice ARN of the three kinds.
    pub fn parse(s: &str) -> Result<Self, SpecError> {
        let bad = || SpecError::BadArn {
            input: s.to_owned(),
        };
        let mut parts = s.splitn(6, ':');
        let (
            Some("arn"),
            Some(partition),
            Some("vpc-lattice"),
            Some(region),
            Some(account),
            Some(res),
        ) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        )
        else {
            return Err(bad());
        };
        let part_ok = |p: &str, upper: bool| {
            !p.is_empty()
                && p.bytes().all(|b| {
                    b.is_ascii_digit()
                        || b.is_ascii_lowercase()
                        || b == b'-'
                        || (upper && b.is_ascii_uppercase())
                })
        };
        if !part_ok(partition, false) || !part_ok(region, true) {
            return Err(bad());
        }
        if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let (ty, id) = res.split_once('/').ok_or_else(bad)?;
        let kind = ResourceKind::from_arn_type(ty).ok_or_else(bad)?;
        let id = ResourceId::parse(kind, id).map_err(|_| bad())?;
        Ok(Self::new(partition, region, account, id))
    }

    /// The kind of resource the ARN names.
    pub fn kind(&self) -> ResourceKind {
        self.id.kind()
    }
}

impl fmt::Display for LatticeArn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "arn:{}:vpc-lattice:{}:{}:{}/{}",
            self.partition,
            self.region,
            self.account,
            self.id.kind().arn_type(),
            self.id
        )
    }
}

impl FromStr for LatticeArn {
    type Err = SpecError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// An ID-or-ARN identifier, as `serviceIdentifier` and `serviceNetworkIdentifier` accept.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Identifier {
    /// A bare id: resolved in the caller's own account.
    Id(ResourceId),
    /// An ARN: resolved in the ARN's account.
    Arn(LatticeArn),
}

impl Identifier {
    /// Parses an identifier of the given kind, as the model's identifier pattern allows.
    pub fn parse(kind: ResourceKind, s: &str) -> Result<Self, SpecError> {
        if s.starts_with("arn:") {
            let arn = LatticeArn::parse(s)?;
            if arn.kind() != kind {
                return Err(SpecError::BadArn {
                    input: s.to_owned(),
                });
            }
            Ok(Identifier::Arn(arn))
        } else {
            Ok(Identifier::Id(ResourceId::parse(kind, s)?))
        }
    }

    /// The resource id, whichever form was given.
    pub fn id(&self) -> &ResourceId {
        match self {
            Identifier::Id(id) => id,
            Identifier::Arn(arn) => &arn.id,
        }
    }

    /// The account the identifier names: the ARN's, or `caller` for a bare id.
    pub fn account<'a>(&'a self, caller: &'a str) -> &'a str {
        match self {
            Identifier::Id(_) => caller,
            Identifier::Arn(arn) => &arn.account,
        }
    }
}

impl fmt::Display for Identifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Identifier::Id(id) => id.fmt(f),
            Identifier::Arn(arn) => arn.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(ResourceKind::Service, "svc-0123456789abcdefz")]
    #[case(ResourceKind::ServiceNetwork, "sn-0123456789abcdef0")]
    #[case(ResourceKind::Association, "snsa-zzzzzzzzzzzzzzzzz")]
    fn ids_round_trip(#[case] kind: ResourceKind, #[case] s: &str) {
        let id = ResourceId::parse(kind, s).unwrap();
        assert_eq!(id.to_string(), s);
        assert_eq!(id.kind(), kind);
    }

    #[rstest]
    #[case(ResourceKind::Service, "svc-0123456789ABCDEF0")]
    #[case(ResourceKind::Service, "svc-0123456789abcdef")]
    #[case(ResourceKind::Service, "sn-0123456789abcdef0")]
    #[case(ResourceKind::ServiceNetwork, "sn-٠123456789abcdef0")]
    #[case(ResourceKind::Association, "snsa-0123456789abcdef01")]
    fn bad_ids_are_refused(#[case] kind: ResourceKind, #[case] s: &str) {
        assert!(ResourceId::parse(kind, s).is_err(), "{s}");
    }

    #[rstest]
    #[case("arn:aws:vpc-lattice:us-east-1:111122223333:service/svc-0123456789abcdef0")]
    #[case("arn:aws-cn:vpc-lattice:CN-NORTH-1:111122223333:servicenetwork/sn-0123456789abcdef0")]
    #[case(
        "arn:a:vpc-lattice:r:000000000000:servicenetworkserviceassociation/snsa-0123456789abcdef0"
    )]
    fn arns_round_trip(#[case] s: &str) {
        assert_eq!(LatticeArn::parse(s).unwrap().to_string(), s);
    }

    #[rstest]
    #[case("arn:aws:vpc-lattice:us-east-1:11112222333:service/svc-0123456789abcdef0")]
    #[case("arn:aws:vpc-lattice:us-east-1:11112222333٣:service/svc-0123456789abcdef0")]
    #[case("arn:AWS:vpc-lattice:us-east-1:111122223333:service/svc-0123456789abcdef0")]
    #[case("arn:aws:lattice:us-east-1:111122223333:service/svc-0123456789abcdef0")]
    #[case("arn:aws:vpc-lattice:us-east-1:111122223333:service/sn-0123456789abcdef0")]
    #[case("arn:aws:vpc-lattice:us_east-1:111122223333:service/svc-0123456789abcdef0")]
    fn bad_arns_are_refused(#[case] s: &str) {
        assert!(LatticeArn::parse(s).is_err(), "{s}");
    }

    #[test]
    fn identifier_of_the_wrong_kind_is_refused() {
        let arn = "arn:aws:vpc-lattice:us-east-1:111122223333:service/svc-0123456789abcdef0";
        assert!(Identifier::parse(ResourceKind::ServiceNetwork, arn).is_err());
        let id = Identifier::parse(ResourceKind::Service, arn).unwrap();
        assert_eq!(id.account("999999999999"), "111122223333");
        let bare = Identifier::parse(ResourceKind::Service, "svc-0123456789abcdef0").unwrap();
        assert_eq!(bare.account("999999999999"), "999999999999");
    }
}
