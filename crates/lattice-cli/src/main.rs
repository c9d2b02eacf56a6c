//! `lattice-conformance`: tells whether an endpoint honours the AWS VPC Lattice
//! `CreateServiceNetworkServiceAssociation` contract, rule by rule.

mod check_client;
mod console;
mod reports;
mod serve;
mod signals;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use lattice_harness::checks::RunOptions;
use lattice_harness::{Ending, Plan, Profile, Session};
use lattice_report::ExitCode;
use lattice_spec::Catalogue;

const EXIT_CODES: &str = "\
Exit codes:
  0  conformant: every selected rule passed, was skipped for a missing capability, or is a
     listed expected failure
  1  conformance failures (with --strict-expected: also an expected failure that now passes)
  2  usage or target-profile error
  3  no failure, but some rule is inconclusive (endpoint unreachable, throttled, broken
     responses, its circuit breaker open, --budget spent, or the run's --deadline passed),
     or the run was interrupted (Ctrl-C, SIGTERM), or it left resources it created behind
     (leaks: `cleanup --run-id ID` deletes them): conformance is not shown";

/// Property-based conformance suite for AWS VPC Lattice CreateServiceNetworkServiceAssociation.
///
/// Runs every rule of the contract (validation, tags, idempotency, conflicts, ownership,
/// existence, lifecycle, quota, wire format, signatures) against an endpoint: the embedded
/// reference endpoint by default, moto, real AWS (opt-in), or any URL.
#[derive(Parser, Debug)]
#[command(name = "lattice-conformance", version, after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the suite against a target and report per rule: pass, fail, skipped, inconclusive.
    #[command(after_help = EXIT_CODES)]
    Run(Box<RunArgs>),
    /// Start the reference endpoint on a loopback port for boto3, the AWS CLI or Terraform.
    Serve(serve::ServeArgs),
    /// List the rules of the catalogue: id, family, basis and title (and, under a rule that
    /// live runs skip, why it is not live-safe).
    Rules(RulesArgs),
    /// Delete what an interrupted run created (from its journal), and only what carries its tag.
    Cleanup(CleanupArgs),
    /// Write the contract documentation (specs/CONTRACT.md) from the rules and the snapshots.
    Docs(DocsArgs),
    /// Judge a client's recording (`serve --record FILE`) against the SDK rules: tokens, retries,
    /// request binding, signing scope, body members, and (with --client-report) surfaced errors.
    #[command(after_help = EXIT_CODES)]
    CheckClient(check_client::CheckClientArgs),
}

#[derive(Args, Debug)]
struct RunArgs {
    /// Target profile: a shipped name (reference, moto, aws) or a path to a TOML profile.
    #[arg(long, short, default_value = "reference", env = "LATTICE_TARGET")]
    target: String,
    /// Override the profile's endpoint URL (after AWS_ENDPOINT_URL_VPC_LATTICE / AWS_ENDPOINT_URL).
    #[arg(long)]
    endpoint: Option<String>,
    /// Only these rules: comma-separated ids, families (OWN) or prefixes with * (VAL-SVC-*).
    #[arg(long, value_delimiter = ',')]
    rules: Vec<String>,
    /// Generated cases per property.
    #[arg(long, default_value_t = 16)]
    cases: u32,
    /// Seed of every generator; printed on every run so that any run can be repeated.
    #[arg(long)]
    seed: Option<u64>,
    /// Independent checks run at once.
    #[arg(long, default_value_t = 4)]
    concurrency: usize,
    /// Stop cleanly after this many requests (live runs default to 400).
    #[arg(long)]
    budget: Option<usize>,
    /// Seconds an association may take to become ACTIVE or to disappear.
    #[arg(long, default_value_t = 30)]
    status_timeout: u64,
    /// The run's deadline (90s, 10m, 1h30m; from 1s to 24h): after it nothing is sent, cleanup
    /// gets a quarter of it (at most 60s) more, every undecided rule is inconclusive, every
    /// report is written, and the exit code is 3 (1 if a rule failed). Default: the profile's
    /// `[limits] deadline`, else 10m.
    #[arg(long, value_name = "DURATION", value_parser = parse_deadline)]
    deadline: Option<Duration>,
    /// Concurrency levels of the linearizability property.
    #[arg(long, value_delimiter = ',', default_value = "2,8,32")]
    race_levels: Vec<usize>,
    /// Allow a run against live AWS (it creates and deletes real resources).
    #[arg(long)]
    allow_live: bool,
    /// Print what the run would create and how many requests it would send, and send none
    /// (a rehearsal against the embedded reference endpoint).
    #[arg(long)]
    plan: bool,
    /// Switch on a named defect of the embedded reference endpoint (repeatable).
    #[arg(long = "defect")]
    defects: Vec<String>,
    /// Switch on a named choice of the embedded reference endpoint: another reading the
    /// contract allows (repeatable; `serve --list-choices` lists them).
    #[arg(long = "choice")]
    choices: Vec<String>,
    /// Exit 1 when a listed expected failure now passes (for emulator gates).
    #[arg(long)]
    strict_expected: bool,
    #[command(flatten)]
    reports: crate::reports::ReportArgs,
    /// Print every failure's full evidence, not only the first case.
    #[arg(long, short)]
    verbose: bool,
}

