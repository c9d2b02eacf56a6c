//! A recorded exchange: the request as sent (secrets already removed) and what came back.

use serde::Serialize;
use serde_json::Value;

use lattice_spec::errors::sanitize_error_type;

/// The request as sent on the wire, without secrets (the harness drops `Authorization`'s
/// signature and any session token before recording).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordedRequest {
    /// The operation's model name, or a label for raw requests.
    pub operation: String,
    /// Who sent it: the principal's role (`owner`, `peer`, `outsider`), or `client` for a
    /// request from a client's recording.
    pub principal: String,
    /// HTTP method.
    pub method: String,
    /// Path and query, as sent (percent-encoded).
    pub path: String,
    /// The body as sent (lossy UTF-8 for display; the exact bytes are what was signed).
    pub body: String,
    /// How it was signed (`sigv4`, `unsigned`, `bad-signature`, ...).
    pub signing: String,
}

/// What the endpoint answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordedResponse {
    /// HTTP status.
    pub status: u16,
    /// Headers (lower-case names), in arrival order.
    pub headers: Vec<(String, String)>,
    /// The body, up to the driver's cap (lossy UTF-8).
    pub body: std::sync::Arc<str>,
    /// True when the body was cut at the cap.
    pub truncated: bool,
}

impl RecordedResponse {
    /// The first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON, when it is JSON.
    pub fn json(&self) -> Option<Value> {
        if self.truncated {
            return None;
        }
        serde_json::from_str(&self.body).ok()
    }

    /// The error type as restJson1 clients read it: `X-Amzn-Errortype`, else body `code`, else
    /// body `__type`, sanitised.
    pub fn error_type(&self) -> Option<String> {
        if let Some(h) = self.header("x-amzn-errortype") {
            return Some(sanitize_error_type(h).to_owned());
        }
        let json = self.json()?;
        let raw = json.get("code").or_else(|| json.get("__type"))?.as_str()?;
        Some(sanitize_error_type(raw).to_owned())
    }

    /// `"409 ConflictException"`, or `"200"`: the outcome as the catalogue writes outcomes.
    pub fn outcome(&self) -> String {
        match (self.status, self.error_type()) {
            (s, Some(e)) if s >= 300 => format!("{s} {e}"),
            (s, _) => s.to_string(),
        }
    }

    /// Whether the status is a success (2xx).
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// Why no response could be judged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum TransportFailure {
    /// The endpoint did not answer in time.
    Timeout,
    /// No connection could be made.
    Unreachable(String),
    /// The connection broke or the response could not be read.
    Broken(String),
    /// The run's request budget is spent.
    BudgetSpent,
    /// Not sent, or cut short: the run's deadline passed.
    DeadlinePassed,
    /// Not sent, or cut short: the circuit breaker is open after this many failed exchanges in a
    /// row (the reason names the last one).
    CircuitOpen(String),
}

impl std::fmt::Display for TransportFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TransportFailure::Timeout => f.write_str("timed out"),
            TransportFailure::Unreachable(e) => write!(f, "unreachable: {e}"),
            TransportFailure::Broken(e) => write!(f, "broken response: {e}"),
            TransportFailure::BudgetSpent => f.write_str("request budget spent"),
            TransportFailure::DeadlinePassed => {
                f.write_str("not sent: the run's deadline passed (--deadline)")
            }
            TransportFailure::CircuitOpen(why) => {
                write!(
                    f,
                    "not sent: the endpoint's circuit breaker is open ({why})"
                )
            }
        }
    }
}

/// One request and its answer, as [`ExchangeParts`] behind a shared pointer.
///
/// An exchange is recorded once and then shared: by the driver's log, by the evidence of every
/// case judged on it, and by each wire-format rule observed on it. Cloning one copies a pointer,
/// not the request and response (a run of 1,000 requests used to copy each of them about ten
/// times). The parts are read through `Deref` (`exchange.request`, `exchange.response`) and are
/// immutable once recorded; [`Exchange::with_response`] makes a changed copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Exchange(std::sync::Arc<ExchangeParts>);

/// What an [`Exchange`] holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExchangeParts {
    /// What was sent.
    pub request: RecordedRequest,
    /// What came back, or why nothing did.
    pub response: Result<RecordedResponse, TransportFailure>,
}

impl std::ops::Deref for Exchange {
    type Target = ExchangeParts;

    fn deref(&self) -> &ExchangeParts {
        &self.0
    }
}

impl From<ExchangeParts> for Exchange {
    fn from(parts: ExchangeParts) -> Self {
        Self(std::sync::Arc::new(parts))
    }
}

impl Exchange {
    /// Records a request and its answer.
    pub fn new(
        request: RecordedRequest,
        response: Result<RecordedResponse, TransportFailure>,
    ) -> Self {
        ExchangeParts { request, response }.into()
    }

    /// A JSON answer of `status` to a SigV4-signed POST of `operation` by the owner: the recorded
    /// shape the pure judgements read, for judging answers that were not sent by the driver (a
    /// recording, a test). An error's type goes in `X-Amzn-Errortype` when given.
    pub fn json_answer(operation: &str, status: u16, error: Option<&str>, body: &str) -> Self {
        let mut headers = vec![("content-type".to_owned(), "application/json".to_owned())];
        if let Some(e) = error {
            headers.push(("x-amzn-errortype".to_owned(), e.to_owned()));
        }
        Self::new(
            RecordedRequest {
                operation: operation.to_owned(),
                principal: "owner".into(),
                method: "POST".into(),
                path: "/".into(),
                body: "{}".into(),
                signing: "sigv4".into(),
            },
            Ok(RecordedResponse {
                status,
                headers,
                body: body.into(),
                truncated: false,
            }),
        )
    }

    /// The same request with another answer.
    pub fn with_response(&self, response: Result<RecordedResponse, TransportFailure>) -> Self {
        Self::new(self.request.clone(), response)
    }

    /// The response, if any.
    pub fn ok(&self) -> Option<&RecordedResponse> {
        self.response.as_ref().ok()
    }

    /// Whether the endpoint asked us to slow down (429, or 503): never a conformance failure.
    pub fn is_throttled(&self) -> bool {
        self.ok()
            .is_some_and(|r| r.status == 429 || r.status == 503)
    }
}
