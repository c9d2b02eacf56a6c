//! Client-side checks (family SDK): a recording of what a client sent to the reference endpoint
//! (`serve --record`), and optionally what the client surfaced to its caller (the driver's
//! [`ClientReport`]), → a verdict per SDK rule. Pure: nothing here touches the network.
//!
//! The recording's Create requests are grouped into calls: a request belongs to the call before
//! it when both carry the same `amz-sdk-invocation-id`, or, when either lacks that header, when
//! the request before it was answered 5xx or 429 and both bodies are equal apart from
//! `clientToken`. Calls are paired in order with the client report's `calls`.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{Map, Value};

use lattice_spec::constraints::{self, check_string, StringViolation, CLIENT_TOKEN};
use lattice_spec::recording::{ClientRequest as Wire, Recording};
use lattice_spec::ErrorType;
use lattice_spec::{ClientRule, RuleId};

use crate::exchange::{Exchange, ExchangeParts, RecordedRequest, RecordedResponse};
use crate::verdict::{Verdict, Violation};

/// The Create operation's path.
pub const CREATE_PATH: &str = "/servicenetworkserviceassociations";

/// The name an unmodelled error carries in the SDK scenario's fault plan.
pub const UNKNOWN_ERROR_TYPE: &str = "SomethingNewException";

/// What a driver reports about the calls it made (`--client-report`): one entry per Create
/// call, in the order made.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct ClientReport {
    /// The client and its version (`boto3 1.40.0 (botocore 1.40.0)`).
    #[serde(default)]
    pub client: Option<String>,
    /// The Create calls, in order.
    pub calls: Vec<ClientCall>,
}

/// What a client's caller got from one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CallResult {
    /// The call succeeded.
    Ok,
    /// A service error was surfaced.
    Error,
    /// Anything else: a panic, a parsing failure, an exception that is not a service error.
    Crash,
}

/// One Create call as the client's caller saw it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ClientCall {
    /// The scenario step (`no-token`, `with-token`, `retried-500`, ...).
    pub name: String,
    /// The token the caller supplied, if it supplied one.
    #[serde(default)]
    pub supplied_token: Option<String>,
    /// What the caller got.
    pub result: CallResult,
    /// For `error`: what was surfaced, `type` and the members by their model names
    /// (`resourceId`, `resourceType`, `retryAfterSeconds`, ...).
    #[serde(default)]
    pub error: Option<Map<String, Value>>,
    /// For `crash`: what happened.
    #[serde(default)]
    pub crash: Option<String>,
}

impl ClientReport {
    /// Parses a client report.
    pub fn parse(text: &str) -> Result<ClientReport, String> {
        serde_json::from_str(text).map_err(|e| {
            format!("client report: {e} (hint: {{\"client\": \"...\", \"calls\": [{{\"name\": \"no-token\", \"supplied_token\": null, \"result\": \"ok\"}}, ...]}})")
        })
    }
}

/// One judged case of an SDK rule.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientCase {
    /// The verdict.
    pub verdict: Verdict,
    /// The call's requests and answers (every attempt).
    pub evidence: Vec<Exchange>,
    /// What was expected, in words.
    pub expected: String,
    /// Which call (`call 3 (retried-500), 2 attempts`).
    pub note: Option<String>,
}

/// An SDK rule's verdict and its cases.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleJudgement {
    /// The rule id.
    pub rule: RuleId,
    /// The rule's verdict.
    pub verdict: Verdict,
    /// The cases judged.
    pub cases: Vec<ClientCase>,
}

/// One Create call: its attempts, in order, and the client's view of it when paired.
#[derive(Debug, Clone)]
pub struct Call<'a> {
    /// 1-based position among the recording's Create calls.
    pub number: usize,
    /// Every attempt.
    pub attempts: Vec<&'a Wire>,
    /// The client report's entry for it.
    pub client: Option<&'a ClientCall>,
}

