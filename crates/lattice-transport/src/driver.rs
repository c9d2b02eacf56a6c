//! The raw driver: builds requests byte for byte, signs them with `aws-sigv4` over the exact bytes
//! sent, and records every exchange. Invalid bodies, absent tokens and wrong types go out as
//! written (an SDK would fix them up). Timeouts, a response-size cap, bounded retries for
//! throttling and 5xx (honouring `Retry-After`), adaptive pacing, and a request budget; every
//! send passes the run's [`Gate`] (deadline, circuit breaker, throttling allowance).

use std::borrow::Cow;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use serde::de::IgnoredAny;

use aws_sigv4::http_request::{
    sign, PayloadChecksumKind, SignableBody, SignableRequest, SigningSettings,
};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;

use lattice_checks::{Exchange, RecordedRequest, RecordedResponse, TransportFailure};
use lattice_spec::operations::Method;
use lattice_spec::signing::{other_region, SKEWED_SIGNATURE_OFFSET};
use lattice_spec::{Operation, Role};

use crate::credentials::Credentials;
use crate::gate::{Fault, Gate, Health};

/// How much of a response body cut at the cap is kept as evidence.
pub const KEPT_OF_CUT_BODY: usize = 16 << 10;

pub use lattice_spec::SignMode;

/// A principal as the driver uses it.
#[derive(Debug, Clone)]
pub struct Principal {
    /// The role it plays.
    pub role: Role,
    /// Signing credentials.
    pub credentials: Credentials,
    /// Extra headers sent with each request (for example `x-moto-account-id`).
    pub headers: Vec<(String, String)>,
}

/// Limits of the driver.
#[derive(Debug, Clone)]
pub struct DriverConfig {
    /// Time allowed to connect.
    pub connect_timeout: Duration,
    /// Time allowed for a whole response.
    pub request_timeout: Duration,
    /// Responses larger than this are cut (and cannot be parsed).
    pub max_body: usize,
    /// Retries for 429 and 5xx.
    pub retries: u32,
    /// The longest wait a `Retry-After` may impose.
    pub max_retry_wait: Duration,
    /// The most requests the run may send.
    pub budget: Option<usize>,
    /// Failed exchanges in a row after which the circuit breaker opens.
    pub breaker_threshold: u32,
    /// The most time the whole run may spend waiting on throttling (`Retry-After`, backoff
    /// before a retry, pacing); once spent, throttled answers are not retried.
    pub max_throttle_wait: Duration,
}

/// Failed exchanges in a row after which the circuit breaker opens, by default.
pub const DEFAULT_BREAKER_THRESHOLD: u32 = 8;

impl Default for DriverConfig {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(20),
            max_body: 1 << 20,
            retries: 2,
            max_retry_wait: Duration::from_secs(5),
            budget: None,
            breaker_threshold: DEFAULT_BREAKER_THRESHOLD,
            max_throttle_wait: Duration::from_secs(150),
        }
    }
}

/// One API call to send.
#[derive(Debug, Clone)]
pub struct ApiCall {
    /// The operation (gives method, signing name and which endpoint).
    pub op: Operation,
    /// Who sends it.
    pub principal: Role,
    /// The path, already percent-encoded.
    pub path: String,
    /// Query parameters (unencoded; encoded by the driver).
    pub query: Vec<(String, String)>,
    /// The exact body bytes.
    pub body: Vec<u8>,
    /// How to sign.
    pub sign: SignMode,
    /// An input the suite made invalid on purpose (the validation property's probes): a 5xx or
    /// an unreadable answer to it is judged by its rule and says nothing about the endpoint's
    /// health (the circuit breaker does not count it).
    pub deliberately_invalid: bool,
}

impl ApiCall {
    /// A call to `op` at its path template (no label) with a JSON body.
    pub fn json(op: Operation, principal: Role, body: &serde_json::Value) -> Self {
        Self::raw(op, principal, serde_json::to_vec(body).unwrap_or_default())
    }

