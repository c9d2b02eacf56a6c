//! The scenario with `aws-sdk-vpclattice`: setup (a service network and six services), the seven
//! Create calls, and the client report (what the SDK surfaced for each call).

use std::time::Duration;

use aws_sdk_vpclattice::config::retry::RetryConfig;
use aws_sdk_vpclattice::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_vpclattice::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_vpclattice::operation::create_service_network_service_association::CreateServiceNetworkServiceAssociationError as CreateError;
use aws_sdk_vpclattice::{Client, Config};
use serde_json::{json, Map, Value};

/// The reference endpoint's owner test principal (ACCOUNT:KEY:SECRET); `LATTICE_OWNER` overrides.
const OWNER: &str = "111122223333:AKIDLATTICEOWNER0001:ownerSecretKey0000000000000000000000000001";
/// A caller-supplied token with upper case and symbols: it must arrive unchanged.
const SUPPLIED_TOKEN: &str = "Lattice-SDK-check_0001~";

struct Args {
    url: String,
    report: String,
    region: String,
}

fn args() -> Result<Args, String> {
    let mut url = std::env::var("LATTICE_ENDPOINT").unwrap_or("http://127.0.0.1:8471".into());
    let mut report = None;
    let mut region = std::env::var("LATTICE_REGION").unwrap_or("us-east-1".into());
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--report" => report = it.next(),
            "--region" => region = it.next().ok_or("--region needs a value")?,
            "-h" | "--help" => return Err(String::new()),
            u if u.starts_with("http") => url = u.to_owned(),
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    Ok(Args {
        url,
        report: report.ok_or("--report RESULT.json is required")?,
        region,
    })
}

fn client(args: &Args) -> Client {
    let owner = std::env::var("LATTICE_OWNER").unwrap_or(OWNER.into());
    let mut parts = owner.splitn(3, ':').skip(1);
    let (key, secret) = (
        parts.next().unwrap_or_default().to_owned(),
        parts.next().unwrap_or_default().to_owned(),
    );
    // A plain-HTTP hyper client: the endpoint is a loopback URL (no TLS stack is built).
    let http = aws_smithy_http_client::Builder::new().build_http();
    let config = Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(args.region.clone()))
        .endpoint_url(&args.url)
        .credentials_provider(Credentials::new(key, secret, None, None, "lattice-test"))
        .http_client(http)
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(100)),
        )
        .build();
    Client::from_conf(config)
}

/// What the SDK surfaced for a service error: its modelled type (or the code of an unhandled
/// error) and the modelled members, by their model names.
fn surfaced(err: &CreateError) -> Map<String, Value> {
    let mut e = Map::new();
    let mut put = |k: &str, v: Value| {
        if !v.is_null() {
            e.insert(k.to_owned(), v);
        }
    };
    let (ty, class) = match err {
        CreateError::ConflictException(x) => {
            put("resourceId", json!(x.resource_id()));
            put("resourceType", json!(x.resource_type()));
            ("ConflictException", "ConflictException")
        }
        CreateError::ThrottlingException(x) => {
            put("retryAfterSeconds", json!(x.retry_after_seconds()));
            put("serviceCode", json!(x.service_code()));
            put("quotaCode", json!(x.quota_code()));
            ("ThrottlingException", "ThrottlingException")
        }
        CreateError::InternalServerException(x) => {
            put("retryAfterSeconds", json!(x.retry_after_seconds()));
            ("InternalServerException", "InternalServerException")
        }
        CreateError::ResourceNotFoundException(x) => {
            put("resourceId", json!(x.resource_id()));
            put("resourceType", json!(x.resource_type()));
            ("ResourceNotFoundException", "ResourceNotFoundException")
        }
        CreateError::ServiceQuotaExceededException(x) => {
            put("resourceId", json!(x.resource_id()));
            put("resourceType", json!(x.resource_type()));
            put("serviceCode", json!(x.service_code()));
            put("quotaCode", json!(x.quota_code()));
            (
                "ServiceQuotaExceededException",
                "ServiceQuotaExceededException",
            )
        }
        CreateError::ValidationException(x) => {
            put("reason", json!(x.reason().as_str()));
            ("ValidationException", "ValidationException")
        }
        CreateError::AccessDeniedException(_) => ("AccessDeniedException", "AccessDeniedException"),
        other => (other.code().unwrap_or("(no code)"), "Unhandled"),
    };
    put("message", json!(err.message()));
    e.insert("type".into(), json!(ty));
    e.insert("class".into(), json!(class));
    e.insert("code".into(), json!(err.code()));
    e
}

