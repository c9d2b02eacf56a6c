//! Target profiles (`specs/targets/*.toml`): the endpoint, region, principals, capabilities and
//! expected failures of a target. See the README, "Target profiles", for the format.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use lattice_spec::Role;
use serde::Deserialize;

use crate::errors::TransportError;

/// The profiles shipped with the tool, by name.
pub const SHIPPED: &[(&str, &str)] = &[
    (
        "reference",
        include_str!("../../../specs/targets/reference.toml"),
    ),
    ("moto", include_str!("../../../specs/targets/moto.toml")),
    ("aws", include_str!("../../../specs/targets/aws.toml")),
];

/// What a target can do; checks that need a missing capability are skipped with the reason.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Capabilities {
    /// Sharing through AWS RAM.
    #[serde(default)]
    pub ram: bool,
    /// Creates and deletes are observably asynchronous (`*_IN_PROGRESS`).
    #[serde(default)]
    pub async_status: bool,
    /// Delete operations exist.
    #[serde(default = "yes")]
    pub delete: bool,
    /// A test-only reset hook, `METHOD PATH` (for example `POST /moto-api/reset`).
    #[serde(default)]
    pub reset_hook: Option<String>,
    /// The associations-per-network quota when it is small enough to reach; never on AWS.
    #[serde(default)]
    pub quota_probe: Option<usize>,
}

fn yes() -> bool {
    true
}

/// Where a principal's credentials come from.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PrincipalSpec {
    /// `owner`, `peer` or `outsider`.
    pub role: Role,
    /// Static access key id.
    #[serde(default)]
    pub access_key_id: Option<String>,
    /// Static secret access key.
    #[serde(default)]
    pub secret_access_key: Option<String>,
    /// Static session token.
    #[serde(default)]
    pub session_token: Option<String>,
    /// A profile of the shared credentials file.
    #[serde(default)]
    pub profile: Option<String>,
    /// `environment`: the standard `AWS_*` variables.
    #[serde(default)]
    pub source: Option<String>,
    /// Extra headers sent with every request of this principal (for example `x-moto-account-id`).
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
}

/// A rule the target is known to break, with the reason.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ExpectedFailure {
    /// The rule id.
    pub rule: String,
    /// One line: what the suite observed.
    pub reason: String,
    /// The verdict the divergence gives: `fail` (the default), or `inconclusive` where another
    /// listed divergence leaves the rule nothing to judge (an emulator that never replays a
    /// token shows nothing about the token's scope).
    #[serde(default)]
    pub verdict: ExpectedVerdict,
}

/// The verdict a listed divergence gives.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ExpectedVerdict {
    /// The rule fails.
    #[default]
    Fail,
    /// The rule is inconclusive.
    Inconclusive,
}

impl ExpectedVerdict {
    /// The verdict's name in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            ExpectedVerdict::Fail => "fail",
            ExpectedVerdict::Inconclusive => "inconclusive",
        }
    }
}

/// Settings of the embedded reference endpoint.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct EmbeddedSettings {
    /// Delay of CREATE_IN_PROGRESS → ACTIVE and DELETE_IN_PROGRESS → gone, in milliseconds.
    #[serde(default)]
    pub transition_delay_ms: u64,
    /// How long a new service is CREATE_IN_PROGRESS, in milliseconds.
    #[serde(default)]
    pub service_creation_delay_ms: u64,
    /// Associations allowed per service network.
    #[serde(default)]
    pub quota_per_network: Option<usize>,
    /// Defects to switch on, by name.
    #[serde(default)]
    pub defects: Vec<String>,
    /// Choices (readings the contract leaves open) to switch on, by name.
    #[serde(default)]
    pub choices: Vec<String>,
    /// Answer every n-th signed VPC Lattice request with 429 and `Retry-After: 0`.
    #[serde(default)]
    pub throttle_every: Option<usize>,
    /// Live-like mode (`serve --live-like`): AWS's default quotas, delays, read and RAM lags
    /// and a rate limit per account; the delays and the quota above are then ignored.
    #[serde(default)]
    pub live_like: bool,
    /// How many times faster than AWS the live-like story runs (1 by default).
    #[serde(default)]
    pub speedup: Option<u32>,
}

/// The run's deadline when neither `--deadline` nor the profile sets one.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(600);

