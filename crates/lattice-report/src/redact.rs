//! Redact after checking (insta's `dynamic_redaction` pattern, without insta at run time): every
//! dynamic value of a recorded exchange is first checked against its model shape (ids, ARNs and
//! account ids against their patterns, statuses and reasons against their enums, timestamps
//! against RFC 3339 or epoch seconds) and only then replaced by a placeholder that keeps identity
//! (`[snsa-1]`, `[account-owner]`, `arn:[partition]:vpc-lattice:[region]:[account-peer]:
//! servicenetwork/[sn-2]`), so that "the replay returned the same id" and "createdBy is the
//! caller" stay visible after redaction. A value that fails its check is a violation, and its
//! placeholder says so (`[✗ …]`), so the snapshot differs too.

use serde_json::{Map, Value};

use lattice_checks::Violation;
use lattice_spec::constraints::{self as c, Shape, ShapeKind};
use lattice_spec::errors::VALIDATION_REASONS;
use lattice_spec::operations::decode_label;

/// Strings longer than this are abbreviated in requests (generated boundary values).
const LONG: usize = 64;
/// Maps with more entries than this are summarised in requests.
const WIDE: usize = 8;

/// The redactor of one scenario: its placeholders are numbered in order of first appearance, so
/// the same scenario redacts to the same text on every run and every target.
#[derive(Debug, Default)]
pub struct Redactor {
    /// Raw value → placeholder, in registration order.
    known: Vec<(String, String)>,
    /// Last number used per placeholder kind.
    counters: Vec<(String, usize)>,
    /// Account id → role (`owner`, `peer`, `outsider`).
    roles: Vec<(String, String)>,
    violations: Vec<Violation>,
}

impl Redactor {
    /// A redactor that names the principals' accounts after their roles.
    pub fn new(accounts: &[(String, String)]) -> Self {
        Self {
            roles: accounts.to_vec(),
            ..Self::default()
        }
    }

    /// Registers a raw value with a fixed placeholder (for example a client token: `[token-a]`).
    pub fn name(&mut self, raw: &str, placeholder: &str) {
        if self.lookup(raw).is_none() {
            self.known.push((raw.to_owned(), placeholder.to_owned()));
        }
    }

    /// The checks that failed so far.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// Takes the checks that failed so far.
    pub fn take_violations(&mut self) -> Vec<Violation> {
        std::mem::take(&mut self.violations)
    }

    fn lookup(&self, raw: &str) -> Option<String> {
        self.known
            .iter()
            .find(|(k, _)| k == raw)
            .map(|(_, p)| p.clone())
    }

    fn next(&mut self, kind: &str) -> usize {
        match self.counters.iter_mut().find(|(k, _)| k == kind) {
            Some((_, n)) => {
                *n += 1;
                *n
            }
            None => {
                self.counters.push((kind.to_owned(), 1));
                1
            }
        }
    }

    /// The placeholder of `raw`, numbered within `kind` on first appearance.
    fn identity(&mut self, raw: &str, kind: &str) -> String {
        if let Some(p) = self.lookup(raw) {
            return p;
        }
        let p = format!("[{kind}-{}]", self.next(kind));
        self.known.push((raw.to_owned(), p.clone()));
        p
    }

    /// An account id: `[account-owner]` for a principal's account, else `[account-N]`.
    fn account(&mut self, raw: &str) -> String {
        if let Some(p) = self.lookup(raw) {
            return p;
        }
        match self.roles.iter().find(|(a, _)| a == raw) {
            Some((_, role)) => {
                let p = format!("[account-{role}]");
                self.known.push((raw.to_owned(), p.clone()));
                p
            }
            None => self.identity(raw, "account"),
        }
    }

    /// Records a failed check and returns the placeholder that shows it.
    fn refuse(&mut self, member: &str, raw: &str, shape: &Shape) -> String {
        let pattern = match shape.kind {
            ShapeKind::String {
                pattern: Some(p), ..
            } => p.to_owned(),
            ShapeKind::Enum(values) => values.join("|"),
            _ => shape.name.to_owned(),
        };
        self.violations.push(Violation::PatternMismatch {
            member: member.to_owned(),
            value: raw.to_owned(),
            pattern,
        });
        let p = format!("[✗ not a {}: {}]", shape.name, abbreviate(raw));
        self.known.push((raw.to_owned(), p.clone()));
        p
    }