impl Call<'_> {
    fn note(&self) -> String {
        let name = self
            .client
            .map(|c| format!(" ({})", c.name))
            .unwrap_or_default();
        let n = self.attempts.len();
        format!(
            "call {}{name}, {n} attempt{}",
            self.number,
            if n == 1 { "" } else { "s" }
        )
    }

    fn evidence(&self) -> Vec<Exchange> {
        self.attempts.iter().map(|w| exchange(w)).collect()
    }

    fn last(&self) -> &Wire {
        self.attempts
            .last()
            .expect("a call has at least one attempt")
    }
}

/// Whether a recorded request is a Create: sent to the Create path with POST, or (sent
/// elsewhere by mistake) a body naming both identifiers.
pub fn is_create(w: &Wire) -> bool {
    let path = w.path.trim_end_matches('/');
    if w.method == "POST" && (path == CREATE_PATH || w.path == CREATE_PATH) {
        return true;
    }
    w.method != "GET"
        && body_object(w).is_some_and(|o| {
            o.contains_key("serviceIdentifier") && o.contains_key("serviceNetworkIdentifier")
        })
}

fn body_object(w: &Wire) -> Option<Map<String, Value>> {
    match serde_json::from_str(&w.body) {
        Ok(Value::Object(o)) => Some(o),
        _ => None,
    }
}

fn token_of(w: &Wire) -> Option<Value> {
    body_object(w).and_then(|o| o.get("clientToken").cloned())
}

fn without_token(w: &Wire) -> Option<Map<String, Value>> {
    body_object(w).map(|mut o| {
        o.remove("clientToken");
        o
    })
}

/// A token for messages: the string itself, other JSON as JSON, `(none)` when absent.
fn show(token: Option<Value>) -> String {
    match token {
        Some(Value::String(s)) => s,
        Some(v) => v.to_string(),
        None => "(none)".into(),
    }
}

fn retryable_answer(w: &Wire) -> bool {
    w.status >= 500 || w.status == 429
}

/// Groups the recording's Create requests into calls (see the module documentation).
pub fn group_calls(recording: &Recording) -> Vec<Vec<&Wire>> {
    let mut calls: Vec<Vec<&Wire>> = Vec::new();
    for w in recording.requests.iter().filter(|w| is_create(w)) {
        let joins = calls.last().and_then(|c| c.last()).is_some_and(|prev| {
            match (
                prev.header("amz-sdk-invocation-id"),
                w.header("amz-sdk-invocation-id"),
            ) {
                (Some(a), Some(b)) => a == b,
                _ => {
                    retryable_answer(prev)
                        && without_token(prev).is_some()
                        && without_token(prev) == without_token(w)
                }
            }
        });
        match calls.last_mut() {
            Some(call) if joins => call.push(w),
            _ => calls.push(vec![w]),
        }
    }
    calls
}

/// The recorded request as an exchange, for reports (`principal` is `client`).
pub fn exchange(w: &Wire) -> Exchange {
    let signing = match &w.authorization {
        Some(a) => format!("{} {}", a.algorithm, a.scope),
        None => "unsigned".to_owned(),
    };
    let path = match &w.query {
        Some(q) if !q.is_empty() => format!("{}?{q}", w.path),
        _ => w.path.clone(),
    };
    let mut headers = Vec::new();
    if let Some(e) = &w.error_type {
        headers.push(("x-amzn-errortype".to_owned(), e.clone()));
    }
    if let Some(r) = &w.retry_after {
        headers.push(("retry-after".to_owned(), r.clone()));
    }
    Exchange::from(ExchangeParts {
        request: RecordedRequest {
            operation: if is_create(w) {
                constraints::CREATE_ASSOCIATION.to_owned()
            } else {
                format!("request #{}", w.index)
            },
            principal: "client".to_owned(),
            method: w.method.clone(),
            path,
            body: w.body.clone(),
            signing,
        },
        response: Ok(RecordedResponse {
            status: w.status,
            headers,
            body: w.response_body.clone().unwrap_or_default().into(),
            truncated: false,
        }),
    })
}

fn case(call: &Call<'_>, violations: Vec<Violation>, expected: &str) -> ClientCase {
    ClientCase {
        verdict: Verdict::from_violations(violations),
        evidence: call.evidence(),
        expected: expected.to_owned(),
        note: Some(call.note()),
    }
}

