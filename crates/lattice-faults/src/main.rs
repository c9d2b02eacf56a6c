//! `fault-table`: runs `lattice-conformance run` against a hostile loopback endpoint once per
//! fault and onset (before or after a successful probe), with a profile declaring RAM, deletes
//! and asynchronous status and the driver's default limits, and prints a Markdown table: exit
//! code, wall time, peak resident memory (from `/usr/bin/time -f %M` when present), whether all
//! four reports were written, what stopped the run, and whether it ended within the deadline
//! plus the cleanup allowance. Two more rows run the embedded reference endpoint with the
//! `not-found-400` and `hyphenated-ids` defects (deletes enabled, the default status timeout).
//!
//! `cargo build --release -p lattice-cli -p lattice-faults && target/release/fault-table`
//! (`--only hang,same-200-body`, `--onset after`, `--deadline 2m`). Only loopback traffic.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use clap::Parser;

use lattice_faults::{Fault, HostileEndpoint, Onset};

/// The secret keys of the hostile profile: the table checks none reaches any output.
const SECRETS: [&str; 3] = [
    "FAULTsecretOWNERxxxxxxxxxxxxxxxxxxxxxxxx",
    "FAULTsecretPEERxxxxxxxxxxxxxxxxxxxxxxxxx",
    "FAULTsecretOUTSIDERxxxxxxxxxxxxxxxxxxxxx",
];

/// The reports every run must write.
const REPORTS: [&str; 4] = ["report.json", "report.xml", "report.md", "report.html"];

/// The fault table of `lattice-conformance run` against hostile endpoints.
#[derive(Parser, Debug)]
#[command(name = "fault-table", version)]
struct Args {
    /// The `lattice-conformance` binary (default: next to this one).
    #[arg(long)]
    cli: Option<PathBuf>,
    /// The deadline of every run (`--deadline`).
    #[arg(long, default_value = "2m")]
    deadline: String,
    /// Only these faults (names as in the table).
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// `before`, `after` or `both` (the probe).
    #[arg(long, default_value = "both")]
    onset: String,
    /// Skip the two runs of the embedded endpoint with defects.
    #[arg(long)]
    no_defects: bool,
    /// Where profiles, reports and console output go.
    #[arg(long, default_value = "target/faults")]
    out: PathBuf,
}

/// What one run gave.
struct Row {
    fault: String,
    onset: String,
    exit: Option<i32>,
    wall: Duration,
    peak_kib: Option<u64>,
    reports: usize,
    stopped: String,
    summary: String,
    secret_leaked: bool,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let cli = match &args.cli {
        Some(p) => p.clone(),
        None => std::env::current_exe()?.with_file_name("lattice-conformance"),
    };
    if !cli.exists() {
        bail!(
            "no `{}` (hint: cargo build --release -p lattice-cli, or --cli)",
            cli.display()
        );
    }
    let deadline = parse_deadline(&args.deadline)?;
    let faults: Vec<Fault> = if args.only.is_empty() {
        Fault::ALL.to_vec()
    } else {
        args.only
            .iter()
            .map(|n| Fault::from_name(n).with_context(|| format!("no fault `{n}`")))
            .collect::<anyhow::Result<_>>()?
    };
    let onsets: Vec<Onset> = match args.onset.as_str() {
        "before" => vec![Onset::BeforeProbe],
        "after" => vec![Onset::AfterProbe],
        "both" => Onset::ALL.to_vec(),
        other => bail!("--onset `{other}`: before, after or both"),
    };
    let runtime = tokio::runtime::Runtime::new()?;
    let allowance = (deadline / 4).min(Duration::from_secs(60));
    println!(
        "deadline {}, cleanup allowance {} s: bound {} s per run\n",
        args.deadline,
        allowance.as_secs_f64(),
        (deadline + allowance).as_secs_f64()
    );
    println!("| fault | onset | exit | wall time | peak memory | reports | stopped by | verdicts | within bound |");
    println!("|---|---|---|---|---|---|---|---|---|");
    let bound = deadline + allowance;
    for fault in faults {
        for onset in &onsets {
            let dir = args
                .out
                .join(format!("{fault}-{}", onset.name().replace(' ', "-")));
            let row = runtime.block_on(hostile_run(&cli, fault, *onset, &args.deadline, &dir))?;
            print_row(&row, bound);
        }
    }
    if !args.no_defects {
        for defect in ["not-found-400", "hyphenated-ids"] {
            let dir = args.out.join(defect);
            let extra = ["--target", "reference", "--defect", defect];
            let row = measured_run(&cli, &extra, &args.deadline, &dir)?;
            let row = Row {
                fault: format!("`--defect {defect}` (embedded, deletes on)"),
                onset: "—".into(),
                ..row
            };
            print_row(&row, bound);
        }
    }
    Ok(())
}

fn parse_deadline(text: &str) -> anyhow::Result<Duration> {
    let (number, unit) = text.split_at(text.trim_end_matches(char::is_alphabetic).len());
    let n: u64 = number
        .parse()
        .context("--deadline: a number and s, m or h")?;
    Ok(Duration::from_secs(match unit {
        "s" | "" => n,
        "m" => n * 60,
        "h" => n * 3600,
        _ => bail!("--deadline: a number and s, m or h"),
    }))
}