    /// Checks `raw` against a string shape, then gives its identity placeholder.
    fn checked(&mut self, member: &str, raw: &str, shape: &Shape, kind: &str) -> String {
        if let Some(p) = self.lookup(raw) {
            return p;
        }
        if c::check_string(shape, raw).is_empty() {
            self.identity(raw, kind)
        } else {
            self.refuse(member, raw, shape)
        }
    }

    /// An id, ARN or account id recognised by its form (whatever the member), if it is one.
    fn detect(&mut self, member: &str, raw: &str) -> Option<String> {
        if let Some(p) = self.lookup(raw) {
            return Some(p);
        }
        if raw.starts_with("arn:") {
            return Some(self.arn(member, raw, None));
        }
        for (prefix, shape, kind) in [
            ("snsa-", c::ASSOCIATION_IDENTIFIER, "snsa"),
            ("svc-", c::SERVICE_ID, "svc"),
            ("sn-", c::SERVICE_NETWORK_ID, "sn"),
        ] {
            if raw.starts_with(prefix) && c::check_string(&shape, raw).is_empty() {
                return Some(self.identity(raw, kind));
            }
        }
        if c::check_string(&c::ACCOUNT_ID, raw).is_empty() {
            return Some(self.account(raw));
        }
        None
    }

    /// An ARN: a VPC Lattice ARN is checked against its type's pattern and written with its
    /// account and id placeholders; any other ARN (a RAM share) gets an identity placeholder.
    fn arn(&mut self, member: &str, raw: &str, expected: Option<&Shape>) -> String {
        if let Some(p) = self.lookup(raw) {
            return p;
        }
        let parts: Vec<&str> = raw.splitn(6, ':').collect();
        let lattice = parts.len() == 6 && parts[2] == "vpc-lattice";
        if !lattice {
            return match expected {
                Some(shape) => self.refuse(member, raw, shape),
                None => self.identity(raw, "arn"),
            };
        }
        let (account, resource) = (parts[4], parts[5]);
        let (kind_shape, id_kind) = match resource.split_once('/') {
            Some(("service", _)) => (c::SERVICE_ARN, "svc"),
            Some(("servicenetwork", _)) => (c::SERVICE_NETWORK_ARN, "sn"),
            Some(("servicenetworkserviceassociation", _)) => (c::ASSOCIATION_ARN, "snsa"),
            _ => return self.refuse(member, raw, expected.unwrap_or(&c::ARN)),
        };
        let shape = expected.copied().unwrap_or(kind_shape);
        if !c::check_string(&shape, raw).is_empty() {
            return self.refuse(member, raw, &shape);
        }
        let (rtype, id) = resource.split_once('/').unwrap_or((resource, ""));
        let account = self.account(account);
        let id = self.identity(id, id_kind);
        let p = format!("arn:[partition]:vpc-lattice:[region]:{account}:{rtype}/{id}");
        self.known.push((raw.to_owned(), p.clone()));
        p
    }

    fn timestamp(&mut self, member: &str, v: &Value) -> Value {
        let ok = match v {
            Value::Number(n) => n.as_f64().is_some_and(|f| f >= 0.0),
            Value::String(s) => is_date_time(s),
            _ => false,
        };
        if ok {
            Value::from(if v.is_number() {
                "[timestamp: epoch seconds]"
            } else {
                "[timestamp: date-time]"
            })
        } else {
            self.violations.push(Violation::WrongType {
                member: member.to_owned(),
                expected: "timestamp (epoch seconds or RFC 3339 date-time)".into(),
            });
            Value::from(format!(
                "[✗ not a timestamp: {}]",
                abbreviate(&v.to_string())
            ))
        }
    }

    fn enumerated(&mut self, member: &str, raw: &str, allowed: &[&str]) -> Value {
        if !allowed.contains(&raw) {
            self.violations.push(Violation::NotInEnum {
                member: member.to_owned(),
                value: raw.to_owned(),
                allowed: allowed.iter().map(|s| s.to_string()).collect(),
            });
        }
        Value::from(raw)
    }

