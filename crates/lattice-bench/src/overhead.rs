//! Part 1, harness overhead: cases per second of a CreateServiceNetworkServiceAssociation
//! property run through the harness's `Session` API (what `lattice-conformance run` does:
//! start, probe, run the checks, judge, clean up, build the report), against the very same
//! requests pre-built, pre-signed and sent by a bare reqwest loop with the same number of
//! requests in flight.
//!
//! A *case* is one input judged against the rule it targets (one `CaseResult` of a selected
//! rule); each case is exactly one Create request. Both sides send the same request sequence:
//! the bare loop replays, request for request, what a capture run of the harness sent (probe,
//! fixtures, every case, cleanup), so both rates divide the same case count by their wall time.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use lattice_harness::checks::RunOptions;
use lattice_harness::{Plan, Profile};
use lattice_reference::{Config, ReferenceEndpoint};
use serde_json::{json, Value};

use crate::signed::{self, Signer};
use crate::stats::Samples;

/// What to measure.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    /// Rule selection (a property of Create validation and tag cases).
    pub(crate) rules: Vec<String>,
    /// `--cases` per property.
    pub(crate) cases: u32,
    /// Requests in flight: independent harness runs at once, and bare-loop workers.
    pub(crate) in_flight: usize,
    /// Timed runs (after the warm-up).
    pub(crate) runs: usize,
    /// Warm-up runs, discarded.
    pub(crate) warmup: usize,
    /// The seed.
    pub(crate) seed: u64,
}

/// Where a harness run's time goes besides the network, measured natively on the capture run's
/// own requests (one in-flight run; seconds for the whole sequence).
#[derive(Debug, Clone, Default)]
pub(crate) struct Breakdown {
    /// Generating the inputs as the validation check does (strategy trees, `current()`, bytes).
    pub(crate) generate_s: f64,
    /// SigV4-signing every request with `sigv4_headers` (and building it).
    pub(crate) sign_s: f64,
    /// The wire-format observers over every exchange (`checks::observe`).
    pub(crate) observe_s: f64,
    /// Requests of the sequence.
    pub(crate) requests: usize,
}

/// The result of part 1 at one level of concurrency.
#[derive(Debug, Clone)]
pub(crate) struct OverheadRun {
    /// The settings.
    pub(crate) settings: Settings,
    /// Cases per harness run (all in-flight runs together).
    pub(crate) cases: usize,
    /// Requests per harness run (all in-flight runs together).
    pub(crate) requests: usize,
    /// Harness cases per second.
    pub(crate) harness: Samples,
    /// Bare-loop cases per second (the same requests).
    pub(crate) bare: Samples,
    /// Harness rate / bare rate, per paired run.
    pub(crate) ratio: Samples,
    /// Where the harness's own time goes (from the first capture).
    pub(crate) breakdown: Breakdown,
}

impl OverheadRun {
    /// The JSON form.
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "rules": self.settings.rules,
            "cases_per_property": self.settings.cases,
            "in_flight": self.settings.in_flight,
            "seed": self.settings.seed,
            "cases_per_run": self.cases,
            "requests_per_run": self.requests,
            "harness_cases_per_s": self.harness.to_json(),
            "bare_cases_per_s": self.bare.to_json(),
            "ratio_harness_over_bare": self.ratio.to_json(),
            "harness_cpu_breakdown_s_per_run": {
                "generate": self.breakdown.generate_s,
                "sign": self.breakdown.sign_s,
                "observe": self.breakdown.observe_s,
                "requests": self.breakdown.requests,
            },
            "goal": ">= 0.75",
        })
    }
}