/// The longest cleanup allowance: after the deadline, cleanup gets a quarter of the deadline, at
/// most this.
pub const MAX_CLEANUP_ALLOWANCE: Duration = Duration::from_secs(60);

/// The range a deadline must fall in.
pub const DEADLINE_RANGE: std::ops::RangeInclusive<Duration> =
    Duration::from_secs(1)..=Duration::from_secs(24 * 3600);

/// The range of the circuit breaker's threshold (failed exchanges in a row).
pub const BREAKER_RANGE: std::ops::RangeInclusive<u32> = 1..=1000;

/// Limits of the driver and of the run for this target (defaults: connect 5 s, whole response
/// 20 s, bodies up to 1 MiB, 2 retries for 429/5xx, `Retry-After` honoured up to 5 s, a deadline
/// of 10 minutes, the circuit breaker open after 8 failed exchanges in a row, a quarter of the
/// deadline for waiting on throttling in all).
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Time allowed to connect, in milliseconds.
    #[serde(default)]
    pub connect_timeout_ms: Option<u64>,
    /// Time allowed for a whole response, in milliseconds.
    #[serde(default)]
    pub request_timeout_ms: Option<u64>,
    /// Responses are cut at this many bytes.
    #[serde(default)]
    pub max_body_bytes: Option<usize>,
    /// Retries for 429 and 5xx.
    #[serde(default)]
    pub retries: Option<u32>,
    /// The longest `Retry-After` honoured, in milliseconds.
    #[serde(default)]
    pub max_retry_wait_ms: Option<u64>,
    /// The run's deadline (`10m`, `90s`, `1h30m`); `--deadline` overrides it.
    #[serde(default, deserialize_with = "duration_text")]
    pub deadline: Option<Duration>,
    /// Failed exchanges in a row (timeouts, connection failures, unparsable answers, throttling
    /// or 5xx after the retries) after which the circuit breaker stops all sending.
    #[serde(default)]
    pub breaker_threshold: Option<u32>,
    /// The most time the whole run may wait on throttling, in milliseconds.
    #[serde(default)]
    pub max_throttle_wait_ms: Option<u64>,
    /// The first pause between two polls of a status, in milliseconds (doubling up to 2 s):
    /// 20 by default, 1000 for a live run (its fixture economy).
    #[serde(default)]
    pub poll_ms: Option<u64>,
}

/// A duration written as text (`10m`) in a profile.
fn duration_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
    let text = String::deserialize(d)?;
    crate::time::parse_duration(&text)
        .map(Some)
        .map_err(serde::de::Error::custom)
}

impl Limits {
    /// The run's deadline.
    pub fn deadline(&self) -> Duration {
        self.deadline.unwrap_or(DEFAULT_DEADLINE)
    }

    /// The extra time cleanup gets after the deadline: a quarter of the deadline, at most
    /// [`MAX_CLEANUP_ALLOWANCE`].
    pub fn cleanup_allowance(&self) -> Duration {
        (self.deadline() / 4).min(MAX_CLEANUP_ALLOWANCE)
    }

    /// The most time the whole run may wait on throttling: a quarter of the deadline unless set.
    pub fn max_throttle_wait(&self) -> Duration {
        self.max_throttle_wait_ms
            .map_or(self.deadline() / 4, Duration::from_millis)
    }

    /// The driver configuration these limits give, with a request budget.
    pub fn driver_config(&self, budget: Option<usize>) -> crate::driver::DriverConfig {
        let d = crate::driver::DriverConfig::default();
        crate::driver::DriverConfig {
            connect_timeout: self
                .connect_timeout_ms
                .map_or(d.connect_timeout, Duration::from_millis),
            request_timeout: self
                .request_timeout_ms
                .map_or(d.request_timeout, Duration::from_millis),
            max_body: self.max_body_bytes.unwrap_or(d.max_body),
            retries: self.retries.unwrap_or(d.retries),
            max_retry_wait: self
                .max_retry_wait_ms
                .map_or(d.max_retry_wait, Duration::from_millis),
            budget,
            breaker_threshold: self.breaker_threshold.unwrap_or(d.breaker_threshold),
            max_throttle_wait: self.max_throttle_wait(),
        }
    }
}