    /// A call to `op` at its path template (no label) with these exact body bytes (malformed or
    /// wrongly typed bodies go out as written).
    pub fn raw(op: Operation, principal: Role, body: Vec<u8>) -> Self {
        Self {
            op,
            principal,
            path: op.path_template().to_owned(),
            query: vec![],
            body,
            sign: SignMode::SigV4,
            deliberately_invalid: false,
        }
    }

    /// The same call, marked as an input made invalid on purpose.
    pub fn deliberately_invalid(mut self) -> Self {
        self.deliberately_invalid = true;
        self
    }

    /// A call with a path label (percent-encoded here) and no body.
    pub fn labelled(op: Operation, principal: Role, label: &str) -> Self {
        let template = op.path_template();
        let path = match template.find('{') {
            Some(i) => format!(
                "{}{}",
                &template[..i],
                lattice_spec::operations::encode_label(label)
            ),
            None => template.to_owned(),
        };
        Self {
            op,
            principal,
            path,
            query: vec![],
            body: vec![],
            sign: SignMode::SigV4,
            deliberately_invalid: false,
        }
    }
}

/// Percent-encodes a query string (sorted as sent; AWS canonicalises anyway).
fn query_string(query: &[(String, String)]) -> String {
    query
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                lattice_spec::operations::encode_label(k),
                lattice_spec::operations::encode_label(v)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// How old a prepared signature may be when its call is sent; an older one is made afresh.
/// SigV4 accepts a request up to five minutes from its signing time.
pub const PREPARED_SIGNATURE_MAX_AGE: Duration = Duration::from_secs(60);

/// A call made ready by [`Driver::prepare`]: the HTTP request built and signed, the request
/// recorded.
#[derive(Debug)]
pub struct Prepared {
    call: ApiCall,
    ready: Result<Ready, TransportFailure>,
    recorded: RecordedRequest,
}

/// A built, signed HTTP request, and when it was signed.
struct Ready {
    request: reqwest::Request,
    signed: Instant,
}

impl std::fmt::Debug for Ready {
    /// Method and URL only: the headers hold the signature and any session token.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ready")
            .field("method", self.request.method())
            .field("url", &self.request.url().as_str())
            .field("signed", &self.signed)
            .finish_non_exhaustive()
    }
}

/// The driver: one per run, shared by all checks.
pub struct Driver {
    client: reqwest::Client,
    endpoint: String,
    ram_endpoint: String,
    region: String,
    principals: Vec<Principal>,
    config: DriverConfig,
    sent: AtomicUsize,
    /// Whether the budget no longer applies (cleanup: what the run created must go).
    budget_lifted: std::sync::atomic::AtomicBool,
    sent_by_operation: Mutex<std::collections::BTreeMap<&'static str, usize>>,
    pace: Mutex<Duration>,
    log: Mutex<Vec<(Operation, Exchange)>>,
    gate: Gate,
    /// The principals' secrets, scrubbed from every response as it is recorded.
    scrubber: crate::scrub::Scrubber,
}

impl std::fmt::Debug for Driver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Driver")
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .finish_non_exhaustive()
    }
}

impl Driver {
    /// A driver for `endpoint` (and `ram_endpoint`, defaulting to it).
    pub fn new(
        endpoint: &str,
        ram_endpoint: Option<&str>,
        region: &str,
        principals: Vec<Principal>,
        config: DriverConfig,
    ) -> Result<Self, reqwest::Error> {
        let client = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(64)
            .build()?;
        let endpoint = endpoint.trim_end_matches('/').to_owned();
        let gate = Gate::new(config.breaker_threshold, config.max_throttle_wait);
        let scrubber = crate::scrub::Scrubber::new(principals.iter().map(|p| &p.credentials));
        Ok(Self {
            scrubber,
            client,
            ram_endpoint: ram_endpoint
                .map(|e| e.trim_end_matches('/').to_owned())
                .unwrap_or_else(|| endpoint.clone()),
            endpoint,
            region: region.to_owned(),
            principals,
            config,
            sent: AtomicUsize::new(0),
            budget_lifted: std::sync::atomic::AtomicBool::new(false),
            sent_by_operation: Mutex::new(std::collections::BTreeMap::new()),
            pace: Mutex::new(Duration::ZERO),
            log: Mutex::new(Vec::new()),
            gate,
        })
    }

