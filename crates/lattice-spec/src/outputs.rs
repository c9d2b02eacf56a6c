//! The output members of every VPC Lattice operation the suite sends, with their modelled JSON
//! types: strings, enums, date-time timestamps, integers, booleans, nested structures, lists of
//! structures and string maps. Taken from the official model (`specs/upstream/`); a test proves
//! the table still equals it, member by member and shape by shape.
//!
//! Timestamps follow the `Timestamp` shape's `smithy.api#timestampFormat "date-time"`: an
//! RFC 3339 `date-time` in UTC (`Z`), with optional fractional seconds ([`is_date_time`]).

use crate::constraints::{Shape, ShapeKind, ASSOCIATION_STATUS, AUTH_TYPE};
use crate::operations::Operation;

/// `ServiceStatus` (the status of a service; the same values as the association's status, in
/// another order).
pub const SERVICE_STATUS: Shape = Shape {
    name: "ServiceStatus",
    kind: ShapeKind::Enum(&[
        "ACTIVE",
        "CREATE_IN_PROGRESS",
        "DELETE_IN_PROGRESS",
        "CREATE_FAILED",
        "DELETE_FAILED",
    ]),
};

/// The JSON form an output member's shape gives it on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputType {
    /// A JSON string (patterns and lengths are not types: HTTP-RESPONSE-SHAPE judges those).
    String,
    /// A JSON string, one of the enum shape's values.
    Enum(&'static Shape),
    /// A JSON string holding an RFC 3339 `date-time` in UTC.
    Timestamp,
    /// A JSON integer (`integer` or `long` in the model).
    Integer,
    /// A JSON boolean.
    Boolean,
    /// A JSON object with these members (none required).
    Structure(&'static [OutputMember]),
    /// A JSON array of objects with these members.
    List(&'static [OutputMember]),
    /// A JSON object of string values (`TagMap`).
    StringMap,
}

/// One member of an output structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutputMember {
    /// The member name, exactly as on the wire.
    pub name: &'static str,
    /// The name of its target shape in the model (for the cross-check).
    pub shape: &'static str,
    /// Its JSON type.
    pub ty: OutputType,
}

const fn o(name: &'static str, shape: &'static str, ty: OutputType) -> OutputMember {
    OutputMember { name, shape, ty }
}

use OutputType::{Boolean, Enum, Integer, List, StringMap, Structure, Timestamp};

const STRING: OutputType = OutputType::String;

/// `DnsEntry`.
const DNS_ENTRY: &[OutputMember] = &[
    o("domainName", "String", STRING),
    o("hostedZoneId", "String", STRING),
];

/// `SharingConfig`.
const SHARING_CONFIG: &[OutputMember] = &[o("enabled", "Boolean", Boolean)];

const ASSOCIATION_ID: OutputMember = o("id", "ServiceNetworkServiceAssociationIdentifier", STRING);
const ASSOCIATION_STATUS_MEMBER: OutputMember = o(
    "status",
    "ServiceNetworkServiceAssociationStatus",
    Enum(&ASSOCIATION_STATUS),
);
const ASSOCIATION_ARN: OutputMember = o("arn", "ServiceNetworkServiceAssociationArn", STRING);
const CREATED_BY: OutputMember = o("createdBy", "AccountId", STRING);
const CREATED_AT: OutputMember = o("createdAt", "Timestamp", Timestamp);
const LAST_UPDATED_AT: OutputMember = o("lastUpdatedAt", "Timestamp", Timestamp);
const DNS: OutputMember = o("dnsEntry", "DnsEntry", Structure(DNS_ENTRY));
const CUSTOM_DOMAIN_NAME: OutputMember = o("customDomainName", "ServiceCustomDomainName", STRING);
const NEXT_TOKEN: OutputMember = o("nextToken", "NextToken", STRING);
const SERVICE_ID: OutputMember = o("id", "ServiceId", STRING);
const SERVICE_ARN: OutputMember = o("arn", "ServiceArn", STRING);
const SERVICE_NAME: OutputMember = o("name", "ServiceName", STRING);
const SERVICE_STATUS_MEMBER: OutputMember = o("status", "ServiceStatus", Enum(&SERVICE_STATUS));
const AUTH: OutputMember = o("authType", "AuthType", Enum(&AUTH_TYPE));
const NETWORK_ID: OutputMember = o("id", "ServiceNetworkId", STRING);
const NETWORK_NAME: OutputMember = o("name", "ServiceNetworkName", STRING);
const NETWORK_ARN: OutputMember = o("arn", "ServiceNetworkArn", STRING);
const SHARING: OutputMember = o("sharingConfig", "SharingConfig", Structure(SHARING_CONFIG));
const CERTIFICATE_ARN: OutputMember = o("certificateArn", "CertificateArn", STRING);
const IDLE_TIMEOUT: OutputMember = o("idleTimeoutSeconds", "IdleTimeoutSeconds", Integer);

/// `GetServiceNetworkServiceAssociationResponse`: the members of a List item
/// ([`ASSOCIATION_SUMMARY`]), in the same order, then the failure's code and message.
const ASSOCIATION_GET: &[OutputMember] = &[
    ASSOCIATION_ID,
    ASSOCIATION_STATUS_MEMBER,
    ASSOCIATION_ARN,
    CREATED_BY,
    CREATED_AT,
    o("serviceId", "ServiceId", STRING),
    o("serviceName", "ServiceName", STRING),
    o("serviceArn", "ServiceArn", STRING),
    o("serviceNetworkId", "ServiceNetworkId", STRING),
    o("serviceNetworkName", "ServiceNetworkName", STRING),
    o("serviceNetworkArn", "ServiceNetworkArn", STRING),
    DNS,
    CUSTOM_DOMAIN_NAME,
    o("failureMessage", "String", STRING),
    o("failureCode", "String", STRING),
];

/// `ServiceNetworkServiceAssociationSummary` (a List item): Get's members without the failure.
const ASSOCIATION_SUMMARY: &[OutputMember] = ASSOCIATION_GET.split_at(13).0;

/// `ServiceNetworkSummary` (a ListServiceNetworks item).
const NETWORK_SUMMARY: &[OutputMember] = &[
    NETWORK_ID,
    NETWORK_NAME,
    NETWORK_ARN,
    CREATED_AT,
    LAST_UPDATED_AT,
    o("numberOfAssociatedVPCs", "Long", Integer),
    o("numberOfAssociatedServices", "Long", Integer),
    o("numberOfAssociatedResourceConfigurations", "Long", Integer),
];

/// `ServiceSummary` (a ListServices item).
const SERVICE_SUMMARY: &[OutputMember] = &[
    SERVICE_ID,
    SERVICE_NAME,
    SERVICE_ARN,
    CREATED_AT,
    LAST_UPDATED_AT,
    DNS,
    CUSTOM_DOMAIN_NAME,
    SERVICE_STATUS_MEMBER,
];

/// The output shape's name and members of every VPC Lattice operation the suite sends (RAM's
/// operations are not in this model).
pub const OUTPUTS: &[(Operation, &str, &[OutputMember])] = &[
    (
        Operation::CreateServiceNetworkServiceAssociation,
        "CreateServiceNetworkServiceAssociationResponse",
        &[
            ASSOCIATION_ID,
            ASSOCIATION_STATUS_MEMBER,
            ASSOCIATION_ARN,
            CREATED_BY,
            CUSTOM_DOMAIN_NAME,
            DNS,
        ],
    ),
    (
        Operation::GetServiceNetworkServiceAssociation,
        "GetServiceNetworkServiceAssociationResponse",
        ASSOCIATION_GET,
    ),
    (
        Operation::DeleteServiceNetworkServiceAssociation,
        "DeleteServiceNetworkServiceAssociationResponse",
        &[ASSOCIATION_ID, ASSOCIATION_STATUS_MEMBER, ASSOCIATION_ARN],
    ),
    (
        Operation::ListServiceNetworkServiceAssociations,
        "ListServiceNetworkServiceAssociationsResponse",
        &[
            o(
                "items",
                "ServiceNetworkServiceAssociationList",
                List(ASSOCIATION_SUMMARY),
            ),
            NEXT_TOKEN,
        ],
    ),
    (
        Operation::ListServiceNetworks,
        "ListServiceNetworksResponse",
        &[
            o("items", "ServiceNetworkList", List(NETWORK_SUMMARY)),
            NEXT_TOKEN,
        ],
    ),
    (
        Operation::CreateServiceNetwork,
        "CreateServiceNetworkResponse",
        &[NETWORK_ID, NETWORK_NAME, NETWORK_ARN, SHARING, AUTH],
    ),
    (
        Operation::GetServiceNetwork,
        "GetServiceNetworkResponse",
        &[
            NETWORK_ID,
            NETWORK_NAME,
            CREATED_AT,
            LAST_UPDATED_AT,
            NETWORK_ARN,
            AUTH,
            SHARING,
            o("numberOfAssociatedVPCs", "Long", Integer),
            o("numberOfAssociatedServices", "Long", Integer),
        ],
    ),
    (
        Operation::DeleteServiceNetwork,
        "DeleteServiceNetworkResponse",
        &[],
    ),
    (
        Operation::CreateService,
        "CreateServiceResponse",
        &[
            SERVICE_ID,
            SERVICE_ARN,
            SERVICE_NAME,
            CUSTOM_DOMAIN_NAME,
            CERTIFICATE_ARN,
            SERVICE_STATUS_MEMBER,
            AUTH,
            IDLE_TIMEOUT,
            DNS,
        ],
    ),
    (
        Operation::GetService,
        "GetServiceResponse",
        &[
            SERVICE_ID,
            SERVICE_NAME,
            SERVICE_ARN,
            CREATED_AT,
            LAST_UPDATED_AT,
            DNS,
            CUSTOM_DOMAIN_NAME,
            CERTIFICATE_ARN,
            SERVICE_STATUS_MEMBER,
            AUTH,
            IDLE_TIMEOUT,
            o("failureCode", "FailureCode", STRING),
            o("failureMessage", "FailureMessage", STRING),
        ],
    ),
    (
        Operation::ListServices,
        "ListServicesResponse",
        &[o("items", "ServiceList", List(SERVICE_SUMMARY)), NEXT_TOKEN],
    ),
    (
        Operation::DeleteService,
        "DeleteServiceResponse",
        &[SERVICE_ID, SERVICE_ARN, SERVICE_NAME, SERVICE_STATUS_MEMBER],
    ),
    (Operation::TagResource, "TagResourceResponse", &[]),
    (Operation::UntagResource, "UntagResourceResponse", &[]),
    (
        Operation::ListTagsForResource,
        "ListTagsForResourceResponse",
        &[o("tags", "TagMap", StringMap)],
    ),
];

/// The output members of `op` (`None` for AWS RAM's operations, which this model lacks).
pub fn output_of(op: Operation) -> Option<&'static [OutputMember]> {
    OUTPUTS
        .iter()
        .find(|(o, _, _)| *o == op)
        .map(|(_, _, members)| *members)
}

