//! Part 2, the harness against Schemathesis: both commands run, one after the other, against the
//! same reference endpoint (in process here, started with the `skip-signature-check` defect
//! because Schemathesis cannot SigV4-sign), on the same operation, for about the same number of
//! generated cases; cases per second of each. Schemathesis is given
//! `specs/openapi/vpc-lattice-create-association.yaml` and a fixed, well-formed `Authorization`
//! and `X-Amz-Date`. Schemathesis' own requests (its HAR report) are then judged by our oracle
//! and wire-format observers, to say what our rules make of the very cases it generated.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context};
use lattice_checks::{Exchange, ExchangeParts, RecordedRequest, RecordedResponse};
use lattice_reference::{Config, Defect, ReferenceEndpoint};
use lattice_spec::validate::validate_create_body;
use lattice_spec::{Catalogue, Operation};
use serde_json::{json, Value};

use crate::overhead::reference_profile;
use crate::stats::Samples;

/// Rules whose cases are each one Create request (the riders VAL-BEFORE-EXIST, VAL-ERROR-SHAPE
/// and TAG-ATTACHED are judged on requests already counted).
pub(crate) const RIDERS: &[&str] = &["VAL-BEFORE-EXIST", "VAL-ERROR-SHAPE", "TAG-ATTACHED"];

/// What to run.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    /// The `lattice-conformance` binary.
    pub(crate) cli: PathBuf,
    /// The `schemathesis` executable.
    pub(crate) schemathesis: PathBuf,
    /// The OpenAPI description.
    pub(crate) spec: PathBuf,
    /// Where reports go.
    pub(crate) dir: PathBuf,
    /// Our rule selection.
    pub(crate) rules: String,
    /// Our `--cases`.
    pub(crate) cases: u32,
    /// Timed runs.
    pub(crate) runs: usize,
    /// Warm-up runs, discarded.
    pub(crate) warmup: usize,
    /// The seed of both tools.
    pub(crate) seed: u64,
}

/// The result of part 2.
#[derive(Debug, Clone)]
pub(crate) struct SchemathesisRun {
    settings: Settings,
    ours_cases: usize,
    ours_requests: usize,
    theirs_cases: usize,
    theirs_requests: usize,
    max_examples: usize,
    /// Our cases per second (whole command).
    pub(crate) ours: Samples,
    /// Schemathesis cases per second (whole command, Python start-up included).
    pub(crate) theirs_wall: Samples,
    /// Schemathesis cases per second over its own reported running time (start-up excluded).
    pub(crate) theirs_running: Samples,
    /// Ours over Schemathesis' (running time), per paired run: the headline.
    pub(crate) ratio: Samples,
    /// Ours over Schemathesis' (whole commands), per paired run.
    pub(crate) ratio_wall: Samples,
    theirs_failures: Value,
    judged: Value,
}

impl SchemathesisRun {
    /// The JSON form.
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "endpoint": "reference endpoint in process, defect skip-signature-check",
            "ours": {
                "command": format!("lattice-conformance run --rules {} --cases {} --seed {} --concurrency 1", self.settings.rules, self.settings.cases, self.settings.seed),
                "cases_per_run": self.ours_cases,
                "requests_per_run": self.ours_requests,
                "cases_per_s": self.ours.to_json(),
            },
            "schemathesis": {
                "command": format!("schemathesis run {} --max-examples {} --seed {} --exclude-checks missing_required_header", self.settings.spec.display(), self.max_examples, self.settings.seed),
                "cases_per_run": self.theirs_cases,
                "requests_per_run": self.theirs_requests,
                "cases_per_s_running_time": self.theirs_running.to_json(),
                "cases_per_s_wall": self.theirs_wall.to_json(),
                "failures_reported": self.theirs_failures,
            },
            "ratio_ours_over_schemathesis": self.ratio.to_json(),
            "ratio_ours_over_schemathesis_wall": self.ratio_wall.to_json(),
            "our_rules_on_schemathesis_cases": self.judged,
            "goal": ">= 20",
        })
    }

    /// A few lines for the console.
    pub(crate) fn summary_lines(&self) -> Vec<String> {
        vec![
            format!(
                "  ours: {} cases, {} requests per run; schemathesis: {} cases, {} requests per run (--max-examples {})",
                self.ours_cases, self.ours_requests, self.theirs_cases, self.theirs_requests, self.max_examples
            ),
            format!("  our rules on Schemathesis' cases: {}", self.judged),
        ]
    }
}

fn ours_once(
    s: &Settings,
    profile: &Path,
    json_path: &Path,
) -> anyhow::Result<(f64, usize, usize)> {
    let start = Instant::now();
    let status = Command::new(&s.cli)
        .args(["run", "--target"])
        .arg(profile)
        .args(["--rules", &s.rules, "--cases", &s.cases.to_string()])
        .args([
            "--seed",
            &s.seed.to_string(),
            "--concurrency",
            "1",
            "--json",
        ])
        .arg(json_path)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .with_context(|| format!("starting {}", s.cli.display()))?;
    let secs = start.elapsed().as_secs_f64();
    let report: Value = serde_json::from_str(&std::fs::read_to_string(json_path)?)?;
    if !status.success() {
        bail!(
            "lattice-conformance exited with {status}: {}",
            report["summary"]
        );
    }
    let cases = report["rules"]
        .as_array()
        .map(|rules| {
            rules
                .iter()
                .filter(|r| !RIDERS.contains(&r["id"].as_str().unwrap_or("")))
                .filter_map(|r| r["cases"].as_u64())
                .sum::<u64>() as usize
        })
        .unwrap_or(0);
    let requests = report["requests"].as_u64().unwrap_or(0) as usize;
    Ok((secs, cases, requests))
}

