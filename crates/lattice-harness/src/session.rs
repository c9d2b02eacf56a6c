//! A run from start to end: resolve the target (starting the embedded reference endpoint when the
//! profile says `embedded`), run the selected checks concurrently, judge every exchange, clean up,
//! and assemble the report in catalogue order.
//!
//! A run is bounded: from its start, the driver's gate shuts at the run's deadline (`--deadline`,
//! the profile's `[limits] deadline`, else 10 minutes). Then no request goes out (those in flight
//! are cut short), the checks get [`WIND_DOWN`] to finish with what they have, and the ones still
//! running are stopped; cleanup then gets its allowance (a quarter of the deadline, at most
//! 60 s), and every rule without a decision is inconclusive with the reason.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use tokio::task::JoinSet;

use lattice_checks::{aggregate, Verdict};
use lattice_spec::{Family, Role, RuleId};

use crate::checks::{self, CaseResult, Ctx, RunOptions};
use crate::errors::HarnessError;
use lattice_report::report::{FailureReport, Reproduction, RuleReport, RunReport, Summary};
use lattice_transport::driver::{Driver, DriverConfig};
use lattice_transport::fixtures::{Fixtures, Leak};
use lattice_transport::gate::Health;
use lattice_transport::profile::Profile;
use lattice_transport::target::Target;
use lattice_transport::TransportError;

/// What to run.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The target profile (environment and `--endpoint` already applied).
    pub profile: Profile,
    /// Check options.
    pub options: RunOptions,
    /// Rule selection patterns (`VAL-*`, `OWN`, `IDEMP-REPLAY`); empty = all.
    pub rules: Vec<String>,
    /// Permission to touch live AWS.
    pub allow_live: bool,
    /// Request budget (`None`: the profile's, else unlimited; live runs default to 400).
    pub budget: Option<usize>,
    /// Defects switched on in the embedded endpoint (repeated in reproductions).
    pub defects: Vec<String>,
    /// Choices switched on in the embedded endpoint (repeated in reproductions).
    pub choices: Vec<String>,
}

impl Plan {
    /// Checks what can be checked before anything starts: every profile value in its range
    /// (after overrides), every `--rules` pattern naming some rule, a budget of at least one
    /// request.
    pub fn check(&self) -> Result<(), HarnessError> {
        self.profile.check()?;
        if let Some(pattern) = RuleId::unknown_pattern(&self.rules) {
            return Err(HarnessError::UnknownRule {
                pattern: pattern.to_owned(),
            });
        }
        if self.budget == Some(0) {
            return Err(TransportError::BadProfile {
                name: self.profile.name.clone(),
                message: "--budget 0 sends nothing (hint: at least 1 request)".into(),
            }
            .into());
        }
        Ok(())
    }

    /// The live-AWS gate on the profile's endpoints, before credentials are read or anything is
    /// resolved: a live one (or `live = true`) without `--allow-live` is refused, naming it.
    /// (`Session::start` checks the resolved target's endpoints again.)
    pub fn check_live(&self) -> Result<(), HarnessError> {
        let p = &self.profile;
        let live_url = std::iter::once(p.endpoint.as_str())
            .chain(p.ram_endpoint.as_deref())
            .find(|u| lattice_transport::live::is_live(u));
        if (p.live || live_url.is_some()) && !self.allow_live {
            return Err(TransportError::LiveRefused {
                endpoint: lattice_transport::live::shown(live_url.unwrap_or(&p.endpoint)),
            }
            .into());
        }
        Ok(())
    }
}

/// How a run ended, for its report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// The checks ran to their end (or to the deadline).
    Finished,
    /// A signal (Ctrl-C, SIGTERM) stopped the checks or the cleanup.
    Interrupted,
    /// The endpoint did not answer the probe usably: no check ran.
    Unreachable(String),
}

/// A started run.
pub struct Session {
    plan: Plan,
    driver: Arc<Driver>,
    fx: Arc<Fixtures>,
    endpoint_url: String,
    started: Instant,
    started_at: SystemTime,
    selected: Vec<RuleId>,
    deadline_passed: AtomicBool,
}

/// How long the checks get to finish once the deadline has passed (their requests fail at once
/// by then); the ones still running after it are stopped.
pub const WIND_DOWN: Duration = Duration::from_secs(2);

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("endpoint", &self.endpoint_url)
            .finish_non_exhaustive()
    }
}

