//! Bad input never crashes the endpoint: garbage bodies, wrong JSON types, huge bodies, unknown
//! paths and methods, broken percent-escapes all get a modelled error, and the endpoint keeps
//! serving afterwards.

use std::sync::OnceLock;

use proptest::prelude::*;
use serde_json::json;

use crate::support::{Fixture, Resp};

fn modelled(r: &Resp) -> bool {
    let known = [
        "ValidationException",
        "ResourceNotFoundException",
        "AccessDeniedException",
        "ConflictException",
        "ServiceQuotaExceededException",
        "InvalidParameterException",
        "MissingRequiredParameterException",
        "MalformedArnException",
        "UnknownResourceException",
        "ResourceShareInvitationArnNotFoundException",
    ];
    (200..300).contains(&r.status)
        || r.error_type().is_some_and(|t| known.contains(&t.as_str())) && r.json.is_object()
}

#[tokio::test]
async fn a_body_over_one_mebibyte_cannot_be_parsed() {
    let f = Fixture::correct().await;
    let huge = format!("{{\"serviceIdentifier\":\"{}\"}}", "a".repeat(1 << 20));
    let r = f
        .owner
        .send(
            "POST",
            "/servicenetworkserviceassociations",
            Some(huge.as_bytes()),
        )
        .await;
    assert_eq!(
        (r.outcome(), r.s("/reason")),
        (
            "400 ValidationException".to_owned(),
            "cannotParse".to_owned()
        )
    );
}

#[tokio::test]
async fn broken_percent_escapes_in_labels_and_queries_are_refused() {
    let f = Fixture::correct().await;
    for path in [
        "/servicenetworkserviceassociations/%ZZ",
        "/servicenetworkserviceassociations/%",
        "/servicenetworkserviceassociations/%FF%FE",
        "/tags/%E2%82",
        "/services/%",
        "/servicenetworkserviceassociations?serviceIdentifier=%FF",
        "/tags/arn%3Aaws?tagKeys=%G0",
    ] {
        let method = if path.starts_with("/tags/arn") {
            "DELETE"
        } else {
            "GET"
        };
        let r = f.owner.send(method, path, None).await;
        assert_eq!(
            r.outcome(),
            "400 ValidationException",
            "{path}: {:?}",
            r.json
        );
    }
}

#[tokio::test]
async fn wrong_types_everywhere_get_modelled_errors() {
    let f = Fixture::correct().await;
    let bodies = [
        json!([1, 2]),
        json!({ "name": 5 }),
        json!({ "tags": "x" }),
        json!({ "name": "ok", "sharingConfig": 1 }),
    ];
    for path in [
        "/services",
        "/servicenetworks",
        "/servicenetworkserviceassociations",
        "/createresourceshare",
        "/getresourceshares",
    ] {
        for body in &bodies {
            let r = f.owner.post(path, body).await;
            assert!(
                r.status < 500 && modelled(&r),
                "{path} {body}: {} {:?}",
                r.status,
                r.json
            );
        }
    }
}

fn shared() -> &'static (tokio::runtime::Runtime, Fixture) {
    static SHARED: OnceLock<(tokio::runtime::Runtime, Fixture)> = OnceLock::new();
    SHARED.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let f = rt.block_on(Fixture::correct());
        (rt, f)
    })
}

fn method() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["GET", "POST", "DELETE", "PUT", "PATCH"])
}