    /// A string member of a response, by member name.
    fn response_string(&mut self, member: &str, raw: &str) -> Value {
        let s = |s: String| Value::String(s);
        match member {
            "id" => match self.detect(member, raw) {
                Some(p) => s(p),
                None => s(self.refuse(member, raw, &c::ASSOCIATION_IDENTIFIER)),
            },
            "arn" | "serviceArn" | "serviceNetworkArn" | "resourceArn" => {
                let expected = match member {
                    "serviceArn" => Some(c::SERVICE_ARN),
                    "serviceNetworkArn" => Some(c::SERVICE_NETWORK_ARN),
                    _ => None,
                };
                s(self.arn(member, raw, expected.as_ref()))
            }
            "createdBy" => match self.lookup(raw) {
                Some(p) => s(p),
                None if c::check_string(&c::ACCOUNT_ID, raw).is_empty() => s(self.account(raw)),
                None => s(self.refuse(member, raw, &c::ACCOUNT_ID)),
            },
            "serviceId" => s(self.checked(member, raw, &c::SERVICE_ID, "svc")),
            "serviceNetworkId" => s(self.checked(member, raw, &c::SERVICE_NETWORK_ID, "sn")),
            "serviceName" => s(self.checked(member, raw, &c::SERVICE_NAME, "service-name")),
            "serviceNetworkName" => {
                s(self.checked(member, raw, &c::SERVICE_NETWORK_NAME, "network-name"))
            }
            "createdAt" | "lastUpdatedAt" => self.timestamp(member, &Value::from(raw)),
            "status" => match c::ASSOCIATION_STATUS.kind {
                ShapeKind::Enum(values) => self.enumerated(member, raw, values),
                _ => Value::from(raw),
            },
            "reason" => self.enumerated(member, raw, &VALIDATION_REASONS),
            "message" | "Message" | "failureMessage" => s("[message]".into()),
            "domainName" | "customDomainName" => s(self.identity(raw, "domain")),
            "hostedZoneId" => s(self.identity(raw, "hosted-zone")),
            "nextToken" => s("[next-token]".into()),
            _ => match self.detect(member, raw) {
                Some(p) => s(p),
                None => s("[string]".into()),
            },
        }
    }