/// Progress events for the console.
#[derive(Debug, Clone)]
pub enum Progress {
    /// A check started.
    Started {
        /// The check's name.
        check: &'static str,
        /// Checks in the run.
        total: usize,
    },
    /// A check finished.
    Finished {
        /// The check's name.
        check: &'static str,
        /// Checks done so far.
        done: usize,
        /// Checks in the run.
        total: usize,
        /// Requests sent so far.
        requests: usize,
    },
    /// The run's deadline passed: nothing more is sent, the checks wind down.
    DeadlinePassed {
        /// The deadline.
        deadline: Duration,
    },
}

/// A run id: 8 lower-case hex characters, fresh per run (reruns never collide).
pub fn new_run_id(seed: u64) -> String {
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let mixed =
        (nanos as u64) ^ seed.rotate_left(17) ^ u64::from(std::process::id()).rotate_left(40);
    format!("{:08x}", (mixed ^ (mixed >> 32)) as u32)
}

/// Generated cases per property in a live run (its fixture economy).
pub const ECONOMY_CASES: u32 = 1;

impl Session {
    /// Starts a run of `plan` against a resolved target.
    pub async fn start(mut plan: Plan, target: Target) -> Result<Self, HarnessError> {
        plan.check()?;
        plan.check_live()?;
        // Client-side rules (family SDK) judge a client's recording (`check-client`), never an
        // endpoint: a run does not select them.
        let selected: Vec<RuleId> = RuleId::ALL
            .iter()
            .copied()
            .filter(|r| !r.family().is_client_side())
            .filter(|r| plan.rules.is_empty() || plan.rules.iter().any(|p| r.matches(p)))
            .collect();
        if selected.is_empty() {
            return Err(HarnessError::NoRuleSelected {
                patterns: plan.rules.join(","),
            });
        }
        // One gate for every URL the run may contact, before anything is resolved or connected.
        let live_url = target
            .endpoints()
            .find(|u| lattice_transport::live::is_live(u));
        let live = plan.profile.live || live_url.is_some();
        if live && !plan.allow_live {
            return Err(TransportError::LiveRefused {
                endpoint: lattice_transport::live::shown(live_url.unwrap_or(&target.endpoint)),
            }
            .into());
        }
        for url in target.endpoints() {
            if let Some(problem) = lattice_transport::validate::endpoint("endpoint", url) {
                return Err(TransportError::BadEndpoint {
                    endpoint: url.escape_debug().to_string(),
                    message: problem,
                }
                .into());
            }
        }
        let budget = plan.budget.or(plan.profile.budget).or(live.then_some(400));
        let config: DriverConfig = plan.profile.limits.driver_config(budget);
        let driver = Driver::new(
            &target.endpoint,
            target.ram_endpoint.as_deref(),
            &plan.profile.region,
            target.principals,
            config,
        )
        .map_err(|e| TransportError::BadEndpoint {
            endpoint: lattice_transport::live::shown(&target.endpoint),
            message: e.to_string(),
        })?;
        // The run's clock starts now: nothing is sent after its deadline.
        let deadline = tokio::time::Instant::now() + plan.profile.limits.deadline();
        driver.gate().set_deadline(Some(deadline));
        let driver = Arc::new(driver);
        let run_id = new_run_id(plan.options.seed);
        let mut fx = Fixtures::new(driver.clone(), &run_id, target.accounts)
            .with_status_timeout(plan.options.status_timeout);
        if live {
            // A live account: a small pool of services and networks shared by the checks, and
            // one generated case per property (the boundary inputs come first).
            plan.options.cases = plan.options.cases.min(ECONOMY_CASES);
            let poll = plan.profile.limits.poll_ms.map_or(
                lattice_transport::economy::Economy::LIVE.first_poll,
                Duration::from_millis,
            );
            fx = fx.with_economy(lattice_transport::economy::Economy::LIVE.with_first_poll(poll));
        } else if let Some(ms) = plan.profile.limits.poll_ms {
            fx = fx.with_first_poll(Duration::from_millis(ms));
        }
        if target.outlives_run {
            // An external target outlives the process: journal what is created.
            fx = fx.with_journal(lattice_transport::cleanup::journal_path(&run_id));
        }
        Ok(Self {
            plan,
            driver,
            fx: Arc::new(fx),
            endpoint_url: lattice_transport::live::shown(&target.endpoint),
            started: Instant::now(),
            started_at: SystemTime::now(),
            selected,
            deadline_passed: AtomicBool::new(false),
        })
    }

