//! The driver, tested on what it really sends: AWS SigV4 known-answer vectors for the signing
//! function, and wiremock stubs that record the signature scope, date, signed headers, payload
//! hash and exact body bytes, redirects, the response cap and retries.
// The known-answer table has one argument per column.
#![allow(clippy::too_many_arguments)]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use lattice_spec::Operation;
use lattice_transport::credentials::{Credentials, Secret};
use lattice_transport::driver::{
    sigv4_headers, ApiCall, Driver, DriverConfig, Principal, SignMode,
};
use rstest::rstest;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn example_credentials() -> Credentials {
    Credentials {
        access_key_id: "AKIDEXAMPLE".into(),
        secret_access_key: Secret::new("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
        session_token: None,
    }
}

fn signature(headers: &[(String, String)]) -> String {
    let auth = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("authorization"))
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    auth.rsplit("Signature=")
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Vectors from the AWS SigV4 test suite (as shipped in the aws-sigv4 crate's
/// `aws-signing-test-suite/v4`): request, region, service, time and the expected signature.
#[rstest]
#[case::get_vanilla(
    "GET",
    "https://example.amazonaws.com/",
    "example.amazonaws.com",
    b"",
    "us-east-1",
    "service",
    1_440_938_160,
    "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
)]
#[case::post_vanilla(
    "POST",
    "https://example.amazonaws.com/",
    "example.amazonaws.com",
    b"",
    "us-east-1",
    "service",
    1_440_938_160,
    "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"
)]
#[case::query_order_encoded(
    "GET",
    "https://example.amazonaws.com/?Param-3=Value3&Param=Value2&%E1%88%B4=Value1",
    "example.amazonaws.com",
    b"",
    "us-east-1",
    "service",
    1_440_938_160,
    "371d3713e185cc334048618a97f809c9ffe339c62934c032af5a0e595648fcac"
)]
#[case::double_url_encode("POST", "https://lambda.us-east-2.amazonaws.com/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-west-2%3A892717189312%3Afunction%3Amy-rusty-fun/invocations", "lambda.us-east-2.amazonaws.com", b"", "us-east-2", "lambda", 1_620_747_645, "4b93abbcc68be32bd64c18e2c71150660ab4c29bbd6c32a383a7517a88fc1804")]
fn signing_matches_the_aws_known_answer_vectors(
    #[case] method: &str,
    #[case] url: &str,
    #[case] host: &str,
    #[case] body: &[u8],
    #[case] region: &str,
    #[case] service: &str,
    #[case] epoch: u64,
    #[case] expected: &str,
) {
    let headers = vec![("host".to_owned(), host.to_owned())];
    let time = UNIX_EPOCH + Duration::from_secs(epoch);
    let signed = sigv4_headers(
        method,
        url,
        &headers,
        body,
        &example_credentials(),
        region,
        service,
        time,
    )
    .unwrap();
    assert_eq!(signature(&signed), expected);
}

fn principal() -> Principal {
    Principal {
        role: lattice_spec::Role::Owner,
        credentials: Credentials {
            access_key_id: "AKIDSTUBOWNER0000001".into(),
            secret_access_key: Secret::new("stub-secret-value-never-printed"),
            session_token: Some(Secret::new("stub-session-token-never-printed")),
        },
        headers: vec![("x-moto-account-id".into(), "111111111111".into())],
    }
}

async fn stub(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

fn driver(url: &str, config: DriverConfig) -> Driver {
    Driver::new(url, None, "eu-west-1", vec![principal()], config).unwrap()
}

fn header<'a>(req: &'a wiremock::Request, name: &str) -> Option<&'a str> {
    req.headers.get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn sends_the_exact_body_bytes_signed_for_vpc_lattice_in_the_region() {
    let server = stub(ResponseTemplate::new(200).set_body_string("{}")).await;
    let d = driver(&server.uri(), DriverConfig::default());
    let body = br#"{"serviceIdentifier":"svc-0123456789abcdef0","serviceNetworkIdentifier":"sn-0123456789abcdef0","clientToken":7}"#.to_vec();
    let mut call = ApiCall::json(
        Operation::CreateServiceNetworkServiceAssociation,
        lattice_spec::Role::Owner,
        &serde_json::Value::Null,
    );
    call.body = body.clone();
    let e = d.send(&call).await;
    assert_eq!(e.ok().map(|r| r.status), Some(200));
    let received = server.received_requests().await.unwrap();
    let req = &received[0];
    assert_eq!(req.method.as_str(), "POST");
    assert_eq!(req.url.path(), "/servicenetworkserviceassociations");
    assert_eq!(
        req.body, body,
        "the body goes out byte for byte, wrong types included"
    );
    let auth = header(req, "authorization").unwrap();
    let date = &header(req, "x-amz-date").unwrap()[..8];
    assert!(auth.starts_with(&format!("AWS4-HMAC-SHA256 Credential=AKIDSTUBOWNER0000001/{date}/eu-west-1/vpc-lattice/aws4_request")), "{auth}");
    assert!(
        auth.contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token"),
        "{auth}"
    );
    assert_eq!(header(req, "content-type"), Some("application/json"));
    assert_eq!(header(req, "x-moto-account-id"), Some("111111111111"));
    assert_eq!(
        header(req, "x-amz-security-token"),
        Some("stub-session-token-never-printed")
    );
    // The recorded exchange carries no secret and no signature.
    let recorded = serde_json::to_string(&e).unwrap();
    for secret in [
        "stub-secret-value-never-printed",
        "stub-session-token-never-printed",
        signature_of(auth),
    ] {
        assert!(
            !recorded.contains(secret),
            "{secret} leaked into {recorded}"
        );
    }
}