    fn response_value(&mut self, member: &str, v: &Value) -> Value {
        match v {
            Value::Object(map) => {
                let mut out = Map::new();
                for (k, v) in map {
                    let redacted = match (k.as_str(), v) {
                        ("tags", Value::Object(tags)) => self.tag_map(tags, usize::MAX),
                        _ => self.response_value(k, v),
                    };
                    out.insert(k.clone(), redacted);
                }
                Value::Object(out)
            }
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|i| self.response_value(member, i))
                    .collect(),
            ),
            Value::String(raw) => self.response_string(member, raw),
            Value::Number(_) if matches!(member, "createdAt" | "lastUpdatedAt") => {
                self.timestamp(member, v)
            }
            other => other.clone(),
        }
    }

    /// A response body: every member checked, then redacted.
    pub fn response_body(&mut self, body: &Value) -> Value {
        self.response_value("", body)
    }

    /// Tags round-trip what was sent: keys and values are kept (known values redacted), long
    /// ones abbreviated, and a wide map summarised.
    fn tag_map(&mut self, tags: &Map<String, Value>, wide: usize) -> Value {
        if tags.len() > wide {
            return Value::from(format!("[map of {} tags]", tags.len()));
        }
        let mut out = Map::new();
        for (k, v) in tags {
            let key = self.lookup(k).unwrap_or_else(|| abbreviate(k));
            let value = match v {
                Value::String(s) => Value::from(self.lookup(s).unwrap_or_else(|| abbreviate(s))),
                other => other.clone(),
            };
            out.insert(key, value);
        }
        Value::Object(out)
    }

    /// A request body: identifiers and tokens the scenario used get their placeholders; values
    /// written by the scenario itself (invalid inputs, tags) are kept, long ones abbreviated.
    pub fn request_body(&mut self, body: &Value) -> Value {
        self.request_value("", body)
    }

    fn request_value(&mut self, member: &str, v: &Value) -> Value {
        match v {
            Value::Object(map) => {
                let mut out = Map::new();
                for (k, v) in map {
                    let redacted = match (k.as_str(), v) {
                        ("tags", Value::Object(tags)) => self.tag_map(tags, WIDE),
                        _ => self.request_value(k, v),
                    };
                    out.insert(abbreviate(k), redacted);
                }
                Value::Object(out)
            }
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|i| self.request_value(member, i))
                    .collect(),
            ),
            Value::String(raw) => Value::from(self.request_string(member, raw)),
            other => other.clone(),
        }
    }

    fn request_string(&mut self, member: &str, raw: &str) -> String {
        if let Some(p) = self.lookup(raw) {
            return p;
        }
        let valid_identifier = |shape: &Shape| c::check_string(shape, raw).is_empty();
        let detectable = match member {
            "serviceIdentifier" => valid_identifier(&c::SERVICE_IDENTIFIER),
            "serviceNetworkIdentifier" => valid_identifier(&c::SERVICE_NETWORK_IDENTIFIER),
            _ => true,
        };
        if detectable {
            if let Some(p) = self.detect(member, raw) {
                return p;
            }
        }
        abbreviate(raw)
    }

    /// A request path and query: each label and query value is decoded, redacted like a request
    /// member, and written back unencoded (for reading, not for sending).
    pub fn request_path(&mut self, path: &str) -> String {
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        let mut out = path
            .split('/')
            .map(|seg| match decode_label(seg) {
                Some(d) if !d.is_empty() => self.request_string("", &d),
                _ => seg.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("/");
        if !query.is_empty() {
            let q: Vec<String> = query
                .split('&')
                .map(|pair| {
                    let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                    let v = decode_label(v).unwrap_or_else(|| v.to_owned());
                    format!("{k}={}", self.request_string(k, &v))
                })
                .collect();
            out.push('?');
            out.push_str(&q.join("&"));
        }
        out
    }
}

/// Whether `s` is an RFC 3339 `date-time` (`2026-01-02T03:04:05.678Z`, offsets allowed).
pub fn is_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let fixed = b.len() >= 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && matches!(b[10], b'T' | b't')
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19);
    if !fixed {
        return false;
    }
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &frac[n..];
    }
    match rest.as_bytes() {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|d| d.is_ascii_digit()),
        _ => false,
    }
}

