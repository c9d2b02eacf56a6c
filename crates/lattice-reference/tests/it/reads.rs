//! The reads clients and infrastructure tools make around an association: ListServiceNetworks,
//! ListServices, GetService, GetServiceNetwork and the tag operations, with the visibility,
//! pagination and shapes of the model.

use std::collections::BTreeSet;

use lattice_spec::operations::encode_label;
use serde_json::{json, Value};

use crate::support::{model, Client, Fixture, Resp};

fn ids(r: &Resp) -> BTreeSet<String> {
    r.json["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| i["id"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

#[tokio::test]
async fn list_service_networks_shows_what_the_account_owns_and_what_was_shared_with_it() {
    let f = Fixture::correct().await;
    let (sn1, sn1_arn) = f.owner.network().await;
    let (sn2, _) = f.owner.network().await;
    let (sn3, _) = f.peer.network().await;
    f.owner.share(&[&sn1_arn], &f.peer).await;

    let owner = f.owner.list_networks("").await;
    assert_eq!(owner.status, 200, "{:?}", owner.json);
    assert_eq!(ids(&owner), set(&[&sn1, &sn2]));
    assert_eq!(ids(&f.peer.list_networks("").await), set(&[&sn1, &sn3]));
    let outsider = f.outsider.list_networks("").await;
    assert_eq!(
        (
            outsider.status,
            outsider.json["items"].as_array().map(Vec::len)
        ),
        (200, Some(0)),
        "items is required, even when empty: {:?}",
        outsider.json
    );
    // The ARN carries the owner's account, so a sharee can tell what is its own.
    let peer = f.peer.list_networks("").await;
    let shared = peer.json["items"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["id"] == sn1.as_str()))
        .cloned()
        .unwrap_or_default();
    assert_eq!(shared["arn"], sn1_arn.as_str());
}

#[tokio::test]
async fn list_services_shows_owned_and_shared_services_but_not_a_deleted_share() {
    let f = Fixture::correct().await;
    let (svc1, svc1_arn) = f.owner.service().await;
    let (svc2, _) = f.peer.service().await;
    let share = f.owner.share(&[&svc1_arn], &f.peer).await;
    assert_eq!(ids(&f.peer.list_services("").await), set(&[&svc1, &svc2]));
    assert_eq!(f.owner.unshare(&share).await.status, 200);
    assert_eq!(ids(&f.peer.list_services("").await), set(&[&svc2]));
    assert_eq!(ids(&f.owner.list_services("").await), set(&[&svc1]));
}

async fn all_pages(client: &Client, list: &str, max: usize) -> Vec<String> {
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut query = format!("maxResults={max}");
        if let Some(t) = &token {
            query.push_str(&format!("&nextToken={}", encode_label(t)));
        }
        let page = client.send("GET", &format!("{list}?{query}"), None).await;
        assert_eq!(page.status, 200, "{:?}", page.json);
        let items = page.json["items"].as_array().cloned().unwrap_or_default();
        assert!(
            items.len() <= max,
            "{} items on a page of {max}",
            items.len()
        );
        seen.extend(
            items
                .iter()
                .map(|i| i["id"].as_str().unwrap_or_default().to_owned()),
        );
        match page.json.get("nextToken").and_then(Value::as_str) {
            Some(t) => token = Some(t.to_owned()),
            None => return seen,
        }
    }
}

#[tokio::test]
async fn lists_page_through_every_item_once_in_creation_order() {
    let f = Fixture::correct().await;
    let mut services = Vec::new();
    let mut networks = Vec::new();
    for _ in 0..5 {
        services.push(f.owner.service().await.0);
        networks.push(f.owner.network().await.0);
    }
    assert_eq!(all_pages(&f.owner, "/services", 2).await, services);
    assert_eq!(all_pages(&f.owner, "/servicenetworks", 2).await, networks);
    assert_eq!(all_pages(&f.owner, "/servicenetworks", 5).await, networks);
    let one = f.owner.list_networks("maxResults=5").await;
    assert!(one.json.get("nextToken").is_none(), "{:?}", one.json);
}

#[tokio::test]
async fn list_parameters_outside_the_model_are_refused() {
    let f = Fixture::correct().await;
    for list in ["/services", "/servicenetworks"] {
        for bad in [
            "maxResults=0",
            "maxResults=101",
            "maxResults=x",
            "nextToken=bogus",
            "nextToken=",
        ] {
            let r = f.owner.send("GET", &format!("{list}?{bad}"), None).await;
            assert_eq!(r.outcome(), "400 ValidationException", "{list}?{bad}");
            assert_eq!(r.s("/reason"), "fieldValidationFailed", "{list}?{bad}");
        }
        for good in ["maxResults=1", "maxResults=100", "unknownParameter=1"] {
            let r = f.owner.send("GET", &format!("{list}?{good}"), None).await;
            assert_eq!(r.status, 200, "{list}?{good}: {:?}", r.json);
        }
    }
}

