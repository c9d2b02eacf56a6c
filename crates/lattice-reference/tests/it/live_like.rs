//! Live-like mode: AWS's quotas, a rate limit per account answered 429 with `Retry-After`,
//! reads lagging a Create, RAM lagging a share, and the census of what was alive at once.

use std::time::Duration;

use lattice_reference::{Config, LiveLike};
use serde_json::json;

use crate::support::{Fixture, Resp};

/// Live-like settings without delays (each test sets the one it is about).
fn quick() -> LiveLike {
    LiveLike {
        transition: Duration::ZERO,
        service_creation: Duration::ZERO,
        read_lag: Duration::ZERO,
        ram_lag: Duration::ZERO,
        rate_limit: 1000,
        ..LiveLike::default()
    }
}

/// Repeats `call` until it answers `status` (at most 200 times, 25 ms apart).
async fn until<F, Fut>(status: u16, mut call: F) -> Resp
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Resp>,
{
    let mut last = call().await;
    for _ in 0..200 {
        if last.status == status {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
        last = call().await;
    }
    last
}

#[tokio::test]
async fn each_account_beyond_its_rate_is_throttled_with_retry_after() {
    let f = Fixture::start(Config::live_like(LiveLike {
        rate_limit: 1,
        ..quick()
    }))
    .await;
    assert_eq!(f.owner.list_networks("").await.status, 200);
    let r = f.owner.list_networks("").await;
    assert_eq!(r.outcome(), "429 ThrottlingException");
    let retry_after = r.headers.get("retry-after").expect("Retry-After");
    assert!(retry_after.to_str().unwrap().parse::<u32>().unwrap() >= 1);
    // Another account has its own allowance.
    assert_eq!(f.peer.list_networks("").await.status, 200);
    assert_eq!(f.endpoint.rate_limited_count(), 1);
}

#[tokio::test]
async fn a_new_association_is_not_found_and_not_listed_for_a_moment() {
    let f = Fixture::start(Config::live_like(LiveLike {
        read_lag: Duration::from_secs(2),
        ..quick()
    }))
    .await;
    let (svc, sn) = crate::support::pair(&f).await;
    let created = f.owner.associate(&svc, &sn, None).await;
    assert_eq!(created.status, 200, "{:?}", created.json);
    let id = created.s("/id");
    assert_eq!(
        f.owner.get_association(&id).await.outcome(),
        "404 ResourceNotFoundException"
    );
    let listed = f
        .owner
        .list(&format!("serviceNetworkIdentifier={sn}"))
        .await;
    assert_eq!(listed.json["items"], json!([]), "{:?}", listed.json);
    let read = until(200, || f.owner.get_association(&id)).await;
    assert_eq!(read.s("/id"), id);
    let listed = f
        .owner
        .list(&format!("serviceNetworkIdentifier={sn}"))
        .await;
    assert_eq!(listed.s("/items/0/id"), id);
}

#[tokio::test]
async fn an_invitation_reaches_its_receiver_late() {
    let f = Fixture::start(Config::live_like(LiveLike {
        ram_lag: Duration::from_secs(2),
        ..quick()
    }))
    .await;
    let (_, sn_arn) = f.owner.network().await;
    let shared = f
        .owner
        .post(
            "/createresourceshare",
            &json!({ "name": "s", "resourceArns": [sn_arn], "principals": [f.peer.account()] }),
        )
        .await;
    let share = shared.s("/resourceShare/resourceShareArn");
    let query = json!({ "resourceShareArns": [share] });
    let ask = || f.peer.post("/getresourceshareinvitations", &query);
    assert_eq!(ask().await.json["resourceShareInvitations"], json!([]));
    let mut seen = ask().await;
    for _ in 0..200 {
        if seen.json["resourceShareInvitations"] != json!([]) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
        seen = ask().await;
    }
    assert_eq!(
        seen.s("/resourceShareInvitations/0/status"),
        "PENDING",
        "{:?}",
        seen.json
    );
}

#[tokio::test]
async fn the_service_network_quota_is_the_accounts() {
    let f = Fixture::start(Config::live_like(LiveLike {
        networks_per_account: 2,
        ..quick()
    }))
    .await;
    f.owner.network().await;
    f.owner.network().await;
    let r = f
        .owner
        .post("/servicenetworks", &json!({ "name": "third" }))
        .await;
    assert_eq!(r.outcome(), "402 ServiceQuotaExceededException");
    assert_eq!(r.s("/quotaCode"), "L-9CAD07FB");
    // The quota is per account.
    f.peer.network().await;
}

#[tokio::test]
async fn the_census_counts_the_most_alive_at_once() {
    let f = Fixture::start(Config::live_like(quick())).await;
    let (a, _) = f.owner.service().await;
    let (_, _) = f.owner.service().await;
    assert_eq!(f.owner.delete_service(&a).await.status, 200);
    f.owner.network().await;
    let census = reqwest::get(format!("{}/__reference/census", f.endpoint.url()))
        .await
        .expect("census")
        .bytes()
        .await
        .expect("body");
    let census: serde_json::Value = serde_json::from_slice(&census).expect("JSON");
    assert_eq!(census["peak"]["services"], 2, "{census}");
    assert_eq!(census["alive"]["services"], 1, "{census}");
    assert_eq!(census["created"]["serviceNetworks"], 1, "{census}");
    assert_eq!(f.endpoint.census().peak.services, 2);
}
