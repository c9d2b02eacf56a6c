//! VAL: validation precedes existence, every constraint is enforced, errors are well formed.

use rstest::rstest;
use serde_json::{json, Value};

use crate::support::{Fixture, Resp};

const MISSING_SVC: &str = "svc-0123456789abcdef0";
const MISSING_SN: &str = "sn-0123456789abcdef0";

fn assert_validation(r: &Resp, reason: &str) {
    assert_eq!(r.outcome(), "400 ValidationException", "{:?}", r.json);
    assert_eq!(r.s("/reason"), reason, "{:?}", r.json);
    assert!(!r.s("/message").is_empty());
    if let Some(list) = r.json.get("fieldList") {
        for field in list.as_array().expect("fieldList is a list") {
            assert!(
                field["name"].is_string() && field["message"].is_string(),
                "{field:?}"
            );
        }
    }
}

#[tokio::test]
async fn the_message_counts_distinct_members_and_the_field_list_each_constraint() {
    let f = Fixture::correct().await;
    // `svc-0123` is both too short and outside the pattern: one parameter, two entries.
    let r = f
        .owner
        .associate_body(
            &json!({ "serviceIdentifier": "svc-0123", "serviceNetworkIdentifier": MISSING_SN }),
        )
        .await;
    assert_validation(&r, "fieldValidationFailed");
    let list = r.json["fieldList"].as_array().cloned().unwrap_or_default();
    assert_eq!(list.len(), 2, "{:?}", r.json);
    assert!(list.iter().all(|f| f["name"] == "serviceIdentifier"));
    let message = r.s("/message");
    assert!(
        message.starts_with("Invalid parameter `serviceIdentifier`:")
            && message.contains("length")
            && message.contains("pattern"),
        "{message}"
    );
    // Two members: two parameters, whatever the number of constraints.
    let r = f
        .owner
        .associate_body(
            &json!({ "serviceIdentifier": "svc-0123", "serviceNetworkIdentifier": "sn" }),
        )
        .await;
    assert_eq!(
        r.s("/message"),
        "2 parameters failed validation: `serviceIdentifier`, `serviceNetworkIdentifier`",
        "{:?}",
        r.json
    );
    assert!(r.json["fieldList"].as_array().map_or(0, Vec::len) >= 3);
}

#[rstest]
#[case::missing_service(json!({ "serviceNetworkIdentifier": MISSING_SN }), "serviceIdentifier")]
#[case::null_service(json!({ "serviceIdentifier": null, "serviceNetworkIdentifier": MISSING_SN }), "serviceIdentifier")]
#[case::missing_network(json!({ "serviceIdentifier": MISSING_SVC }), "serviceNetworkIdentifier")]
#[case::short_service(json!({ "serviceIdentifier": "svc-0123", "serviceNetworkIdentifier": MISSING_SN }), "serviceIdentifier")]
#[case::upper_case_service(json!({ "serviceIdentifier": "svc-0123456789ABCDEF0", "serviceNetworkIdentifier": MISSING_SN }), "serviceIdentifier")]
#[case::network_name(json!({ "serviceIdentifier": MISSING_SVC, "serviceNetworkIdentifier": "my-network" }), "serviceNetworkIdentifier")]
#[case::network_too_short(json!({ "serviceIdentifier": MISSING_SVC, "serviceNetworkIdentifier": "sn" }), "serviceNetworkIdentifier")]
#[case::network_arn_as_service(json!({
    "serviceIdentifier": "arn:aws:vpc-lattice:us-east-1:111122223333:servicenetwork/sn-0123456789abcdef0",
    "serviceNetworkIdentifier": MISSING_SN }), "serviceIdentifier")]
#[case::arabic_digit_account(json!({
    "serviceIdentifier": "arn:aws:vpc-lattice:us-east-1:11112222333٣:service/svc-0123456789abcdef0",
    "serviceNetworkIdentifier": MISSING_SN }), "serviceIdentifier")]
