//! AUTH: unsigned, badly signed, unknown-key, wrong-scope, stale, altered and host-unsigned
//! requests are refused with 403.

use std::time::{Duration, SystemTime};

use aws_sigv4::http_request::SignableBody;
use rstest::rstest;
use serde_json::json;
use tokio::io::AsyncWriteExt;

use crate::support::{read_response, Fixture, Resp, Signing};

/// A CreateServiceNetwork sent by the owner to a fresh correct endpoint, signed as `signing` says.
async fn create_network(signing: Signing) -> Resp {
    let f = Fixture::correct().await;
    let body = json!({ "name": "net-auth" }).to_string();
    f.owner
        .send_with("POST", "/servicenetworks", Some(body.as_bytes()), &signing)
        .await
}

async fn attempt(signing: Signing) -> (u16, String) {
    let r = create_network(signing).await;
    (r.status, r.error_type().unwrap_or_default())
}

#[tokio::test]
async fn a_correctly_signed_request_is_served() {
    assert_eq!(attempt(Signing::default()).await.0, 201);
}

/// Requests signed wrongly in one way each, and the error each is refused with.
#[rstest]
#[case::unsigned(Signing { unsigned: true, ..Signing::default() }, "MissingAuthenticationTokenException")]
#[case::wrong_secret(Signing { secret: Some("not-the-secret".into()), ..Signing::default() }, "InvalidSignatureException")]
#[case::body_changed_after_signing(
    Signing { tamper_body: Some(json!({ "name": "net-other" }).to_string().into_bytes()), ..Signing::default() },
    "InvalidSignatureException"
)]
#[case::unknown_access_key(
    Signing { access_key: Some("AKIDUNKNOWN000000000".into()), ..Signing::default() },
    "UnrecognizedClientException"
)]
#[tokio::test]
async fn a_wrongly_signed_request_is_refused(#[case] signing: Signing, #[case] error: &str) {
    assert_eq!(attempt(signing).await, (403, error.to_owned()));
}

#[tokio::test]
async fn a_body_changed_under_a_signed_payload_hash_is_refused() {
    let signed_hash = Signing {
        content_sha256: true,
        ..Signing::default()
    };
    assert_eq!(attempt(signed_hash.clone()).await.0, 201);
    let body = json!({ "name": "net-auth" }).to_string();
    let r = attempt(Signing {
        tamper_body: Some(format!("{body} ").into_bytes()),
        ..signed_hash
    })
    .await;
    assert_eq!(r, (403, "InvalidSignatureException".to_owned()));
}

#[tokio::test]
async fn a_signature_more_than_five_minutes_from_now_is_refused_either_way() {
    let now = SystemTime::now();
    for (time, message) in [
        (now - Duration::from_secs(20 * 60), "Signature expired: "),
        (
            now + Duration::from_secs(20 * 60),
            "Signature not yet current: ",
        ),
    ] {
        let r = create_network(Signing {
            time: Some(time),
            ..Signing::default()
        })
        .await;
        assert_eq!(r.outcome(), "403 InvalidSignatureException");
        assert!(r.s("/message").starts_with(message), "{:?}", r.json);
    }
    // Within the window, early or late, a clock a little off is fine.
    for time in [
        now - Duration::from_secs(4 * 60),
        now + Duration::from_secs(4 * 60),
    ] {
        let r = attempt(Signing {
            time: Some(time),
            ..Signing::default()
        })
        .await;
        assert_eq!(r.0, 201);
    }
}

#[tokio::test]
async fn a_signature_that_leaves_host_unsigned_is_refused() {
    let r = create_network(Signing::unsigned_host()).await;
    assert_eq!(r.outcome(), "403 InvalidSignatureException");
    assert!(r.s("/message").contains("'Host'"), "{:?}", r.json);
}

#[tokio::test]
async fn a_wrong_service_or_region_in_the_scope_is_refused() {
    for service in ["vpc-lattice-svcs", "ec2", "ram"] {
        let r = attempt(Signing {
            service: Some(service.into()),
            ..Signing::default()
        })
        .await;
        assert_eq!(
            r,
            (403, "InvalidSignatureException".to_owned()),
            "{service}"
        );
    }
    let r = attempt(Signing {
        region: Some("eu-west-1".into()),
        ..Signing::default()
    })
    .await;
    assert_eq!(r, (403, "InvalidSignatureException".to_owned()));
}