/// A long string, abbreviated: `[x × 257]` for a run of one character, else its first 24
/// characters and its length.
pub fn abbreviate(s: &str) -> String {
    let n = s.chars().count();
    if n <= LONG {
        return s.to_owned();
    }
    let mut chars = s.chars();
    let first = chars.next().unwrap_or(' ');
    if s.chars().all(|ch| ch == first) {
        return format!("[{first} × {n}]");
    }
    let head: String = s.chars().take(24).collect();
    format!("[{head}… {n} characters]")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const OWNER: &str = "111122223333";
    const PEER: &str = "444455556666";

    fn redactor() -> Redactor {
        Redactor::new(&[(OWNER.into(), "owner".into()), (PEER.into(), "peer".into())])
    }

    #[test]
    fn identities_survive_redaction() {
        let mut r = redactor();
        let first = r.response_body(&json!({
            "id": "snsa-0123456789abcdef0",
            "arn": format!("arn:aws:vpc-lattice:us-east-1:{OWNER}:servicenetworkserviceassociation/snsa-0123456789abcdef0"),
            "createdBy": OWNER,
            "status": "CREATE_IN_PROGRESS",
        }));
        let replay =
            r.response_body(&json!({ "id": "snsa-0123456789abcdef0", "createdBy": OWNER }));
        let other = r.response_body(&json!({ "id": "snsa-0123456789abcdef1", "createdBy": PEER }));
        assert_eq!(first["id"], "[snsa-1]");
        assert_eq!(
            first["arn"],
            "arn:[partition]:vpc-lattice:[region]:[account-owner]:servicenetworkserviceassociation/[snsa-1]"
        );
        assert_eq!(first["status"], "CREATE_IN_PROGRESS");
        assert_eq!(replay["id"], "[snsa-1]");
        assert_eq!(replay["createdBy"], "[account-owner]");
        assert_eq!(other["id"], "[snsa-2]");
        assert_eq!(other["createdBy"], "[account-peer]");
        assert!(r.violations().is_empty(), "{:?}", r.violations());
    }

    #[test]
    fn values_are_checked_before_they_are_redacted() {
        let mut r = redactor();
        let v = r.response_body(&json!({
            "id": "snsa-0123456789ABCDEF0",
            "createdBy": "12345",
            "status": "PENDING",
            "createdAt": "yesterday",
            "message": "anything at all",
        }));
        assert!(v["id"]
            .as_str()
            .unwrap()
            .starts_with("[✗ not a ServiceNetworkServiceAssociationIdentifier"));
        assert!(v["createdBy"]
            .as_str()
            .unwrap()
            .starts_with("[✗ not a AccountId"));
        assert_eq!(v["status"], "PENDING");
        assert_eq!(v["message"], "[message]");
        let kinds: Vec<String> = r.violations().iter().map(ToString::to_string).collect();
        assert_eq!(kinds.len(), 4, "{kinds:?}");
    }

    #[test]
    fn requests_share_the_registry_with_responses() {
        let mut r = redactor();
        r.name("run1-token-7", "[token-a]");
        let req = r.request_body(&json!({
            "serviceIdentifier": "svc-0123456789abcdef0",
            "serviceNetworkIdentifier": format!("arn:aws:vpc-lattice:us-east-1:{PEER}:servicenetwork/sn-0123456789abcdef0"),
            "clientToken": "run1-token-7",
            "tags": { "team": "conformance", "long": "v".repeat(257) },
        }));
        assert_eq!(req["serviceIdentifier"], "[svc-1]");
        assert_eq!(
            req["serviceNetworkIdentifier"],
            "arn:[partition]:vpc-lattice:[region]:[account-peer]:servicenetwork/[sn-1]"
        );
        assert_eq!(req["clientToken"], "[token-a]");
        assert_eq!(req["tags"]["long"], "[v × 257]");
        let resp = r.response_body(
            &json!({ "resourceId": "svc-0123456789abcdef0", "resourceType": "SERVICE" }),
        );
        assert_eq!(resp["resourceId"], "[svc-1]");
        assert_eq!(resp["resourceType"], "[string]");
        let path = r.request_path("/servicenetworkserviceassociations/arn%3Aaws%3Avpc-lattice%3Aus-east-1%3A444455556666%3Aservicenetwork%2Fsn-0123456789abcdef0");
        assert_eq!(
            path,
            "/servicenetworkserviceassociations/arn:[partition]:vpc-lattice:[region]:[account-peer]:servicenetwork/[sn-1]"
        );
        let list = r.request_path(
            "/servicenetworkserviceassociations?serviceNetworkIdentifier=sn-0123456789abcdef0",
        );
        assert_eq!(
            list,
            "/servicenetworkserviceassociations?serviceNetworkIdentifier=[sn-1]"
        );
    }

    #[test]
    fn date_times_follow_rfc_3339() {
        assert!(is_date_time("2026-01-02T03:04:05.678Z"));
        assert!(is_date_time("2026-01-02T03:04:05+01:00"));
        assert!(!is_date_time("2026-01-02 03:04:05"));
        assert!(!is_date_time("yesterday"));
    }

    #[test]
    fn invalid_request_values_stay_readable() {
        let mut r = redactor();
        let req = r.request_body(&json!({
            "serviceIdentifier": "SVC-0123456789ABCDEF0",
            "serviceNetworkIdentifier": "my-network",
            "clientToken": "x".repeat(65),
        }));
        assert_eq!(req["serviceIdentifier"], "SVC-0123456789ABCDEF0");
        assert_eq!(req["serviceNetworkIdentifier"], "my-network");
        assert_eq!(req["clientToken"], "[x × 65]");
        assert!(r.violations().is_empty());
    }
}