    /// The seed of every generator of the run.
    pub fn seed(&self) -> u64 {
        self.plan.options.seed
    }

    /// Generated cases per property (a live run's economy sends fewer than asked).
    pub fn cases(&self) -> u32 {
        self.plan.options.cases
    }

    /// The run's deadline (a duration from its start).
    pub fn deadline(&self) -> Duration {
        self.plan.profile.limits.deadline()
    }

    /// The extra time cleanup gets after the deadline.
    pub fn cleanup_allowance(&self) -> Duration {
        self.plan.profile.limits.cleanup_allowance()
    }

    /// Whether the run's deadline passed before its checks were done.
    pub fn deadline_passed(&self) -> bool {
        self.deadline_passed.load(Ordering::Relaxed)
    }

    /// The endpoint URL in use.
    pub fn endpoint(&self) -> &str {
        &self.endpoint_url
    }

    /// The run id.
    pub fn run_id(&self) -> &str {
        self.fx.run_id()
    }

    /// The driver.
    pub fn driver(&self) -> &Arc<Driver> {
        &self.driver
    }

    /// The selected rules, in catalogue order.
    pub fn selected(&self) -> &[RuleId] {
        &self.selected
    }

    /// The checks and properties that decide at least one selected rule. Under the fixture
    /// economy (a live run), the properties are left out: their call sequences and bursts need
    /// services and networks of their own per case, and every rule they add cases to is
    /// decided by its check.
    pub fn checks(&self) -> Vec<checks::Task> {
        if self.fx.economy().is_none() {
            return checks::tasks(&self.selected);
        }
        // Rules the catalogue marks not live-safe are not checked (see `live_skips`).
        let live_safe: Vec<RuleId> = self
            .selected
            .iter()
            .copied()
            .filter(|r| r.rule().not_live_safe().is_none())
            .collect();
        let mut tasks = checks::tasks(&live_safe);
        tasks.retain(|t| {
            !lattice_spec::Property::ALL
                .iter()
                .any(|p| p.name() == t.name)
        });
        tasks
    }

    /// Under the fixture economy (a live run), the selected rules the catalogue marks not
    /// live-safe: skipped, with the catalogue's reason.
    fn live_skips(&self) -> Vec<CaseResult> {
        if self.fx.economy().is_none() {
            return vec![];
        }
        self.selected
            .iter()
            .filter_map(|r| {
                let why = r.rule().not_live_safe()?;
                Some(CaseResult::skipped(
                    *r,
                    format!("not live-safe (a live run skips it): {why}"),
                ))
            })
            .collect()
    }

    /// Checks the endpoint answers usably: any HTTP answer counts, unless it is unreadable,
    /// throttled or a 5xx once the retries are spent.
    pub async fn probe(&self) -> Result<(), HarnessError> {
        let call = lattice_transport::driver::ApiCall::labelled(
            lattice_spec::Operation::GetServiceNetworkServiceAssociation,
            Role::Owner,
            "snsa-00000000000000000",
        );
        let (e, health) = self.driver.send_classified(&call).await;
        match (&e.response, health) {
            (Err(t), _) => Err(TransportError::Unreachable {
                endpoint: self.endpoint_url.clone(),
                message: match t {
                    lattice_checks::TransportFailure::Unreachable(why) => why.clone(),
                    other => other.to_string(),
                },
            }
            .into()),
            (Ok(_), Health::Failed(fault)) => Err(TransportError::Unusable {
                endpoint: self.endpoint_url.clone(),
                fault: fault.to_string(),
            }
            .into()),
            (Ok(_), _) => Ok(()),
        }
    }

    /// What checks get: the driver, the fixtures, the profile, the options and the selection
    /// (also for running scenarios outside the checks, as the snapshot tests do).
    pub fn context(&self) -> Arc<Ctx> {
        Arc::new(Ctx {
            driver: self.driver.clone(),
            fx: self.fx.clone(),
            profile: Arc::new(self.plan.profile.clone()),
            options: self.plan.options.clone(),
            selected: self.selected.clone(),
        })
    }