struct Theirs {
    wall: f64,
    running: f64,
    cases: usize,
    requests: usize,
    failures: Value,
    har: PathBuf,
}

fn theirs_once(
    s: &Settings,
    url: &str,
    principal: &lattice_reference::TestPrincipal,
    max_examples: usize,
    run: usize,
) -> anyhow::Result<Theirs> {
    let json_path = s.dir.join(format!("schemathesis-{run}.json"));
    let har = s.dir.join(format!("schemathesis-{run}.har.json"));
    let auth = format!(
        "Authorization: AWS4-HMAC-SHA256 Credential={}/20260101/us-east-1/vpc-lattice/aws4_request, SignedHeaders=host;x-amz-date, Signature={}",
        principal.access_key,
        "0".repeat(64)
    );
    // Schemathesis keeps a cache of crashes in `.schemathesis/` under its working directory and
    // replays them first: run it in the report directory, with that cache cleared every run.
    let _ = std::fs::remove_dir_all(s.dir.join(".schemathesis"));
    let start = Instant::now();
    let out = Command::new(&s.schemathesis)
        .current_dir(&s.dir)
        .arg("run")
        .arg(&s.spec)
        .args([
            "--url",
            url,
            "-H",
            &auth,
            "-H",
            "X-Amz-Date: 20260101T000000Z",
        ])
        .args(["--max-examples", &max_examples.to_string()])
        .args(["--seed", &s.seed.to_string(), "--no-color"])
        .args(["--generation-database", "none"])
        .args(["--exclude-checks", "missing_required_header"])
        .args(["--report", "json,har", "--report-json-path"])
        .arg(&json_path)
        .arg("--report-har-path")
        .arg(&har)
        .output()
        .with_context(|| format!("starting {}", s.schemathesis.display()))?;
    let wall = start.elapsed().as_secs_f64();
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).with_context(|| {
            format!(
                "schemathesis wrote no report: {}",
                String::from_utf8_lossy(&out.stdout)
            )
        })?)?;
    let har_json: Value = serde_json::from_str(&std::fs::read_to_string(&har)?)?;
    Ok(Theirs {
        wall,
        running: report["running_time"].as_f64().unwrap_or(wall),
        cases: report["test_cases"]["generated"].as_u64().unwrap_or(0) as usize,
        requests: har_json["log"]["entries"]
            .as_array()
            .map(Vec::len)
            .unwrap_or(0),
        failures: report["failures"].clone(),
        har,
    })
}

