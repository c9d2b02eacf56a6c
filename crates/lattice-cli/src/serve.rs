//! `lattice-conformance serve`: the reference endpoint on a loopback port for boto3, the AWS
//! CLI or Terraform, with its test principals, defects, choices, recording, fault plan and
//! failure plan.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use lattice_report::ExitCode;

use crate::fail;

/// The options of `serve`.
#[derive(Args, Debug)]
pub(crate) struct ServeArgs {
    /// Port on 127.0.0.1.
    #[arg(long, short, default_value_t = 8471)]
    port: u16,
    /// Delay of CREATE_IN_PROGRESS → ACTIVE and DELETE_IN_PROGRESS → gone, in milliseconds.
    #[arg(long, default_value_t = 0)]
    delay_ms: u64,
    /// How long a new service is CREATE_IN_PROGRESS, in milliseconds (a Create naming it
    /// meanwhile is 409 ConflictException).
    #[arg(long, default_value_t = 0)]
    service_delay_ms: u64,
    /// Associations allowed per service network.
    #[arg(long, default_value_t = 500)]
    quota: usize,
    /// Switch on a named defect (repeatable).
    #[arg(long = "defect")]
    defects: Vec<String>,
    /// List the defects and exit.
    #[arg(long)]
    list_defects: bool,
    /// Switch on a named choice: another reading the contract allows, taken instead of the
    /// endpoint's default (repeatable).
    #[arg(long = "choice")]
    choices: Vec<String>,
    /// List the choices and exit.
    #[arg(long)]
    list_choices: bool,
    /// Record every request received to FILE (truncated first), one JSON line each, without
    /// secrets (no signature, no session token), for `check-client FILE`.
    #[arg(long, value_name = "FILE")]
    record: Option<PathBuf>,
    /// Fault plan (repeatable, comma-separated): `create#N=500`, `create#N=429` or
    /// `create#N=unknown` makes the N-th Create request received (every attempt counts, from 1)
    /// answer 500 InternalServerException, 429 ThrottlingException (Retry-After: 0) or 400
    /// SomethingNewException (an error type the model lacks) instead of being served;
    /// `sdk-scenario` is the plan the SDK drivers in scripts/sdk/ expect
    /// (create#3=500,create#6=429,create#8=429,create#9=unknown).
    #[arg(long = "fault", value_name = "SPEC")]
    faults: Vec<String>,
    /// Make associations fail to be created (repeatable, comma-separated): `create#N` makes the
    /// N-th association created (counting from 1, across accounts, since start or the last
    /// reset; a replay creates nothing) end CREATE_FAILED instead of ACTIVE, `service=NAME_OR_ID`
    /// every association of that service. Get then carries failureCode
    /// (REFERENCE_INJECTED_FAILURE) and failureMessage, List the status; the association
    /// conflicts with its pair until it is deleted.
    #[arg(long = "fail-create", value_name = "SPEC")]
    fail_create: Vec<String>,
    /// Make association deletions fail (repeatable, comma-separated): `delete#N` makes the N-th
    /// deletion started (a retry counts as one more) end DELETE_FAILED instead of gone,
    /// `service=NAME_OR_ID` every deletion of that service's associations. Deleting a
    /// DELETE_FAILED association again retries.
    #[arg(long = "fail-delete", value_name = "SPEC")]
    fail_delete: Vec<String>,
    /// Behave as live AWS is seen to: its default quotas (50 service networks, 2,000 services,
    /// 500 associations per network), associations CREATE_IN_PROGRESS and DELETE_IN_PROGRESS
    /// for 2.5 s and new services CREATE_IN_PROGRESS for 2 s, Get answering 404 (and List
    /// leaving it out) for 1 s after a Create, RAM invitations and accepted shares taking 1 s
    /// to arrive, and 10 requests per second per account, the excess answered 429
    /// ThrottlingException with Retry-After. `GET /__reference/census` counts what is alive,
    /// the most alive at once and what was created.
    #[arg(long, conflicts_with_all = ["delay_ms", "service_delay_ms", "quota"])]
    live_like: bool,
    /// With --live-like: run the story this many times faster (delays divided, the rate
    /// multiplied; Retry-After stays in the story's seconds).
    #[arg(long, default_value_t = 1, requires = "live_like", value_parser = clap::value_parser!(u32).range(1..=1000))]
    speedup: u32,
}