#[derive(Args, Debug)]
struct DocsArgs {
    /// Where to write the documentation.
    #[arg(long, default_value = lattice_report::docs::CONTRACT_PATH)]
    out: PathBuf,
    /// Write nothing; exit 1 when the file differs from a fresh rendering.
    #[arg(long)]
    check: bool,
}

#[derive(Args, Debug)]
struct CleanupArgs {
    /// The run id printed at the start of the run (journal: .lattice-conformance/runs/ID.jsonl,
    /// or under $LATTICE_JOURNAL_DIR).
    #[arg(long)]
    run_id: String,
    /// The target profile the run used.
    #[arg(long, short, default_value = "reference", env = "LATTICE_TARGET")]
    target: String,
    /// Override the profile's endpoint URL.
    #[arg(long)]
    endpoint: Option<String>,
    /// Allow deleting on live AWS.
    #[arg(long)]
    allow_live: bool,
}

#[derive(Args, Debug)]
struct RulesArgs {
    /// Only rules matching these patterns (as `run --rules`).
    #[arg(long, value_delimiter = ',')]
    rules: Vec<String>,
    /// Print the catalogue as JSON.
    #[arg(long)]
    json: bool,
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return std::process::ExitCode::from(ExitCode::Usage as u8);
        }
    };
    let code = runtime.block_on(async {
        match cli.command {
            Command::Run(args) => run(*args).await,
            Command::Serve(args) => serve::serve(args).await,
            Command::Rules(args) => rules(args),
            Command::Cleanup(args) => cleanup(args).await,
            Command::Docs(args) => docs(args),
            Command::CheckClient(args) => check_client::run(args),
        }
    });
    // A check stopped at the deadline may leave work on a blocking thread: do not wait for it.
    runtime.shutdown_timeout(Duration::from_secs(1));
    std::process::ExitCode::from(code as u8)
}

/// A `--deadline` value: a duration in range.
fn parse_deadline(text: &str) -> Result<Duration, String> {
    let d = lattice_transport::time::parse_duration(text)?;
    if lattice_transport::profile::DEADLINE_RANGE.contains(&d) {
        Ok(d)
    } else {
        Err(format!("`{text}` is out of range (hint: from 1s to 24h)"))
    }
}

fn fail(code: ExitCode, err: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {err}");
    code
}

async fn run(args: RunArgs) -> ExitCode {
    let plan = match plan_of(&args) {
        Ok(p) => p,
        Err(e) => return fail(ExitCode::Usage, e),
    };
    if args.plan {
        return match lattice_cli::rehearsal::dry_run(&plan).await {
            Ok(d) => {
                print!("{}", d.to_text());
                // `--json FILE` holds the plan's figures for machines.
                let written = args.reports.json.as_ref().map(|path| {
                    let text = serde_json::to_string_pretty(&d).unwrap_or_default();
                    std::fs::write(path, text)
                        .map_err(|e| format!("cannot write `{}`: {e}", path.display()))
                });
                match written {
                    Some(Err(e)) => fail(ExitCode::Usage, e),
                    _ => ExitCode::Conformant,
                }
            }
            Err(e) => fail(ExitCode::Usage, e),
        };
    }
    if let Err(e) = plan.check_live() {
        return fail(ExitCode::Usage, e);
    }
    // A report that cannot be written is found now, not after the run.
    if let Err(e) = args.reports.check_writable() {
        return fail(ExitCode::Usage, e);
    }
    let env = |k: &str| std::env::var(k).ok();
    // `embedded` keeps the embedded reference endpoint (if the profile names it) alive.
    let (embedded, target) = match lattice_cli::embedded::target(
        &plan.profile,
        &plan.defects,
        &plan.choices,
        &env,
    )
    .await
    {
        Ok(t) => t,
        Err(e) => return fail(ExitCode::Usage, e),
    };
    let live = plan.profile.live || target.endpoints().any(lattice_transport::live::is_live);
    let session = match Session::start(plan, target).await {
        Ok(s) => s,
        Err(e) => return fail(ExitCode::Usage, e),
    };
    execute(&args, &session, embedded.is_some(), live).await
}

