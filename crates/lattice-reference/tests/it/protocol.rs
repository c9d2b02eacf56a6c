//! HTTP: restJson1 framing of successes and errors, status codes of every operation, unknown
//! operations.

use lattice_spec::ErrorType;
use serde_json::json;

use crate::support::Fixture;

#[tokio::test]
async fn successes_are_json_with_a_request_id_and_the_modelled_status() {
    let f = Fixture::correct().await;
    let (sn, _) = f.owner.network().await;
    let (svc, _) = f.owner.service().await;
    let r = f.owner.associate(&svc, &sn, None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type(), "application/json");
    assert!(r.headers.contains_key("x-amzn-requestid"));
    assert!(r.json.is_object());
    let net = f
        .owner
        .send("GET", &format!("/servicenetworks/{sn}"), None)
        .await;
    assert_eq!(net.json["numberOfAssociatedServices"], json!(1));
    assert_eq!(
        f.owner
            .send("GET", &format!("/services/{svc}"), None)
            .await
            .s("/status"),
        "ACTIVE"
    );
    assert_eq!(f.owner.delete_association(&r.s("/id")).await.status, 200);
    let gone = f
        .owner
        .send("DELETE", &format!("/servicenetworks/{sn}"), None)
        .await;
    assert_eq!(gone.status, 204);
    assert!(gone.body.is_empty());
}

#[tokio::test]
async fn errors_carry_the_error_type_header_and_their_required_members() {
    let f = Fixture::correct().await;
    let (sn, _) = f.owner.network().await;
    let (svc, _) = f.owner.service().await;
    f.owner.associate(&svc, &sn, None).await;
    let cases = [
        f.owner.associate("svc-x", &sn, None).await,
        f.owner.associate("svc-0123456789abcdef0", &sn, None).await,
        f.owner.associate(&svc, &sn, None).await,
    ];
    for r in cases {
        let ty =
            ErrorType::from_wire(&r.error_type().unwrap_or_default()).expect("a modelled error");
        assert_eq!(r.status, ty.status());
        assert_eq!(r.content_type(), "application/json");
        for member in ty.required_members() {
            assert!(
                r.json[member].is_string(),
                "{} lacks {member}: {:?}",
                ty.name(),
                r.json
            );
        }
    }
}

#[tokio::test]
async fn unknown_methods_and_paths_are_unknown_operations() {
    let f = Fixture::correct().await;
    for (method, path) in [
        ("PUT", "/servicenetworkserviceassociations"),
        ("GET", "/nothing-here"),
        ("PATCH", "/services/svc-0123456789abcdef0"),
        ("GET", "/services/a/b"),
        ("POST", "/"),
    ] {
        let r = f.owner.send(method, path, None).await;
        assert_eq!(r.outcome(), "400 ValidationException", "{method} {path}");
        assert_eq!(r.s("/reason"), "unknownOperation");
    }
}

#[tokio::test]
async fn neighbour_operations_validate_and_refuse_duplicates() {
    let f = Fixture::correct().await;
    assert_eq!(
        f.owner
            .post("/servicenetworks", &json!({ "name": "Bad_Name" }))
            .await
            .outcome(),
        "400 ValidationException"
    );
    assert_eq!(
        f.owner
            .post("/services", &json!({ "name": "svc-forbidden" }))
            .await
            .outcome(),
        "400 ValidationException"
    );
    assert_eq!(
        f.owner.post("/services", &json!({})).await.outcome(),
        "400 ValidationException"
    );
    assert_eq!(
        f.owner
            .post(
                "/services",
                &json!({ "name": "ok-svc", "authType": "BASIC" })
            )
            .await
            .outcome(),
        "400 ValidationException"
    );
    assert_eq!(
        f.owner
            .post("/services", &json!({ "name": "ok-svc" }))
            .await
            .status,
        201
    );
    assert_eq!(
        f.owner
            .post("/services", &json!({ "name": "ok-svc" }))
            .await
            .outcome(),
        "409 ConflictException"
    );
    assert_eq!(
        f.peer
            .post("/services", &json!({ "name": "ok-svc" }))
            .await
            .status,
        201,
        "names are per account"
    );
    let first = f
        .owner
        .post(
            "/servicenetworks",
            &json!({ "name": "net-x", "clientToken": "n1" }),
        )
        .await;
    let again = f
        .owner
        .post(
            "/servicenetworks",
            &json!({ "name": "net-x", "clientToken": "n1" }),
        )
        .await;
    assert_eq!((first.status, again.status), (201, 201));
    assert_eq!(first.s("/id"), again.s("/id"));
    assert_eq!(
        f.owner
            .send("GET", "/services/svc-0123456789abcdef0", None)
            .await
            .outcome(),
        "404 ResourceNotFoundException"
    );
}

#[tokio::test]
async fn the_reset_hook_forgets_everything() {
    let f = Fixture::correct().await;
    let (sn, _) = f.owner.network().await;
    let r = f
        .owner
        .http
        .post(format!("{}/__reference/reset", f.owner.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(
        f.owner
            .send("GET", &format!("/servicenetworks/{sn}"), None)
            .await
            .status,
        404
    );
    let (sn2, _) = f.owner.network().await;
    f.endpoint.reset();
    assert_eq!(
        f.owner
            .send("GET", &format!("/servicenetworks/{sn2}"), None)
            .await
            .status,
        404
    );
    assert!(f.endpoint.received_count() >= 4);
}