    /// Runs the selected checks (at most `concurrency` at once) and judges every exchange. At
    /// the run's deadline, the checks get [`WIND_DOWN`] to finish (every request fails at once
    /// by then); those still running are stopped, and the cases already judged are kept.
    pub async fn run_checks(&self, progress: &(dyn Fn(Progress) + Sync)) -> Vec<CaseResult> {
        let ctx = self.context();
        let checks = self.checks();
        let total = checks.len();
        // Under the fixture economy, one check at a time in start order (so that the
        // resources alive at once are the same on every run), each releasing what it used.
        let economy = self.fx.economy().is_some();
        let semaphore = Arc::new(tokio::sync::Semaphore::new(
            self.plan.options.concurrency.max(1),
        ));
        let (turn, _) = tokio::sync::watch::channel(0usize);
        let turn = Arc::new(turn);
        let mut set = JoinSet::new();
        for (i, check) in checks.iter().enumerate() {
            let (ctx, semaphore, turn) = (ctx.clone(), semaphore.clone(), turn.clone());
            let run = check.run;
            let name = check.name;
            progress(Progress::Started { check: name, total });
            set.spawn(async move {
                let _permit = if economy {
                    let _ = turn.subscribe().wait_for(|t| *t == i).await;
                    None
                } else {
                    Some(semaphore.acquire_owned().await)
                };
                let started = Instant::now();
                let fx = ctx.fx.clone();
                let results = run(ctx).await;
                if economy {
                    let _ = fx.release().await;
                    turn.send_replace(i + 1);
                }
                (i, name, results, started.elapsed())
            });
        }
        let mut all = self.collect(set, total, progress).await;
        all.sort_by_key(|(i, _)| *i);
        let mut results: Vec<CaseResult> = all.into_iter().flat_map(|(_, r)| r).collect();
        results.extend(self.live_skips());
        results.extend(checks::observe(&self.driver.take_log()));
        results
    }