/// The plan of a run: the profile with the environment and the command line applied, every value
/// checked (ranges, URLs, region, `--rules` patterns, budget) before anything starts.
fn plan_of(args: &RunArgs) -> Result<Plan, lattice_harness::HarnessError> {
    let mut profile = Profile::load(&args.target)?;
    profile.apply_environment(&|k| std::env::var(k).ok());
    if let Some(url) = &args.endpoint {
        profile.endpoint = url.clone();
    }
    if let Some(deadline) = args.deadline {
        profile.limits.deadline = Some(deadline);
    }
    let seed = args.seed.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64 % 1_000_000_007)
            .unwrap_or(1)
    });
    let options = RunOptions {
        cases: args.cases.max(1),
        seed,
        shrink_budget: 32,
        status_timeout: Duration::from_secs(args.status_timeout.max(1)),
        concurrency: args.concurrency.max(1),
        race_levels: args
            .race_levels
            .iter()
            .copied()
            .filter(|n| *n >= 2)
            .collect(),
    };
    let plan = Plan {
        profile,
        options,
        rules: args.rules.clone(),
        allow_live: args.allow_live,
        budget: args.budget,
        defects: args.defects.clone(),
        choices: args.choices.clone(),
    };
    plan.check()?;
    Ok(plan)
}

/// Runs a started session to its end: probe, checks, cleanup, reports. Every path writes the
/// reports asked for; a signal (Ctrl-C, SIGTERM) during the checks starts the cleanup, a second
/// one during the cleanup abandons it and lists what is left as leaks.
async fn execute(args: &RunArgs, session: &Session, embedded: bool, live: bool) -> ExitCode {
    let mut signals = signals::Signals::new();
    if live {
        eprintln!(
            "live run: every resource is tagged `{}={}`; only those are deleted at the end; `run --plan` shows what is created and how many requests are sent",
            lattice_transport::fixtures::RUN_TAG,
            session.run_id()
        );
    }
    let out = console::Console::new(
        std::io::stderr().is_terminal(),
        std::env::var_os("NO_COLOR").is_none(),
    );
    out.header(session, embedded, session.seed(), session.cases());
    if let Err(e) = session.probe().await {
        eprintln!("error: {e}");
        let report = session.report(vec![], vec![], Ending::Unreachable(e.to_string()));
        if let Err(e) = args.reports.write(&report) {
            return fail(ExitCode::Usage, e);
        }
        return ExitCode::Unreachable;
    }
    let progress = |p| out.progress(p);
    let (results, interrupted) = tokio::select! {
        r = session.run_checks(&progress) => (r, false),
        signal = signals.next() => {
            out.clear_progress();
            out.line(&format!("{signal}: cleaning up what the run created (Ctrl-C again to stop the cleanup)"));
            (Vec::new(), true)
        }
    };
    out.clear_progress();
    let (leaks, abandoned) = tokio::select! {
        l = session.cleanup() => (l, false),
        signal = signals.next() => {
            out.line(&format!("{signal} again: cleanup stopped"));
            (session.unresolved("not verified deleted: the cleanup was interrupted"), true)
        }
    };
    let ending = if interrupted || abandoned {
        Ending::Interrupted
    } else {
        Ending::Finished
    };
    let report = session.report(results, leaks, ending);
    out.table(&report, args.verbose);
    if !report.leaks.is_empty() {
        eprintln!(
            "{} resource(s) not verified deleted (hint: `lattice-conformance cleanup --run-id {} --target {}{}` deletes what carries this run's tag{})",
            report.leaks.len(),
            session.run_id(),
            args.target,
            args.endpoint
                .as_deref()
                .map(|e| format!(" --endpoint {e}"))
                .unwrap_or_default(),
            session
                .journal()
                .map(|j| format!("; journal {}", j.display()))
                .unwrap_or_default(),
        );
    }
    if let Err(e) = args.reports.write(&report) {
        return fail(ExitCode::Usage, e);
    }
    report.exit_code(args.strict_expected)
}