fn signature_of(auth: &str) -> &str {
    auth.rsplit("Signature=").next().unwrap_or_default()
}

#[tokio::test]
async fn broken_signing_modes_send_what_they_say() {
    let server = stub(ResponseTemplate::new(403)).await;
    let d = driver(&server.uri(), DriverConfig::default());
    for mode in [
        SignMode::SigV4,
        SignMode::Unsigned,
        SignMode::BadSignature,
        SignMode::UnknownKey,
        SignMode::WrongService,
    ] {
        let mut call = ApiCall::json(
            Operation::CreateServiceNetworkServiceAssociation,
            lattice_spec::Role::Owner,
            &serde_json::json!({}),
        );
        call.sign = mode;
        let e = d.send(&call).await;
        assert_eq!(e.request.signing, mode.label());
    }
    let received = server.received_requests().await.unwrap();
    let auth: Vec<Option<&str>> = received
        .iter()
        .map(|r| header(r, "authorization"))
        .collect();
    assert!(auth[0].unwrap().contains("/vpc-lattice/aws4_request"));
    assert_eq!(auth[1], None, "unsigned means no Authorization header");
    assert_ne!(
        signature_of(auth[2].unwrap()),
        signature_of(auth[0].unwrap())
    );
    assert!(auth[3]
        .unwrap()
        .contains("Credential=AKIAUNKNOWNLATTICE00/"));
    assert!(auth[4].unwrap().contains("/ec2/aws4_request"));
}

/// `X-Amz-Date` form of a time (`YYYYMMDDTHHMMSSZ`; fixed width, so it sorts as time does).
fn amz(t: SystemTime) -> String {
    lattice_transport::time::rfc3339(t).replace(['-', ':'], "")
}

/// `(credential scope, signed headers)` of an `Authorization` header.
fn scope_and_signed(auth: &str) -> (String, String) {
    let part = |key: &str| {
        auth.split(key)
            .nth(1)
            .and_then(|rest| rest.split(',').next())
            .unwrap_or_default()
            .trim()
            .to_owned()
    };
    let credential = part("Credential=");
    let scope = credential.split_once('/').map(|(_, s)| s.to_owned());
    (scope.unwrap_or_default(), part("SignedHeaders="))
}

