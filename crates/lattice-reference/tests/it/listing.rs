//! ListServiceNetworkServiceAssociations: filters, validation and pagination.

use std::collections::BTreeSet;

use crate::support::Fixture;

#[tokio::test]
async fn list_requires_a_filter_and_valid_parameters() {
    let f = Fixture::correct().await;
    let (sn, _) = f.owner.network().await;
    assert_eq!(f.owner.list("").await.outcome(), "400 ValidationException");
    assert_eq!(
        f.owner.list("maxResults=5").await.outcome(),
        "400 ValidationException"
    );
    for bad in [
        "maxResults=0",
        "maxResults=101",
        "maxResults=x",
        "nextToken=bogus",
    ] {
        assert_eq!(
            f.owner
                .list(&format!("serviceNetworkIdentifier={sn}&{bad}"))
                .await
                .outcome(),
            "400 ValidationException",
            "{bad}"
        );
    }
    assert_eq!(
        f.owner
            .list("serviceNetworkIdentifier=my-network")
            .await
            .outcome(),
        "400 ValidationException"
    );
    let missing = f
        .owner
        .list("serviceIdentifier=svc-0123456789abcdef0")
        .await;
    assert_eq!(
        (
            missing.status,
            missing.json["items"].as_array().map(Vec::len)
        ),
        (200, Some(0))
    );
}

#[tokio::test]
async fn list_filters_by_network_and_by_service() {
    let f = Fixture::correct().await;
    let (sn1, _) = f.owner.network().await;
    let (sn2, _) = f.owner.network().await;
    let (svc1, _) = f.owner.service().await;
    let (svc2, _) = f.owner.service().await;
    for (s, n) in [(&svc1, &sn1), (&svc2, &sn1), (&svc1, &sn2)] {
        assert_eq!(f.owner.associate(s, n, None).await.status, 200);
    }
    let count = |r: crate::support::Resp| r.json["items"].as_array().map(Vec::len);
    assert_eq!(
        count(
            f.owner
                .list(&format!("serviceNetworkIdentifier={sn1}"))
                .await
        ),
        Some(2)
    );
    assert_eq!(
        count(f.owner.list(&format!("serviceIdentifier={svc1}")).await),
        Some(2)
    );
    assert_eq!(
        count(
            f.owner
                .list(&format!(
                    "serviceIdentifier={svc1}&serviceNetworkIdentifier={sn2}"
                ))
                .await
        ),
        Some(1)
    );
}

#[tokio::test]
async fn pages_cover_every_association_once() {
    let f = Fixture::correct().await;
    let (sn, _) = f.owner.network().await;
    let mut created = BTreeSet::new();
    for _ in 0..7 {
        let (svc, _) = f.owner.service().await;
        created.insert(f.owner.associate(&svc, &sn, None).await.s("/id"));
    }
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut q = format!("serviceNetworkIdentifier={sn}&maxResults=3");
        if let Some(t) = &token {
            q.push_str(&format!("&nextToken={t}"));
        }
        let page = f.owner.list(&q).await;
        assert_eq!(page.status, 200);
        let items = page.json["items"].as_array().cloned().unwrap_or_default();
        assert!(items.len() <= 3);
        seen.extend(
            items
                .iter()
                .map(|i| i["id"].as_str().unwrap_or_default().to_owned()),
        );
        match page.json.get("nextToken").and_then(|t| t.as_str()) {
            Some(t) => token = Some(t.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 7);
    assert_eq!(seen.into_iter().collect::<BTreeSet<_>>(), created);
}