/// A profile for an already running reference endpoint, with its test principals; cleanup
/// deletes what each run created (no reset hook, so independent runs can share the endpoint).
pub(crate) fn reference_profile(url: &str, config: &Config, reset_hook: bool) -> String {
    let mut text = format!(
        "name = \"bench-reference\"\nendpoint = \"{url}\"\nregion = \"{}\"\nlive = false\n\n\
         [capabilities]\nram = true\nasync_status = false\ndelete = true\n",
        config.region
    );
    if reset_hook {
        text.push_str("reset_hook = \"POST /__reference/reset\"\n");
    }
    for p in &config.principals {
        text.push_str(&format!(
            "\n[[principals]]\nrole = \"{}\"\naccess_key_id = \"{}\"\nsecret_access_key = \"{}\"\n",
            p.name, p.access_key, p.secret_key
        ));
    }
    text
}

fn plan(profile: &Profile, s: &Settings) -> Plan {
    Plan {
        profile: profile.clone(),
        options: RunOptions {
            cases: s.cases,
            seed: s.seed,
            ..RunOptions::default()
        },
        rules: s.rules.clone(),
        allow_live: false,
        budget: None,
        defects: vec![],
        choices: vec![],
    }
}

/// One harness run, as `lattice-conformance run` does it; returns (cases, requests).
async fn harness_run(profile: &Profile, s: &Settings) -> anyhow::Result<(usize, usize)> {
    let session = lattice_cli::start(plan(profile, s)).await?;
    session.probe().await?;
    let results = session.run_checks(&|_| {}).await;
    let leaks = session.cleanup().await;
    let report = session.report(results, leaks, lattice_harness::Ending::Finished);
    if report.summary.fail > 0 || report.summary.inconclusive > 0 {
        bail!(
            "the harness run was not clean ({} fail, {} inconclusive): the measurement would be meaningless",
            report.summary.fail,
            report.summary.inconclusive
        );
    }
    let cases = report.rules.iter().map(|r| r.cases).sum();
    Ok((cases, report.requests))
}

/// A capture run: the same session, with the checks run one by one so that the driver's log
/// (every request sent, including fixtures and cleanup) can be kept for the bare loop.
async fn capture(
    profile: &Profile,
    s: &Settings,
    config: &Config,
    client: &reqwest::Client,
    breakdown: &mut Breakdown,
) -> anyhow::Result<Vec<reqwest::Request>> {
    let session = lattice_cli::start(plan(profile, s)).await?;
    session.probe().await?;
    let ctx = session.context();
    for check in session.checks() {
        (check.run)(ctx.clone()).await;
    }
    session.cleanup().await;
    let log = session.driver().take_log();
    let t = Instant::now();
    std::hint::black_box(lattice_harness::checks::observe(&log));
    breakdown.observe_s = t.elapsed().as_secs_f64();
    breakdown.requests = log.len();
    let base = session.endpoint().to_owned();
    let mut out = Vec::with_capacity(log.len());
    let t = Instant::now();
    for (op, e) in log {
        let p = config
            .principal(&e.request.principal)
            .with_context(|| format!("no principal `{}`", e.request.principal))?;
        let signer = Signer::new(&p.access_key, &p.secret_key, &config.region);
        let url = format!("{base}{}", e.request.path);
        out.push(signer.build(
            client,
            &e.request.method,
            &url,
            e.request.body.clone().into_bytes(),
            op.signing_name(),
        )?);
    }
    breakdown.sign_s = t.elapsed().as_secs_f64();
    breakdown.generate_s = generation_time(s);
    Ok(out)
}

/// Generates the property's inputs exactly as the validation check does (boundary inputs, then
/// one seeded strategy tree per case, its `current()` value and its body bytes), with no I/O.
fn generation_time(s: &Settings) -> f64 {
    use lattice_harness::checks::validation::runner;
    use proptest::strategy::{Strategy, ValueTree};
    let (svc, sn) = ("svc-0123456789abcdefg", "sn-0123456789abcdefg");
    let start = Instant::now();
    for rule in &s.rules {
        let Some(rule) = lattice_spec::RuleId::from_id(rule)
            .and_then(|r| lattice_spec::ValidationRule::try_from(r).ok())
        else {
            continue;
        };
        for input in lattice_gen::boundary_inputs_with(svc.into(), sn.into())
            .into_iter()
            .filter(|i| i.rule == rule)
        {
            std::hint::black_box(input.body.to_bytes());
        }
        let Some(strategy) =
            lattice_gen::invalid_create_input_for_with(rule, svc.into(), sn.into())
        else {
            continue;
        };
        let inputs: Vec<_> = (0..s.cases)
            .filter_map(|i| {
                strategy
                    .new_tree(&mut runner(s.seed, &format!("{rule}#{i}")))
                    .ok()
                    .map(|t| t.current())
            })
            .collect();
        for input in inputs {
            std::hint::black_box(input.body.to_bytes());
        }
    }
    start.elapsed().as_secs_f64()
}

