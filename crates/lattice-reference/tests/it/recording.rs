//! Client verification support: the fault plan answers chosen Create requests with 500, 429 or
//! an unmodelled error once, and the recorder writes one line per request without secrets.

use lattice_reference::{Config, Fault};
use lattice_spec::recording::Recording;
use serde_json::json;

use crate::support::{Fixture, Signing};

#[tokio::test]
async fn the_fault_plan_answers_chosen_creates_and_the_recording_keeps_no_secret() {
    let path = std::env::temp_dir().join(format!("lattice-recording-{}.jsonl", std::process::id()));
    let f = Fixture::start(Config {
        record: Some(path.clone()),
        faults: Fault::parse_plan("create#1=500,create#2=429,create#3=unknown").unwrap(),
        ..Config::default()
    })
    .await;
    let (sn, _) = f.owner.network().await;
    let (svc, _) = f.owner.service().await;
    let outcomes: Vec<String> = {
        let mut v = Vec::new();
        for _ in 0..3 {
            v.push(f.owner.associate(&svc, &sn, Some("tok-1")).await.outcome());
        }
        v
    };
    assert_eq!(
        outcomes,
        [
            "500 InternalServerException",
            "429 ThrottlingException",
            "400 SomethingNewException"
        ]
    );
    // The fourth Create is served (the faults answered once each), with a session token.
    let body =
        json!({ "serviceIdentifier": svc, "serviceNetworkIdentifier": sn, "clientToken": "tok-1" });
    let signing = Signing {
        session_token: Some("SESSIONtokenSECRET".into()),
        ..Signing::default()
    };
    let r = f
        .owner
        .send_with(
            "POST",
            "/servicenetworkserviceassociations",
            Some(body.to_string().as_bytes()),
            &signing,
        )
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    drop(f);

    let text = std::fs::read_to_string(&path).unwrap();
    let _ = std::fs::remove_file(&path);
    for secret in [
        "SESSIONtokenSECRET",
        "ownerSecretKey",
        "AKIDLATTICEOWNER0001",
        "Signature",
    ] {
        assert!(!text.contains(secret), "the recording holds `{secret}`");
    }
    let rec = Recording::parse(&text).unwrap();
    assert_eq!(
        rec.header.as_ref().unwrap().faults,
        ["create#1=500", "create#2=429", "create#3=unknown"]
    );
    let creates: Vec<_> = rec
        .requests
        .iter()
        .filter(|r| r.path == "/servicenetworkserviceassociations")
        .collect();
    let seen: Vec<(u16, Option<&str>, Option<&str>)> = creates
        .iter()
        .map(|r| (r.status, r.error_type.as_deref(), r.fault.as_deref()))
        .collect();
    assert_eq!(
        seen,
        [
            (500, Some("InternalServerException"), Some("create#1=500")),
            (429, Some("ThrottlingException"), Some("create#2=429")),
            (400, Some("SomethingNewException"), Some("create#3=unknown")),
            (200, None, None),
        ]
    );
    assert_eq!(creates[1].retry_after.as_deref(), Some("0"));
    let auth = creates[0].authorization.as_ref().unwrap();
    assert!(
        auth.scope.ends_with("/us-east-1/vpc-lattice/aws4_request"),
        "{}",
        auth.scope
    );
    assert!(auth.signed_headers.iter().any(|h| h == "host"));
    assert_eq!(creates[0].header("content-type"), Some("application/json"));
    assert!(creates[0].body.contains("tok-1"));
    assert_eq!(rec.requests.len(), 6, "network, service and four creates");
    assert!(rec.requests.windows(2).all(|w| w[0].index < w[1].index));
}