#[tokio::test]
async fn a_network_summary_counts_its_associated_services() {
    let f = Fixture::correct().await;
    let (sn, _) = f.owner.network().await;
    for _ in 0..2 {
        let (svc, _) = f.owner.service().await;
        assert_eq!(f.owner.associate(&svc, &sn, None).await.status, 200);
    }
    let listed = f.owner.list_networks("").await;
    assert_eq!(listed.json["items"][0]["numberOfAssociatedServices"], 2);
    assert_eq!(listed.json["items"][0]["numberOfAssociatedVPCs"], 0);
}

/// The members of a botocore structure shape, and its required ones.
fn members(model: &Value, shape: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let s = &model["shapes"][shape];
    let all = s["members"]
        .as_object()
        .unwrap_or_else(|| panic!("{shape} is not a structure"))
        .keys()
        .cloned()
        .collect();
    let required = s["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    (all, required)
}

/// Asserts that `body` has only members of `shape`, and every required one.
fn assert_shape(model: &Value, shape: &str, body: &Value) {
    let (all, required) = members(model, shape);
    let found: BTreeSet<String> = body
        .as_object()
        .unwrap_or_else(|| panic!("{shape}: {body} is not an object"))
        .keys()
        .cloned()
        .collect();
    let unmodelled: Vec<&String> = found.difference(&all).collect();
    assert!(
        unmodelled.is_empty(),
        "{shape} has no {unmodelled:?}: {body}"
    );
    let missing: Vec<&String> = required.difference(&found).collect();
    assert!(missing.is_empty(), "{shape} requires {missing:?}: {body}");
}

/// Asserts that a response is 200 with the operation's modelled output shape and, for a list,
/// items of the modelled member shape.
fn assert_output(model: &Value, operation: &str, r: &Resp) {
    assert_eq!(r.status, 200, "{operation}: {:?}", r.json);
    let output = model["operations"][operation]["output"]["shape"]
        .as_str()
        .unwrap_or_else(|| panic!("{operation} has no output"));
    assert_shape(model, output, &r.json);
    let items = &model["shapes"][output]["members"]["items"]["shape"];
    if let Some(list) = items.as_str() {
        let item = model["shapes"][list]["member"]["shape"].as_str().unwrap();
        let found = r.json["items"].as_array().cloned().unwrap_or_default();
        assert!(!found.is_empty(), "{operation}: no item to check");
        for i in &found {
            assert_shape(model, item, i);
        }
    }
}

#[tokio::test]
async fn reads_and_tag_operations_answer_the_modelled_shapes() {
    let m = model("vpc-lattice-2022-11-30");
    let f = Fixture::correct().await;
    let (sn, sn_arn) = f.owner.network().await;
    let (svc, svc_arn) = f.owner.service().await;
    let created = f.owner.associate(&svc, &sn, None).await;
    let snsa_arn = created.s("/arn");
    let o = &f.owner;
    let checks = [
        (
            "GetService",
            o.send("GET", &format!("/services/{svc}"), None).await,
        ),
        (
            "GetService",
            o.send(
                "GET",
                &format!("/services/{}", encode_label(&svc_arn)),
                None,
            )
            .await,
        ),
        (
            "GetServiceNetwork",
            o.send("GET", &format!("/servicenetworks/{sn}"), None).await,
        ),
        ("ListServices", o.list_services("").await),
        ("ListServiceNetworks", o.list_networks("").await),
        (
            "TagResource",
            o.post(
                &format!("/tags/{}", encode_label(&snsa_arn)),
                &json!({ "tags": { "team": "a", "env": "b" } }),
            )
            .await,
        ),
        (
            "UntagResource",
            o.send(
                "DELETE",
                &format!("/tags/{}?tagKeys=env", encode_label(&snsa_arn)),
                None,
            )
            .await,
        ),
        ("ListTagsForResource", o.tags_of(&snsa_arn).await),
        (
            "TagResource",
            o.post(
                &format!("/tags/{}", encode_label(&sn_arn)),
                &json!({ "tags": { "team": "a" } }),
            )
            .await,
        ),
        ("ListTagsForResource", o.tags_of(&sn_arn).await),
    ];
    for (operation, r) in &checks {
        assert_output(&m, operation, r);
    }
    assert_eq!(
        o.tags_of(&snsa_arn).await.json["tags"],
        json!({ "team": "a" })
    );
}