#[tokio::test]
async fn ram_paths_must_be_signed_for_ram() {
    let f = Fixture::correct().await;
    let body = json!({ "resourceOwner": "SELF" }).to_string();
    let wrong = Signing {
        service: Some("vpc-lattice".into()),
        ..Signing::default()
    };
    let r = f
        .owner
        .send_with("POST", "/getresourceshares", Some(body.as_bytes()), &wrong)
        .await;
    assert_eq!(r.outcome(), "403 InvalidSignatureException");
    assert!(r.s("/message").contains("'ram'"), "{:?}", r.json);
    assert_eq!(
        f.owner
            .send("POST", "/getresourceshares", Some(body.as_bytes()))
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn malformed_authorization_headers_are_incomplete_signatures() {
    let f = Fixture::correct().await;
    for header in [
        "AWS4-HMAC-SHA256",
        "Bearer abc",
        "AWS4-HMAC-SHA256 Credential=x, SignedHeaders=host, Signature=00",
    ] {
        let r = f
            .owner
            .http
            .get(format!("{}/services/svc-0123456789abcdef0", f.owner.base))
            .header("authorization", header)
            .header("x-amz-date", "20250101T000000Z")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 403);
        assert_eq!(
            r.headers()["x-amzn-errortype"],
            "IncompleteSignatureException",
            "{header}"
        );
    }
}

#[tokio::test]
async fn a_session_token_header_is_allowed() {
    let r = attempt(Signing {
        session_token: Some("FwoGZXIvYXdzEXAMPLETOKEN".into()),
        ..Signing::default()
    })
    .await;
    assert_eq!(r.0, 201);
}

#[tokio::test]
async fn tags_paths_with_encoded_arns_verify_with_double_encoding() {
    let f = Fixture::correct().await;
    let (_, arn) = f.owner.network().await;
    let r = f.owner.tags_of(&arn).await;
    assert_eq!(r.status, 200, "{:?}", r.json);
}

#[tokio::test]
async fn the_signature_covers_the_path_exactly_as_the_client_sent_it() {
    let f = Fixture::correct().await;
    // Sent as written, each signed over what is sent: `"`, `{`, `}` and UTF-8 unencoded (which
    // a URL parser would re-encode before the check), and the same label encoded.
    for path in [
        "/services/{\"a\"}",
        "/services/caf\u{e9}",
        "/services/%7B%22a%22%7D",
    ] {
        let request = f
            .owner
            .signed_head("GET", path, &[], SignableBody::Bytes(b""));
        let mut stream = tokio::net::TcpStream::connect(f.owner.addr())
            .await
            .unwrap();
        stream.write_all(request.as_bytes()).await.unwrap();
        let r = read_response(&mut stream).await.expect("an answer");
        // Past the signature: the label is not a service identifier.
        assert_eq!(r.status, 400, "{path}: {} {}", r.head, r.body);
        assert!(
            r.body.contains("fieldValidationFailed"),
            "{path}: {}",
            r.body
        );
    }
}

#[tokio::test]
async fn an_unknown_operation_is_unknown_whichever_hosted_service_it_was_signed_for() {
    let f = Fixture::correct().await;
    let body = json!({ "resourceShareArn": "arn:aws:ram:us-east-1:111122223333:resource-share/x" })
        .to_string();
    // A RAM operation this endpoint does not serve, a VPC Lattice one, and a path of neither.
    for (method, path) in [
        ("POST", "/listresourcesharepermissions"),
        ("GET", "/targetgroups"),
        ("PUT", "/createresourceshare"),
        ("GET", "/nothing-here"),
    ] {
        for service in ["ram", "vpc-lattice"] {
            let signing = Signing {
                service: Some(service.into()),
                ..Signing::default()
            };
            let r = f
                .owner
                .send_with(method, path, Some(body.as_bytes()), &signing)
                .await;
            assert_eq!(
                (r.outcome(), r.s("/reason")),
                (
                    "400 ValidationException".to_owned(),
                    "unknownOperation".to_owned()
                ),
                "{method} {path} signed for {service}: {:?}",
                r.json
            );
        }
        // The signature itself must still verify, and name a service hosted here.
        for signing in [
            Signing {
                service: Some("ram".into()),
                secret: Some("not-the-secret".into()),
                ..Signing::default()
            },
            Signing {
                service: Some("ec2".into()),
                ..Signing::default()
            },
        ] {
            let r = f
                .owner
                .send_with(method, path, Some(body.as_bytes()), &signing)
                .await;
            assert_eq!(
                r.outcome(),
                "403 InvalidSignatureException",
                "{method} {path} {signing:?}"
            );
        }
    }
}
