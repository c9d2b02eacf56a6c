//! `run --plan`: what a run would create and how many requests it would send, without sending
//! any to the target. The same plan (rules, cases, seed, the target's capabilities and
//! principals) runs against an in-process reference endpoint, and its traffic is counted.

use std::collections::BTreeMap;

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
    /// Requests, in total (retries excluded: a conformant endpoint that never throttles).
    pub requests: usize,
    /// Requests per operation.
    pub by_operation: BTreeMap<String, usize>,
    /// The request budget that would apply.
    pub budget: Option<usize>,
    /// Rules selected.
    pub rules: usize,
}

impl DryRun {
    /// Resources the run would create, by kind (from the create operations' counts).
    pub fn creates(&self) -> Vec<(&'static str, usize)> {
        let n = |op: &str| self.by_operation.get(op).copied().unwrap_or(0);
        vec![
            ("services", n("CreateService")),
            ("service networks", n("CreateServiceNetwork")),
            (
                "associations (at most)",
                n("CreateServiceNetworkServiceAssociation"),
            ),
            ("RAM resource shares", n("CreateResourceShare")),
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
        out.push_str("it would create (services and networks tagged with the run id; everything deleted at the end,\n");
        out.push_str("which adds about one request per resource):\n");
        for (what, n) in self.creates() {
            out.push_str(&format!("  {n:>5} {what}\n"));
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
    let (_endpoint, target) = crate::embedded::start(&rehearsal.profile, &[], &[]).await?;
    let session = Session::start(rehearsal, target).await?;
    let _ = session.run_checks(&|_| {}).await;
    let _ = session.cleanup().await;
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
    })
}