/// A target profile.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// The profile's name.
    pub name: String,
    /// A URL, or `embedded` for the reference endpoint started in process.
    pub endpoint: String,
    /// The RAM endpoint, when it differs from `endpoint`.
    #[serde(default)]
    pub ram_endpoint: Option<String>,
    /// The signing region.
    #[serde(default = "default_region")]
    pub region: String,
    /// Whether this is real AWS (needs `--allow-live`).
    #[serde(default)]
    pub live: bool,
    /// A default request budget.
    #[serde(default)]
    pub budget: Option<usize>,
    /// What the target can do.
    #[serde(default)]
    pub capabilities: Capabilities,
    /// Up to three principals: owner, peer, outsider.
    #[serde(default)]
    pub principals: Vec<PrincipalSpec>,
    /// Rules the target is known to break.
    #[serde(default)]
    pub expected_failures: Vec<ExpectedFailure>,
    /// Settings for `endpoint = "embedded"`.
    #[serde(default)]
    pub embedded: EmbeddedSettings,
    /// Driver limits (timeouts, response cap, retries).
    #[serde(default)]
    pub limits: Limits,
}

fn default_region() -> String {
    "us-east-1".into()
}

impl Profile {
    /// Parses a profile text; `name` is used in error messages.
    pub fn parse(name: &str, text: &str) -> Result<Self, TransportError> {
        let profile: Profile = toml::from_str(text).map_err(|e| TransportError::BadProfile {
            name: name.into(),
            message: e.to_string().trim().to_owned(),
        })?;
        profile.validate(name)?;
        Ok(profile)
    }

    fn validate(&self, name: &str) -> Result<(), TransportError> {
        let bad = |message: String| {
            Err(TransportError::BadProfile {
                name: name.into(),
                message,
            })
        };
        for (i, p) in self.principals.iter().enumerate() {
            if self.principals[..i].iter().any(|q| q.role == p.role) {
                return bad(format!(
                    "principal `{}` is given twice (hint: one [[principals]] table per role)",
                    p.role
                ));
            }
            if p.access_key_id.is_some() != p.secret_access_key.is_some() {
                return bad(format!(
                    "principal `{}` needs both access_key_id and secret_access_key",
                    p.role
                ));
            }
            if let Some(s) = &p.source {
                if s != "environment" {
                    return bad(format!(
                        "principal `{}`: source `{s}` is not `environment`",
                        p.role
                    ));
                }
            }
        }
        if let Some(problem) = crate::validate::profile(self) {
            return bad(problem);
        }
        for f in &self.expected_failures {
            if lattice_spec::Catalogue::embedded().get(&f.rule).is_none() {
                return bad(format!(
                    "expected failure names unknown rule `{}` (hint: `lattice-conformance rules`)",
                    f.rule
                ));
            }
        }
        Ok(())
    }

    /// Checks the profile again after overrides (`--endpoint`, `AWS_ENDPOINT_URL*`, `AWS_REGION`,
    /// `--deadline`): every value in its range, before any request.
    pub fn check(&self) -> Result<(), TransportError> {
        self.validate(&self.name)
    }

    /// Loads a shipped profile by name, or a profile file by path.
    pub fn load(name_or_path: &str) -> Result<Self, TransportError> {
        if let Some((_, text)) = SHIPPED.iter().find(|(n, _)| *n == name_or_path) {
            return Self::parse(name_or_path, text);
        }
        let path = Path::new(name_or_path);
        if path.extension().is_some_and(|e| e == "toml") || path.exists() {
            let text = crate::files::read_bounded(path, crate::files::MAX_PROFILE_BYTES).map_err(
                |source| TransportError::ReadProfile {
                    path: path.to_path_buf(),
                    source,
                },
            )?;
            return Self::parse(name_or_path, &text);
        }
        Err(TransportError::UnknownTarget {
            name: name_or_path.into(),
            known: SHIPPED
                .iter()
                .map(|(n, _)| *n)
                .collect::<Vec<_>>()
                .join(", "),
        })
    }

