//! TAG: tag limits and character set, and tags attached to the association.

use rstest::rstest;
use serde_json::{json, Map, Value};

use crate::support::Fixture;
use lattice_spec::operations::encode_label;

async fn create_with_tags(tags: Value) -> (u16, String) {
    let f = Fixture::correct().await;
    let (sn, _) = f.owner.network().await;
    let (svc, _) = f.owner.service().await;
    let r = f
        .owner
        .associate_body(
            &json!({ "serviceIdentifier": svc, "serviceNetworkIdentifier": sn, "tags": tags }),
        )
        .await;
    (r.status, r.error_type().unwrap_or_default())
}

fn many(n: usize) -> Value {
    Value::Object(
        (0..n)
            .map(|i| (format!("key{i}"), json!(format!("value{i}"))))
            .collect::<Map<_, _>>(),
    )
}

#[rstest]
#[case::two_hundred_and_one(many(201))]
#[case::empty_key(json!({ "": "v" }))]
#[case::key_of_129(json!({ "é".repeat(129): "v" }))]
#[case::value_of_257(json!({ "k": "é".repeat(257) }))]
#[case::hash_in_key(json!({ "a#b": "v" }))]
#[case::emoji_in_value(json!({ "k": "💥" }))]
#[case::star_in_value(json!({ "k": "a*b" }))]
#[case::aws_prefix(json!({ "aws:team": "v" }))]
#[case::upper_case_aws_prefix(json!({ "AWS:team": "v" }))]
#[case::mixed_case_aws_prefix(json!({ "Aws:team": "v" }))]
#[tokio::test]
async fn tags_outside_the_rules_are_refused(#[case] tags: Value) {
    assert_eq!(
        create_with_tags(tags).await,
        (400, "ValidationException".to_owned())
    );
}

#[rstest]
#[case::none(json!({}))]
#[case::two_hundred(many(200))]
#[case::longest(json!({ "é".repeat(128): "é".repeat(256) }))]
#[case::every_symbol(json!({ "Ünïcödé key_.:/=+-@": "value with spaces _.:/=+-@ 0123" }))]
#[case::empty_value(json!({ "k": "" }))]
#[case::aws_in_value(json!({ "team": "aws:value" }))]
#[tokio::test]
async fn tags_within_the_rules_are_accepted(#[case] tags: Value) {
    assert_eq!(create_with_tags(tags).await.0, 200);
}

#[tokio::test]
async fn tags_given_on_create_are_attached_to_the_association() {
    let f = Fixture::correct().await;
    let (sn, _) = f.owner.network().await;
    let (svc, _) = f.owner.service().await;
    let tags = json!({ "env": "test", "team": "lattice" });
    let r = f
        .owner
        .associate_body(
            &json!({ "serviceIdentifier": svc, "serviceNetworkIdentifier": sn, "tags": tags }),
        )
        .await;
    assert_eq!(r.status, 200);
    let listed = f.owner.tags_of(&r.s("/arn")).await;
    assert_eq!(listed.status, 200);
    assert_eq!(listed.json["tags"], tags);
}

#[tokio::test]
async fn tag_resource_and_untag_resource_round_trip_on_the_association() {
    let f = Fixture::correct().await;
    let (sn, _) = f.owner.network().await;
    let (svc, _) = f.owner.service().await;
    let arn = f.owner.associate(&svc, &sn, None).await.s("/arn");
    let path = format!("/tags/{}", encode_label(&arn));
    let tagged = f
        .owner
        .post(&path, &json!({ "tags": { "a": "1", "b two": "2" } }))
        .await;
    assert_eq!(tagged.status, 200, "{:?}", tagged.json);
    let untagged = f
        .owner
        .send("DELETE", &format!("{path}?tagKeys=a&tagKeys=b%20two"), None)
        .await;
    assert_eq!(untagged.status, 200, "{:?}", untagged.json);
    assert_eq!(f.owner.tags_of(&arn).await.json["tags"], json!({}));
    let bad = f
        .owner
        .post(&path, &json!({ "tags": { "aws:x": "1" } }))
        .await;
    assert_eq!(bad.outcome(), "400 ValidationException");
    let unknown = f
        .owner
        .tags_of(&arn.replace(&arn[arn.len() - 17..], "00000000000000000"))
        .await;
    assert_eq!(unknown.outcome(), "404 ResourceNotFoundException");
}

#[tokio::test]
async fn a_sharee_can_read_but_not_change_the_tags_of_a_shared_network() {
    let f = Fixture::correct().await;
    let (_, sn_arn) = f.owner.network().await;
    f.owner.share(&[&sn_arn], &f.peer).await;
    assert_eq!(f.peer.tags_of(&sn_arn).await.status, 200);
    let path = format!("/tags/{}", encode_label(&sn_arn));
    assert_eq!(
        f.peer
            .post(&path, &json!({ "tags": { "a": "1" } }))
            .await
            .outcome(),
        "403 AccessDeniedException"
    );
    assert_eq!(
        f.outsider.tags_of(&sn_arn).await.outcome(),
        "404 ResourceNotFoundException"
    );
}