#[tokio::test]
async fn freshness_integrity_host_and_region_modes_send_what_they_say() {
    let server = stub(ResponseTemplate::new(403)).await;
    let d = driver(&server.uri(), DriverConfig::default());
    let modes = [
        SignMode::Expired,
        SignMode::NotYetValid,
        SignMode::BodyAltered,
        SignMode::HostUnsigned,
        SignMode::WrongRegion,
    ];
    let before = SystemTime::now();
    let mut recorded = Vec::new();
    for mode in modes {
        let mut call = ApiCall::json(
            Operation::CreateServiceNetworkServiceAssociation,
            lattice_spec::Role::Owner,
            &serde_json::json!({}),
        );
        call.sign = mode;
        recorded.push(d.send(&call).await.request.clone());
    }
    let after = SystemTime::now();
    let received = server.received_requests().await.unwrap();
    let sent: Vec<(String, String, String, &[u8])> = received
        .iter()
        .map(|r| {
            let (scope, signed) = scope_and_signed(header(r, "authorization").unwrap());
            let date = header(r, "x-amz-date").unwrap().to_owned();
            (date, scope, signed, r.body.as_slice())
        })
        .collect();
    for (i, (date, scope, signed, _)) in sent.iter().enumerate() {
        assert_eq!(recorded[i].signing, modes[i].label());
        assert!(scope.starts_with(&date[..8]), "{scope} is for {date}");
        assert!(signed.contains("x-amz-date"), "{signed}");
    }
    // Dated 20 minutes before and after the time of sending, everything else as usual.
    let skew = Duration::from_secs(20 * 60);
    let expired = &sent[0].0;
    assert!(
        *expired >= amz(before - skew) && *expired <= amz(after - skew),
        "{expired}"
    );
    let ahead = &sent[1].0;
    assert!(
        *ahead >= amz(before + skew) && *ahead <= amz(after + skew),
        "{ahead}"
    );
    for (_, scope, signed, body) in &sent[..2] {
        assert!(
            scope.ends_with("/eu-west-1/vpc-lattice/aws4_request"),
            "{scope}"
        );
        assert!(signed.starts_with("content-type;host;"), "{signed}");
        assert_eq!(*body, b"{}");
    }
    // Signed over `{}` with its SHA-256 in a signed x-amz-content-sha256, sent as `{} `, and
    // recorded as sent.
    let altered = &received[2];
    assert_eq!(
        header(altered, "x-amz-content-sha256"),
        Some("44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a")
    );
    assert!(sent[2].2.contains("x-amz-content-sha256"), "{}", sent[2].2);
    assert_eq!(altered.body, b"{} ");
    assert_eq!(recorded[2].body, "{} ");
    // Host sent, not signed; the rest signed as usual.
    assert!(header(&received[3], "host").is_some());
    assert_eq!(sent[3].2, "content-type;x-amz-date;x-amz-security-token");
    // Signed for another region than the driver's eu-west-1.
    assert!(
        sent[4].1.ends_with("/us-west-2/vpc-lattice/aws4_request"),
        "{}",
        sent[4].1
    );
}

#[tokio::test]
async fn ram_calls_are_signed_for_ram_and_labels_are_percent_encoded() {
    let server = stub(ResponseTemplate::new(200).set_body_string("{}")).await;
    let d = driver(&server.uri(), DriverConfig::default());
    d.send(&ApiCall::json(
        Operation::CreateResourceShare,
        lattice_spec::Role::Owner,
        &serde_json::json!({"name": "x"}),
    ))
    .await;
    let arn = "arn:aws:vpc-lattice:eu-west-1:111111111111:servicenetworkserviceassociation/snsa-0123456789abcdef0";
    d.send(&ApiCall::labelled(
        Operation::ListTagsForResource,
        lattice_spec::Role::Owner,
        arn,
    ))
    .await;
    let received = server.received_requests().await.unwrap();
    assert!(header(&received[0], "authorization")
        .unwrap()
        .contains("/eu-west-1/ram/aws4_request"));
    assert_eq!(received[0].url.path(), "/createresourceshare");
    assert_eq!(
        received[1].url.path(),
        "/tags/arn%3Aaws%3Avpc-lattice%3Aeu-west-1%3A111111111111%3Aservicenetworkserviceassociation%2Fsnsa-0123456789abcdef0"
    );
}

#[tokio::test]
async fn redirects_to_other_hosts_are_not_followed() {
    let elsewhere = stub(ResponseTemplate::new(200)).await;
    let server = stub(
        ResponseTemplate::new(307)
            .insert_header("location", format!("{}/steal", elsewhere.uri()).as_str()),
    )
    .await;
    let d = driver(&server.uri(), DriverConfig::default());
    let e = d
        .send(&ApiCall::labelled(
            Operation::GetService,
            lattice_spec::Role::Owner,
            "svc-0123456789abcdef0",
        ))
        .await;
    assert_eq!(e.ok().map(|r| r.status), Some(307));
    assert!(
        elsewhere.received_requests().await.unwrap().is_empty(),
        "the Authorization header went to another host"
    );
}

#[tokio::test]
async fn responses_over_the_cap_are_cut() {
    let big = "x".repeat(3 << 20);
    let server = stub(ResponseTemplate::new(200).set_body_string(big)).await;
    let d = driver(
        &server.uri(),
        DriverConfig {
            max_body: 1 << 20,
            ..DriverConfig::default()
        },
    );
    let e = d
        .send(&ApiCall::labelled(
            Operation::GetService,
            lattice_spec::Role::Owner,
            "svc-0123456789abcdef0",
        ))
        .await;
    let r = e.ok().unwrap();
    assert!(r.truncated);
    // Read up to the cap, then only the head is kept as evidence.
    assert_eq!(r.body.len(), lattice_transport::driver::KEPT_OF_CUT_BODY);
    assert!(r.json().is_none());
}