    /// The endpoint for an operation.
    pub fn endpoint_for(&self, op: Operation) -> &str {
        if op.is_ram() {
            &self.ram_endpoint
        } else {
            &self.endpoint
        }
    }

    /// The signing region.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The principals, in role order.
    pub fn principals(&self) -> &[Principal] {
        &self.principals
    }

    /// The principal playing `role`, when the target has one.
    pub fn principal(&self, role: Role) -> Option<&Principal> {
        self.principals.iter().find(|p| p.role == role)
    }

    /// Requests sent so far (every attempt counts).
    pub fn sent(&self) -> usize {
        self.sent.load(Ordering::Relaxed)
    }

    /// Requests sent so far per operation (every attempt counts).
    pub fn sent_by_operation(&self) -> std::collections::BTreeMap<&'static str, usize> {
        self.sent_by_operation
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Whether the budget is spent.
    pub fn budget_spent(&self) -> bool {
        !self.budget_lifted.load(Ordering::Relaxed)
            && self.config.budget.is_some_and(|b| self.sent() >= b)
    }

    /// Lifts the budget for the rest of the run: cleanup deletes what the run created even
    /// when the checks spent the budget (a leak on a live account costs more than a request).
    pub fn lift_budget(&self) {
        self.budget_lifted.store(true, Ordering::Relaxed);
    }

    /// The run's gate: its deadline, circuit breaker and throttling allowance.
    pub fn gate(&self) -> &Gate {
        &self.gate
    }