/// A rule's verdict from its cases: any failure fails it, then any inconclusive case makes it
/// inconclusive (a subject the rule needs was missing), then a pass passes it.
fn combine(rule: RuleId, cases: Vec<ClientCase>, empty: Verdict) -> RuleJudgement {
    let failures: Vec<Violation> = cases
        .iter()
        .filter_map(|c| match &c.verdict {
            Verdict::Fail(v) => Some(v.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    let verdict = if !failures.is_empty() {
        Verdict::Fail(failures)
    } else if let Some(reason) = cases.iter().find_map(|c| match &c.verdict {
        Verdict::Inconclusive(r) => Some(r.clone()),
        _ => None,
    }) {
        Verdict::Inconclusive(reason)
    } else if cases.iter().any(|c| c.verdict == Verdict::Pass) {
        Verdict::Pass
    } else if let Some(reason) = cases.iter().find_map(|c| match &c.verdict {
        Verdict::Skipped(r) => Some(r.clone()),
        _ => None,
    }) {
        Verdict::Skipped(reason)
    } else {
        empty
    };
    RuleJudgement {
        rule,
        verdict,
        cases,
    }
}

fn judgement(rule: RuleId, verdict: Verdict) -> RuleJudgement {
    RuleJudgement {
        rule,
        verdict,
        cases: vec![],
    }
}

const NEEDS_REPORT: &str = "needs what the client surfaced: pass the driver's result with --client-report (scripts/sdk/ drivers write one)";

/// Judges a recording (and, when given, the client's report) against the SDK rules. `region`
/// is the region requests must be signed for (`None`: any).
pub fn judge(
    recording: &Recording,
    report: Option<&ClientReport>,
    region: Option<&str>,
) -> Vec<RuleJudgement> {
    let groups = group_calls(recording);
    let paired = report.is_some_and(|r| r.calls.len() == groups.len());
    let calls: Vec<Call<'_>> = groups
        .into_iter()
        .enumerate()
        .map(|(i, attempts)| Call {
            number: i + 1,
            attempts,
            client: report.filter(|_| paired).and_then(|r| r.calls.get(i)),
        })
        .collect();
    let no_create = || Verdict::Inconclusive("the recording holds no Create request".into());
    if calls.is_empty() {
        return ClientRule::ALL
            .iter()
            .map(|r| judgement(r.id(), no_create()))
            .collect();
    }
    let unpaired = report.filter(|_| !paired).map(|r| {
        format!(
            "the client report lists {} Create calls, the recording shows {}: they cannot be paired (hint: run the driver against a freshly started `serve`)",
            r.calls.len(),
            calls.len()
        )
    });
    let needs_pairing = |rule: RuleId| -> Option<RuleJudgement> {
        match (&unpaired, report) {
            (Some(reason), _) => Some(judgement(rule, Verdict::Inconclusive(reason.clone()))),
            (None, None) => Some(judgement(rule, Verdict::Skipped(NEEDS_REPORT.into()))),
            _ => None,
        }
    };
    // Every client rule is named: a new one does not compile until it is judged here.
    ClientRule::ALL
        .iter()
        .map(|rule| {
            let id = rule.id();
            match rule {
                ClientRule::SdkTokenAutofill => token_autofill(&calls, paired),
                ClientRule::SdkTokenPassthrough => {
                    needs_pairing(id).unwrap_or_else(|| token_passthrough(&calls))
                }
                ClientRule::SdkRetrySameToken => retry_same_token(&calls),
                ClientRule::SdkHttpBinding => per_request(id, &calls, http_binding),
                ClientRule::SdkSigv4Scope => per_request(id, &calls, |w| sigv4_scope(w, region)),
                ClientRule::SdkBodyMembers => per_request(id, &calls, body_members),
                ClientRule::SdkErrorsModelled => {
                    needs_pairing(id).unwrap_or_else(|| errors_modelled(&calls))
                }
                ClientRule::SdkUnknownError => {
                    needs_pairing(id).unwrap_or_else(|| unknown_error(&calls))
                }
            }
        })
        .collect()
}

fn token_violations(token: Option<&Value>) -> Vec<Violation> {
    match token {
        None | Some(Value::Null) => vec![Violation::TokenNotFilled],
        Some(Value::String(s)) => check_string(&CLIENT_TOKEN, s)
            .into_iter()
            .map(|v| match v {
                StringViolation::TooShort | StringViolation::TooLong => Violation::TokenLength {
                    token: s.clone(),
                    length: s.chars().count(),
                },
                StringViolation::Pattern => Violation::PatternMismatch {
                    member: "clientToken".into(),
                    value: s.clone(),
                    pattern: "[!-~]+".into(),
                },
            })
            .collect(),
        Some(_) => vec![Violation::WrongType {
            member: "clientToken".into(),
            expected: "string".into(),
        }],
    }
}

fn token_autofill(calls: &[Call<'_>], paired: bool) -> RuleJudgement {
    let expected = "a clientToken of 1 to 64 scalar values matching [!-~]+, fresh for each call";
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut cases = Vec::new();
    for call in calls {
        if call.client.is_some_and(|c| c.supplied_token.is_some()) {
            continue;
        }
        let token = token_of(call.attempts[0]);
        let mut violations = token_violations(token.as_ref());
        if let (true, Some(Value::String(t))) = (paired, &token) {
            if let Some(first) = seen.insert(t.clone(), call.number) {
                violations.push(Violation::TokenReused {
                    token: t.clone(),
                    call: call.number,
                    first,
                });
            }
        }
        cases.push(case(call, violations, expected));
    }
    combine(
        RuleId::SdkTokenAutofill,
        cases,
        Verdict::Inconclusive("every call supplied its own token: none was auto-filled".into()),
    )
}

fn token_passthrough(calls: &[Call<'_>]) -> RuleJudgement {
    let mut cases = Vec::new();
    for call in calls {
        let Some(supplied) = call.client.and_then(|c| c.supplied_token.as_deref()) else {
            continue;
        };
        let mut violations = Vec::new();
        for (i, w) in call.attempts.iter().enumerate() {
            let sent = token_of(w);
            if sent.as_ref().and_then(Value::as_str) != Some(supplied) {
                violations.push(Violation::Differs {
                    what: format!("attempt {}: clientToken sent", i + 1),
                    expected: supplied.to_owned(),
                    found: show(sent),
                });
            }
        }
        cases.push(case(
            call,
            violations,
            &format!("clientToken {supplied:?} on every attempt"),
        ));
    }
    combine(
        RuleId::SdkTokenPassthrough,
        cases,
        Verdict::Inconclusive("no call supplied its own token".into()),
    )
}

fn retry_same_token(calls: &[Call<'_>]) -> RuleJudgement {
    let mut cases = Vec::new();
    for call in calls.iter().filter(|c| c.attempts.len() > 1) {
        let first = call.attempts[0];
        let mut violations = Vec::new();
        for (i, w) in call.attempts.iter().enumerate().skip(1) {
            let (t0, t) = (token_of(first), token_of(w));
            if t0 != t {
                violations.push(Violation::Differs {
                    what: format!(
                        "attempt {} (after {}): clientToken",
                        i + 1,
                        call.attempts[i - 1].status
                    ),
                    expected: show(t0),
                    found: show(t),
                });
            } else if w.body != first.body {
                violations.push(Violation::Differs {
                    what: format!("attempt {}: body bytes", i + 1),
                    expected: first.body.clone(),
                    found: w.body.clone(),
                });
            }
        }
        cases.push(case(
            call,
            violations,
            "every attempt carries the first attempt's clientToken and body",
        ));
    }
    combine(
        RuleId::SdkRetrySameToken,
        cases,
        Verdict::Inconclusive(
            "no call in the recording was retried (hint: a fault plan such as `serve --fault create#3=500` makes one)".into(),
        ),
    )
}

/// Judges every attempt of every call with `check`; one case per call.
fn per_request(
    rule: RuleId,
    calls: &[Call<'_>],
    check: impl Fn(&Wire) -> (Vec<Violation>, &'static str),
) -> RuleJudgement {
    let mut cases = Vec::new();
    for call in calls {
        let mut violations = Vec::new();
        let mut expected = "";
        for (i, w) in call.attempts.iter().enumerate() {
            let (v, e) = check(w);
            expected = e;
            violations.extend(v.into_iter().map(|v| match (call.attempts.len(), v) {
                (1, v) => v,
                (_, v) => Violation::OnAttempt {
                    attempt: i + 1,
                    violation: Box::new(v),
                },
            }));
        }
        cases.push(case(call, violations, expected));
    }
    combine(rule, cases, Verdict::Inconclusive("no Create call".into()))
}

fn http_binding(w: &Wire) -> (Vec<Violation>, &'static str) {
    let mut v = Vec::new();
    if w.method != "POST" {
        v.push(Violation::Differs {
            what: "method".into(),
            expected: "POST".into(),
            found: w.method.clone(),
        });
    }
    if w.path != CREATE_PATH {
        v.push(Violation::Differs {
            what: "path".into(),
            expected: CREATE_PATH.into(),
            found: w.path.clone(),
        });
    }
    if let Some(q) = w.query.as_deref().filter(|q| !q.is_empty()) {
        v.push(Violation::QueryNotBound {
            query: q.to_owned(),
        });
    }
    let media = w.header("content-type").map(|c| {
        c.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    });
    if media.as_deref() != Some("application/json") {
        v.push(Violation::WrongContentType {
            found: w.header("content-type").map(str::to_owned),
        });
    }
    (
        v,
        "POST /servicenetworkserviceassociations, no query, Content-Type application/json",
    )
}

fn sigv4_scope(w: &Wire, region: Option<&str>) -> (Vec<Violation>, &'static str) {
    let expected = "Authorization: AWS4-HMAC-SHA256 with scope DATE/REGION/vpc-lattice/aws4_request, DATE from X-Amz-Date, host and x-amz-date signed";
    let Some(auth) = &w.authorization else {
        return (vec![Violation::NotSigned], expected);
    };
    let mut v = Vec::new();
    if auth.algorithm != "AWS4-HMAC-SHA256" {
        v.push(Violation::Differs {
            what: "signing algorithm".into(),
            expected: "AWS4-HMAC-SHA256".into(),
            found: auth.algorithm.clone(),
        });
    }
    match auth.scope_parts().as_slice() {
        [date, reg, service, terminator] => {
            let amz_date = w.header("x-amz-date").unwrap_or("");
            if !amz_date.starts_with(date) || date.len() != 8 {
                v.push(Violation::Differs {
                    what: "scope date against X-Amz-Date".into(),
                    expected: amz_date.chars().take(8).collect(),
                    found: (*date).to_owned(),
                });
            }
            if let Some(region) = region.filter(|r| r != reg) {
                v.push(Violation::Differs {
                    what: "scope region".into(),
                    expected: region.to_owned(),
                    found: (*reg).to_owned(),
                });
            }
            if *service != "vpc-lattice" {
                v.push(Violation::Differs {
                    what: "scope service (the signing name)".into(),
                    expected: "vpc-lattice".into(),
                    found: (*service).to_owned(),
                });
            }
            if *terminator != "aws4_request" {
                v.push(Violation::Differs {
                    what: "scope terminator".into(),
                    expected: "aws4_request".into(),
                    found: (*terminator).to_owned(),
                });
            }
        }
        _ => v.push(Violation::MalformedScope {
            scope: auth.scope.clone(),
        }),
    }
    for needed in ["host", "x-amz-date"] {
        if !auth
            .signed_headers
            .iter()
            .any(|h| h.eq_ignore_ascii_case(needed))
        {
            v.push(Violation::UnsignedHeader {
                header: needed.to_owned(),
                signed: auth.signed_headers.clone(),
            });
        }
    }
    (v, expected)
}

fn body_members(w: &Wire) -> (Vec<Violation>, &'static str) {
    let expected = "a JSON object of clientToken, serviceIdentifier, serviceNetworkIdentifier (strings) and tags (object of strings), with both identifiers";
    let Some(body) = body_object(w) else {
        return (
            vec![Violation::NotJsonObject {
                what: "the request".into(),
                preview: format!("{:?}", w.body),
            }],
            expected,
        );
    };
    let modelled: Vec<&str> = constraints::members_of(constraints::CREATE_ASSOCIATION)
        .map(|m| m.name)
        .collect();
    let mut v = Vec::new();
    for (k, value) in &body {
        if !modelled.contains(&k.as_str()) {
            v.push(Violation::UnmodelledMember {
                member: k.clone(),
                modelled: modelled.iter().map(|m| (*m).to_owned()).collect(),
            });
            continue;
        }
        let ok = match k.as_str() {
            "tags" => value
                .as_object()
                .is_some_and(|m| m.values().all(Value::is_string)),
            _ => value.is_string(),
        };
        if !ok {
            v.push(Violation::WrongType {
                member: k.clone(),
                expected: if k == "tags" {
                    "object of strings".into()
                } else {
                    "string".into()
                },
            });
        }
    }
    for required in ["serviceIdentifier", "serviceNetworkIdentifier"] {
        if !body.contains_key(required) {
            v.push(Violation::MissingMember {
                shape: "CreateServiceNetworkServiceAssociationRequest".into(),
                member: required.into(),
            });
        }
    }
    (v, expected)
}

/// The members a surfaced modelled error must carry: every string member of the response body
/// but `message`, and `retryAfterSeconds` from `Retry-After` where the model binds it.
fn wire_members(w: &Wire, ty: ErrorType) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    if let Some(Value::Object(body)) = w
        .response_body
        .as_deref()
        .and_then(|b| serde_json::from_str(b).ok())
    {
        for (k, v) in body {
            if k != "message" && v.is_string() && ty.body_members().contains(&k.as_str()) {
                out.insert(k, v);
            }
        }
    }
    if ty.has_retry_after() {
        if let Some(n) = w
            .retry_after
            .as_deref()
            .and_then(|r| r.trim().parse::<i64>().ok())
        {
            out.insert("retryAfterSeconds".into(), Value::from(n));
        }
    }
    out
}

fn surfaced<'a>(call: &Call<'a>) -> Result<&'a Map<String, Value>, Violation> {
    let client = call.client.expect("paired");
    match client.result {
        CallResult::Error => client.error.as_ref().ok_or_else(|| Violation::Surfaced {
            expected: "the error's `type` and members in an `error` object".into(),
            got: "`error` without an `error` object".into(),
        }),
        CallResult::Crash => Err(Violation::Surfaced {
            expected: "a service error".into(),
            got: format!(
                "a crash ({})",
                client.crash.as_deref().unwrap_or("no detail")
            ),
        }),
        CallResult::Ok => Err(Violation::Surfaced {
            expected: format!(
                "a service error for the answer {} {}",
                call.last().status,
                call.last().error_type.as_deref().unwrap_or("")
            ),
            got: "`ok`".into(),
        }),
    }
}

fn errors_modelled(calls: &[Call<'_>]) -> RuleJudgement {
    let mut cases = Vec::new();
    let mut subjects = (false, false);
    for call in calls {
        let last = call.last();
        let Some(ty) = last.error_type.as_deref().and_then(ErrorType::from_wire) else {
            continue;
        };
        let want = wire_members(last, ty);
        let expected = format!(
            "{} surfaced with {}",
            ty.name(),
            if want.is_empty() {
                "no member to compare".to_owned()
            } else {
                want.iter()
                    .map(|(k, v)| format!("{k} = {v}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        );
        let mut violations = Vec::new();
        match surfaced(call) {
            Err(v) => violations.push(v),
            Ok(error) => {
                let found = error
                    .get("type")
                    .and_then(Value::as_str)
                    .unwrap_or("(none)");
                if found != ty.name() {
                    violations.push(Violation::Differs {
                        what: "surfaced error type".into(),
                        expected: ty.name().into(),
                        found: found.into(),
                    });
                }
                for (k, v) in &want {
                    let got = error.get(k);
                    if got != Some(v) {
                        violations.push(Violation::Differs {
                            what: format!("surfaced `{k}`"),
                            expected: v.to_string(),
                            found: got
                                .map(Value::to_string)
                                .unwrap_or_else(|| "(absent)".into()),
                        });
                    }
                }
            }
        }
        match ty {
            ErrorType::ConflictException => subjects.0 = true,
            ErrorType::ThrottlingException => subjects.1 = true,
            _ => {}
        }
        cases.push(case(call, violations, &expected));
    }
    let missing: Vec<&str> = [
        (!subjects.0).then_some("409 ConflictException"),
        (!subjects.1).then_some("429 ThrottlingException"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !missing.is_empty() {
        cases.push(ClientCase {
            verdict: Verdict::Inconclusive(format!(
                "no call ended with {} (hint: the SDK scenario's duplicate call, and `serve --fault sdk-scenario` for a throttled call sent with retries off)",
                missing.join(" or ")
            )),
            evidence: vec![],
            expected: String::new(),
            note: None,
        });
    }
    combine(
        RuleId::SdkErrorsModelled,
        cases,
        Verdict::Inconclusive("no modelled error".into()),
    )
}

fn unknown_error(calls: &[Call<'_>]) -> RuleJudgement {
    let mut cases = Vec::new();
    for call in calls {
        let last = call.last();
        let Some(wire_type) = last.error_type.as_deref() else {
            continue;
        };
        if last.status < 400 || ErrorType::from_wire(wire_type).is_some() {
            continue;
        }
        let mut violations = Vec::new();
        match surfaced(call) {
            Err(v) => violations.push(v),
            Ok(error) => {
                let found = error.get("type").and_then(Value::as_str);
                if found != Some(wire_type) {
                    violations.push(Violation::Differs {
                        what: "surfaced error code".into(),
                        expected: wire_type.into(),
                        found: found.unwrap_or("(none)").into(),
                    });
                }
            }
        }
        cases.push(case(
            call,
            violations,
            &format!("a generic service error with code {wire_type}, no crash"),
        ));
    }
    combine(
        RuleId::SdkUnknownError,
        cases,
        Verdict::Inconclusive(format!(
            "no call was answered with an unmodelled error type (hint: `serve --fault create#N=unknown` answers {UNKNOWN_ERROR_TYPE})"
        )),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use lattice_spec::recording::AuthSummary;

    fn wire(index: usize, body: &str, status: u16, error: Option<&str>) -> Wire {
        Wire {
            index,
            elapsed_ms: index as u64,
            method: "POST".into(),
            path: CREATE_PATH.into(),
            query: None,
            headers: BTreeMap::from([
                ("content-type".into(), "application/json".into()),
                ("x-amz-date".into(), "20250101T000000Z".into()),
            ]),
            authorization: Some(AuthSummary {
                algorithm: "AWS4-HMAC-SHA256".into(),
                scope: "20250101/us-east-1/vpc-lattice/aws4_request".into(),
                signed_headers: vec!["content-type".into(), "host".into(), "x-amz-date".into()],
            }),
            body: body.into(),
            status,
            error_type: error.map(str::to_owned),
            retry_after: (status == 429).then(|| "0".into()),
            response_body: error.map(|_| {
                r#"{"message":"m","resourceId":"snsa-0123456789abcdefg","resourceType":"SERVICE_NETWORK_SERVICE_ASSOCIATION"}"#.into()
            }),
            fault: None,
        }
    }

    fn body(svc: &str, token: &str) -> String {
        format!(
            r#"{{"clientToken":"{token}","serviceIdentifier":"svc-{svc:0>17}","serviceNetworkIdentifier":"sn-00000000000000000"}}"#
        )
    }

    fn verdicts(r: &[RuleJudgement]) -> BTreeMap<RuleId, &'static str> {
        r.iter().map(|j| (j.rule, j.verdict.name())).collect()
    }

    #[test]
    fn a_fresh_token_on_a_retry_fails_and_the_same_token_passes() {
        let good = Recording {
            header: None,
            requests: vec![
                wire(1, &body("1", "a"), 500, Some("InternalServerException")),
                wire(2, &body("1", "a"), 200, None),
            ],
        };
        let bad = Recording {
            header: None,
            requests: vec![
                wire(1, &body("1", "a"), 500, Some("InternalServerException")),
                wire(2, &body("1", "b"), 200, None),
            ],
        };
        let ok = judge(&good, None, Some("us-east-1"));
        assert_eq!(verdicts(&ok)[&RuleId::SdkRetrySameToken], "pass");
        assert_eq!(verdicts(&ok)[&RuleId::SdkTokenPassthrough], "skipped");
        let ko = judge(&bad, None, Some("us-east-1"));
        assert_eq!(verdicts(&ko)[&RuleId::SdkRetrySameToken], "fail");
    }

    #[test]
    fn a_missing_token_wrong_scope_and_unmodelled_member_fail() {
        let mut w = wire(
            1,
            r#"{"serviceIdentifier":"svc-1","serviceNetworkIdentifier":"sn-1","extra":1}"#,
            200,
            None,
        );
        w.authorization.as_mut().unwrap().scope = "20250101/eu-west-1/ec2/aws4_request".into();
        let rec = Recording {
            header: None,
            requests: vec![w],
        };
        let v = verdicts(&judge(&rec, None, Some("us-east-1")));
        assert_eq!(v[&RuleId::SdkTokenAutofill], "fail");
        assert_eq!(v[&RuleId::SdkSigv4Scope], "fail");
        assert_eq!(v[&RuleId::SdkBodyMembers], "fail");
        assert_eq!(v[&RuleId::SdkHttpBinding], "pass");
        assert_eq!(v[&RuleId::SdkRetrySameToken], "inconclusive");
    }

    #[test]
    fn surfaced_errors_are_compared_with_the_wire() {
        let rec = Recording {
            header: None,
            requests: vec![
                wire(1, &body("1", "t1"), 200, None),
                wire(2, &body("2", "mine"), 409, Some("ConflictException")),
                wire(3, &body("3", "t3"), 429, Some("ThrottlingException")),
                wire(4, &body("4", "t4"), 400, Some(UNKNOWN_ERROR_TYPE)),
            ],
        };
        let conflict = r#"{"type":"ConflictException","resourceId":"snsa-0123456789abcdefg","resourceType":"SERVICE_NETWORK_SERVICE_ASSOCIATION"}"#;
        let report = |conflict: &str, unknown: &str| {
            ClientReport::parse(&format!(
                r#"{{"client":"x","calls":[
                {{"name":"no-token","result":"ok"}},
                {{"name":"with-token","supplied_token":"mine","result":"error","error":{conflict}}},
                {{"name":"throttled","result":"error","error":{{"type":"ThrottlingException","retryAfterSeconds":0}}}},
                {{"name":"unknown-error","result":{unknown}}}]}}"#
            ))
            .unwrap()
        };
        let good = report(
            conflict,
            r#""error","error":{"type":"SomethingNewException"}"#,
        );
        let v = verdicts(&judge(&rec, Some(&good), Some("us-east-1")));
        assert_eq!(v[&RuleId::SdkErrorsModelled], "pass");
        assert_eq!(v[&RuleId::SdkUnknownError], "pass");
        assert_eq!(v[&RuleId::SdkTokenPassthrough], "pass");
        assert_eq!(v[&RuleId::SdkTokenAutofill], "pass");
        let bad = report(
            &conflict.replace("SERVICE_NETWORK_SERVICE_ASSOCIATION", ""),
            r#""crash","crash":"KeyError""#,
        );
        let v = verdicts(&judge(&rec, Some(&bad), Some("us-east-1")));
        assert_eq!(v[&RuleId::SdkErrorsModelled], "fail");
        assert_eq!(v[&RuleId::SdkUnknownError], "fail");
    }

    #[test]
    fn invocation_ids_group_attempts_and_separate_calls() {
        let mut a = wire(1, &body("1", "a"), 429, Some("ThrottlingException"));
        let mut b = wire(2, &body("1", "b"), 200, None);
        a.headers.insert("amz-sdk-invocation-id".into(), "x".into());
        b.headers.insert("amz-sdk-invocation-id".into(), "y".into());
        let rec = Recording {
            header: None,
            requests: vec![a, b],
        };
        assert_eq!(group_calls(&rec).len(), 2);
    }
}
