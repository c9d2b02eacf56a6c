//! QUOTA: service associations per service network.

use lattice_reference::Config;

use crate::support::Fixture;

#[tokio::test]
async fn the_association_beyond_the_quota_is_refused_with_402() {
    let f = Fixture::start(Config {
        quota_per_network: 2,
        ..Config::default()
    })
    .await;
    let (sn, _) = f.owner.network().await;
    for _ in 0..2 {
        let (svc, _) = f.owner.service().await;
        assert_eq!(f.owner.associate(&svc, &sn, None).await.status, 200);
    }
    let (svc, _) = f.owner.service().await;
    let r = f.owner.associate(&svc, &sn, None).await;
    assert_eq!(r.outcome(), "402 ServiceQuotaExceededException");
    assert_eq!(r.s("/serviceCode"), "vpc-lattice");
    assert_eq!(r.s("/quotaCode"), "L-75D4A19E");
    assert_eq!(r.s("/resourceType"), "SERVICE_NETWORK");
    let (other, _) = f.owner.network().await;
    assert_eq!(
        f.owner.associate(&svc, &other, None).await.status,
        200,
        "the quota is per network"
    );
}