    /// Every exchange recorded so far, with its operation, in send order.
    pub fn take_log(&self) -> Vec<(Operation, Exchange)> {
        std::mem::take(&mut *self.log.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Sends a call (retrying 429 and 5xx within limits), records every attempt, and returns the
    /// final exchange.
    pub async fn send(&self, call: &ApiCall) -> Exchange {
        self.send_with(call, None).await.0
    }

    /// Sends a call as [`Driver::send`] does, and says what its final exchange shows about the
    /// endpoint's health (the probe refuses an unusable answer).
    pub async fn send_classified(&self, call: &ApiCall) -> (Exchange, Health) {
        self.send_with(call, None).await
    }

    /// Makes a call ready to send without sending it: URL, headers and SigV4 signature computed,
    /// the request recorded. Pure CPU, no I/O, callable from any thread: a producer can prepare
    /// the next calls while the current one is on the wire (signing and recording are most of
    /// what a request costs the harness). Send it with [`Driver::send_prepared`].
    pub fn prepare(&self, call: ApiCall) -> Prepared {
        let ready = self.ready(&call);
        let recorded = self.recorded_request(&call);
        Prepared {
            call,
            ready,
            recorded,
        }
    }

    /// Sends a prepared call, exactly as [`Driver::send`] would send it (the same budget, pacing,
    /// retries and records). The first attempt goes out as prepared unless its signature is
    /// older than [`PREPARED_SIGNATURE_MAX_AGE`]; a retry is signed afresh.
    pub async fn send_prepared(&self, prepared: Prepared) -> Exchange {
        let Prepared {
            call,
            ready,
            recorded,
        } = prepared;
        self.send_with(&call, Some((ready, recorded))).await.0
    }

    async fn send_with(
        &self,
        call: &ApiCall,
        mut prepared: Option<(Result<Ready, TransportFailure>, RecordedRequest)>,
    ) -> (Exchange, Health) {
        let mut attempt = 0;
        loop {
            let (exchange, health) = self.send_once(call, prepared.take()).await;
            let retry_after = match exchange.ok() {
                Some(r)
                    if (r.status == 429 || r.status >= 500) && attempt < self.config.retries =>
                {
                    Some(self.retry_wait(r, attempt))
                }
                _ => None,
            };
            self.adjust_pace(&exchange);
            // Every attempt is judged by the wire-format observers (a 429 that was retried still
            // has to carry a well-formed Retry-After); the caller gets the last one.
            self.log
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((call.op, exchange.clone()));
            // Waiting on throttling comes out of the run's allowance: once it is spent, the
            // throttled answer is the final one.
            match retry_after.and_then(|w| self.gate.grant_throttle_wait(w)) {
                Some(wait) if !self.budget_spent() && self.gate.shut().is_none() => {
                    attempt += 1;
                    self.pause(wait).await;
                }
                _ => {
                    self.gate.record(&health);
                    return (exchange, health);
                }
            }
        }
    }

    /// Sleeps for `wait`, or until the gate shuts.
    async fn pause(&self, wait: Duration) {
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            _ = self.gate.closing() => {}
        }
    }

    fn retry_wait(&self, r: &RecordedResponse, attempt: u32) -> Duration {
        let backoff = Duration::from_millis(50 << attempt.min(6));
        let wait = r
            .header("retry-after")
            .and_then(parse_retry_after)
            .unwrap_or(backoff);
        wait.min(self.config.max_retry_wait)
    }

    /// Adaptive pacing: every 429 doubles a pause before each request (from 100 ms, up to the
    /// longest `Retry-After` honoured); every other answer halves it.
    fn adjust_pace(&self, exchange: &Exchange) {
        let mut pace = self.pace.lock().unwrap_or_else(|e| e.into_inner());
        if exchange.ok().is_some_and(|r| r.status == 429) {
            *pace = (*pace * 2)
                .max(Duration::from_millis(100))
                .min(self.config.max_retry_wait);
        } else if !pace.is_zero() {
            *pace /= 2;
            if *pace < Duration::from_millis(10) {
                *pace = Duration::ZERO;
            }
        }
    }

    /// The request as recorded: no secret (the signature and any session token are never
    /// part of it), the body as lossy UTF-8 for display.
    fn recorded_request(&self, call: &ApiCall) -> RecordedRequest {
        let mut path = call.path.clone();
        if !call.query.is_empty() {
            path = format!("{path}?{}", query_string(&call.query));
        }
        RecordedRequest {
            operation: call.op.name().to_owned(),
            principal: call.principal.as_str().to_owned(),
            method: call.op.method().as_str().to_owned(),
            path,
            body: String::from_utf8_lossy(&call.sign.sent_body(&call.body)).into_owned(),
            signing: call.sign.label().to_owned(),
        }
    }

    async fn send_once(
        &self,
        call: &ApiCall,
        prepared: Option<(Result<Ready, TransportFailure>, RecordedRequest)>,
    ) -> (Exchange, Health) {
        let (ready, recorded) = match prepared {
            Some((ready, recorded)) => (Some(ready), recorded),
            None => (None, self.recorded_request(call)),
        };
        if self.budget_spent() {
            let e = Exchange::new(recorded, Err(TransportFailure::BudgetSpent));
            return (e, Health::Neutral);
        }
        let pace = *self.pace.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(pace) = self.gate.grant_throttle_wait(pace) {
            if !pace.is_zero() {
                self.pause(pace).await;
            }
        }
        if let Some(shut) = self.gate.shut() {
            return (Exchange::new(recorded, Err(shut)), Health::Neutral);
        }
        self.sent.fetch_add(1, Ordering::Relaxed);
        *self
            .sent_by_operation
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(call.op.name())
            .or_default() += 1;
        let ready = match ready {
            Some(Ok(r)) if r.signed.elapsed() < PREPARED_SIGNATURE_MAX_AGE => Ok(r),
            _ => self.ready(call),
        };
        let (response, health) = match ready {
            // A request in flight when the gate shuts is cut short.
            Ok(r) => tokio::select! {
                biased;
                shut = self.gate.closing() => (Err(shut), Health::Neutral),
                answer = self.transmit(r) => {
                    let health = health_of(call, &answer);
                    (answer.map(|(response, _)| response), health)
                }
            },
            Err(e) => (Err(e), Health::Neutral),
        };
        (Exchange::new(recorded, response), health)
    }

    /// Builds and signs the HTTP request of a call.
    fn ready(&self, call: &ApiCall) -> Result<Ready, TransportFailure> {
        let Some(principal) = self.principal(call.principal) else {
            return Err(TransportFailure::Broken(format!(
                "the target has no `{}` principal",
                call.principal
            )));
        };
        let mut url = format!("{}{}", self.endpoint_for(call.op), call.path);
        if !call.query.is_empty() {
            url = format!("{url}?{}", query_string(&call.query));
        }
        let method = match call.op.method() {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Delete => reqwest::Method::DELETE,
        };
        let host = host_of(&url);
        let content_type = (!call.body.is_empty()).then_some("application/json");
        let mut headers: Vec<(String, String)> = vec![("host".into(), host)];
        if let Some(ct) = content_type {
            headers.push(("content-type".into(), ct.into()));
        }
        let signed = Instant::now();
        let auth = match call.sign {
            SignMode::Unsigned => vec![],
            mode => sign_headers(mode, principal, call, &url, &headers, &self.region)
                .map_err(|e| TransportFailure::Broken(format!("signing failed: {e}")))?,
        };
        let mut req = self
            .client
            .request(method, &url)
            .body(call.sign.sent_body(&call.body));
        for (k, v) in headers
            .iter()
            .filter(|(k, _)| k != "host")
            .chain(auth.iter())
            .chain(principal.headers.iter())
        {
            req = req.header(k.as_str(), v.as_str());
        }
        let request = req.build().map_err(classify)?;
        Ok(Ready { request, signed })
    }

    /// Sends a ready request and reads its answer, up to the cap; with the answer, whether its
    /// body and headers were all UTF-8 (they are recorded as lossy UTF-8 either way).
    /// Every header value and the body are scrubbed of the run's secrets and of this request's
    /// signature before anything else sees them (an endpoint may echo what it was sent).
    async fn transmit(&self, ready: Ready) -> Result<(RecordedResponse, bool), TransportFailure> {
        let scrub = self.scrubber.with_request(
            ready
                .request
                .headers()
                .get(reqwest::header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok()),
        );
        let mut resp = self.client.execute(ready.request).await.map_err(classify)?;
        let status = resp.status().as_u16();
        let mut utf8 = true;
        let headers = resp
            .headers()
            .iter()
            .map(|(k, v)| {
                utf8 &= std::str::from_utf8(v.as_bytes()).is_ok();
                (
                    k.as_str().to_owned(),
                    scrub.scrub(&String::from_utf8_lossy(v.as_bytes())),
                )
            })
            .collect();
        let mut body = Vec::new();
        let mut truncated = false;
        while let Some(chunk) = resp.chunk().await.map_err(classify)? {
            let room = self.config.max_body.saturating_sub(body.len());
            if chunk.len() > room {
                body.extend_from_slice(&chunk[..room]);
                truncated = true;
                // A cut body is never parsed: keep only its head as evidence, so that the memory
                // of a run stays small even when every answer is huge.
                body.truncate(KEPT_OF_CUT_BODY);
                break;
            }
            body.extend_from_slice(&chunk);
        }
        let body = match String::from_utf8(body) {
            Ok(text) => text,
            Err(e) => {
                utf8 = false;
                String::from_utf8_lossy(e.as_bytes()).into_owned()
            }
        };
        let response = RecordedResponse {
            status,
            headers,
            body: scrub.scrub(&body).into(),
            truncated,
        };
        Ok((response, utf8))
    }
}

/// What the final exchange of a call shows about the endpoint's health (for the circuit
/// breaker). An unreadable answer, a 5xx or a non-JSON body in answer to a request the suite broke
/// on purpose (not signed as SigV4, a body that is not JSON, or an input marked
/// [`ApiCall::deliberately_invalid`]) is the endpoint's answer to that request, judged by the
/// rules, and says nothing about its health.
pub fn health_of(
    call: &ApiCall,
    answer: &Result<(RecordedResponse, bool), TransportFailure>,
) -> Health {
    let (response, utf8) = match answer {
        Ok(a) => a,
        Err(TransportFailure::Timeout) => return Health::Failed(Fault::Timeout),
        Err(TransportFailure::Unreachable(_) | TransportFailure::Broken(_)) => {
            return Health::Failed(Fault::Connection)
        }
        Err(_) => return Health::Neutral,
    };
    let fault = if response.status == 429 || response.status == 503 {
        return Health::Failed(Fault::Throttled(response.status));
    } else if response.status >= 500 {
        Fault::ServerError(response.status)
    } else if !utf8 {
        Fault::Unparsable("bytes that are not UTF-8")
    } else if response.truncated {
        Fault::Unparsable("a body over the size cap")
    } else if !response.body.trim().is_empty()
        && serde_json::from_str::<IgnoredAny>(&response.body).is_err()
    {
        Fault::Unparsable("a body that is not JSON")
    } else {
        return Health::Usable;
    };
    let on_purpose = call.deliberately_invalid
        || call.sign != SignMode::SigV4
        || (!call.body.is_empty() && serde_json::from_slice::<IgnoredAny>(&call.body).is_err());
    if on_purpose {
        Health::Neutral
    } else {
        Health::Failed(fault)
    }
}

fn classify(e: reqwest::Error) -> TransportFailure {
    if e.is_timeout() {
        TransportFailure::Timeout
    } else if e.is_connect() {
        TransportFailure::Unreachable(root_cause(&e))
    } else {
        TransportFailure::Broken(root_cause(&e))
    }
}

fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}

