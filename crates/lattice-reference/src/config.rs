//! The endpoint's configuration: region, partition, the principals it knows, the quota, the
//! transition delay, the defects switched on at start, and the fault and failure plans.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

use crate::choice::Choice;
use crate::defect::Defect;
use crate::failures::FailurePlan;
use crate::faults::Fault;
use crate::live_like::LiveLike;

/// A caller the endpoint knows: a name, an account and a SigV4 access key pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestPrincipal {
    /// A role name: the built-in ones are `owner`, `peer` and `outsider`.
    pub name: String,
    /// The 12-digit account id the access key belongs to.
    pub account: String,
    /// The access key id (appears in the SigV4 credential scope).
    pub access_key: String,
    /// The secret access key.
    pub secret_key: String,
}

impl TestPrincipal {
    /// Builds a principal from its four parts.
    pub fn new(name: &str, account: &str, access_key: &str, secret_key: &str) -> Self {
        Self {
            name: name.to_owned(),
            account: account.to_owned(),
            access_key: access_key.to_owned(),
            secret_key: secret_key.to_owned(),
        }
    }
}

/// How the reference endpoint behaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The region requests must be signed for (default `us-east-1`).
    pub region: String,
    /// The ARN partition (default `aws`).
    pub partition: String,
    /// The known callers; the defaults are three test principals with distinct accounts.
    pub principals: Vec<TestPrincipal>,
    /// Service associations allowed per service network (default 500, quota `L-75D4A19E`).
    pub quota_per_network: usize,
    /// How long `CREATE_IN_PROGRESS` and `DELETE_IN_PROGRESS` last (default zero: at once).
    pub transition_delay: Duration,
    /// How long a new service is `CREATE_IN_PROGRESS` (default zero: `ACTIVE` at once); a Create
    /// naming it meanwhile is 409 `ConflictException`.
    pub service_creation_delay: Duration,
    /// The defects switched on at start (default none: a conformant endpoint).
    pub defects: BTreeSet<Defect>,
    /// The readings the contract leaves open that the endpoint takes instead of its defaults
    /// (default none; each is conformant).
    pub choices: BTreeSet<Choice>,
    /// Answer every n-th signed request to an operation that models `ThrottlingException` with
    /// 429 and `Retry-After: 0` (default none), so that clients' retries and the suite's
    /// `Retry-After` rule are exercised.
    pub throttle_every: Option<usize>,
    /// Append one JSON line per received request to this file (truncated at start), without
    /// secrets, for `check-client` (default none).
    pub record: Option<PathBuf>,
    /// The fault plan: Create requests that answer 500, 429 or an unmodelled error once
    /// (default none).
    pub faults: Vec<Fault>,
    /// The failure plan: associations whose creation ends `CREATE_FAILED`, or whose deletion
    /// ends `DELETE_FAILED`, after the transition delay (default none).
    pub failures: FailurePlan,
    /// Live-like mode (default off): AWS's quotas, read and RAM lags and a rate limit per
    /// account; [`Config::live_like`] also sets the delays from it.
    pub live_like: Option<LiveLike>,
}

/// The built-in `owner` principal's account.
pub const OWNER_ACCOUNT: &str = "111122223333";
/// The built-in `peer` principal's account.
pub const PEER_ACCOUNT: &str = "444455556666";
/// The built-in `outsider` principal's account.
pub const OUTSIDER_ACCOUNT: &str = "777788889999";

impl Config {
    /// The three built-in test principals: `owner`, `peer` and `outsider` (local test keys).
    pub fn test_principals() -> Vec<TestPrincipal> {
        vec![
            TestPrincipal::new(
                "owner",
                OWNER_ACCOUNT,
                "AKIDLATTICEOWNER0001",
                "ownerSecretKey0000000000000000000000000001",
            ),
            TestPrincipal::new(
                "peer",
                PEER_ACCOUNT,
                "AKIDLATTICEPEER00002",
                "peerSecretKey00000000000000000000000000002",
            ),
            TestPrincipal::new(
                "outsider",
                OUTSIDER_ACCOUNT,
                "AKIDLATTICEOUTSIDER3",
                "outsiderSecretKey0000000000000000000000003",
            ),
        ]
    }

    /// A live-like endpoint ([`LiveLike`]): the defaults of [`Config`] with the transition and
    /// service creation delays, the association quota and the live-like behaviour of `live`.
    pub fn live_like(live: LiveLike) -> Self {
        Self {
            transition_delay: live.real(live.transition),
            service_creation_delay: live.real(live.service_creation),
            quota_per_network: live.associations_per_network,
            live_like: Some(live),
            ..Self::default()
        }
    }

    /// The principal with this name (`owner`, `peer`, `outsider`), if configured.
    pub fn principal(&self, name: &str) -> Option<&TestPrincipal> {
        self.principals.iter().find(|p| p.name == name)
    }

    /// The principal with this access key id, if configured.
    pub fn principal_by_key(&self, access_key: &str) -> Option<&TestPrincipal> {
        self.principals.iter().find(|p| p.access_key == access_key)
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            region: "us-east-1".to_owned(),
            partition: "aws".to_owned(),
            principals: Self::test_principals(),
            quota_per_network: 500,
            transition_delay: Duration::ZERO,
            service_creation_delay: Duration::ZERO,
            defects: BTreeSet::new(),
            choices: BTreeSet::new(),
            throttle_every: None,
            record: None,
            faults: Vec::new(),
            failures: FailurePlan::default(),
            live_like: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_principals_have_distinct_twelve_digit_accounts() {
        let config = Config::default();
        let accounts: BTreeSet<&str> = config
            .principals
            .iter()
            .map(|p| p.account.as_str())
            .collect();
        assert_eq!(accounts.len(), 3);
        assert!(accounts
            .iter()
            .all(|a| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit())));
        for name in ["owner", "peer", "outsider"] {
            let p = config.principal(name).expect(name);
            assert_eq!(config.principal_by_key(&p.access_key), Some(p));
        }
    }
}
