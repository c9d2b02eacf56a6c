//! `check-client`: a recording judged against the SDK rules, reported like `run`, with the same
//! exit codes: 0 for a conformant client, 1 for a failing one, 2 for unreadable input.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use lattice_spec::recording::{
    AuthSummary, ClientRequest, RecordLine, Recording, RecordingHeader, FORMAT_VERSION,
};
use serde_json::{json, Value};

use super::{run, temp_dir, text};

/// A Create attempt as a well-behaved SDK sends it.
fn attempt(
    index: usize,
    invocation: &str,
    body: Value,
    status: u16,
    error: Option<&str>,
) -> RecordLine {
    RecordLine::Request(ClientRequest {
        index,
        elapsed_ms: index as u64,
        method: "POST".into(),
        path: "/servicenetworkserviceassociations".into(),
        query: None,
        headers: BTreeMap::from([
            ("content-type".into(), "application/json".into()),
            ("x-amz-date".into(), "20250101T000000Z".into()),
            ("amz-sdk-invocation-id".into(), invocation.into()),
        ]),
        authorization: Some(AuthSummary {
            algorithm: "AWS4-HMAC-SHA256".into(),
            scope: "20250101/us-east-1/vpc-lattice/aws4_request".into(),
            signed_headers: vec!["content-type".into(), "host".into(), "x-amz-date".into()],
        }),
        body: body.to_string(),
        status,
        error_type: error.map(str::to_owned),
        retry_after: error.and_then(|e| {
            (e == "InternalServerException" || e == "ThrottlingException").then(|| "0".into())
        }),
        response_body: error.map(|_| {
            json!({"message": "m", "resourceId": "snsa-0123456789abcdefg", "resourceType": "SERVICE_NETWORK_SERVICE_ASSOCIATION"}).to_string()
        }),
        fault: None,
    })
}

fn body(service: u8, token: &str) -> Value {
    json!({
        "clientToken": token,
        "serviceIdentifier": format!("svc-{service:0>17}"),
        "serviceNetworkIdentifier": "sn-00000000000000000",
    })
}

/// The SDK scenario's recording; `retry_token` is the token of the retry after the 500.
fn recording(dir: &Path, name: &str, retry_token: &str) -> PathBuf {
    let mut lines = vec![RecordLine::Header(RecordingHeader {
        format: FORMAT_VERSION,
        endpoint: "http://127.0.0.1:1".into(),
        region: "us-east-1".into(),
        started: "2025-01-01T00:00:00.000Z".into(),
        faults: vec!["create#3=500".into()],
    })];
    lines.push(attempt(1, "a", body(1, "t1"), 200, None));
    lines.push(attempt(2, "b", body(2, "Mine~"), 200, None));
    lines.push(attempt(
        3,
        "c",
        body(3, "t3"),
        500,
        Some("InternalServerException"),
    ));
    lines.push(attempt(4, "c", body(3, retry_token), 200, None));
    lines.push(attempt(
        5,
        "d",
        body(1, "t5"),
        409,
        Some("ConflictException"),
    ));
    lines.push(attempt(
        6,
        "e",
        body(5, "t6"),
        429,
        Some("ThrottlingException"),
    ));
    lines.push(attempt(
        7,
        "f",
        body(6, "t7"),
        400,
        Some("SomethingNewException"),
    ));
    let text: Vec<String> = lines.iter().map(Recording::line).collect();
    let path = dir.join(name);
    std::fs::write(&path, text.join("\n")).unwrap();
    path
}

fn client_report(dir: &Path) -> PathBuf {
    let report = json!({
        "client": "test-sdk 1.0",
        "calls": [
            {"name": "no-token", "supplied_token": null, "result": "ok"},
            {"name": "with-token", "supplied_token": "Mine~", "result": "ok"},
            {"name": "retried-500", "supplied_token": null, "result": "ok"},
            {"name": "duplicate", "supplied_token": null, "result": "error",
             "error": {"type": "ConflictException", "resourceId": "snsa-0123456789abcdefg", "resourceType": "SERVICE_NETWORK_SERVICE_ASSOCIATION"}},
            {"name": "throttled", "supplied_token": null, "result": "error",
             "error": {"type": "ThrottlingException", "retryAfterSeconds": 0}},
            {"name": "unknown-error", "supplied_token": null, "result": "error",
             "error": {"type": "SomethingNewException"}}
        ]
    });
    let path = dir.join("client.json");
    std::fs::write(&path, report.to_string()).unwrap();
    path
}

