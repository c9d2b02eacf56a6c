//! `lattice-bench`: the benchmarks of BENCHMARKS.md, side by side in one invocation, as ratios.
//!
//! 1. harness overhead: `lattice-conformance run` on a Create property through the `Session`
//!    API, against the same requests pre-signed and sent by a bare reqwest loop;
//! 2. the harness against Schemathesis on the same endpoint and operation;
//! 3. the reference endpoint against moto: requests per second of one request mix;
//! 4. a default full run: wall time and peak memory, against the reference endpoint and moto;
//! 5. how cost grows with the case count and with the concurrency property's N.
//!
//! Release builds, warm-up runs discarded, medians of `--runs` (at least five for the record)
//! with min–max spreads; both sides of every ratio are measured in the same invocation, in
//! alternating order. Only loopback endpoints are accepted; every loop is bounded. Results go to
//! a table on stdout and to `target/bench/results.json`. `--smoke` runs a tiny version of
//! everything that needs no Python (for CI); it checks that the benchmark still works, not how
//! fast anything is.

mod mix;
mod overhead;
mod runs;
mod schemathesis;
mod signed;
mod stats;

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use clap::Parser;
use serde_json::{json, Map, Value};

use crate::signed::Signer;
use crate::stats::Samples;

/// Benchmarks of lattice-conformance (see BENCHMARKS.md; `scripts/bench.sh` runs everything).
#[derive(Parser, Debug)]
#[command(name = "lattice-bench", version)]
struct Args {
    /// A tiny version of every part that needs no Python (CI): one run each, few cases.
    #[arg(long)]
    smoke: bool,
    /// Parts to run: overhead, schemathesis, mix, full, scaling (default: all that can run).
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// Timed runs per measurement (the median is reported).
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Warm-up runs per measurement, discarded.
    #[arg(long, default_value_t = 1)]
    warmup: usize,
    /// The seed of every generator.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The `lattice-conformance` binary (default: next to this one).
    #[arg(long)]
    cli: Option<PathBuf>,
    /// The `schemathesis` executable (part 2 is skipped without it).
    #[arg(long)]
    schemathesis: Option<PathBuf>,
    /// The OpenAPI description given to Schemathesis.
    #[arg(long)]
    openapi: Option<PathBuf>,
    /// A running moto server (loopback only; parts 3 and 4 skip moto without it).
    #[arg(long)]
    moto_url: Option<String>,
    /// The moto server's process id, to read its peak memory from /proc.
    #[arg(long)]
    moto_pid: Option<u32>,
    /// A running reference endpoint for part 3 (`lattice-conformance serve --quota 1000000`);
    /// default: one started in this process.
    #[arg(long)]
    reference_url: Option<String>,
    /// Part 1: rules of the property.
    #[arg(long, default_value = "VAL-TOKEN-LENGTH,TAG-KEY-LENGTH")]
    overhead_rules: String,
    /// Part 1: --cases per property.
    #[arg(long, default_value_t = 500)]
    overhead_cases: u32,
    /// Part 1: requests in flight (independent harness runs at once, bare-loop workers).
    #[arg(long, value_delimiter = ',', default_value = "1,4")]
    overhead_in_flight: Vec<usize>,
    /// Part 2: our rule selection.
    #[arg(long, default_value = "VAL,TAG")]
    schemathesis_rules: String,
    /// Part 2: our --cases (Schemathesis gets --max-examples equal to our case count).
    #[arg(long, default_value_t = 16)]
    schemathesis_cases: u32,
    /// Part 3: concurrent workers.
    #[arg(long, default_value_t = 4)]
    mix_workers: usize,
    /// Part 3: iterations (Create, Get, List) per worker.
    #[arg(long, default_value_t = 250)]
    mix_iterations: usize,
    /// Part 5: the case count of the 1x point (4x and 16x follow); 16 is the run's default.
    #[arg(long, default_value_t = 16)]
    scaling_base: u32,
    /// Part 4: a `--status-timeout` for the runs against moto (default: the run's own default).
    #[arg(long)]
    moto_status_timeout: Option<u64>,
    /// Part 4: timed runs against moto (default: --runs).
    #[arg(long)]
    moto_full_runs: Option<usize>,
    /// Part 4: the 10-second goal of a default run against the reference endpoint.
    #[arg(long, default_value_t = 10.0)]
    full_goal_s: f64,
    /// Where the JSON results go (default `target/bench/results.json`, or
    /// `target/bench/results-smoke.json` with `--smoke`).
    #[arg(long)]
    out: Option<PathBuf>,
}

