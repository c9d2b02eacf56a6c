//! Runs the reference endpoint on a fixed loopback port until Ctrl-C, for boto3, the AWS CLI or
//! the conformance suite's CLI.
//!
//! ```text
//! cargo run -p lattice-reference --example serve -- [PORT] [--delay-ms N] [--quota N] [--defect NAME]...
//! ```
//!
//! The default port is 8471. The printed access keys are local test credentials.

use std::process::ExitCode;
use std::time::Duration;

use lattice_reference::{Config, Defect, ReferenceEndpoint};

fn usage() -> ExitCode {
    eprintln!("usage: serve [PORT] [--delay-ms N] [--quota N] [--defect NAME]...");
    eprintln!(
        "defects: {}",
        Defect::ALL
            .iter()
            .map(|d| d.name())
            .collect::<Vec<_>>()
            .join(", ")
    );
    ExitCode::from(2)
}

#[tokio::main]
async fn main() -> ExitCode {
    let mut config = Config::default();
    let mut port: u16 = 8471;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = |args: &mut dyn Iterator<Item = String>| args.next();
        match arg.as_str() {
            "--delay-ms" => match value(&mut args).and_then(|v| v.parse().ok()) {
                Some(ms) => config.transition_delay = Duration::from_millis(ms),
                None => return usage(),
            },
            "--quota" => match value(&mut args).and_then(|v| v.parse().ok()) {
                Some(q) => config.quota_per_network = q,
                None => return usage(),
            },
            "--defect" => match value(&mut args).as_deref().and_then(Defect::from_name) {
                Some(d) => {
                    config.defects.insert(d);
                }
                None => return usage(),
            },
            "-h" | "--help" => return usage(),
            other => match other.parse() {
                Ok(p) => port = p,
                Err(_) => return usage(),
            },
        }
    }
    let endpoint = match ReferenceEndpoint::start_on(config, port).await {
        Ok(endpoint) => endpoint,
        Err(e) => {
            eprintln!("error: cannot listen on 127.0.0.1:{port}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let config = endpoint.config();
    println!("endpoint  {}", endpoint.url());
    println!("region    {}", config.region);
    println!("delay     {:?}", config.transition_delay);
    println!(
        "quota     {} associations per service network",
        config.quota_per_network
    );
    let defects: Vec<&str> = config.defects.iter().map(|d| d.name()).collect();
    println!(
        "defects   {}",
        if defects.is_empty() {
            "none (conformant)".to_owned()
        } else {
            defects.join(", ")
        }
    );
    for p in &config.principals {
        println!(
            "principal {:<8} account {}  access key {}  secret key {}",
            p.name, p.account, p.access_key, p.secret_key
        );
    }
    println!(
        "reset     POST {}/__reference/reset (unsigned)",
        endpoint.url()
    );
    println!("Ctrl-C to stop.");
    if let Err(e) = tokio::signal::ctrl_c().await {
        eprintln!("error: cannot wait for Ctrl-C: {e}");
    }
    println!("served {} requests", endpoint.received_count());
    ExitCode::SUCCESS
}
