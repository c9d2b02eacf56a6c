//! `run --plan`: what a run would create and how many requests it would send, without sending
//! any to the target. The same plan (rules, cases, seed, the target's capabilities and
//! principals) runs against an in-process reference endpoint, and its traffic is counted. For a
//! live target the rehearsal's endpoint is live-like (AWS's quotas, transitions, read and RAM
//! lags and a rate limit, [`PLAN_SPEEDUP`] times faster than AWS), so that its polls, retries
//! and fixture releases are those of the run, and its wall time scaled back is the run's.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

use lattice_harness::{HarnessError, Plan, Session};
use lattice_transport::Profile;

/// What a run would do.
#[derive(Debug, Clone, Serialize)]
pub struct DryRun {
    /// The target the plan is for.
    pub target: String,
    /// The endpoint the plan is for (nothing is sent there).
    pub endpoint: String,
    /// Whether that endpoint is live AWS.
    pub live: bool,
    /// Requests, in total (for a live target, retries after its rate limit included).
    pub requests: usize,
    /// Requests per operation.
    pub by_operation: BTreeMap<String, usize>,
    /// The request budget that would apply.
    pub budget: Option<usize>,
    /// Rules selected.
    pub rules: usize,
    /// Services, service networks and associations alive at once, at most (every account).
    pub peak: Counts,
    /// Services, service networks and associations created in all.
    pub created: Counts,
    /// How long the run would take, in seconds (a live target: at AWS's pace, with the
    /// live-like endpoint's rate limit; otherwise the rehearsal's own time).
    pub seconds: f64,
    /// The request rate per account the estimate assumes (live targets).
    pub rate_per_second: Option<u32>,
}

/// Resources by kind (for the plan's JSON).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Services.
    pub services: usize,
    /// Service networks.
    pub service_networks: usize,
    /// Associations.
    pub associations: usize,
}

impl From<lattice_reference::Counts> for Counts {
    fn from(c: lattice_reference::Counts) -> Self {
        Self {
            services: c.services,
            service_networks: c.networks,
            associations: c.associations,
        }
    }
}

/// How many times faster than AWS a live target's rehearsal runs.
pub const PLAN_SPEEDUP: u32 = 20;

impl DryRun {
    /// Resources the run would create, by kind: created in all, and alive at once at most.
    pub fn creates(&self) -> Vec<(&'static str, usize, usize)> {
        let n = |op: &str| self.by_operation.get(op).copied().unwrap_or(0);
        vec![
            ("services", self.created.services, self.peak.services),
            (
                "service networks",
                self.created.service_networks,
                self.peak.service_networks,
            ),
            (
                "associations",
                self.created.associations,
                self.peak.associations,
            ),
            (
                "RAM resource shares",
                n("CreateResourceShare"),
                n("CreateResourceShare"),
            ),
        ]
    }

    /// The plan as text for the console.
    pub fn to_text(&self) -> String {
        let mut out = format!(
            "plan for target `{}` ({}{}): {} rules, about {} requests{}\n",
            self.target,
            self.endpoint,
            if self.live { ", live AWS" } else { "" },
            self.rules,
            self.requests,
            match self.budget {
                Some(b) if b < self.requests =>
                    format!(" (the budget of {b} would stop the run early)"),
                Some(b) => format!(" (budget {b})"),
                None => String::new(),
            }
        );
        out.push_str(&match self.rate_per_second {
            Some(rate) => format!(
                "it would take about {} at AWS's pace ({rate} requests per second per account at most, and the transitions of a few seconds it polls through)\n",
                lattice_transport::time::format_duration(Duration::from_secs_f64(self.seconds.ceil()))
            ),
            None => format!(
                "it would take about {}\n",
                lattice_transport::time::format_duration(Duration::from_secs_f64(self.seconds.ceil()))
            ),
        });
        out.push_str("it would create (services and networks tagged with the run id; everything deleted by the end):\n");
        out.push_str("  total  at once\n");
        for (what, total, peak) in self.creates() {
            out.push_str(&format!("  {total:>5}  {peak:>7}  {what}\n"));
        }
        out.push_str("requests by operation:\n");
        for (op, n) in &self.by_operation {
            out.push_str(&format!("  {n:>5} {op}\n"));
        }
        out.push_str("nothing was sent to the target.\n");
        out
    }
}

/// Computes the dry run of a plan: the same rules, cases and seed, with the target's
/// capabilities, against an embedded reference endpoint; every request (RAM included) goes there,
/// and nothing is sent to the target or resolved.
pub async fn dry_run(plan: &Plan) -> Result<DryRun, HarnessError> {
    let mut rehearsal = plan.clone();
    let endpoint = plan.profile.endpoint.clone();
    let live = plan.profile.live
        || lattice_transport::live::is_live(&endpoint)
        || plan
            .profile
            .ram_endpoint
            .as_deref()
            .is_some_and(lattice_transport::live::is_live);
    let budget = plan.budget.or(plan.profile.budget).or(live.then_some(400));
    // The rehearsal keeps the target's capabilities, against the reference endpoint (which has
    // three principals: for a target with fewer, the figures are an upper bound).
    rehearsal.allow_live = true;
    rehearsal.budget = Some(usize::MAX);
    rehearsal.defects = vec![];
    rehearsal.profile.endpoint = "embedded".into();
    rehearsal.profile.ram_endpoint = None;
    // Live runs skip what live AWS must not get (the quota probe, the snapshot scenarios): keep
    // the flag so that the rehearsal skips them too.
    rehearsal.profile.live = live;
    rehearsal.profile.expected_failures.clear();
    rehearsal.profile.embedded = Profile::load("reference")?.embedded;
    rehearsal.profile.embedded.throttle_every = None;
    let live_like = live.then(|| lattice_reference::LiveLike::at_speedup(PLAN_SPEEDUP));
    if let Some(l) = live_like {
        // The live-like endpoint, and polls as far apart as the run's, both PLAN_SPEEDUP
        // times faster than AWS.
        rehearsal.profile.embedded.live_like = true;
        rehearsal.profile.embedded.speedup = Some(l.speedup);
        let poll = lattice_transport::economy::Economy::LIVE.first_poll / l.speedup;
        rehearsal.profile.limits.poll_ms = Some(poll.as_millis().max(1) as u64);
    }
    let (endpoint_handle, target) = crate::embedded::start(&rehearsal.profile, &[], &[]).await?;
    let started = std::time::Instant::now();
    let session = Session::start(rehearsal, target).await?;
    let _ = session.run_checks(&|_| {}).await;
    let _ = session.cleanup().await;
    let elapsed = started.elapsed();
    let census = endpoint_handle.census();
    let mut by_operation: BTreeMap<String, usize> = session
        .driver()
        .sent_by_operation()
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
    by_operation.retain(|_, v| *v > 0);
    let requests = by_operation.values().sum();
    Ok(DryRun {
        target: plan.profile.name.clone(),
        endpoint,
        live,
        requests,
        by_operation,
        budget,
        rules: session.selected().len(),
        peak: census.peak.into(),
        created: census.created.into(),
        seconds: elapsed.as_secs_f64() * f64::from(live_like.map_or(1, |l| l.speedup)),
        rate_per_second: live_like.map(|l| l.rate_limit),
    })
}