    /// Applies the standard AWS environment variables: `AWS_ENDPOINT_URL_VPC_LATTICE`, then
    /// `AWS_ENDPOINT_URL`, and `AWS_REGION` (or `AWS_DEFAULT_REGION`). An explicit `--endpoint`
    /// is applied after this by the caller.
    pub fn apply_environment(&mut self, env: &dyn Fn(&str) -> Option<String>) {
        if self.endpoint != "embedded" {
            if let Some(url) = env("AWS_ENDPOINT_URL_VPC_LATTICE")
                .or_else(|| env("AWS_ENDPOINT_URL"))
                .filter(|s| !s.is_empty())
            {
                self.endpoint = url;
            }
        }
        if let Some(region) = env("AWS_REGION")
            .or_else(|| env("AWS_DEFAULT_REGION"))
            .filter(|s| !s.is_empty())
        {
            self.region = region;
        }
    }

    /// The expected failure for a rule, if listed.
    pub fn expected_failure(&self, rule: &str) -> Option<&ExpectedFailure> {
        self.expected_failures.iter().find(|f| f.rule == rule)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_profiles_parse() {
        for (name, _) in SHIPPED {
            let p = Profile::load(name).unwrap();
            assert_eq!(&p.name, name);
        }
        assert!(Profile::load("aws").unwrap().live);
    }

    #[test]
    fn bad_profiles_say_what_is_wrong() {
        let err = Profile::parse("x", "name = 'x'\nendpoint = 'ftp://h'")
            .unwrap_err()
            .to_string();
        assert!(err.contains("ftp://h"), "{err}");
        let err = Profile::parse("x", "name = 'x'\nendpoint = 'embedded'\nbogus = 1")
            .unwrap_err()
            .to_string();
        assert!(err.contains("bogus"), "{err}");
        let err = Profile::parse(
            "x",
            "name = 'x'\nendpoint = 'embedded'\n[[principals]]\nrole = 'owner'\naccess_key_id = 'A'\n",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("secret_access_key"), "{err}");
        let err = Profile::parse("x", "name = 'x'\nendpoint = 'embedded'\n[[expected_failures]]\nrule = 'NOPE-1'\nreason = 'r'\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("NOPE-1"), "{err}");
        assert!(Profile::load("nonexistent-target")
            .unwrap_err()
            .to_string()
            .contains("reference"));
    }

    #[test]
    fn run_limits_have_defaults_and_ranges() {
        let p = Profile::load("reference").unwrap();
        assert_eq!(p.limits.deadline(), DEFAULT_DEADLINE);
        assert_eq!(p.limits.cleanup_allowance(), MAX_CLEANUP_ALLOWANCE);
        assert_eq!(p.limits.max_throttle_wait(), Duration::from_secs(150));
        let config = p.limits.driver_config(None);
        assert_eq!(config.breaker_threshold, 8);
        let text = "name = 'x'\nendpoint = 'embedded'\n[limits]\ndeadline = '20s'\nbreaker_threshold = 3\n";
        let p = Profile::parse("x", text).unwrap();
        assert_eq!(p.limits.deadline(), Duration::from_secs(20));
        assert_eq!(p.limits.cleanup_allowance(), Duration::from_secs(5));
        assert_eq!(p.limits.driver_config(None).breaker_threshold, 3);
        for (limits, says) in [
            ("deadline = 'soon'", "soon"),
            ("deadline = '0s'", "out of range"),
            ("deadline = '25h'", "out of range"),
            ("breaker_threshold = 0", "breaker_threshold"),
            ("breaker_threshold = 1001", "breaker_threshold"),
        ] {
            let text = format!("name = 'x'\nendpoint = 'embedded'\n[limits]\n{limits}\n");
            let err = Profile::parse("x", &text).unwrap_err().to_string();
            assert!(err.contains(says), "{limits}: {err}");
        }
    }

    #[test]
    fn environment_overrides_endpoint_and_region() {
        let mut p = Profile::load("moto").unwrap();
        let env = |k: &str| match k {
            "AWS_ENDPOINT_URL" => Some("http://127.0.0.1:9".to_owned()),
            "AWS_ENDPOINT_URL_VPC_LATTICE" => Some("http://127.0.0.1:7".to_owned()),
            "AWS_REGION" => Some("eu-west-1".to_owned()),
            _ => None,
        };
        p.apply_environment(&env);
        assert_eq!(
            (p.endpoint.as_str(), p.region.as_str()),
            ("http://127.0.0.1:7", "eu-west-1")
        );
    }
}