/// `host[:port]` of a URL.
pub fn host_of(url: &str) -> String {
    url.split("://")
        .nth(1)
        .unwrap_or(url)
        .split('/')
        .next()
        .unwrap_or("")
        .to_owned()
}

/// Parses `Retry-After`: whole seconds, or an HTTP date; garbage gives `None`.
pub fn parse_retry_after(v: &str) -> Option<Duration> {
    let v = v.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    // An HTTP date: wait until then, approximately (a date in the past means now).
    let when = crate::time::parse_http_date(v)?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// The signing headers (`authorization`, `x-amz-date`, `x-amz-security-token`, and
/// `x-amz-content-sha256` for [`SignMode::BodyAltered`]) for a call, broken as `mode` says.
fn sign_headers(
    mode: SignMode,
    principal: &Principal,
    call: &ApiCall,
    url: &str,
    headers: &[(String, String)],
    region: &str,
) -> Result<Vec<(String, String)>, String> {
    let unknown = Credentials {
        access_key_id: "AKIAUNKNOWNLATTICE00".into(),
        secret_access_key: crate::credentials::Secret::new("unknown-secret-for-conformance-probe"),
        session_token: None,
    };
    let now = SystemTime::now();
    let signing = Signing {
        method: call.op.method().as_str(),
        url,
        headers,
        body: &call.body,
        creds: match mode {
            SignMode::UnknownKey => &unknown,
            _ => &principal.credentials,
        },
        region: match mode {
            SignMode::WrongRegion => other_region(region),
            _ => region,
        },
        service: match mode {
            SignMode::WrongService => "ec2",
            _ => call.op.signing_name(),
        },
        time: match mode {
            SignMode::Expired => now - SKEWED_SIGNATURE_OFFSET,
            SignMode::NotYetValid => now + SKEWED_SIGNATURE_OFFSET,
            _ => now,
        },
    };
    let mut settings = SigningSettings::default();
    match mode {
        SignMode::BodyAltered => settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256,
        SignMode::HostUnsigned => settings
            .excluded_headers
            .get_or_insert_with(Vec::new)
            .push(Cow::Borrowed("host")),
        _ => {}
    }
    let mut out = signing.headers(settings)?;
    if mode == SignMode::BadSignature {
        for (k, v) in out.iter_mut() {
            if k.eq_ignore_ascii_case("authorization") {
                let last = v.pop().unwrap_or('0');
                v.push(if last == '0' { '1' } else { '0' });
            }
        }
    }
    Ok(out)
}

/// What a SigV4 signature covers and who makes it, where and when.
struct Signing<'a> {
    method: &'a str,
    /// Already percent-encoded.
    url: &'a str,
    headers: &'a [(String, String)],
    body: &'a [u8],
    creds: &'a Credentials,
    region: &'a str,
    service: &'a str,
    time: SystemTime,
}