/// A stub that answers its first request 429 (`Retry-After: 0`) and every other one 200, and a
/// driver for it that may send 3 requests.
async fn throttled_once_with_a_budget_of_3() -> (MockServer, Driver) {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "0")
                .insert_header("x-amzn-errortype", "ThrottlingException"),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .with_priority(2)
        .mount(&server)
        .await;
    let d = driver(
        &server.uri(),
        DriverConfig {
            budget: Some(3),
            ..DriverConfig::default()
        },
    );
    (server, d)
}

#[tokio::test]
async fn throttling_is_retried_after_retry_after_then_counts_against_the_budget() {
    let (server, d) = throttled_once_with_a_budget_of_3().await;
    let e = d
        .send(&ApiCall::labelled(
            Operation::GetService,
            lattice_spec::Role::Owner,
            "svc-0123456789abcdef0",
        ))
        .await;
    assert_eq!(e.ok().map(|r| r.status), Some(200));
    assert_eq!(d.sent(), 2);
    d.send(&ApiCall::labelled(
        Operation::GetService,
        lattice_spec::Role::Owner,
        "svc-0123456789abcdef0",
    ))
    .await;
    let spent = d
        .send(&ApiCall::labelled(
            Operation::GetService,
            lattice_spec::Role::Owner,
            "svc-0123456789abcdef0",
        ))
        .await;
    assert_eq!(
        spent.response,
        Err(lattice_checks::TransportFailure::BudgetSpent)
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn prepared_calls_go_out_and_are_recorded_as_sent_ones_within_the_budget() {
    let (server, d) = throttled_once_with_a_budget_of_3().await;
    let mut call = ApiCall::json(
        Operation::CreateServiceNetworkServiceAssociation,
        lattice_spec::Role::Owner,
        &serde_json::json!({ "serviceIdentifier": "svc-0123456789abcdef0", "tags": { "é": "中" } }),
    );
    call.query = vec![("a b".into(), "c/d".into())];
    let prepared = [d.prepare(call.clone()), d.prepare(call.clone())];
    assert_eq!(d.sent(), 0, "preparing sends nothing");
    let shown = format!("{prepared:?}");
    for secret in ["stub-session-token-never-printed", "Signature="] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    let [first, second] = prepared;
    // The first attempt is throttled and retried (signed afresh), within the budget.
    let e = d.send_prepared(first).await;
    assert_eq!(e.ok().map(|r| r.status), Some(200));
    assert_eq!(d.sent(), 2);
    let sent = d.send(&call).await;
    assert_eq!(e.request, sent.request, "recorded alike");
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 3);
    for req in &received {
        assert_eq!(req.body, call.body);
        assert_eq!(req.url.path(), "/servicenetworkserviceassociations");
        assert_eq!(req.url.query(), Some("a%20b=c%2Fd"));
        assert_eq!(header(req, "x-moto-account-id"), Some("111111111111"));
        let auth = header(req, "authorization").unwrap();
        assert!(
            auth.contains("/eu-west-1/vpc-lattice/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature="),
            "{auth}"
        );
    }
    // The budget is spent: a prepared call is recorded as such and not sent.
    let spent = d.send_prepared(second).await;
    assert_eq!(
        spent.response,
        Err(lattice_checks::TransportFailure::BudgetSpent)
    );
    assert_eq!(spent.request, sent.request);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
    assert_eq!(d.take_log().len(), 4, "every attempt is in the log");
}

#[tokio::test]
async fn a_poll_cut_short_by_the_budget_is_not_judged_on_its_last_answer() {
    // An association that stays CREATE_IN_PROGRESS: the wait for ACTIVE never ends on its own.
    let server = stub(
        ResponseTemplate::new(200)
            .insert_header("content-type", "application/json")
            .set_body_string(r#"{"id":"snsa-0123456789abcdef0","status":"CREATE_IN_PROGRESS"}"#),
    )
    .await;
    let d = driver(
        &server.uri(),
        DriverConfig {
            budget: Some(2),
            ..DriverConfig::default()
        },
    );
    let fx = lattice_transport::fixtures::Fixtures::new(
        std::sync::Arc::new(d),
        "0000beef",
        Default::default(),
    )
    .with_first_poll(Duration::from_millis(1));
    let (last, done) = fx
        .poll_association(
            lattice_spec::Role::Owner,
            "snsa-0123456789abcdef0",
            Duration::from_secs(30),
            lattice_checks::wait::until_active,
        )
        .await;
    assert!(!done);
    assert_eq!(
        last.response.as_ref().err(),
        Some(&lattice_checks::TransportFailure::BudgetSpent),
        "{last:?}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}
