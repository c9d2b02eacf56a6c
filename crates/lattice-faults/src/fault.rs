//! The misbehaviours of a hostile endpoint, and what each one sends.

use std::time::Duration;

/// One misbehaviour of an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fault {
    /// Accepts the connection, reads the request, never replies.
    Hang,
    /// Answers a plausible body, but only after 30 s.
    Late,
    /// Sends the status line and headers one byte a second.
    DripHeaders,
    /// Sends the headers at once and the body one byte a second.
    DripBody,
    /// 429 `ThrottlingException` with `Retry-After: 999999`.
    ThrottleForever,
    /// 429 `ThrottlingException` with `Retry-After` an HTTP date in 2099.
    ThrottleUntil2099,
    /// 429 `ThrottlingException` with `Retry-After: -5`.
    ThrottleNegative,
    /// The same plausible 200 association body (`CREATE_IN_PROGRESS`) to every call.
    SameBody,
    /// 200 answers whose body and a header carry bytes that are not UTF-8.
    NotUtf8,
    /// 200 `text/html`.
    NotJson,
    /// 200 with a JSON body cut in the middle.
    TruncatedJson,
    /// 200 JSON whose members have the wrong types.
    WrongShape,
    /// A 100 MiB body.
    HugeBody,
    /// Answers `{}` after 3 s.
    Slow,
    /// A JSON body as `text/plain`.
    WrongContentType,
    /// 503 to everything.
    ServerErrors,
    /// 429 with `Retry-After: 0`.
    ThrottleSeconds,
    /// 429 with `Retry-After` an HTTP date in the past.
    ThrottleDate,
    /// 429 with `Retry-After: soon-ish`.
    ThrottleGarbage,
    /// 307 to another host (`Plan::redirecting_to`).
    Redirect,
    /// 418 with a JSON body.
    OddStatus,
    /// Closes the connection in the middle of a response.
    CloseMidResponse,
    /// Resets the connection before answering.
    ResetBeforeResponse,
    /// Answers that echo what the request carried: its session token as the `id`, its
    /// `Authorization` value (signature included) as the `arn` and in a header, its whole head
    /// in a `message`; 200 to everything but a Delete, which is refused with 409 (so that what
    /// the run created stays, as leaks, and its journal is kept). Nothing of it may reach a
    /// report, the journal or the console.
    Echo,
}