fn is_loopback(url: &str) -> bool {
    let host = url
        .split("://")
        .nth(1)
        .unwrap_or("")
        .split('/')
        .next()
        .unwrap_or("");
    let host = match host.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => host,
    };
    host == "localhost" || host == "[::1]" || host.starts_with("127.")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

fn load_average() -> Value {
    let text = read("/proc/loadavg");
    let v: Vec<f64> = text
        .split_whitespace()
        .take(3)
        .filter_map(|x| x.parse().ok())
        .collect();
    json!(v)
}

fn machine() -> Value {
    let cpu = read("/proc/cpuinfo")
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .map(|s| s.trim().to_owned())
        .unwrap_or_default();
    let mem_kib: u64 = read("/proc/meminfo")
        .lines()
        .find(|l| l.starts_with("MemTotal"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    json!({
        "cpu": cpu,
        "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        "memory_gib": (mem_kib as f64 / 1024.0 / 1024.0 * 10.0).round() / 10.0,
        "kernel": read("/proc/sys/kernel/osrelease").trim(),
        "load_average_at_start": load_average(),
    })
}

fn peak_rss_of(pid: u32) -> Option<f64> {
    read(&format!("/proc/{pid}/status"))
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<f64>().ok())
        .map(|kib| kib / 1024.0)
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

struct Ratios {
    rows: Vec<(String, String, String, String)>,
    json: Map<String, Value>,
}

impl Ratios {
    fn add(&mut self, key: &str, what: &str, s: &Samples, goal: &str, digits: usize) {
        self.rows.push((
            what.to_owned(),
            s.show(digits),
            format!("±{:.0}%", s.spread_pct()),
            goal.to_owned(),
        ));
        let mut v = s.to_json();
        v["goal"] = json!(goal);
        v["what"] = json!(what);
        self.json.insert(key.to_owned(), v);
    }
}

/// What the parts share: the arguments, where things are, and what they found.
struct Bench {
    args: Args,
    root: PathBuf,
    dir: PathBuf,
    cli: PathBuf,
    time_bin: Option<PathBuf>,
    results: Map<String, Value>,
    ratios: Ratios,
    notes: Vec<String>,
}

impl Bench {
    /// Whether the part named `name` is selected (`--only`).
    fn part(&self, name: &str) -> bool {
        self.args.only.is_empty() || self.args.only.iter().any(|p| p == name)
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut bench = setup()?;
    if bench.part("overhead") {
        part_overhead(&mut bench).await?;
    }
    if bench.part("schemathesis") {
        part_schemathesis(&mut bench).await?;
    }
    if bench.part("mix") {
        part_mix(&mut bench).await?;
    }
    // Parts 4 and 5.
    let runner = runs::Runner {
        cli: bench.cli.clone(),
        time: bench.time_bin.clone(),
        dir: bench.dir.join("runs"),
        runs: bench.args.runs,
        warmup: bench.args.warmup,
    };
    let seed = bench.args.seed.to_string();
    let cli_exists = bench.cli.exists();
    if (bench.part("full") || bench.part("scaling")) && !cli_exists {
        let note = format!("parts 4 and 5 skipped: no {}", bench.cli.display());
        bench.notes.push(note);
    }
    if bench.part("full") && cli_exists {
        part_full(&mut bench, &runner, &seed)?;
    }
    if bench.part("scaling") && cli_exists {
        part_scaling(&mut bench, &runner, &seed)?;
    }
    write_results(bench)
}

/// Parses the arguments and prepares what every part needs.
fn setup() -> anyhow::Result<Bench> {
    let mut args = Args::parse();
    if args.smoke {
        args.runs = 1;
        args.warmup = 0;
        args.overhead_cases = 8;
        args.overhead_in_flight = vec![1];
        args.mix_iterations = 20;
        args.mix_workers = 2;
        args.scaling_base = 1;
        args.schemathesis = None;
        args.moto_url = None;
    }
    if args.runs == 0 {
        bail!("--runs must be at least 1");
    }
    for url in args.moto_url.iter().chain(args.reference_url.iter()) {
        if !is_loopback(url) {
            bail!("`{url}` is not a loopback address: this benchmark only loads endpoints on this machine");
        }
    }
    let root = workspace_root();
    let dir = root.join("target/bench");
    std::fs::create_dir_all(&dir)?;
    let cli = args.cli.clone().unwrap_or_else(|| {
        std::env::current_exe()
            .ok()
            .and_then(|p| p.parent().map(|d| d.join("lattice-conformance")))
            .unwrap_or_else(|| PathBuf::from("lattice-conformance"))
    });
    let cli = std::path::absolute(&cli)?;
    let time_bin = Path::new("/usr/bin/time")
        .exists()
        .then(|| PathBuf::from("/usr/bin/time"));
    let mut results = Map::new();
    results.insert("machine".into(), machine());
    results.insert(
        "settings".into(),
        json!({
            "smoke": args.smoke,
            "runs": args.runs,
            "warmup": args.warmup,
            "seed": args.seed,
            "build": if cfg!(debug_assertions) { "debug" } else { "release" },
            "cli": cli.display().to_string(),
        }),
    );
    let ratios = Ratios {
        rows: vec![],
        json: Map::new(),
    };
    let mut notes: Vec<String> = Vec::new();
    if cfg!(debug_assertions) && !args.smoke {
        notes.push("this is a debug build: figures are not comparable (use --release)".into());
    }

    Ok(Bench {
        args,
        root,
        dir,
        cli,
        time_bin,
        results,
        ratios,
        notes,
    })
}

/// Part 1: the harness against a bare pre-signed request loop.
async fn part_overhead(bench: &mut Bench) -> anyhow::Result<()> {
    let mut rows = Vec::new();
    for &in_flight in &bench.args.overhead_in_flight {
        eprintln!("part 1: harness overhead, {in_flight} in flight ...");
        let o = overhead::measure(overhead::Settings {
            rules: bench
                .args
                .overhead_rules
                .split(',')
                .map(str::to_owned)
                .collect(),
            cases: bench.args.overhead_cases,
            in_flight: in_flight.max(1),
            runs: bench.args.runs,
            warmup: bench.args.warmup,
            seed: bench.args.seed,
        })
        .await?;
        println!(
            "1. harness overhead ({in_flight} in flight, {} cases, {} requests per round): harness {} cases/s, bare loop {} cases/s, ratio {}",
            o.cases,
            o.requests,
            o.harness.show(0),
            o.bare.show(0),
            o.ratio.show(3)
        );
        let b = &o.breakdown;
        let per = |x: f64| x / b.requests.max(1) as f64 * 1e6;
        println!(
            "   harness CPU per request (one run, no I/O): generate {:.0} µs, sign {:.0} µs, observe {:.0} µs; bare loop wall per request {:.0} µs, harness {:.0} µs",
            per(b.generate_s),
            per(b.sign_s),
            per(b.observe_s),
            1e6 / o.bare.median() * o.cases as f64 / o.requests.max(1) as f64,
            1e6 / o.harness.median() * o.cases as f64 / o.requests.max(1) as f64,
        );
        let key = format!("overhead_in_flight_{in_flight}");
        bench.ratios.add(
            &key,
            &format!("1. harness / bare loop, cases/s ({in_flight} in flight)"),
            &o.ratio,
            ">= 0.75",
            3,
        );
        rows.push(o.to_json());
    }
    bench.results.insert("overhead".into(), Value::Array(rows));

    Ok(())
}

/// Part 2: the harness against Schemathesis on the same operation and endpoint.
async fn part_schemathesis(bench: &mut Bench) -> anyhow::Result<()> {
    match (&bench.args.schemathesis, bench.cli.exists()) {
        (Some(st), true) => {
            eprintln!("part 2: the harness against Schemathesis ...");
            let o = schemathesis::measure(schemathesis::Settings {
                cli: bench.cli.clone(),
                schemathesis: std::path::absolute(st)?,
                spec: bench.args.openapi.clone().unwrap_or_else(|| {
                    bench
                        .root
                        .join("specs/openapi/vpc-lattice-create-association.yaml")
                }),
                dir: bench.dir.join("schemathesis"),
                rules: bench.args.schemathesis_rules.clone(),
                cases: bench.args.schemathesis_cases,
                runs: bench.args.runs,
                warmup: bench.args.warmup,
                seed: bench.args.seed,
            })
            .await?;
            println!(
                "2. against Schemathesis: ours {} cases/s, Schemathesis {} cases/s (running time; {} whole command), ratio {}",
                o.ours.show(0),
                o.theirs_running.show(1),
                o.theirs_wall.show(1),
                o.ratio.show(1)
            );
            for l in o.summary_lines() {
                println!("{l}");
            }
            bench.ratios.add(
                "schemathesis",
                "2. harness / Schemathesis, cases/s",
                &o.ratio,
                ">= 20",
                1,
            );
            bench.results.insert("schemathesis".into(), o.to_json());
        }
        (None, _) => bench.notes.push("part 2 skipped: no --schemathesis".into()),
        (_, false) => bench
            .notes
            .push(format!("part 2 skipped: no {}", bench.cli.display())),
    }

    Ok(())
}

/// Part 3: the reference endpoint against moto on the same request mix.
async fn part_mix(bench: &mut Bench) -> anyhow::Result<()> {
    eprintln!("part 3: the reference endpoint against moto ...");
    let in_process;
    let reference_url = match &bench.args.reference_url {
        Some(u) => u.clone(),
        None => {
            in_process = lattice_reference::ReferenceEndpoint::start(lattice_reference::Config {
                quota_per_network: usize::MAX,
                ..lattice_reference::Config::default()
            })
            .await;
            in_process.url()
        }
    };
    let config = lattice_reference::Config::default();
    let owner = config.principal("owner").context("no owner")?;
    let mut targets = vec![mix::Target {
        name: "reference".into(),
        url: reference_url,
        signer: Signer::new(&owner.access_key, &owner.secret_key, &config.region),
        reset_path: "/__reference/reset".into(),
    }];
    if let Some(url) = &bench.args.moto_url {
        let moto = lattice_harness::Profile::load("moto")?;
        let p = moto
            .principals
            .iter()
            .find(|p| p.role == lattice_spec::Role::Owner)
            .context("the moto profile has no owner")?;
        let mut signer = Signer::new(
            p.access_key_id.as_deref().unwrap_or("AKIAMOTOOWNER0000001"),
            p.secret_access_key.as_deref().unwrap_or("moto"),
            &moto.region,
        );
        signer.headers = p.headers.clone().into_iter().collect();
        targets.push(mix::Target {
            name: "moto".into(),
            url: url.clone(),
            signer,
            reset_path: "/moto-api/reset".into(),
        });
    } else {
        bench
            .notes
            .push("part 3: moto not measured (no --moto-url)".into());
    }
    let o = mix::measure(
        &targets,
        mix::Settings {
            workers: bench.args.mix_workers,
            iterations: bench.args.mix_iterations,
            runs: bench.args.runs,
            warmup: bench.args.warmup,
        },
    )
    .await?;
    let rates: Vec<String> = o
        .names
        .iter()
        .zip(&o.rps)
        .map(|(n, s)| format!("{n} {} requests/s", s.show(0)))
        .collect();
    println!(
        "3. request mix ({} workers, {} requests per run): {}{}",
        bench.args.mix_workers,
        bench.args.mix_workers * bench.args.mix_iterations * 3,
        rates.join(", "),
        if o.ratio.len() > 0 {
            format!(", ratio {}", o.ratio.show(1))
        } else {
            String::new()
        }
    );
    if o.ratio.len() > 0 {
        bench.ratios.add(
            "reference_over_moto",
            "3. reference / moto, requests/s",
            &o.ratio,
            ">= 20",
            1,
        );
    }
    bench.results.insert("mix".into(), o.to_json());

    Ok(())
}

/// Part 4: a default full run against the reference endpoint (and moto).
fn part_full(bench: &mut Bench, runner: &runs::Runner, seed: &str) -> anyhow::Result<()> {
    eprintln!("part 4: a default full run ...");
    let r = runner.time("reference", &["run", "--seed", seed])?;
    println!(
        "4. default run against the reference endpoint: {} s wall, {} MiB peak, {} requests",
        r.wall.show(2),
        r.rss_mib.show(1),
        r.requests
    );
    let mut full = json!({ "reference": r.to_json() });
    let mut headroom = Samples::default();
    for w in r.wall_runs() {
        headroom.push(bench.args.full_goal_s / w);
    }
    bench.ratios.add(
        "full_run_goal_over_wall",
        "4. 10 s goal / default run wall time (reference)",
        &headroom,
        ">= 1",
        1,
    );
    if let Some(url) = &bench.args.moto_url {
        let moto_runner = runs::Runner {
            runs: bench.args.moto_full_runs.unwrap_or(bench.args.runs).max(1),
            warmup: if bench.args.moto_full_runs == Some(1) {
                0
            } else {
                bench.args.warmup
            },
            ..runner.clone()
        };
        let mut moto_args = vec![
            "run".to_owned(),
            "--target".to_owned(),
            "moto".to_owned(),
            "--endpoint".to_owned(),
            url.clone(),
            "--seed".to_owned(),
            seed.to_owned(),
        ];
        if let Some(t) = bench.args.moto_status_timeout {
            moto_args.extend(["--status-timeout".to_owned(), t.to_string()]);
        }
        let moto_args: Vec<&str> = moto_args.iter().map(String::as_str).collect();
        let m = moto_runner.time("moto", &moto_args)?;
        println!(
            "4. default run against moto: {} s wall, {} MiB peak (ours), {} requests, summary {}",
            m.wall.show(2),
            m.rss_mib.show(1),
            m.requests,
            m.summary
        );
        full["moto"] = m.to_json();
        if let Some(pid) = bench.args.moto_pid {
            full["moto_server_peak_rss_mib"] = json!(peak_rss_of(pid));
        }
        let mut slower = Samples::default();
        for (a, b) in m.wall_runs().iter().zip(r.wall_runs()) {
            slower.push(a / b);
        }
        full["moto_wall_over_reference_wall"] = slower.to_json();
    }
    bench.results.insert("full_run".into(), full);

    Ok(())
}

/// One timed run per `x`, with the arguments `args(x)`.
fn series(
    runner: &runs::Runner,
    xs: [u32; 3],
    label: impl Fn(u32) -> String,
    args: impl Fn(u32) -> Vec<String>,
) -> anyhow::Result<Vec<(f64, runs::Timed)>> {
    let mut out = Vec::new();
    for x in xs {
        let a = args(x);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        out.push((f64::from(x), runner.time(&label(x), &a)?));
    }
    Ok(out)
}

/// The growth of a series: wall time of its last point over its first, run by run.
fn last_over_first(series: &[(f64, runs::Timed)]) -> Samples {
    let mut g = Samples::default();
    if let (Some(first), Some(last)) = (series.first(), series.last()) {
        for (a, b) in last.1.wall_runs().iter().zip(first.1.wall_runs()) {
            g.push(a / b);
        }
    }
    g
}

/// The reference profile without its deliberate throttling (`throttle_every`: every n-th
/// request answered 429, after which the driver paces itself), written next to the results.
fn quiet_profile(bench: &Bench) -> anyhow::Result<String> {
    let shipped = lattice_transport::profile::SHIPPED
        .iter()
        .find(|(n, _)| *n == "reference")
        .map(|(_, t)| *t)
        .context("no shipped reference profile")?;
    let quiet: String = shipped
        .lines()
        .filter(|l| !l.trim_start().starts_with("throttle_every"))
        .map(|l| format!("{l}\n"))
        .collect();
    let path = bench.dir.join("reference-no-throttle.toml");
    std::fs::write(
        &path,
        quiet.replace("name = \"reference\"", "name = \"reference-no-throttle\""),
    )?;
    Ok(path.display().to_string())
}

/// Part 5: how the cost grows with the cases and the concurrency levels; the case series again
/// without the reference profile's throttling, to separate the harness's growth from pacing.
fn part_scaling(bench: &mut Bench, runner: &runs::Runner, seed: &str) -> anyhow::Result<()> {
    eprintln!("part 5: how cost grows ...");
    let base = bench.args.scaling_base.max(1);
    let run = |extra: &[&str], cases: u32| {
        let mut a: Vec<String> = ["run", "--seed", seed].map(String::from).to_vec();
        a.extend(extra.iter().map(|s| (*s).to_owned()));
        a.extend(["--cases".to_owned(), (base * cases).to_string()]);
        a
    };
    let by_cases = series(
        runner,
        [1, 4, 16],
        |k| format!("{k}x cases"),
        |k| run(&[], k),
    )?;
    let quiet = quiet_profile(bench)?;
    let by_cases_quiet = series(
        runner,
        [1, 4, 16],
        |k| format!("{k}x, no throttle"),
        |k| run(&["--target", &quiet], k),
    )?;
    let by_n = series(
        runner,
        [2, 8, 32],
        |n| format!("N = {n}"),
        |n| {
            [
                "run",
                "--seed",
                seed,
                "--rules",
                "IDEMP-REPLAY,CONFLICT-DUPLICATE",
            ]
            .map(String::from)
            .into_iter()
            .chain(["--race-levels".to_owned(), n.to_string()])
            .collect()
        },
    )?;
    for (x, t) in by_cases.iter().chain(&by_cases_quiet).chain(&by_n) {
        println!(
            "5. {:<10} (x = {x:>3}): {} s wall, {} requests",
            t.label,
            t.wall.show(3),
            t.requests
        );
    }
    let growths = [
        (
            "growth_cases_16x",
            "5. wall(16x cases) / wall(1x cases)",
            &by_cases,
        ),
        (
            "growth_cases_16x_without_throttling",
            "5. same, reference profile without throttle_every",
            &by_cases_quiet,
        ),
        (
            "growth_race_n32",
            "5. wall(N = 32) / wall(N = 2), concurrency property",
            &by_n,
        ),
    ];
    for (key, what, s) in growths {
        bench
            .ratios
            .add(key, what, &last_over_first(s), "<= 16 (linear)", 2);
    }
    let growth = |s: &[(f64, runs::Timed)]| {
        let points: Vec<(f64, &runs::Timed)> = s.iter().map(|(x, t)| (*x, t)).collect();
        runs::growth(&points)
    };
    bench.results.insert(
        "scaling".into(),
        json!({
            "cases": growth(&by_cases),
            "cases_without_throttling": growth(&by_cases_quiet),
            "race_levels": growth(&by_n),
        }),
    );
    Ok(())
}

/// Writes the results file and prints the table of ratios.
fn write_results(bench: Bench) -> anyhow::Result<()> {
    let Bench {
        args,
        root,
        mut results,
        ratios,
        notes,
        ..
    } = bench;
    if let Some(obj) = results.get_mut("machine").and_then(Value::as_object_mut) {
        obj.insert("load_average_at_end".into(), load_average());
    }
    results.insert("ratios".into(), Value::Object(ratios.json.clone()));
    results.insert("notes".into(), json!(notes));
    let out = args.out.clone().unwrap_or_else(|| {
        PathBuf::from(if args.smoke {
            "target/bench/results-smoke.json"
        } else {
            "target/bench/results.json"
        })
    });
    let out = if out.is_absolute() {
        out
    } else {
        root.join(out)
    };
    if let Some(parent) = out.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(&out, serde_json::to_string_pretty(&Value::Object(results))?)?;

    println!();
    println!(
        "{:<56} {:<28} {:<7} GOAL",
        "RATIO", "MEDIAN [MIN–MAX]", "SPREAD"
    );
    for (what, m, s, g) in &ratios.rows {
        println!("{what:<56} {m:<28} {s:<7} {g}");
    }
    for n in &notes {
        println!("note: {n}");
    }
    println!("results: {}", out.display());
    Ok(())
}