async fn bare_run(
    client: &reqwest::Client,
    sequences: &Arc<Vec<Vec<reqwest::Request>>>,
) -> anyhow::Result<()> {
    let mut set = tokio::task::JoinSet::new();
    for w in 0..sequences.len() {
        let (client, sequences) = (client.clone(), sequences.clone());
        set.spawn(async move {
            for req in &sequences[w] {
                let req = req.try_clone().context("a request body is not reusable")?;
                signed::send(&client, req).await?;
            }
            anyhow::Ok(())
        });
    }
    while let Some(r) = set.join_next().await {
        r??;
    }
    Ok(())
}

async fn harness_round(profile: &Profile, s: &Settings) -> anyhow::Result<(usize, usize)> {
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..s.in_flight {
        let (profile, s) = (profile.clone(), s.clone());
        set.spawn(async move { harness_run(&profile, &s).await });
    }
    let (mut cases, mut requests) = (0, 0);
    while let Some(r) = set.join_next().await {
        let (c, n) = r??;
        cases += c;
        requests += n;
    }
    Ok((cases, requests))
}

/// Runs part 1 at one level of concurrency against an in-process reference endpoint.
pub(crate) async fn measure(s: Settings) -> anyhow::Result<OverheadRun> {
    let config = Config {
        quota_per_network: usize::MAX,
        ..Config::default()
    };
    let endpoint = ReferenceEndpoint::start(config.clone()).await;
    let profile = Profile::parse(
        "bench-reference",
        &reference_profile(&endpoint.url(), &config, false),
    )?;
    let client = signed::client()?;
    // Capture each in-flight run's request sequence once (also a warm-up).
    let mut sequences = Vec::new();
    let mut breakdown = Breakdown::default();
    for i in 0..s.in_flight {
        let mut b = Breakdown::default();
        sequences.push(capture(&profile, &s, &config, &client, &mut b).await?);
        if i == 0 {
            breakdown = b;
        }
    }
    let sequences = Arc::new(sequences);
    endpoint.reset();
    let mut out = OverheadRun {
        settings: s.clone(),
        cases: 0,
        requests: 0,
        harness: Samples::default(),
        bare: Samples::default(),
        ratio: Samples::default(),
        breakdown,
    };
    for i in 0..s.warmup + s.runs {
        // Alternate which side goes first, so neither always runs on a warmer machine.
        let mut harness_time = Duration::ZERO;
        let mut bare_time = Duration::ZERO;
        for side in [i % 2, 1 - i % 2] {
            endpoint.reset();
            let t = Instant::now();
            if side == 0 {
                let (cases, requests) = harness_round(&profile, &s).await?;
                harness_time = t.elapsed();
                out.cases = cases;
                out.requests = requests;
            } else {
                bare_run(&client, &sequences).await?;
                bare_time = t.elapsed();
            }
        }
        if i < s.warmup {
            continue;
        }
        let h = out.cases as f64 / harness_time.as_secs_f64();
        let b = out.cases as f64 / bare_time.as_secs_f64();
        out.harness.push(h);
        out.bare.push(b);
        out.ratio.push(h / b);
    }
    let replayed: usize = sequences.iter().map(Vec::len).sum();
    if replayed != out.requests {
        bail!(
            "the bare loop replays {replayed} requests but a harness round sent {}: the sides differ",
            out.requests
        );
    }
    Ok(out)
}
