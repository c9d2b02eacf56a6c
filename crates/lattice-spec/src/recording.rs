//! The recording of a client's requests (`lattice-conformance serve --record FILE`): one JSON
//! object per line, a [`RecordingHeader`] first, then one [`ClientRequest`] per request the
//! reference endpoint received, with the answer it got. The reference endpoint writes it;
//! `check-client` (lattice-checks) judges it against the SDK rules.
//!
//! A recording never holds a secret: of the `Authorization` header only the algorithm, the
//! credential scope without the access key id, and the signed header names are kept (never the
//! signature); `X-Amz-Security-Token` and every header not in [`RECORDED_HEADERS`] are dropped.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::errors::SpecError;

/// The format version written in every header line.
pub const FORMAT_VERSION: u32 = 1;

/// The request headers a recording keeps (lower-case names): none of them is a secret.
pub const RECORDED_HEADERS: &[&str] = &[
    "content-type",
    "host",
    "x-amz-date",
    "user-agent",
    "x-amz-user-agent",
    "amz-sdk-invocation-id",
    "amz-sdk-request",
];

/// One line of a recording.
// Lines are read and written one at a time: the size difference between variants is harmless.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum RecordLine {
    /// The first line: what endpoint recorded, and its fault plan.
    Header(RecordingHeader),
    /// A request and the answer it got.
    Request(ClientRequest),
}

/// The first line of a recording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordingHeader {
    /// [`FORMAT_VERSION`].
    pub format: u32,
    /// The endpoint's base URL.
    pub endpoint: String,
    /// The region requests must be signed for.
    pub region: String,
    /// When recording started (RFC 3339, UTC).
    pub started: String,
    /// The fault plan, as given (`create#3=500`, ...).
    pub faults: Vec<String>,
}

/// What the `Authorization` header said, without the access key id and the signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthSummary {
    /// The algorithm (`AWS4-HMAC-SHA256`).
    pub algorithm: String,
    /// The credential scope, `DATE/REGION/SERVICE/aws4_request` (no access key id).
    pub scope: String,
    /// The signed header names, in the order given.
    pub signed_headers: Vec<String>,
}

impl AuthSummary {
    /// Reads an `Authorization` header value, keeping nothing secret: `None` when it is not a
    /// SigV4 header (`ALGORITHM Credential=KEY/SCOPE, SignedHeaders=..., Signature=...`).
    pub fn from_header(value: &str) -> Option<AuthSummary> {
        let (algorithm, rest) = value.trim().split_once(' ')?;
        let mut scope = None;
        let mut signed = None;
        for part in rest.split(',') {
            let (k, v) = part.trim().split_once('=')?;
            match k.trim() {
                "Credential" => scope = v.split_once('/').map(|(_key, s)| s.to_owned()),
                "SignedHeaders" => {
                    signed = Some(v.split(';').map(|h| h.trim().to_owned()).collect())
                }
                _ => {}
            }
        }
        Some(AuthSummary {
            algorithm: algorithm.to_owned(),
            scope: scope?,
            signed_headers: signed?,
        })
    }

    /// The scope's parts: date, region, service, terminator.
    pub fn scope_parts(&self) -> Vec<&str> {
        self.scope.split('/').collect()
    }
}

/// A request the endpoint received, and the answer it got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientRequest {
    /// 1-based position among every request the endpoint received.
    pub index: usize,
    /// Milliseconds since recording started.
    pub elapsed_ms: u64,
    /// The HTTP method.
    pub method: String,
    /// The path, as received (percent-encoded).
    pub path: String,
    /// The raw query string, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// The [`RECORDED_HEADERS`] present (lower-case names; repeated headers joined by `,`).
    pub headers: BTreeMap<String, String>,
    /// The SigV4 `Authorization` header, without secrets; `None` when absent or not SigV4.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization: Option<AuthSummary>,
    /// The body as text (lossy UTF-8).
    pub body: String,
    /// The status answered.
    pub status: u16,
    /// The error type answered (`X-Amzn-Errortype`), for errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_type: Option<String>,
    /// The `Retry-After` header answered, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<String>,
    /// The error body answered (success bodies are not kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_body: Option<String>,
    /// The fault of the plan that decided the answer, if one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fault: Option<String>,
}

impl ClientRequest {
    /// A recorded header (lower-case name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

/// A whole recording, parsed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recording {
    /// The header line, when the file has one.
    pub header: Option<RecordingHeader>,
    /// The requests, in the order received.
    pub requests: Vec<ClientRequest>,
}

impl Recording {
    /// Parses a recording (blank lines are ignored).
    pub fn parse(text: &str) -> Result<Recording, SpecError> {
        let mut out = Recording::default();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let parsed: RecordLine =
                serde_json::from_str(line).map_err(|e| SpecError::Recording {
                    line: i + 1,
                    message: e.to_string(),
                })?;
            match parsed {
                RecordLine::Header(h) if h.format != FORMAT_VERSION => {
                    return Err(SpecError::Recording {
                        line: i + 1,
                        message: format!("format `{}` is not `{FORMAT_VERSION}`", h.format),
                    })
                }
                RecordLine::Header(h) => out.header = Some(h),
                RecordLine::Request(r) => out.requests.push(r),
            }
        }
        Ok(out)
    }

    /// One JSON line.
    pub fn line(line: &RecordLine) -> String {
        serde_json::to_string(line).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_authorization_header_keeps_no_key_and_no_signature() {
        let h = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-east-1/vpc-lattice/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=abcdef0123";
        let a = AuthSummary::from_header(h).unwrap();
        assert_eq!(a.algorithm, "AWS4-HMAC-SHA256");
        assert_eq!(a.scope, "20250101/us-east-1/vpc-lattice/aws4_request");
        assert_eq!(a.signed_headers, ["content-type", "host", "x-amz-date"]);
        let text = serde_json::to_string(&a).unwrap();
        assert!(
            !text.contains("AKIDEXAMPLE") && !text.contains("abcdef0123"),
            "{text}"
        );
        assert_eq!(AuthSummary::from_header("Bearer x"), None);
    }

    #[test]
    fn recordings_round_trip_and_report_bad_lines() {
        let header = RecordLine::Header(RecordingHeader {
            format: FORMAT_VERSION,
            endpoint: "http://127.0.0.1:1".into(),
            region: "us-east-1".into(),
            started: "2025-01-01T00:00:00Z".into(),
            faults: vec!["create#3=500".into()],
        });
        let request = RecordLine::Request(ClientRequest {
            index: 1,
            elapsed_ms: 5,
            method: "POST".into(),
            path: "/servicenetworkserviceassociations".into(),
            query: None,
            headers: BTreeMap::from([("content-type".into(), "application/json".into())]),
            authorization: None,
            body: "{}".into(),
            status: 500,
            error_type: Some("InternalServerException".into()),
            retry_after: Some("1".into()),
            response_body: Some("{\"message\":\"m\"}".into()),
            fault: Some("create#1=500".into()),
        });
        let text = format!(
            "{}\n\n{}\n",
            Recording::line(&header),
            Recording::line(&request)
        );
        let rec = Recording::parse(&text).unwrap();
        assert_eq!(rec.requests.len(), 1);
        assert_eq!(rec.header.unwrap().faults, ["create#3=500"]);
        let err = Recording::parse("{\"kind\":\"header\"}\nnot json").unwrap_err();
        assert!(err.to_string().contains("line 1"), "{err}");
    }
}