#[case::empty_token(json!({ "serviceIdentifier": MISSING_SVC, "serviceNetworkIdentifier": MISSING_SN, "clientToken": "" }), "clientToken")]
#[case::long_token(json!({ "serviceIdentifier": MISSING_SVC, "serviceNetworkIdentifier": MISSING_SN, "clientToken": "a".repeat(65) }), "clientToken")]
#[case::blank_token(json!({ "serviceIdentifier": MISSING_SVC, "serviceNetworkIdentifier": MISSING_SN, "clientToken": "   " }), "clientToken")]
#[case::non_ascii_token(json!({ "serviceIdentifier": MISSING_SVC, "serviceNetworkIdentifier": MISSING_SN, "clientToken": "é" }), "clientToken")]
#[tokio::test]
async fn invalid_members_are_refused_before_existence_is_checked(
    #[case] body: Value,
    #[case] member: &str,
) {
    let f = Fixture::correct().await;
    let r = f.owner.associate_body(&body).await;
    assert_validation(&r, "fieldValidationFailed");
    let names: Vec<&str> = r.json["fieldList"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["name"].as_str())
        .collect();
    assert!(names.contains(&member), "{names:?}");
}

#[rstest]
#[case::service_as_number(json!({ "serviceIdentifier": 1, "serviceNetworkIdentifier": MISSING_SN }))]
#[case::tags_as_array(json!({ "serviceIdentifier": MISSING_SVC, "serviceNetworkIdentifier": MISSING_SN, "tags": [] }))]
#[case::tag_value_as_number(json!({ "serviceIdentifier": MISSING_SVC, "serviceNetworkIdentifier": MISSING_SN, "tags": { "k": 1 } }))]
#[case::token_as_object(json!({ "serviceIdentifier": MISSING_SVC, "serviceNetworkIdentifier": MISSING_SN, "clientToken": {} }))]
#[tokio::test]
async fn members_of_the_wrong_json_type_cannot_be_parsed(#[case] body: Value) {
    let f = Fixture::correct().await;
    let r = f.owner.associate_body(&body).await;
    assert_validation(&r, "cannotParse");
    assert!(r.json["fieldList"].is_array());
}

#[rstest]
#[case::truncated(&b"{"[..])]
#[case::plain_text(b"hello")]
#[case::array(b"[]")]
#[case::string(b"\"x\"")]
#[case::number(b"1")]
#[case::null(b"null")]
#[case::invalid_utf8(b"{\"serviceIdentifier\": \"\xff\"}")]
#[tokio::test]
async fn malformed_bodies_cannot_be_parsed(#[case] body: &[u8]) {
    let f = Fixture::correct().await;
    let r = f
        .owner
        .send("POST", "/servicenetworkserviceassociations", Some(body))
        .await;
    assert_validation(&r, "cannotParse");
}

#[tokio::test]
async fn well_formed_identifiers_naming_nothing_are_not_found() {
    let f = Fixture::correct().await;
    let (sn, _) = f.owner.network().await;
    let (svc, _) = f.owner.service().await;
    let r = f.owner.associate(MISSING_SVC, &sn, None).await;
    assert_eq!(r.outcome(), "404 ResourceNotFoundException");
    assert_eq!(r.s("/resourceId"), MISSING_SVC);
    assert_eq!(r.s("/resourceType"), "SERVICE");
    let r = f.owner.associate(&svc, MISSING_SN, None).await;
    assert_eq!(r.outcome(), "404 ResourceNotFoundException");
    assert_eq!(r.s("/resourceType"), "SERVICE_NETWORK");
    let own_arn = format!(
        "arn:aws:vpc-lattice:us-east-1:{}:service/{MISSING_SVC}",
        f.owner.account()
    );
    assert_eq!(
        f.owner.associate(&own_arn, &sn, None).await.outcome(),
        "404 ResourceNotFoundException"
    );
}

#[tokio::test]
async fn an_invalid_member_wins_over_a_missing_resource() {
    let f = Fixture::correct().await;
    let body = json!({ "serviceIdentifier": MISSING_SVC, "serviceNetworkIdentifier": MISSING_SN, "clientToken": "a".repeat(65) });
    assert_validation(
        &f.owner.associate_body(&body).await,
        "fieldValidationFailed",
    );
}

#[tokio::test]
async fn nothing_is_created_by_a_refused_request() {
    let f = Fixture::correct().await;
    let (sn, _) = f.owner.network().await;
    let (svc, _) = f.owner.service().await;
    let bad = json!({ "serviceIdentifier": svc, "serviceNetworkIdentifier": sn, "tags": { "aws:x": "y" } });
    assert_eq!(f.owner.associate_body(&bad).await.status, 400);
    let list = f.owner.list_on(&sn).await;
    assert_eq!(list.json["items"].as_array().map(Vec::len), Some(0));
}