/// Judges Schemathesis' recorded exchanges with our oracle and wire-format observers.
fn judge_har(har: &Path) -> anyhow::Result<Value> {
    let har: Value = serde_json::from_str(&std::fs::read_to_string(har)?)?;
    let entries = har["log"]["entries"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut valid = 0usize;
    let mut invalid_one = 0usize;
    let mut invalid_many = 0usize;
    let mut unsigned = 0usize;
    let mut other_method = 0usize;
    let mut broken: BTreeMap<lattice_spec::RuleId, usize> = BTreeMap::new();
    let mut outcome_fail: BTreeMap<lattice_spec::RuleId, usize> = BTreeMap::new();
    let mut observed: BTreeMap<lattice_spec::RuleId, (usize, usize)> = BTreeMap::new();
    for e in &entries {
        let req = &e["request"];
        let resp = &e["response"];
        let headers = |v: &Value| -> Vec<(String, String)> {
            v["headers"]
                .as_array()
                .map(|hs| {
                    hs.iter()
                        .map(|h| {
                            (
                                h["name"].as_str().unwrap_or("").to_ascii_lowercase(),
                                h["value"].as_str().unwrap_or("").to_owned(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let req_headers = headers(req);
        if req["method"].as_str() != Some("POST") {
            other_method += 1;
            continue;
        }
        if !req_headers.iter().any(|(k, _)| k == "authorization") {
            unsigned += 1;
            continue;
        }
        let body = req["postData"]["text"].as_str().unwrap_or("").to_owned();
        let exchange = Exchange::from(ExchangeParts {
            request: RecordedRequest {
                operation: Operation::CreateServiceNetworkServiceAssociation
                    .name()
                    .to_owned(),
                principal: "owner".into(),
                method: req["method"].as_str().unwrap_or("POST").to_owned(),
                path: "/servicenetworkserviceassociations".into(),
                body: body.clone(),
                signing: "sigv4".into(),
            },
            response: Ok(RecordedResponse {
                status: resp["status"].as_u64().unwrap_or(0) as u16,
                headers: headers(resp),
                body: resp["content"]["text"].as_str().unwrap_or("").into(),
                truncated: false,
            }),
        });
        // An empty body reads as `{}` (restJson1), as the reference endpoint reads it.
        let bytes = if body.is_empty() {
            b"{}".to_vec()
        } else {
            body.into_bytes()
        };
        match validate_create_body(&bytes) {
            Ok(_) => valid += 1,
            Err(v) => {
                let mut rules: Vec<lattice_spec::RuleId> = v.iter().map(|x| x.rule).collect();
                rules.sort();
                rules.dedup();
                for r in &rules {
                    *broken.entry(*r).or_default() += 1;
                }
                if rules.len() == 1 {
                    invalid_one += 1;
                    let outcomes = Catalogue::embedded().rule(rules[0]).outcomes();
                    if lattice_checks::judge_outcome(&outcomes, &exchange).is_fail() {
                        *outcome_fail.entry(rules[0]).or_default() += 1;
                    }
                } else {
                    invalid_many += 1;
                }
            }
        }
        for o in
            lattice_checks::observe(Operation::CreateServiceNetworkServiceAssociation, &exchange)
        {
            let slot = observed.entry(o.rule).or_default();
            slot.0 += 1;
            if !o.violations.is_empty() {
                slot.1 += 1;
            }
        }
    }
    Ok(json!({
        "requests": entries.len(),
        "without_authorization": unsigned,
        "other_methods": other_method,
        "valid_inputs": valid,
        "invalid_breaking_one_rule": invalid_one,
        "invalid_breaking_several_rules": invalid_many,
        "cases_per_broken_rule": broken,
        "single_rule_cases_failing_our_judgement": outcome_fail,
        "wire_rules_observed_cases_and_failures": observed
            .into_iter()
            .map(|(k, (n, f))| (k.to_string(), json!({ "cases": n, "failures": f })))
            .collect::<serde_json::Map<String, Value>>(),
    }))
}

/// Runs part 2.
pub(crate) async fn measure(s: Settings) -> anyhow::Result<SchemathesisRun> {
    std::fs::create_dir_all(&s.dir)?;
    let mut config = Config {
        quota_per_network: usize::MAX,
        ..Config::default()
    };
    config.defects.insert(Defect::SkipSignatureCheck);
    let endpoint = ReferenceEndpoint::start(config.clone()).await;
    let url = endpoint.url();
    let profile = s.dir.join("bench-reference-skip-signature.toml");
    std::fs::write(&profile, reference_profile(&url, &config, true))?;
    let owner = config.principal("owner").context("no owner")?.clone();
    let ours_json = s.dir.join("ours-vs-schemathesis.json");

    // Our case count decides Schemathesis' --max-examples (it may generate a few more or fewer).
    let (_, ours_cases, _) = {
        let (s2, p, j) = (s.clone(), profile.clone(), ours_json.clone());
        tokio::task::spawn_blocking(move || ours_once(&s2, &p, &j)).await??
    };
    let max_examples = ours_cases.max(1);
    let mut out = SchemathesisRun {
        settings: s.clone(),
        ours_cases,
        ours_requests: 0,
        theirs_cases: 0,
        theirs_requests: 0,
        max_examples,
        ours: Samples::default(),
        theirs_wall: Samples::default(),
        theirs_running: Samples::default(),
        ratio: Samples::default(),
        ratio_wall: Samples::default(),
        theirs_failures: Value::Null,
        judged: Value::Null,
    };
    let mut last_har = None;
    for i in 0..s.warmup + s.runs {
        endpoint.reset();
        let mut ours = (0.0, 0, 0);
        let mut theirs = None;
        for side in [i % 2, 1 - i % 2] {
            endpoint.reset();
            if side == 0 {
                let (s2, p, j) = (s.clone(), profile.clone(), ours_json.clone());
                ours = tokio::task::spawn_blocking(move || ours_once(&s2, &p, &j)).await??;
            } else {
                let (s2, u, o) = (s.clone(), url.clone(), owner.clone());
                theirs = Some(
                    tokio::task::spawn_blocking(move || theirs_once(&s2, &u, &o, max_examples, i))
                        .await??,
                );
            }
        }
        let theirs = theirs.context("schemathesis did not run")?;
        if i < s.warmup {
            continue;
        }
        let (secs, cases, requests) = ours;
        let ours_rate = cases as f64 / secs;
        let running_rate = theirs.cases as f64 / theirs.running;
        let wall_rate = theirs.cases as f64 / theirs.wall;
        out.ours.push(ours_rate);
        out.theirs_running.push(running_rate);
        out.theirs_wall.push(wall_rate);
        out.ratio.push(ours_rate / running_rate);
        out.ratio_wall.push(ours_rate / wall_rate);
        out.ours_cases = cases;
        out.ours_requests = requests;
        out.theirs_cases = theirs.cases;
        out.theirs_requests = theirs.requests;
        out.theirs_failures = theirs.failures.clone();
        last_har = Some(theirs.har);
    }
    if let Some(har) = last_har {
        out.judged = judge_har(&har)?;
    }
    Ok(out)
}