/// Whether `s` is an RFC 3339 `date-time` in UTC, as Smithy's `date-time` timestamp format
/// writes it: `YYYY-MM-DDThh:mm:ss`, optional fractional seconds, then `Z` (no numeric offset);
/// month, day, hour, minute and second within their ranges (a leap second `60` allowed).
pub fn is_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        b.get(range.clone())
            .filter(|d| d.iter().all(u8::is_ascii_digit))
            .map(|d| d.iter().fold(0u32, |n, c| n * 10 + u32::from(c - b'0')))
    };
    let at = |i: usize, c: u8| b.get(i) == Some(&c);
    let fields = (
        digits(0..4),
        digits(5..7),
        digits(8..10),
        digits(11..13),
        digits(14..16),
        digits(17..19),
    );
    let (Some(_), Some(month), Some(day), Some(hour), Some(minute), Some(second)) = fields else {
        return false;
    };
    let separators = at(4, b'-') && at(7, b'-') && at(10, b'T') && at(13, b':') && at(16, b':');
    let ranges = (1..=12).contains(&month)
        && (1..=31).contains(&day)
        && hour <= 23
        && minute <= 59
        && second <= 60;
    let rest = &b[19..];
    let zone = match rest.strip_prefix(b".") {
        Some(frac) => {
            let n = frac.iter().take_while(|c| c.is_ascii_digit()).count();
            n > 0 && &frac[n..] == b"Z"
        }
        None => rest == b"Z",
    };
    separators && ranges && zone
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("2026-12-07T10:15:30Z", true)]
    #[case("2026-12-07T10:15:30.123Z", true)]
    #[case("1985-04-12T23:20:50.52Z", true)]
    #[case("2016-12-31T23:59:60Z", true)]
    #[case("2026-12-07T10:15:30+00:00", false)]
    #[case("2026-12-07 10:15:30Z", false)]
    #[case("2026-12-07T10:15:30", false)]
    #[case("2026-13-07T10:15:30Z", false)]
    #[case("2026-12-07T24:15:30Z", false)]
    #[case("2026-12-07T10:15:30.Z", false)]
    #[case("1765102530", false)]
    #[case("", false)]
    #[case("2026-12-07T10:15:30Zx", false)]
    #[case("٢٠٢٦-12-07T10:15:30Z", false)]
    fn date_times_follow_rfc_3339_in_utc(#[case] s: &str, #[case] ok: bool) {
        assert_eq!(is_date_time(s), ok, "{s}");
    }

    #[test]
    fn every_vpc_lattice_operation_has_its_outputs_and_ram_has_none() {
        for op in Operation::ALL {
            assert_eq!(output_of(op).is_some(), !op.is_ram(), "{}", op.name());
        }
    }
}