fn verdicts(json_report: &Path) -> BTreeMap<String, String> {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(json_report).unwrap()).unwrap();
    v["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_owned(),
                r["verdict"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn a_conformant_client_passes_every_sdk_rule_and_exits_0() {
    let dir = temp_dir("check-client-ok");
    let rec = recording(&dir, "good.jsonl", "t3");
    let report = client_report(&dir);
    let json_out = dir.join("report.json");
    let junit = dir.join("report.xml");
    let out = run(&[
        "check-client",
        rec.to_str().unwrap(),
        "--client-report",
        report.to_str().unwrap(),
        "--json",
        json_out.to_str().unwrap(),
        "--junit",
        junit.to_str().unwrap(),
    ]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(0), "{t}");
    let v = verdicts(&json_out);
    assert_eq!(v.len(), 8, "{v:?}");
    assert!(v.values().all(|x| x == "pass"), "{v:?}");
    assert!(
        t.contains("test-sdk 1.0") && t.contains("8 rules: 8 pass"),
        "{t}"
    );
    assert!(std::fs::read_to_string(junit)
        .unwrap()
        .contains("SDK-RETRY-SAME-TOKEN"));
}

#[test]
fn a_fresh_token_on_a_retry_fails_with_the_attempts_and_exits_1() {
    let dir = temp_dir("check-client-fail");
    let rec = recording(&dir, "bad.jsonl", "another-token");
    let report = client_report(&dir);
    let json_out = dir.join("report.json");
    let out = run(&[
        "check-client",
        rec.to_str().unwrap(),
        "--client-report",
        report.to_str().unwrap(),
        "--json",
        json_out.to_str().unwrap(),
    ]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert_eq!(verdicts(&json_out)["SDK-RETRY-SAME-TOKEN"], "fail");
    assert!(
        t.contains("another-token") && t.contains("after 500"),
        "{t}"
    );
    assert!(t.contains("--rules SDK-RETRY-SAME-TOKEN"), "{t}");
}

#[test]
fn without_a_client_report_the_surfaced_error_rules_are_skipped() {
    let dir = temp_dir("check-client-noreport");
    let rec = recording(&dir, "good.jsonl", "t3");
    let json_out = dir.join("report.json");
    let out = run(&[
        "check-client",
        rec.to_str().unwrap(),
        "--json",
        json_out.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let v = verdicts(&json_out);
    for rule in [
        "SDK-TOKEN-PASSTHROUGH",
        "SDK-ERRORS-MODELLED",
        "SDK-UNKNOWN-ERROR",
    ] {
        assert_eq!(v[rule], "skipped", "{rule}");
    }
}

#[test]
fn unreadable_input_and_non_sdk_rules_exit_2() {
    let dir = temp_dir("check-client-usage");
    let missing = dir.join("missing.jsonl");
    let out = run(&["check-client", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let garbage = dir.join("garbage.jsonl");
    std::fs::write(&garbage, "not json\n").unwrap();
    let out = run(&["check-client", garbage.to_str().unwrap()]);
    assert!(
        out.status.code() == Some(2) && text(&out).contains("line 1"),
        "{}",
        text(&out)
    );
    let rec = recording(&dir, "good.jsonl", "t3");
    let out = run(&["check-client", rec.to_str().unwrap(), "--rules", "VAL"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
}

#[test]
fn run_never_selects_sdk_rules() {
    let out = run(&["run", "--rules", "SDK", "--plan"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("check-client"), "{}", text(&out));
    let rules = run(&["rules", "--rules", "SDK"]);
    assert!(text(&rules).contains("SDK-RETRY-SAME-TOKEN") && text(&rules).contains("8 rules"));
}