/// One run against a hostile endpoint.
async fn hostile_run(
    cli: &Path,
    fault: Fault,
    onset: Onset,
    deadline: &str,
    dir: &Path,
) -> anyhow::Result<Row> {
    let endpoint = HostileEndpoint::start(fault, onset).await?;
    std::fs::create_dir_all(dir)?;
    let profile = dir.join("hostile.toml");
    std::fs::write(
        &profile,
        lattice_faults::profile(endpoint.url(), "", &SECRETS),
    )?;
    let (cli, deadline, dir) = (cli.to_owned(), deadline.to_owned(), dir.to_owned());
    let row = tokio::task::spawn_blocking(move || {
        let target = profile.display().to_string();
        measured_run(&cli, &["--target", &target], &deadline, &dir)
    })
    .await??;
    Ok(Row {
        fault: fault.to_string(),
        onset: onset.name().into(),
        ..row
    })
}

/// Runs `lattice-conformance run EXTRA --seed 1 --deadline D` with every report into `dir`,
/// under `/usr/bin/time` when present.
fn measured_run(cli: &Path, extra: &[&str], deadline: &str, dir: &Path) -> anyhow::Result<Row> {
    std::fs::create_dir_all(dir)?;
    for r in REPORTS {
        let _ = std::fs::remove_file(dir.join(r));
    }
    let time = Path::new("/usr/bin/time");
    let peak_file = dir.join("peak.txt");
    let mut command = if time.exists() {
        let mut c = Command::new(time);
        c.arg("-f").arg("%M").arg("-o").arg(&peak_file).arg(cli);
        c
    } else {
        Command::new(cli)
    };
    command.arg("run").args(extra);
    command.args(["--seed", "1", "--deadline", deadline]);
    for (flag, file) in ["--json", "--junit", "--markdown", "--html"]
        .iter()
        .zip(REPORTS)
    {
        command.arg(flag).arg(dir.join(file));
    }
    command.env("NO_COLOR", "1");
    command.env_remove("AWS_ENDPOINT_URL");
    command.env_remove("AWS_ENDPOINT_URL_VPC_LATTICE");
    let started = Instant::now();
    let output = command.output().context("cannot run lattice-conformance")?;
    let wall = started.elapsed();
    let console = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::write(dir.join("console.txt"), &console)?;
    let mut outputs = vec![console];
    let mut reports = 0;
    for r in REPORTS {
        if let Ok(text) = std::fs::read_to_string(dir.join(r)) {
            reports += usize::from(!text.is_empty());
            outputs.push(text);
        }
    }
    let json: serde_json::Value = std::fs::read_to_string(dir.join(REPORTS[0]))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    Ok(Row {
        fault: String::new(),
        onset: String::new(),
        exit: output.status.code(),
        wall,
        peak_kib: std::fs::read_to_string(&peak_file)
            .ok()
            .and_then(|t| t.lines().last()?.trim().parse().ok()),
        reports,
        stopped: stopped_by(&json, &outputs[0]),
        summary: summary(&json),
        secret_leaked: outputs
            .iter()
            .any(|o| SECRETS.iter().any(|s| o.contains(s))),
    })
}

/// What ended the run: the deadline, the circuit breaker, a failed probe, or nothing.
fn stopped_by(json: &serde_json::Value, console: &str) -> String {
    if json.is_null() {
        let error = console
            .lines()
            .find_map(|l| l.strip_prefix("error: "))
            .unwrap_or("no report");
        let why = ["unreachable: ", "not usably: "]
            .iter()
            .find_map(|m| error.split_once(m).map(|(_, why)| why))
            .unwrap_or(error);
        return format!("the probe: {}", why.split(" (hint").next().unwrap_or(why));
    }
    let deadline = json["deadline_passed"].as_bool() == Some(true);
    match (deadline, json["breaker"].as_str()) {
        (true, Some(b)) => format!("deadline; breaker ({b})"),
        (true, None) => "deadline".into(),
        (false, Some(b)) => format!("breaker ({b})"),
        (false, None) => "— (finished)".into(),
    }
}

fn summary(json: &serde_json::Value) -> String {
    let s = &json["summary"];
    if s.is_null() {
        return "—".into();
    }
    format!(
        "{} pass, {} fail, {} inconclusive, {} skipped",
        s["pass"], s["fail"], s["inconclusive"], s["skipped"]
    )
}

fn print_row(row: &Row, bound: Duration) {
    let peak = row
        .peak_kib
        .map_or("—".into(), |k| format!("{:.1} MiB", k as f64 / 1024.0));
    let exit = row.exit.map_or("signal".into(), |c| c.to_string());
    let leak = if row.secret_leaked {
        " **SECRET LEAKED**"
    } else {
        ""
    };
    println!(
        "| {} | {} | {exit} | {:.1} s | {peak} | {}/4 | {} | {}{leak} | {} |",
        row.fault,
        row.onset,
        row.wall.as_secs_f64(),
        row.reports,
        row.stopped,
        row.summary,
        if row.wall <= bound { "yes" } else { "**no**" }
    );
}