async fn create(
    client: &Client,
    name: &str,
    supplied_token: Option<&str>,
    service: &str,
    network: &str,
    retries: bool,
) -> Value {
    let mut req = client
        .create_service_network_service_association()
        .service_identifier(service)
        .service_network_identifier(network);
    if let Some(t) = supplied_token {
        req = req.client_token(t);
    }
    // A panic inside the SDK is a crash, reported as such rather than ending the scenario.
    let call = tokio::spawn(async move {
        if retries {
            req.send().await
        } else {
            req.customize()
                .config_override(Config::builder().retry_config(RetryConfig::disabled()))
                .send()
                .await
        }
    });
    let mut entry = json!({ "name": name, "supplied_token": supplied_token });
    match call.await {
        Ok(Ok(out)) => {
            entry["result"] = json!("ok");
            entry["id"] = json!(out.id());
        }
        Ok(Err(SdkError::ServiceError(ctx))) => {
            entry["result"] = json!("error");
            entry["error"] = Value::Object(surfaced(ctx.err()));
        }
        Ok(Err(other)) => {
            entry["result"] = json!("crash");
            entry["crash"] = json!(DisplayErrorContext(&other).to_string());
        }
        Err(join) => {
            entry["result"] = json!("crash");
            entry["crash"] = json!(format!("panic: {join}"));
        }
    }
    println!(
        "{name:<14} {:<6} {}",
        entry["result"].as_str().unwrap_or(""),
        entry
            .get("error")
            .or(entry.get("id"))
            .or(entry.get("crash"))
            .unwrap_or(&Value::Null)
    );
    entry
}

async fn scenario(args: &Args) -> Result<Value, String> {
    let client = client(args);
    let run = format!(
        "{:08x}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos() ^ d.as_secs() as u32)
            .unwrap_or(0)
    );
    let setup = |e: &dyn std::fmt::Display| format!("setup failed: {e}");
    let network = client
        .create_service_network()
        .name(format!("rust-net-{run}"))
        .send()
        .await
        .map_err(|e| setup(&DisplayErrorContext(e)))?
        .id()
        .map(str::to_owned)
        .ok_or("setup failed: CreateServiceNetwork returned no id")?;
    let mut services = Vec::new();
    for i in 1..=6 {
        let id = client
            .create_service()
            .name(format!("rust-svc-{i}-{run}"))
            .send()
            .await
            .map_err(|e| setup(&DisplayErrorContext(e)))?
            .id()
            .map(str::to_owned)
            .ok_or("setup failed: CreateService returned no id")?;
        services.push(id);
    }
    let n = network.as_str();
    let calls = vec![
        create(&client, "no-token", None, &services[0], n, true).await,
        create(
            &client,
            "with-token",
            Some(SUPPLIED_TOKEN),
            &services[1],
            n,
            true,
        )
        .await,
        create(&client, "retried-500", None, &services[2], n, true).await,
        create(&client, "duplicate", None, &services[0], n, true).await,
        create(&client, "retried-429", None, &services[3], n, true).await,
        create(&client, "throttled", None, &services[4], n, false).await,
        create(&client, "unknown-error", None, &services[5], n, true).await,
    ];
    Ok(json!({
        "client": format!("aws-sdk-vpclattice {}", aws_sdk_vpclattice::meta::PKG_VERSION),
        "calls": calls,
    }))
}

/// Runs the scenario and writes the report; exit 0 when the scenario ran (the verdict is
/// `check-client`'s), 2 on bad arguments, 1 when the setup failed.
pub(crate) fn main() -> std::process::ExitCode {
    let args = match args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("error: {e}");
            }
            eprintln!("usage: lattice-sdk-rust [URL] --report RESULT.json [--region REGION]");
            return std::process::ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return std::process::ExitCode::from(1);
        }
    };
    match runtime.block_on(scenario(&args)) {
        Ok(report) => {
            let text = serde_json::to_string_pretty(&report).unwrap_or_default();
            if let Err(e) = std::fs::write(&args.report, text) {
                eprintln!("error: cannot write `{}`: {e}", args.report);
                return std::process::ExitCode::from(1);
            }
            println!(
                "wrote {}: {}, {} Create calls",
                args.report,
                report["client"].as_str().unwrap_or(""),
                report["calls"].as_array().map_or(0, Vec::len)
            );
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::from(1)
        }
    }
}