impl Fault {
    /// Every fault: first those of the issue "bounded runs", then the older ones.
    pub const ALL: &'static [Fault] = &[
        Fault::Hang,
        Fault::Late,
        Fault::DripHeaders,
        Fault::DripBody,
        Fault::ThrottleForever,
        Fault::ThrottleUntil2099,
        Fault::ThrottleNegative,
        Fault::SameBody,
        Fault::NotUtf8,
        Fault::NotJson,
        Fault::TruncatedJson,
        Fault::WrongShape,
        Fault::HugeBody,
        Fault::Slow,
        Fault::WrongContentType,
        Fault::ServerErrors,
        Fault::ThrottleSeconds,
        Fault::ThrottleDate,
        Fault::ThrottleGarbage,
        Fault::Redirect,
        Fault::OddStatus,
        Fault::CloseMidResponse,
        Fault::ResetBeforeResponse,
        Fault::Echo,
    ];

    /// The kebab-case name (`hang`, `429-retry-after-2099`).
    pub fn name(self) -> &'static str {
        match self {
            Fault::Hang => "hang",
            Fault::Late => "late-30s",
            Fault::DripHeaders => "drip-headers",
            Fault::DripBody => "drip-body",
            Fault::ThrottleForever => "429-retry-after-999999",
            Fault::ThrottleUntil2099 => "429-retry-after-2099",
            Fault::ThrottleNegative => "429-retry-after-negative",
            Fault::SameBody => "same-200-body",
            Fault::NotUtf8 => "not-utf8",
            Fault::NotJson => "not-json",
            Fault::TruncatedJson => "truncated-json",
            Fault::WrongShape => "wrong-shape",
            Fault::HugeBody => "huge-body",
            Fault::Slow => "slow-3s",
            Fault::WrongContentType => "wrong-content-type",
            Fault::ServerErrors => "5xx-storm",
            Fault::ThrottleSeconds => "429-seconds",
            Fault::ThrottleDate => "429-http-date",
            Fault::ThrottleGarbage => "429-garbage",
            Fault::Redirect => "redirect",
            Fault::OddStatus => "odd-status",
            Fault::CloseMidResponse => "close-mid-response",
            Fault::ResetBeforeResponse => "reset-before-response",
            Fault::Echo => "echo",
        }
    }

    /// The fault with this name, if any.
    pub fn from_name(name: &str) -> Option<Fault> {
        Self::ALL.iter().copied().find(|f| f.name() == name)
    }

    /// Whether every answer is unusable (a timeout, a broken connection, an unparsable body,
    /// throttling or a 5xx for ever): the harness's circuit breaker must stop the run, and a
    /// probe that meets it must fail. The others answer something a rule can judge.
    pub fn unusable(self) -> bool {
        !matches!(
            self,
            Fault::SameBody
                | Fault::WrongShape
                | Fault::WrongContentType
                | Fault::Redirect
                | Fault::OddStatus
                | Fault::Echo
        )
    }

    /// What the endpoint does with a request whose head (request line and headers) is `head`
    /// (its redirects point to `redirect_to`).
    pub(crate) fn action(self, redirect_to: &str, head: &str) -> Action {
        let json = |status: u16, body: &str| Action::Send(http(status, &[], body.as_bytes()));
        let throttle = |retry_after: &str| {
            let headers = [
                ("retry-after", retry_after.as_bytes()),
                ("x-amzn-errortype", b"ThrottlingException".as_slice()),
            ];
            Action::Send(http(429, &headers, br#"{"message":"slow down"}"#))
        };
        match self {
            Fault::Hang => Action::Hang,
            Fault::Late => Action::Late(Duration::from_secs(30), http(200, &[], ASSOCIATION)),
            Fault::DripHeaders => Action::Drip {
                head: Vec::new(),
                dripped: http(200, &[], ASSOCIATION),
            },
            Fault::DripBody => {
                let whole = http(200, &[], ASSOCIATION);
                let split = whole.len() - ASSOCIATION.len();
                Action::Drip {
                    head: whole[..split].to_vec(),
                    dripped: whole[split..].to_vec(),
                }
            }
            Fault::ThrottleForever => throttle("999999"),
            Fault::ThrottleUntil2099 => throttle("Thu, 01 Jan 2099 00:00:00 GMT"),
            Fault::ThrottleNegative => throttle("-5"),
            Fault::SameBody => Action::Send(http(200, &[], ASSOCIATION)),
            Fault::NotUtf8 => {
                let headers = [("x-amzn-requestid", b"req-\xff\xfe-\xc3\x28".as_slice())];
                Action::Send(http(200, &headers, NOT_UTF8))
            }
            Fault::NotJson => Action::Send(http_typed(200, "text/html", b"<html>hello</html>")),
            Fault::TruncatedJson => json(
                200,
                r#"{"id": "snsa-0123456789abcdef0", "arn": "arn:aws:vpc-la"#,
            ),
            Fault::WrongShape => json(
                200,
                r#"{"id": 5, "arn": ["x"], "status": {"a": 1}, "createdBy": true, "items": "none"}"#,
            ),
            Fault::HugeBody => Action::Huge,
            Fault::Slow => Action::Late(Duration::from_secs(3), http(200, &[], b"{}")),
            Fault::WrongContentType => Action::Send(http_typed(
                200,
                "text/plain",
                br#"{"id":"snsa-0123456789abcdef0"}"#,
            )),
            Fault::ServerErrors => json(503, r#"{"message":"unavailable"}"#),
            Fault::ThrottleSeconds => throttle("0"),
            Fault::ThrottleDate => throttle("Wed, 21 Oct 2015 07:28:00 GMT"),
            Fault::ThrottleGarbage => throttle("soon-ish"),
            Fault::Redirect => {
                let location = format!("{redirect_to}/steal");
                let headers = [("location", location.as_bytes())];
                Action::Send(http(307, &headers, b""))
            }
            Fault::OddStatus => json(418, r#"{"message":"teapot"}"#),
            Fault::CloseMidResponse => Action::CloseAfter(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 5000\r\n\r\n{\"id\": \"snsa-01".to_vec(),
            ),
            Fault::ResetBeforeResponse => Action::Reset,
            Fault::Echo => echo(head),
        }
    }
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What the endpoint does with one request.
#[derive(Debug, Clone)]
pub(crate) enum Action {
    /// Sends these bytes, then closes.
    Send(Vec<u8>),
    /// Never answers; waits until the client gives up.
    Hang,
    /// Sends these bytes after a while.
    Late(Duration, Vec<u8>),
    /// Sends `head` at once, then `dripped` one byte a second.
    Drip { head: Vec<u8>, dripped: Vec<u8> },
    /// Announces a 100 MiB body and streams it.
    Huge,
    /// Sends these bytes (a partial answer), then closes.
    CloseAfter(Vec<u8>),
    /// Resets the connection.
    Reset,
}

/// A plausible association, as a Create answers it.
const ASSOCIATION: &[u8] = br#"{"id":"snsa-0123456789abcdef0","arn":"arn:aws:vpc-lattice:us-east-1:111122223333:servicenetworkserviceassociation/snsa-0123456789abcdef0","status":"CREATE_IN_PROGRESS","createdBy":"111122223333","serviceId":"svc-0123456789abcdef0","serviceArn":"arn:aws:vpc-lattice:us-east-1:111122223333:service/svc-0123456789abcdef0","serviceName":"svc","serviceNetworkId":"sn-0123456789abcdef0","serviceNetworkArn":"arn:aws:vpc-lattice:us-east-1:111122223333:servicenetwork/sn-0123456789abcdef0","serviceNetworkName":"sn"}"#;

/// The echo of a request head (see [`Fault::Echo`]).
fn echo(head: &str) -> Action {
    let header = |name: &str| {
        head.lines()
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.trim()
                    .eq_ignore_ascii_case(name)
                    .then(|| v.trim().to_owned())
            })
            .unwrap_or_default()
    };
    let (token, auth) = (header("x-amz-security-token"), header("authorization"));
    let body = serde_json::json!({
        "id": token,
        "arn": auth,
        "name": token,
        "status": "ACTIVE",
        "message": head,
        "items": [{"id": token, "arn": auth}],
        "tags": {"echo": token},
    })
    .to_string();
    let mut headers = vec![
        ("x-echo-authorization", auth.as_bytes()),
        ("x-amzn-requestid", token.as_bytes()),
    ];
    let status = if head.starts_with("DELETE ") {
        headers.push(("x-amzn-errortype", b"ConflictException".as_slice()));
        409
    } else {
        200
    };
    Action::Send(http(status, &headers, body.as_bytes()))
}

/// A JSON body with bytes that are not UTF-8 inside its strings.
const NOT_UTF8: &[u8] =
    b"{\"id\":\"snsa-0123456789abcdef0\",\"status\":\"ACTIVE\",\"name\":\"\xff\xfe\xc3\x28\"}";

/// AWS's answer to the probe (a Get of a nonexistent association).
pub(crate) fn probe_answer() -> Action {
    let headers = [("x-amzn-errortype", b"ResourceNotFoundException".as_slice())];
    Action::Send(http(
        404,
        &headers,
        br#"{"message":"The association was not found.","resourceId":"snsa-00000000000000000","resourceType":"SERVICE_NETWORK_SERVICE_ASSOCIATION"}"#,
    ))
}

/// A whole `application/json` response with `Connection: close`.
fn http(status: u16, headers: &[(&str, &[u8])], body: &[u8]) -> Vec<u8> {
    let mut all: Vec<(&str, &[u8])> = vec![("content-type", b"application/json")];
    all.extend_from_slice(headers);
    response(status, &all, body)
}

/// A whole response of this content type with `Connection: close`.
fn http_typed(status: u16, content_type: &str, body: &[u8]) -> Vec<u8> {
    response(status, &[("content-type", content_type.as_bytes())], body)
}

fn response(status: u16, headers: &[(&str, &[u8])], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status} {}\r\n", reason(status)).into_bytes();
    for (name, value) in headers {
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(
        format!(
            "content-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(body);
    out
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        307 => "Temporary Redirect",
        404 => "Not Found",
        418 => "I'm a teapot",
        429 => "Too Many Requests",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fault_has_a_distinct_name_that_reads_back() {
        for f in Fault::ALL {
            assert_eq!(Fault::from_name(f.name()), Some(*f));
        }
        let mut names: Vec<&str> = Fault::ALL.iter().map(|f| f.name()).collect();
        names.dedup();
        assert_eq!(names.len(), Fault::ALL.len());
    }
}
