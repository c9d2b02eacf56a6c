//! Part 3, the reference endpoint against moto: requests per second for the same request mix at
//! the same concurrency. Each worker owns one service network and one fresh service per
//! iteration (set up before the clock starts); an iteration is Create (a new pair), Get (the new
//! association) and List (the network's associations, `maxResults=10`). Every request is signed
//! just before it is sent, the same way for both targets. Both targets are measured in the same
//! invocation, alternately, and reset before each run.

use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use serde_json::{json, Value};

use crate::signed::{self, Signer};
use crate::stats::Samples;

/// An endpoint to load.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    /// A short name (`reference`, `moto`).
    pub(crate) name: String,
    /// The base URL.
    pub(crate) url: String,
    /// The owner's signer.
    pub(crate) signer: Signer,
    /// The unsigned reset hook path (`POST`).
    pub(crate) reset_path: String,
}

/// How much load.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    /// Concurrent workers (requests in flight).
    pub(crate) workers: usize,
    /// Iterations per worker (three requests each).
    pub(crate) iterations: usize,
    /// Timed runs.
    pub(crate) runs: usize,
    /// Warm-up runs, discarded.
    pub(crate) warmup: usize,
}

/// Requests per second of each target, and the ratio per paired run.
#[derive(Debug, Clone)]
pub(crate) struct MixRun {
    /// The settings.
    pub(crate) settings: Settings,
    /// Target names, in order.
    pub(crate) names: Vec<String>,
    /// Requests per second of each target.
    pub(crate) rps: Vec<Samples>,
    /// First target's rate over the second's, per run.
    pub(crate) ratio: Samples,
}

impl MixRun {
    /// The JSON form.
    pub(crate) fn to_json(&self) -> Value {
        let mut targets = serde_json::Map::new();
        for (n, s) in self.names.iter().zip(&self.rps) {
            targets.insert(n.clone(), s.to_json());
        }
        json!({
            "workers": self.settings.workers,
            "iterations_per_worker": self.settings.iterations,
            "requests_per_run": self.settings.workers * self.settings.iterations * 3,
            "mix": "CreateServiceNetworkServiceAssociation, GetServiceNetworkServiceAssociation, ListServiceNetworkServiceAssociations (maxResults=10), 1:1:1",
            "requests_per_s": targets,
            "ratio_first_over_second": self.ratio.to_json(),
            "goal": ">= 20",
        })
    }
}

async fn call(
    client: &reqwest::Client,
    t: &Target,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> anyhow::Result<Value> {
    let url = format!("{}{path}", t.url);
    let bytes = body.map(|b| b.to_string().into_bytes()).unwrap_or_default();
    let req = t.signer.build(client, method, &url, bytes, "vpc-lattice")?;
    let (status, body) = signed::send(client, req).await?;
    if !(200..300).contains(&status) {
        bail!(
            "{} answered {status} to {method} {path}: {}",
            t.name,
            String::from_utf8_lossy(&body)
        );
    }
    Ok(serde_json::from_slice(&body).unwrap_or(Value::Null))
}

fn id_of(v: &Value, what: &str) -> anyhow::Result<String> {
    v.get("id")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .with_context(|| format!("no `id` in the {what} response: {v}"))
}

async fn reset(client: &reqwest::Client, t: &Target) -> anyhow::Result<()> {
    let resp = client
        .post(format!("{}{}", t.url, t.reset_path))
        .send()
        .await
        .with_context(|| format!("resetting {}", t.name))?;
    if !resp.status().is_success() {
        bail!("resetting {} answered {}", t.name, resp.status());
    }
    Ok(())
}

/// One worker's fixtures: a network and one service per iteration.
async fn setup(
    client: &reqwest::Client,
    t: &Target,
    w: usize,
    n: usize,
) -> anyhow::Result<(String, Vec<String>)> {
    let net = call(
        client,
        t,
        "POST",
        "/servicenetworks",
        Some(&json!({ "name": format!("bench-net-{w}") })),
    )
    .await?;
    let net = id_of(&net, "CreateServiceNetwork")?;
    let mut services = Vec::with_capacity(n);
    for i in 0..n {
        let svc = call(
            client,
            t,
            "POST",
            "/services",
            Some(&json!({ "name": format!("bench-{w}-{i}") })),
        )
        .await?;
        services.push(id_of(&svc, "CreateService")?);
    }
    Ok((net, services))
}

/// One timed run against one target; returns requests per second.
async fn run_once(client: &reqwest::Client, t: &Target, s: &Settings) -> anyhow::Result<f64> {
    reset(client, t).await?;
    let mut fixtures = Vec::new();
    for w in 0..s.workers {
        fixtures.push(setup(client, t, w, s.iterations).await?);
    }
    let start = Instant::now();
    let mut set = tokio::task::JoinSet::new();
    for (net, services) in fixtures {
        let (client, t) = (client.clone(), t.clone());
        set.spawn(async move {
            for svc in services {
                let body = json!({ "serviceIdentifier": svc, "serviceNetworkIdentifier": net });
                let created = call(
                    &client,
                    &t,
                    "POST",
                    "/servicenetworkserviceassociations",
                    Some(&body),
                )
                .await?;
                let id = id_of(&created, "CreateServiceNetworkServiceAssociation")?;
                call(
                    &client,
                    &t,
                    "GET",
                    &format!("/servicenetworkserviceassociations/{id}"),
                    None,
                )
                .await?;
                call(
                    &client,
                    &t,
                    "GET",
                    &format!(
                        "/servicenetworkserviceassociations?maxResults=10&serviceNetworkIdentifier={net}"
                    ),
                    None,
                )
                .await?;
            }
            anyhow::Ok(())
        });
    }
    while let Some(r) = set.join_next().await {
        r??;
    }
    let elapsed = start.elapsed().max(Duration::from_micros(1));
    Ok((s.workers * s.iterations * 3) as f64 / elapsed.as_secs_f64())
}

/// Measures every target with the same mix, alternating the order per run.
pub(crate) async fn measure(targets: &[Target], s: Settings) -> anyhow::Result<MixRun> {
    let client = signed::client()?;
    let mut rps = vec![Samples::default(); targets.len()];
    let mut ratio = Samples::default();
    for i in 0..s.warmup + s.runs {
        let mut this = vec![0.0; targets.len()];
        let mut order: Vec<usize> = (0..targets.len()).collect();
        if i % 2 == 1 {
            order.reverse();
        }
        for k in order {
            this[k] = run_once(&client, &targets[k], &s).await?;
        }
        if i < s.warmup {
            continue;
        }
        for (k, v) in this.iter().enumerate() {
            rps[k].push(*v);
        }
        if this.len() >= 2 && this[1] > 0.0 {
            ratio.push(this[0] / this[1]);
        }
    }
    for t in targets {
        reset(&client, t).await?;
    }
    Ok(MixRun {
        settings: s,
        names: targets.iter().map(|t| t.name.clone()).collect(),
        rps,
        ratio,
    })
}