    /// Collects the checks' results as they finish, until all have, or until the deadline and
    /// the wind-down after it have passed.
    async fn collect(
        &self,
        mut set: JoinSet<(usize, &'static str, Vec<CaseResult>, Duration)>,
        total: usize,
        progress: &(dyn Fn(Progress) + Sync),
    ) -> Vec<(usize, Vec<CaseResult>)> {
        let far = || tokio::time::Instant::now() + Duration::from_secs(365 * 86_400);
        let mut wake = self.driver.gate().deadline().unwrap_or_else(far);
        let mut winding_down = false;
        let mut all: Vec<(usize, Vec<CaseResult>)> = Vec::new();
        let mut done = 0;
        loop {
            let joined = tokio::select! {
                joined = set.join_next() => joined,
                () = tokio::time::sleep_until(wake) => {
                    if winding_down {
                        set.abort_all();
                        wake = far();
                    } else {
                        self.deadline_passed.store(true, Ordering::Relaxed);
                        progress(Progress::DeadlinePassed { deadline: self.deadline() });
                        winding_down = true;
                        wake = tokio::time::Instant::now() + WIND_DOWN;
                    }
                    continue;
                }
            };
            let Some(joined) = joined else { break };
            done += 1;
            match joined {
                Ok((i, name, results, _)) => {
                    progress(Progress::Finished {
                        check: name,
                        done,
                        total,
                        requests: self.driver.sent(),
                    });
                    all.push((i, results));
                }
                // Stopped after the deadline: its rules are inconclusive in the report.
                Err(e) if e.is_cancelled() => {}
                Err(e) => {
                    // A panicking check is a bug of ours, never a verdict on the endpoint.
                    all.push((
                        usize::MAX,
                        vec![CaseResult::inconclusive(
                            lattice_spec::RuleId::HttpSuccessStatus,
                            format!("internal error in a check: {e}"),
                            vec![],
                        )],
                    ));
                }
            }
        }
        all
    }

    /// Cleans up everything the run created (reset hook when the profile has one), within the
    /// cleanup allowance after the deadline (or after now, when the checks ended earlier): the
    /// gate lets requests through again until then, with one more chance for a breaker that
    /// opened. What is left at the end of the allowance is reported as leaks.
    pub async fn cleanup(&self) -> Vec<Leak> {
        let gate = self.driver.gate();
        self.driver.lift_budget();
        let now = tokio::time::Instant::now();
        let until = gate.deadline().map_or(now, |d| d.max(now)) + self.cleanup_allowance();
        gate.half_open(until);
        let hook = self
            .plan
            .profile
            .capabilities
            .reset_hook
            .as_deref()
            .filter(|_| !self.plan.profile.live);
        let cleanup = self.fx.cleanup(
            hook,
            self.plan.profile.capabilities.delete,
            self.plan.options.status_timeout,
        );
        // Every request fails once `until` has passed; this bounds whatever else cleanup does.
        let leaks = match tokio::time::timeout_at(until + WIND_DOWN, cleanup).await {
            Ok(leaks) => leaks,
            Err(_) => self.unresolved(&format!(
                "not verified deleted: cleanup did not finish within its allowance of {} after the deadline",
                lattice_transport::time::format_duration(self.cleanup_allowance()),
            )),
        };
        // A clean end needs no journal; leaks keep it for `cleanup --run-id`.
        if let (true, Some(journal)) = (leaks.is_empty(), self.fx.journal()) {
            let _ = std::fs::remove_file(journal);
        }
        leaks
    }

    /// Everything the run created and its cleanup has not verified deleted (the leaks it found,
    /// then what it never reached), with `why` as the reason: for a cleanup stopped part way
    /// (a second Ctrl-C, a SIGTERM). The journal is kept for `cleanup --run-id`.
    pub fn unresolved(&self, why: &str) -> Vec<Leak> {
        self.fx.unresolved(why)
    }

    /// The journal of this run, when it keeps one (targets that outlive the process).
    pub fn journal(&self) -> Option<&std::path::Path> {
        self.fx.journal()
    }

    /// Cleans up what an earlier run with `run_id` created, from its journal: only what carries
    /// that run's tag (or joins it), verified gone afterwards.
    pub async fn cleanup_run(
        &self,
        run_id: &str,
    ) -> Result<lattice_transport::cleanup::CleanupReport, HarnessError> {
        if !lattice_transport::cleanup::is_run_id(run_id) {
            return Err(TransportError::BadProfile {
                name: self.plan.profile.name.clone(),
                message: format!(
                    "`{}` is not a run id (hint: the 8 hex digits printed at the start of a run)",
                    run_id.escape_debug()
                ),
            }
            .into());
        }
        let path = lattice_transport::cleanup::journal_path(run_id);
        let resources = lattice_transport::cleanup::read_journal(&path).map_err(|e| TransportError::BadProfile {
            name: self.plan.profile.name.clone(),
            message: format!(
                "no journal for run `{run_id}` at `{}`: {e} (hint: run ids are printed at the start of each run; journals are kept only when a run ends with leaks or is interrupted)",
                path.display()
            ),
        })?;
        let fx = Fixtures::new(self.driver.clone(), run_id, BTreeMap::new());
        let report = lattice_transport::cleanup::cleanup_run(
            &fx,
            &resources,
            self.plan.options.status_timeout,
        )
        .await;
        if report.leaks.is_empty() {
            let _ = std::fs::remove_file(&path);
        }
        Ok(report)
    }

    /// Builds the report: one entry per selected rule, in catalogue order.
    pub fn report(&self, results: Vec<CaseResult>, leaks: Vec<Leak>, ending: Ending) -> RunReport {
        let interrupted = ending == Ending::Interrupted;
        let mut by_rule: BTreeMap<RuleId, Vec<CaseResult>> = BTreeMap::new();
        for r in results {
            by_rule.entry(r.rule).or_default().push(r);
        }
        let profile = &self.plan.profile;
        let mut rules = Vec::new();
        let mut summary = Summary::default();
        for id in &self.selected {
            let rule = id.rule();
            let cases = by_rule.remove(id).unwrap_or_default();
            let verdict = self.verdict_of(*id, &cases, &ending);
            let mut chosen: Vec<String> = cases.iter().filter_map(|c| c.chosen.clone()).collect();
            chosen.sort();
            chosen.dedup();
            let failures = self.failures_of(*id, &cases);
            let expected_failure = profile
                .expected_failure(id.as_str())
                .map(|f| f.reason.clone());
            let report = RuleReport {
                chosen,
                expected_failure,
                expected_verdict: profile
                    .expected_failure(id.as_str())
                    .map(|f| f.verdict.as_str().to_owned()),
                failures,
                ..RuleReport::new(rule, &verdict, &cases)
            };
            summary.add(&report);
            rules.push(report);
        }
        RunReport {
            tool: format!("lattice-conformance {}", env!("CARGO_PKG_VERSION")),
            target: profile.name.clone(),
            endpoint: self.endpoint_url.clone(),
            region: profile.region.clone(),
            run_id: self.fx.run_id().to_owned(),
            seed: self.plan.options.seed,
            cases: self.plan.options.cases,
            started: lattice_transport::time::rfc3339(self.started_at),
            duration_ms: self.started.elapsed().as_millis() as u64,
            requests: self.driver.sent(),
            interrupted,
            deadline_ms: self.deadline().as_millis() as u64,
            deadline_passed: self.deadline_passed(),
            breaker: self.driver.gate().opened(),
            unreachable: match &ending {
                Ending::Unreachable(why) => Some(why.clone()),
                _ => None,
            },
            families: Family::ALL.iter().map(|f| f.as_str().to_owned()).collect(),
            summary,
            rules,
            leaks,
        }
    }

    /// A rule's verdict: its cases' aggregate, or why it has none (the probe failed, the run was
    /// interrupted or passed its deadline, no exchange exercised an observed rule).
    fn verdict_of(&self, id: RuleId, cases: &[CaseResult], ending: &Ending) -> Verdict {
        let mut verdict = if cases.is_empty() {
            if let Ending::Unreachable(why) = ending {
                Verdict::Inconclusive(format!("no check ran: {why}"))
            } else if *ending == Ending::Interrupted {
                Verdict::Inconclusive("the run was interrupted before this rule was checked".into())
            } else if self.deadline_passed() {
                Verdict::Inconclusive(format!(
                    "the run's deadline ({}) passed before this rule was decided (hint: --deadline)",
                    lattice_transport::time::format_duration(self.deadline())
                ))
            } else if id.check() == lattice_spec::Check::Observed {
                Verdict::Skipped("no exchange of the run exercised this rule".into())
            } else {
                Verdict::Inconclusive("no case ran".into())
            }
        } else {
            aggregate(cases.iter().map(|c| &c.verdict))
        };
        // A rule whose every case was skipped keeps the first reason.
        if let Verdict::Skipped(_) = verdict {
            if let Some(reason) = cases.iter().find_map(|c| match &c.verdict {
                Verdict::Skipped(r) => Some(r.clone()),
                _ => None,
            }) {
                verdict = Verdict::Skipped(reason);
            }
        }
        verdict
    }

    /// Up to three failing cases of a rule, preferring different kinds (by the first word of the
    /// note: a scenario, a boundary input, a stateful sequence), with their reproductions.
    fn failures_of(&self, id: RuleId, cases: &[CaseResult]) -> Vec<FailureReport> {
        let failing: Vec<&CaseResult> = cases.iter().filter(|c| c.verdict.is_fail()).collect();
        let kind = |c: &CaseResult| {
            c.note
                .as_deref()
                .and_then(|n| n.split([' ', ':']).next())
                .unwrap_or("")
                .to_owned()
        };
        let mut picked: Vec<&CaseResult> = Vec::new();
        for c in &failing {
            if picked.len() < 3 && !picked.iter().any(|p| kind(p) == kind(c)) {
                picked.push(c);
            }
        }
        for c in &failing {
            if picked.len() < 3 && !picked.iter().any(|p| std::ptr::eq(*p, *c)) {
                picked.push(c);
            }
        }
        picked
            .into_iter()
            .map(|c| FailureReport::from_case(c, self.reproduction(id.as_str(), c)))
            .collect()
    }

    fn reproduction(&self, rule: &str, case: &CaseResult) -> Reproduction {
        let target = &self.plan.profile.name;
        let target_arg = if target == "reference" {
            String::new()
        } else {
            format!(" --target {target}")
        };
        let mut rerun = format!(
            "lattice-conformance run{target_arg} --rules {rule} --seed {} --cases {}",
            self.plan.options.seed, self.plan.options.cases
        );
        let (plan, embedded) = (&self.plan, &self.plan.profile.embedded);
        let switches = [
            ("defect", plan.defects.iter().chain(&embedded.defects)),
            ("choice", plan.choices.iter().chain(&embedded.choices)),
        ];
        for (flag, names) in switches {
            for name in names {
                rerun.push_str(&format!(" --{flag} {name}"));
            }
        }
        let curl = case.decisive_exchange().map(|e| {
            let principal = self
                .driver
                .principals()
                .iter()
                .find(|p| p.role.as_str() == e.request.principal);
            let headers = principal.map(|p| p.headers.clone()).unwrap_or_default();
            let endpoint = match lattice_spec::Operation::ALL
                .iter()
                .find(|o| o.name() == e.request.operation)
            {
                Some(op) => self.driver.endpoint_for(*op).to_owned(),
                None => self.endpoint_url.clone(),
            };
            lattice_report::report::curl_command(
                &endpoint,
                self.driver.region(),
                &e.request,
                &headers,
            )
        });
        Reproduction { rerun, curl }
    }
}