impl Signing<'_> {
    /// Signs with `aws-sigv4` over the exact body bytes and returns the headers to add.
    fn headers(&self, settings: SigningSettings) -> Result<Vec<(String, String)>, String> {
        let identity: Identity = aws_credential_types::Credentials::new(
            &self.creds.access_key_id,
            self.creds.secret_access_key.expose(),
            self.creds
                .session_token
                .as_ref()
                .map(|t| t.expose().to_owned()),
            None,
            "lattice-conformance",
        )
        .into();
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(self.region)
            .name(self.service)
            .time(self.time)
            .settings(settings)
            .build()
            .map_err(|e| e.to_string())?
            .into();
        let signable = SignableRequest::new(
            self.method,
            self.url,
            self.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            SignableBody::Bytes(self.body),
        )
        .map_err(|e| e.to_string())?;
        let (instructions, _) = sign(signable, &params)
            .map_err(|e| e.to_string())?
            .into_parts();
        Ok(instructions
            .headers()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect())
    }
}

/// SigV4-signs a request (`url` already percent-encoded) over the exact body bytes, with the
/// settings AWS SDKs use for this service (double URI encoding, normalised path, no
/// `x-amz-content-sha256` header), and returns the headers to add.
#[allow(clippy::too_many_arguments)]
pub fn sigv4_headers(
    method: &str,
    url: &str,
    headers: &[(String, String)],
    body: &[u8],
    creds: &Credentials,
    region: &str,
    service: &str,
    time: SystemTime,
) -> Result<Vec<(String, String)>, String> {
    Signing {
        method,
        url,
        headers,
        body,
        creds,
        region,
        service,
        time,
    }
    .headers(SigningSettings::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_parses_seconds_dates_and_refuses_garbage() {
        assert_eq!(parse_retry_after("3"), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn a_server_error_counts_against_the_endpoint_unless_the_input_was_broken_on_purpose() {
        let wrong_types =
            serde_json::json!({ "serviceIdentifier": 7, "serviceNetworkIdentifier": [] });
        let call = ApiCall::json(
            Operation::CreateServiceNetworkServiceAssociation,
            Role::Owner,
            &wrong_types,
        );
        let answer = |status: u16| -> Result<(RecordedResponse, bool), TransportFailure> {
            Ok((
                RecordedResponse {
                    status,
                    headers: vec![],
                    body: "{\"message\":\"boom\"}".into(),
                    truncated: false,
                },
                true,
            ))
        };
        assert_eq!(
            health_of(&call, &answer(500)),
            Health::Failed(Fault::ServerError(500))
        );
        let probe = call.clone().deliberately_invalid();
        assert_eq!(health_of(&probe, &answer(500)), Health::Neutral);
        assert_eq!(health_of(&probe, &answer(400)), Health::Usable);
        // A probe that gets no answer at all still says the endpoint is in trouble.
        assert_eq!(
            health_of(&probe, &Err(TransportFailure::Timeout)),
            Health::Failed(Fault::Timeout)
        );
    }

    #[test]
    fn labels_are_percent_encoded_into_the_path() {
        let call = ApiCall::labelled(
            Operation::ListTagsForResource,
            Role::Owner,
            "arn:aws:vpc-lattice:us-east-1:111122223333:service/svc-0123456789abcdef0",
        );
        assert_eq!(call.path, "/tags/arn%3Aaws%3Avpc-lattice%3Aus-east-1%3A111122223333%3Aservice%2Fsvc-0123456789abcdef0");
    }
}
