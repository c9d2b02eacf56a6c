//! Measures CreateServiceNetworkServiceAssociation throughput against an in-process reference
//! endpoint: a few concurrent tasks on warm keep-alive connections, each signing with
//! `aws-sigv4` and creating associations on distinct pairs, then replaying one token.
//!
//! ```text
//! cargo run --release -p lattice-reference --example load -- [TASKS] [CREATES_PER_TASK]
//! ```

use std::time::{Duration, Instant, SystemTime};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{
    sign, SignableBody, SignableRequest, SigningParams, SigningSettings,
};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use lattice_reference::{Config, ReferenceEndpoint, TestPrincipal};
use serde_json::{json, Value};

#[derive(Clone)]
struct Signer {
    http: reqwest::Client,
    base: String,
    principal: TestPrincipal,
}

impl Signer {
    async fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        let url = format!("{}{path}", self.base);
        let bytes = body.to_string().into_bytes();
        let identity: Identity = Credentials::new(
            &self.principal.access_key,
            &self.principal.secret_key,
            None,
            None,
            "load",
        )
        .into();
        let params: SigningParams<'_> = v4::SigningParams::builder()
            .identity(&identity)
            .region("us-east-1")
            .name("vpc-lattice")
            .time(SystemTime::now())
            .settings(SigningSettings::default())
            .build()
            .expect("signing params")
            .into();
        let headers = [("content-type", "application/json")];
        let signable = SignableRequest::new(
            "POST",
            url.clone(),
            headers.into_iter(),
            SignableBody::Bytes(&bytes),
        )
        .expect("signable");
        let (instructions, _) = sign(signable, &params).expect("sign").into_parts();
        let mut req = self
            .http
            .post(&url)
            .header("content-type", "application/json");
        for (k, v) in instructions.headers() {
            req = req.header(k, v);
        }
        let resp = req.body(bytes).send().await.expect("endpoint reachable");
        let status = resp.status().as_u16();
        let body = resp
            .bytes()
            .await
            .map(|b| serde_json::from_slice(&b).unwrap_or(Value::Null))
            .unwrap_or(Value::Null);
        (status, body)
    }
}

fn report(label: &str, ok: usize, total: usize, elapsed: Duration) {
    println!(
        "{label:<28} {total:>6} requests, {ok:>6} × 200, {:>7.0} requests/s ({:.3} ms each)",
        total as f64 / elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1000.0 / total as f64
    );
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let tasks: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(4);
    let per_task: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let config = Config {
        quota_per_network: usize::MAX,
        ..Config::default()
    };
    let endpoint = ReferenceEndpoint::start(config).await;
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(tasks * 2)
        .build()
        .expect("client");
    let signer = Signer {
        http,
        base: endpoint.url(),
        principal: endpoint.config().principal("owner").expect("owner").clone(),
    };

    // Fixtures: one network and `per_task` services per task (not measured).
    let mut plans = Vec::new();
    for t in 0..tasks {
        let (_, net) = signer
            .post(
                "/servicenetworks",
                &json!({ "name": format!("load-net-{t}") }),
            )
            .await;
        let net = net["id"].as_str().unwrap_or_default().to_owned();
        let mut services = Vec::with_capacity(per_task);
        for i in 0..per_task {
            let (_, svc) = signer
                .post("/services", &json!({ "name": format!("load-{t}-{i}") }))
                .await;
            services.push(svc["id"].as_str().unwrap_or_default().to_owned());
        }
        plans.push((net, services));
    }

    // Distinct pairs: every request creates a new association.
    let start = Instant::now();
    let handles: Vec<_> = plans
        .into_iter()
        .map(|(net, services)| {
            let s = signer.clone();
            tokio::spawn(async move {
                let mut ok = 0;
                for svc in services {
                    let body = json!({ "serviceIdentifier": svc, "serviceNetworkIdentifier": net });
                    if s.post("/servicenetworkserviceassociations", &body).await.0 == 200 {
                        ok += 1;
                    }
                }
                ok
            })
        })
        .collect();
    let mut ok = 0;
    for h in handles {
        ok += h.await.unwrap_or(0);
    }
    report(
        "create (distinct pairs)",
        ok,
        tasks * per_task,
        start.elapsed(),
    );

    // Replays: every request repeats one successful create with the same token.
    let (_, net) = signer
        .post("/servicenetworks", &json!({ "name": "load-replay-net" }))
        .await;
    let (_, svc) = signer
        .post("/services", &json!({ "name": "load-replay-svc" }))
        .await;
    let body = json!({ "serviceIdentifier": svc["id"], "serviceNetworkIdentifier": net["id"], "clientToken": "replay" });
    signer
        .post("/servicenetworkserviceassociations", &body)
        .await;
    let start = Instant::now();
    let handles: Vec<_> = (0..tasks)
        .map(|_| {
            let (s, body) = (signer.clone(), body.clone());
            tokio::spawn(async move {
                let mut ok = 0;
                for _ in 0..per_task {
                    if s.post("/servicenetworkserviceassociations", &body).await.0 == 200 {
                        ok += 1;
                    }
                }
                ok
            })
        })
        .collect();
    let mut ok = 0;
    for h in handles {
        ok += h.await.unwrap_or(0);
    }
    report(
        "create (replayed token)",
        ok,
        tasks * per_task,
        start.elapsed(),
    );
    println!(
        "endpoint served {} requests in all",
        endpoint.received_count()
    );
}
