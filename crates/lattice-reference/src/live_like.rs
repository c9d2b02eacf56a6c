//! Live-like mode ([`LiveLike`], `serve --live-like`): the endpoint behaves as real AWS is seen
//! to, so that a live run can be proved without AWS. AWS's default quotas (50 service networks
//! and 2,000 services per account and Region, 500 associations per service network:
//! <https://docs.aws.amazon.com/vpc-lattice/latest/ug/quotas.html>); associations and new
//! services pass through `*_IN_PROGRESS` for a few seconds; a new association is not readable for
//! a moment (Get answers 404, List leaves it out); a RAM invitation reaches its receiver, and an
//! accepted share its resources, only after a propagation delay; and each account's requests are
//! rate-limited (a token bucket), the excess answered 429 `ThrottlingException` with a
//! `Retry-After` of whole seconds.
//!
//! Every duration is given at AWS's pace and divided by [`LiveLike::speedup`] (and the rate
//! multiplied by it), so that a test can run the same story ten or fifty times faster; the
//! `Retry-After` it sends is in the story's seconds, which a client run at the same speedup
//! waits out at the same pace.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The settings of live-like mode, at AWS's pace (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LiveLike {
    /// How many times faster than AWS the story runs (1: AWS's pace).
    pub speedup: u32,
    /// How long an association is `CREATE_IN_PROGRESS`, and `DELETE_IN_PROGRESS` (also how long
    /// a deleted service or network is being deleted).
    pub transition: Duration,
    /// How long a new service is `CREATE_IN_PROGRESS`.
    pub service_creation: Duration,
    /// How long Get answers 404 for a new association, and List leaves it out.
    pub read_lag: Duration,
    /// How long a RAM invitation takes to reach its receiver, and an accepted share to make its
    /// resources usable by the receiver (until then they are not found).
    pub ram_lag: Duration,
    /// Requests per second per account (a token bucket as deep as one second of requests).
    pub rate_limit: u32,
    /// Service networks per account (quota `L-9CAD07FB`).
    pub networks_per_account: usize,
    /// Services per account (quota `L-620C821E`).
    pub services_per_account: usize,
    /// Associations per service network (quota `L-75D4A19E`).
    pub associations_per_network: usize,
}

/// The quota code of "service networks per Region".
pub(crate) const NETWORKS_QUOTA_CODE: &str = "L-9CAD07FB";
/// The quota code of "services per Region".
pub(crate) const SERVICES_QUOTA_CODE: &str = "L-620C821E";

impl Default for LiveLike {
    /// AWS's default quotas, transitions of a few seconds, a one-second read and RAM lag, and
    /// 10 requests per second per account (AWS publishes no rate for these operations: an
    /// assumption of this endpoint, not a fact about AWS).
    fn default() -> Self {
        Self {
            speedup: 1,
            transition: Duration::from_millis(2500),
            service_creation: Duration::from_millis(2000),
            read_lag: Duration::from_millis(1000),
            ram_lag: Duration::from_millis(1000),
            rate_limit: 10,
            networks_per_account: 50,
            services_per_account: 2000,
            associations_per_network: 500,
        }
    }
}

impl LiveLike {
    /// The defaults, `speedup` times faster.
    pub fn at_speedup(speedup: u32) -> Self {
        Self {
            speedup: speedup.max(1),
            ..Self::default()
        }
    }

    /// A duration of the story, in real time.
    pub fn real(&self, story: Duration) -> Duration {
        story / self.speedup.max(1)
    }
}

/// In live-like mode, refuses a new service or service network (`kind`) when the caller's
/// account already has as many as its quota allows (those being deleted count until gone):
/// 402 `ServiceQuotaExceededException` naming the quota.
pub(crate) fn refuse_over_account_quota(
    ctx: &crate::context::Ctx<'_>,
    kind: lattice_spec::ids::ResourceKind,
) -> Result<(), crate::errors::ApiError> {
    use lattice_spec::ids::ResourceKind;
    let Some(live) = ctx.config.live_like else {
        return Ok(());
    };
    let (count, quota, code, what) = match kind {
        ResourceKind::ServiceNetwork => (
            ctx.world
                .networks
                .values()
                .filter(|n| n.account == ctx.caller)
                .count(),
            live.networks_per_account,
            NETWORKS_QUOTA_CODE,
            "service networks",
        ),
        _ => (
            ctx.world
                .services
                .values()
                .filter(|s| s.account == ctx.caller)
                .count(),
            live.services_per_account,
            SERVICES_QUOTA_CODE,
            "services",
        ),
    };
    if count < quota {
        return Ok(());
    }
    Err(crate::errors::ApiError::Quota {
        message: format!("The account already has {count} {what} in this Region (quota {quota})."),
        resource_id: None,
        resource_type: crate::errors::resource_type(kind),
        quota_code: code,
    })
}

/// One account's bucket.
#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// The per-account rate limit of live-like mode.
#[derive(Debug)]
pub(crate) struct Limiter {
    /// Tokens per real second.
    rate: f64,
    /// The bucket's depth (one second of the story's requests).
    depth: f64,
    speedup: f64,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl Limiter {
    /// The limiter of these settings.
    pub(crate) fn new(live: &LiveLike) -> Self {
        let per_story_second = f64::from(live.rate_limit.max(1));
        let speedup = f64::from(live.speedup.max(1));
        Self {
            rate: per_story_second * speedup,
            depth: per_story_second,
            speedup,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes a token for `account`: `None` when one was there, else the whole seconds of the
    /// story until one will be (at least 1), for `Retry-After`.
    pub(crate) fn take(&self, account: &str, now: Instant) -> Option<u32> {
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let bucket = buckets.entry(account.to_owned()).or_insert(Bucket {
            tokens: self.depth,
            at: now,
        });
        let refill = now.saturating_duration_since(bucket.at).as_secs_f64() * self.rate;
        bucket.tokens = (bucket.tokens + refill).min(self.depth);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            return None;
        }
        let real_wait = (1.0 - bucket.tokens) / self.rate;
        Some(((real_wait * self.speedup).ceil() as u32).max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_account_gets_one_second_of_requests_at_once_then_the_rate() {
        let live = LiveLike {
            rate_limit: 5,
            ..LiveLike::default()
        };
        let limiter = Limiter::new(&live);
        let t0 = Instant::now();
        for _ in 0..5 {
            assert_eq!(limiter.take("a", t0), None);
        }
        assert_eq!(limiter.take("a", t0), Some(1));
        // Another account has a bucket of its own.
        assert_eq!(limiter.take("b", t0), None);
        // A fifth of a second later, one more token.
        let later = t0 + Duration::from_millis(201);
        assert_eq!(limiter.take("a", later), None);
        assert_eq!(limiter.take("a", later), Some(1));
    }

    #[test]
    fn a_faster_story_refills_faster_and_still_speaks_in_its_own_seconds() {
        let live = LiveLike {
            rate_limit: 1,
            ..LiveLike::at_speedup(10)
        };
        assert_eq!(
            live.real(Duration::from_secs(2)),
            Duration::from_millis(200)
        );
        let limiter = Limiter::new(&live);
        let t0 = Instant::now();
        assert_eq!(limiter.take("a", t0), None);
        assert_eq!(limiter.take("a", t0), Some(1));
        assert_eq!(limiter.take("a", t0 + Duration::from_millis(101)), None);
    }
}
