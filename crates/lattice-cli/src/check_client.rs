//! `lattice-conformance check-client FILE`: judges a client's recording against the SDK rules
//! and reports like `run` (console table, JSON, JUnit, Markdown, HTML, exit codes).

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Args;

use lattice_checks::client::ClientReport;
use lattice_report::client_check::ClientCheck;
use lattice_report::ExitCode;
use lattice_spec::recording::Recording;

use crate::console::Console;
use crate::fail;

#[derive(Args, Debug)]
pub(crate) struct CheckClientArgs {
    /// The recording written by `lattice-conformance serve --record FILE`.
    recording: PathBuf,
    /// What the client surfaced to its caller, as the driver wrote it (JSON: `client`, and
    /// `calls` with `name`, `supplied_token`, `result` ok|error|crash, `error` {type, members});
    /// needed by SDK-TOKEN-PASSTHROUGH, SDK-ERRORS-MODELLED and SDK-UNKNOWN-ERROR.
    #[arg(long, value_name = "FILE")]
    client_report: Option<PathBuf>,
    /// Only these rules: comma-separated ids or prefixes with * (SDK-TOKEN-*).
    #[arg(long, value_delimiter = ',')]
    rules: Vec<String>,
    /// The region requests must be signed for (default: the recording's).
    #[arg(long)]
    region: Option<String>,
    #[command(flatten)]
    reports: crate::reports::ReportArgs,
    /// Print every failing call, not only the first.
    #[arg(long, short)]
    verbose: bool,
}

fn read(path: &std::path::Path, what: &str) -> Result<String, String> {
    lattice_transport::files::read_bounded(path, lattice_transport::files::MAX_RECORDING_BYTES)
        .map_err(|e| format!("cannot read the {what} `{}`: {e}", path.display()))
}

pub(crate) fn run(args: CheckClientArgs) -> ExitCode {
    if let Err(e) = args.reports.check_writable() {
        return fail(ExitCode::Usage, e);
    }
    if let Some(pattern) = lattice_spec::RuleId::unknown_pattern(&args.rules) {
        return fail(
            ExitCode::Usage,
            format!("--rules: `{pattern}` names no rule (hint: `lattice-conformance rules --rules SDK` lists the client rules)"),
        );
    }
    let recording = match read(&args.recording, "recording")
        .and_then(|t| Recording::parse(&t).map_err(|e| e.to_string()))
    {
        Ok(r) => r,
        Err(e) => return fail(ExitCode::Usage, e),
    };
    let client = match &args.client_report {
        None => None,
        Some(path) => match read(path, "client report").and_then(|t| ClientReport::parse(&t)) {
            Ok(r) => Some(r),
            Err(e) => return fail(ExitCode::Usage, e),
        },
    };
    let check = ClientCheck {
        recording_path: args.recording.display().to_string(),
        client_report_path: args.client_report.as_ref().map(|p| p.display().to_string()),
        rules: args.rules.clone(),
        region: args.region.clone(),
    };
    let report = match check.report(&recording, client.as_ref()) {
        Ok(r) => r,
        Err(e) => return fail(ExitCode::Usage, e),
    };
    let creates = recording
        .requests
        .iter()
        .filter(|r| lattice_checks::client::is_create(r))
        .count();
    eprintln!(
        "lattice-conformance {}: check-client {} (client: {}), {} requests recorded ({creates} Create), region {}, {} rules{}",
        env!("CARGO_PKG_VERSION"),
        args.recording.display(),
        report.target,
        recording.requests.len(),
        if report.region.is_empty() { "any" } else { &report.region },
        report.rules.len(),
        if client.is_none() {
            " (no --client-report: the rules on surfaced errors are skipped)"
        } else {
            ""
        }
    );
    let out = Console::new(
        std::io::stderr().is_terminal(),
        std::env::var_os("NO_COLOR").is_none(),
    );
    out.table(&report, args.verbose);
    if let Err(e) = args.reports.write(&report) {
        return fail(ExitCode::Usage, e);
    }
    report.exit_code(false)
}
