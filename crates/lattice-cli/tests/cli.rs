//! The binary as users run it: secrets never reach any output, bad profiles and live endpoints
//! are refused with exit code 2 and a hint, exit codes follow the documented table, and runs
//! against hostile endpoints end within their deadline (`hostile`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use lattice_reference::{Config, Defect, ReferenceEndpoint, TestPrincipal};

#[path = "cli/check_client.rs"]
mod check_client;
#[path = "cli/hostile.rs"]
mod hostile;
#[path = "cli/live_like.rs"]
mod live_like;
#[path = "cli/safety.rs"]
mod safety;
#[path = "cli/serve.rs"]
mod serve;

const BIN: &str = env!("CARGO_BIN_EXE_lattice-conformance");
const SECRETS: [&str; 6] = [
    "CANARYsecretOWNERxxxxxxxxxxxxxxxxxxxxxxx",
    "CANARYsecretPEERxxxxxxxxxxxxxxxxxxxxxxxx",
    "CANARYsecretOUTSIDERxxxxxxxxxxxxxxxxxxxx",
    "CANARYtokenOWNER",
    "CANARYtokenPEER",
    "CANARYtokenOUTSIDER",
];

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lattice-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("AWS_ENDPOINT_URL")
        .env_remove("AWS_ENDPOINT_URL_VPC_LATTICE")
        .output()
        .unwrap()
}

/// The four report files of a run in `dir`, and the options that write them.
fn reports_in(dir: &Path) -> (Vec<PathBuf>, Vec<String>) {
    let files: Vec<PathBuf> = ["r.json", "r.xml", "r.md", "r.html"]
        .iter()
        .map(|f| dir.join(f))
        .collect();
    let args = ["--json", "--junit", "--markdown", "--html"]
        .iter()
        .zip(&files)
        .flat_map(|(flag, file)| [flag.to_string(), file.display().to_string()])
        .collect();
    (files, args)
}

/// `run` with `args` and then `more`.
fn run_with(args: &[&str], more: &[String]) -> Output {
    let all: Vec<&str> = args
        .iter()
        .copied()
        .chain(more.iter().map(String::as_str))
        .collect();
    run(&all)
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A profile for an endpoint whose principals carry recognisable secrets and session tokens.
fn canary_profile(dir: &Path, url: &str) -> PathBuf {
    let mut text = format!("name = \"canary\"\nendpoint = \"{url}\"\n[capabilities]\nram = true\nasync_status = false\ndelete = true\n");
    for (i, role) in ["owner", "peer", "outsider"].iter().enumerate() {
        text.push_str(&format!(
            "[[principals]]\nrole = \"{role}\"\naccess_key_id = \"AKIACANARY{:010}\"\nsecret_access_key = \"{}\"\nsession_token = \"{}\"\n",
            i,
            SECRETS[i],
            SECRETS[3 + i]
        ));
    }
    let path = dir.join("canary.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// The reference endpoint's principals for [`canary_profile`]: the same keys and secrets.
fn canary_principals() -> Vec<TestPrincipal> {
    ["owner", "peer", "outsider"]
        .iter()
        .enumerate()
        .map(|(i, role)| {
            TestPrincipal::new(
                role,
                &format!("{}", 111_111_111_111u64 * (i as u64 + 1)),
                &format!("AKIACANARY{i:010}"),
                SECRETS[i],
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_reaches_the_console_or_any_report() {
    let principals = canary_principals();
    // Defects make failures, so that reproductions and evidence are rendered too.
    let defects = [
        Defect::CreatedByResourceOwner,
        Defect::NotFoundMissingResourceId,
        Defect::IgnoreClientToken,
    ]
    .into_iter()
    .collect();
    let endpoint = ReferenceEndpoint::start(Config {
        principals,
        defects,
        ..Config::default()
    })
    .await;
    let dir = temp_dir("secrets");
    let profile = canary_profile(&dir, &endpoint.url());
    let (reports, report_args) = reports_in(&dir);
    let out = tokio::task::spawn_blocking({
        let profile = profile.clone();
        move || {
            let target = profile.to_str().unwrap();
            let args = ["run", "--target", target, "--cases", "2", "--seed", "5"];
            run_with(&[&args[..], &["--verbose"]].concat(), &report_args)
        }
    })
    .await
    .unwrap();
    let console = text(&out);
    assert_eq!(out.status.code(), Some(1), "{console}");
    assert!(
        console.contains("curl") && console.contains("$AWS_SECRET_ACCESS_KEY"),
        "{console}"
    );
    let mut outputs = vec![("console".to_owned(), console)];
    for r in &reports {
        outputs.push((r.display().to_string(), std::fs::read_to_string(r).unwrap()));
    }
    for (name, body) in &outputs {
        for secret in SECRETS {
            assert!(!body.contains(secret), "{secret} leaked into {name}");
        }
        assert!(
            !body.contains("Signature="),
            "a request signature leaked into {name}"
        );
    }
}

#[test]
fn a_bad_profile_is_refused_without_echoing_its_secret() {
    let dir = temp_dir("badprofile");
    let path = dir.join("bad.toml");
    std::fs::write(&path, format!("name = \"bad\"\nendpoint = \"http://127.0.0.1:9\"\n[[principals]]\nrole = \"owner\"\nsecret_access_key = \"{}\"\n", SECRETS[0])).unwrap();
    let out = run(&["run", "--target", path.to_str().unwrap()]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(2), "{t}");
    assert!(
        t.contains("access_key_id") && !t.contains(SECRETS[0]),
        "{t}"
    );
    let out = run(&["run", "--target", "no-such-target"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("hint"), "{}", text(&out));
}

#[test]
fn live_aws_is_refused_without_allow_live() {
    let out = Command::new(BIN)
        .args(["run", "--target", "aws"])
        .env("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", SECRETS[0])
        .output()
        .unwrap();
    let t = text(&out);
    assert_eq!(out.status.code(), Some(2), "{t}");
    assert!(t.contains("--allow-live") && !t.contains(SECRETS[0]), "{t}");
    let out = run(&[
        "run",
        "--endpoint",
        "https://vpc-lattice.eu-west-1.amazonaws.com",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
}

#[test]
fn an_unreachable_endpoint_exits_3() {
    let dir = temp_dir("unreachable");
    let profile = canary_profile(&dir, "http://127.0.0.1:9");
    let out = run(&["run", "--target", profile.to_str().unwrap()]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(3), "{t}");
    assert!(t.contains("unreachable") && t.contains("hint"), "{t}");
}