/// Starts the reference endpoint, prints how to reach it, and serves until Ctrl-C.
pub(crate) async fn serve(args: ServeArgs) -> ExitCode {
    use lattice_reference::{Choice, Defect, FailStep, ReferenceEndpoint};
    if args.list_defects {
        for d in Defect::ALL {
            println!("{:<34} {:<9} {}", d.name(), d.family(), d.description());
        }
        return ExitCode::Conformant;
    }
    if args.list_choices {
        for c in Choice::ALL {
            println!("{:<40} {}", c.name(), c.info().reading);
        }
        return ExitCode::Conformant;
    }
    let config = match config_of(&args) {
        Ok(c) => c,
        Err(e) => return fail(ExitCode::Usage, e),
    };
    let endpoint = match ReferenceEndpoint::start_on(config, args.port).await {
        Ok(e) => e,
        Err(e) => {
            return fail(
                ExitCode::Usage,
                format!(
                    "cannot listen on 127.0.0.1:{} or create the recording: {e} (hint: choose another --port, or a writable --record FILE)",
                    args.port
                ),
            )
        }
    };
    println!("reference endpoint: {}", endpoint.url());
    println!("region:             {}", endpoint.config().region);
    println!(
        "reset hook:         POST {}/__reference/reset",
        endpoint.url()
    );
    println!("test principals (local test credentials, valid only here):");
    for p in &endpoint.config().principals {
        println!(
            "  {:<9} account {}  AWS_ACCESS_KEY_ID={}  AWS_SECRET_ACCESS_KEY={}",
            p.name, p.account, p.access_key, p.secret_key
        );
    }
    // The AWS CLI v1 and boto3 read AWS_DEFAULT_REGION only; the CLI v2 and the other SDKs
    // read AWS_REGION. The owner's keys make the line work as printed, whatever the shell has.
    if let Some(owner) = endpoint.config().principal("owner") {
        println!(
            "example: AWS_ACCESS_KEY_ID={} AWS_SECRET_ACCESS_KEY={} AWS_ENDPOINT_URL={} AWS_DEFAULT_REGION={} AWS_REGION={3} aws vpc-lattice list-service-networks",
            owner.access_key,
            owner.secret_key,
            endpoint.url(),
            endpoint.config().region
        );
    }
    if let Some(path) = &args.record {
        println!(
            "recording:          {} (judge it with `lattice-conformance check-client {0}`)",
            path.display()
        );
    }
    if !endpoint.config().choices.is_empty() {
        let on: Vec<&str> = endpoint.config().choices.iter().map(|c| c.name()).collect();
        println!("choices:            {}", on.join(","));
    }
    if !endpoint.config().faults.is_empty() {
        let plan: Vec<String> = endpoint
            .config()
            .faults
            .iter()
            .map(ToString::to_string)
            .collect();
        println!("fault plan:         {}", plan.join(","));
    }
    for (step, label) in [
        (FailStep::Create, "fail-create:"),
        (FailStep::Delete, "fail-delete:"),
    ] {
        let plan = endpoint.config().failures.describe(step);
        if !plan.is_empty() {
            println!("{label:<20}{plan}");
        }
    }
    if let Some(live) = endpoint.config().live_like {
        println!(
            "live-like:          speedup {}, {} requests/s per account, census: GET {}/__reference/census",
            live.speedup,
            live.rate_limit,
            endpoint.url()
        );
    }
    println!("Ctrl-C stops it.");
    let _ = tokio::signal::ctrl_c().await;
    let census = endpoint.census();
    println!(
        "served {} requests ({} rate-limited); at most alive at once: {} services, {} service networks, {} associations; alive now: {} services, {} service networks, {} associations",
        endpoint.received_count(),
        endpoint.rate_limited_count(),
        census.peak.services,
        census.peak.networks,
        census.peak.associations,
        census.alive.services,
        census.alive.networks,
        census.alive.associations
    );
    ExitCode::Conformant
}

/// The endpoint's configuration from the options; what is wrong with them otherwise.
fn config_of(args: &ServeArgs) -> Result<lattice_reference::Config, String> {
    use lattice_cli::embedded::named;
    use lattice_reference::{Choice, Config, Defect, FailStep, FailurePlan};
    let switches = named(&args.defects, Defect::from_name, "defect")
        .and_then(|d| Ok((d, named(&args.choices, Choice::from_name, "choice")?)));
    let (defects, choices) = switches?;
    let mut faults = Vec::new();
    for spec in &args.faults {
        faults.extend(lattice_reference::Fault::parse_plan(spec)?);
    }
    let mut failures = FailurePlan::default();
    let plans = [
        (FailStep::Create, &args.fail_create),
        (FailStep::Delete, &args.fail_delete),
    ];
    for (step, specs) in plans {
        for spec in specs {
            failures.add(step, spec)?;
        }
    }
    let base = if args.live_like {
        Config::live_like(lattice_reference::LiveLike::at_speedup(args.speedup))
    } else {
        Config {
            transition_delay: Duration::from_millis(args.delay_ms),
            service_creation_delay: Duration::from_millis(args.service_delay_ms),
            quota_per_network: args.quota,
            ..Config::default()
        }
    };
    let config = Config {
        defects,
        choices,
        record: args.record.clone(),
        faults,
        failures,
        ..base
    };
    Ok(config)
}