fn path() -> impl Strategy<Value = String> {
    let segment = prop::sample::select(vec![
        "servicenetworkserviceassociations",
        "servicenetworks",
        "services",
        "tags",
        "createresourceshare",
        "acceptresourceshareinvitation",
        "deleteresourceshare",
        "%",
        "%zz",
        "%C3%28",
        "snsa-0123456789abcdef0",
        "arn%3Aaws%3Avpc-lattice%3Aus-east-1%3A111122223333%3Aservice%2Fsvc-0123456789abcdef0",
        "",
        "..",
    ]);
    (
        prop::collection::vec(segment, 0..4),
        "[a-zA-Z0-9=&%._~-]{0,20}",
    )
        .prop_map(|(segs, q)| {
            let p = format!("/{}", segs.join("/"));
            if q.is_empty() {
                p
            } else {
                format!("{p}?{q}")
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_signed_requests_get_modelled_answers(
        method in method(),
        path in path(),
        body in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let (rt, f) = shared();
        let r = rt.block_on(f.owner.send(method, &path, Some(&body)));
        prop_assert!(r.status < 500, "{} {} -> {} {:?}", method, path, r.status, r.json);
        prop_assert!(modelled(&r), "{} {} -> {} {:?} {:?}", method, path, r.status, r.error_type(), r.json);
    }

    #[test]
    fn arbitrary_json_bodies_for_create_get_modelled_answers(
        token in prop::option::of(".{0,70}"),
        service in prop::option::of(prop_oneof![Just(json!(1)), Just(json!(null)), "[a-z0-9:/-]{0,30}".prop_map(|s| json!(s))]),
        tags in prop::option::of(prop::collection::btree_map(".{0,5}", ".{0,5}", 0..4)),
    ) {
        let (rt, f) = shared();
        let mut body = json!({ "serviceNetworkIdentifier": "sn-0123456789abcdef0" });
        if let Some(t) = token { body["clientToken"] = json!(t); }
        if let Some(s) = service { body["serviceIdentifier"] = s; }
        if let Some(t) = tags { body["tags"] = json!(t); }
        let r = rt.block_on(f.owner.associate_body(&body));
        prop_assert!(matches!(r.status, 400 | 404), "{} {:?}", r.status, r.json);
        prop_assert!(modelled(&r));
    }
}

#[tokio::test]
async fn the_endpoint_keeps_serving_after_garbage() {
    let f = Fixture::correct().await;
    for body in [&b"\x00\x01\x02"[..], b"{\"a\":", &[0xff; 300]] {
        let r = f
            .owner
            .send("POST", "/servicenetworkserviceassociations", Some(body))
            .await;
        assert_eq!(r.status, 400);
    }
    let (sn, _) = f.owner.network().await;
    let (svc, _) = f.owner.service().await;
    assert_eq!(f.owner.associate(&svc, &sn, None).await.status, 200);
}

/// Sends raw bytes on a fresh connection and returns the status line, if any.
async fn raw(base: &str, request: &[u8]) -> Option<String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.ok()?;
    stream.write_all(request).await.ok()?;
    let mut buf = vec![0u8; 512];
    let n = tokio::time::timeout(std::time::Duration::from_secs(2), stream.read(&mut buf))
        .await
        .ok()?
        .ok()?;
    String::from_utf8_lossy(&buf[..n])
        .lines()
        .next()
        .map(str::to_owned)
}

#[tokio::test]
async fn raw_garbage_on_the_wire_does_not_stop_the_endpoint() {
    let f = Fixture::correct().await;
    let requests: [&[u8]; 6] = [
        b"GET /services/\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n",
        b"OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET http://elsewhere.example/services HTTP/1.1\r\nHost: x\r\n\r\n",
        b"\x00\x01\x02\x03 garbage\r\n\r\n",
        b"POST /servicenetworkserviceassociations HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n{\"a\":",
        b"GET /services/svc-0123456789abcdef0 HTTP/1.1\r\nHost: x\r\nAuthorization: \xff\xfe\r\n\r\n",
    ];
    for request in requests {
        if let Some(status) = raw(&f.owner.base, request).await {
            assert!(
                status.starts_with("HTTP/1.1 4"),
                "{status}: {:?}",
                String::from_utf8_lossy(request)
            );
        }
    }
    let (sn, _) = f.owner.network().await;
    let (svc, _) = f.owner.service().await;
    assert_eq!(
        f.owner.associate(&svc, &sn, None).await.status,
        200,
        "still serving"
    );
}

/// Paths with dot segments (found by the property above: `GET
/// /servicenetworkserviceassociations//..`) get a modelled answer, signed as the client sends them.
#[tokio::test]
async fn paths_with_dot_segments_get_modelled_answers() {
    let f = Fixture::correct().await;
    for path in [
        "/servicenetworkserviceassociations//..",
        "/servicenetworkserviceassociations/../services",
        "//..",
    ] {
        let r = f.owner.send("GET", path, None).await;
        assert!(modelled(&r), "{path} -> {} {:?}", r.status, r.json);
    }
}
