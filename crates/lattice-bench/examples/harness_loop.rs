//! Runs the part-1 property through the harness, again and again, against an in-process
//! reference endpoint: a steady load to profile (`perf record -g -- …/harness_loop 20`).
//! Prints each run's wall time and requests.

use std::time::Instant;

use lattice_harness::checks::RunOptions;
use lattice_harness::{Plan, Profile};
use lattice_reference::{Config, ReferenceEndpoint};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10);
    let config = Config {
        quota_per_network: usize::MAX,
        ..Config::default()
    };
    let endpoint = ReferenceEndpoint::start(config.clone()).await;
    let mut text = format!(
        "name = \"loop\"\nendpoint = \"{}\"\nregion = \"{}\"\nlive = false\n\n\
         [capabilities]\nram = true\nasync_status = false\ndelete = true\n",
        endpoint.url(),
        config.region
    );
    for p in &config.principals {
        text.push_str(&format!(
            "\n[[principals]]\nrole = \"{}\"\naccess_key_id = \"{}\"\nsecret_access_key = \"{}\"\n",
            p.name, p.access_key, p.secret_key
        ));
    }
    let profile = Profile::parse("loop", &text)?;
    for _ in 0..runs {
        endpoint.reset();
        let t = Instant::now();
        let session = lattice_cli::start(Plan {
            profile: profile.clone(),
            options: RunOptions {
                cases: 500,
                seed: 1,
                ..RunOptions::default()
            },
            rules: vec!["VAL-TOKEN-LENGTH".into(), "TAG-KEY-LENGTH".into()],
            allow_live: false,
            budget: None,
            defects: vec![],
            choices: vec![],
        })
        .await?;
        session.probe().await?;
        let results = session.run_checks(&|_| {}).await;
        let leaks = session.cleanup().await;
        let report = session.report(results, leaks, lattice_harness::Ending::Finished);
        let wall = t.elapsed();
        println!(
            "{:.1} ms, {} requests, {:.0} µs/request, {} fail",
            wall.as_secs_f64() * 1e3,
            report.requests,
            wall.as_secs_f64() * 1e6 / report.requests as f64,
            report.summary.fail
        );
    }
    Ok(())
}