fn rules(args: RulesArgs) -> ExitCode {
    if let Some(pattern) = lattice_spec::RuleId::unknown_pattern(&args.rules) {
        return fail(
            ExitCode::Usage,
            lattice_harness::HarnessError::UnknownRule {
                pattern: pattern.to_owned(),
            },
        );
    }
    let selected: Vec<_> = lattice_spec::RuleId::ALL
        .iter()
        .filter(|r| args.rules.is_empty() || args.rules.iter().any(|p| r.matches(p)))
        .map(|r| r.rule())
        .collect();
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&selected).unwrap_or_default()
        );
    } else {
        for r in &selected {
            let basis = r.basis.as_str();
            println!(
                "{:<28} {:<9} {:<11} {}",
                r.id,
                r.family.as_str(),
                basis,
                r.title
            );
            if let Some(why) = r.not_live_safe() {
                println!("{:<28} not live-safe (live runs skip it): {why}", "");
            }
        }
        println!("{} rules", selected.len());
    }
    ExitCode::Conformant
}

fn docs(args: DocsArgs) -> ExitCode {
    let text = lattice_report::docs::render();
    if args.check {
        let current = std::fs::read_to_string(&args.out).unwrap_or_default();
        if current == text {
            println!("{} is current", args.out.display());
            return ExitCode::Conformant;
        }
        eprintln!(
            "{} is stale (hint: `cargo run -- docs` rewrites it)",
            args.out.display()
        );
        return ExitCode::Failures;
    }
    if let Err(e) = std::fs::write(&args.out, &text) {
        return fail(
            ExitCode::Usage,
            format!("cannot write `{}`: {e}", args.out.display()),
        );
    }
    println!(
        "wrote {} ({} rules, {} snapshots)",
        args.out.display(),
        Catalogue::embedded().rules().len(),
        lattice_report::snapshots::embedded().len()
    );
    ExitCode::Conformant
}

async fn cleanup(args: CleanupArgs) -> ExitCode {
    if !lattice_transport::cleanup::is_run_id(&args.run_id) {
        return fail(
            ExitCode::Usage,
            format!(
                "`{}` is not a run id (hint: the 8 hex digits printed at the start of a run)",
                args.run_id.escape_debug()
            ),
        );
    }
    let mut profile = match Profile::load(&args.target) {
        Ok(p) => p,
        Err(e) => return fail(ExitCode::Usage, e),
    };
    profile.apply_environment(&|k| std::env::var(k).ok());
    if let Some(url) = &args.endpoint {
        profile.endpoint = url.clone();
    }
    if profile.endpoint == "embedded" {
        return fail(ExitCode::Usage, "the embedded reference endpoint keeps nothing between runs (hint: --target or --endpoint of the run to clean up)");
    }
    let plan = Plan {
        profile,
        options: RunOptions::default(),
        rules: vec![],
        allow_live: args.allow_live,
        budget: None,
        defects: vec![],
        choices: vec![],
    };
    if let Err(e) = plan.check().and_then(|()| plan.check_live()) {
        return fail(ExitCode::Usage, e);
    }
    let target =
        match lattice_transport::target::Target::resolve(&plan.profile, &|k| std::env::var(k).ok())
        {
            Ok(t) => t,
            Err(e) => return fail(ExitCode::Usage, e),
        };
    let session = match Session::start(plan, target).await {
        Ok(s) => s,
        Err(e) => return fail(ExitCode::Usage, e),
    };
    match session.cleanup_run(&args.run_id).await {
        Err(e) => fail(ExitCode::Usage, e),
        Ok(report) => {
            println!(
                "run {}: {} deleted and verified gone",
                args.run_id,
                report.deleted.len()
            );
            for l in &report.refused {
                println!("  left alone {} {}: {}", l.kind, l.id, l.reason);
            }
            for l in &report.leaks {
                println!("  LEAK {} {}: {}", l.kind, l.id, l.reason);
            }
            if report.leaks.is_empty() {
                ExitCode::Conformant
            } else {
                ExitCode::Failures
            }
        }
    }
}
