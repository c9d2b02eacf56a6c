//! Snapshots of the canonical scenarios ([`lattice_spec::scenario`]): one insta `.snap` file per
//! scenario in the top-level `snapshots/` folder, holding what the contract fixes (status, error
//! type, content type, body member names, JSON types, enum values, identity relations) after
//! every dynamic value was checked and redacted ([`crate::redact`]).
//!
//! The file format is insta's: a YAML header between two `---` lines (`source`, `description`
//! with the rule id, `info` with the scenario as written: setup and requests), then the
//! snapshot body, a JSON document written with a fixed key order. `cargo test` writes and checks
//! these files with insta; the CLI compares against the same files **embedded at build time** (a
//! build script lists `snapshots/*.snap`), so `lattice-conformance` needs neither insta nor the
//! repository at run time. A snapshot added or changed in the repository reaches the binary at
//! its next build.

use serde_json::{json, Map, Value};

use lattice_checks::{Exchange, Violation};

use crate::diff;
use crate::redact::{abbreviate, Redactor};
use lattice_checks::scenario::{ScenarioOutcome, ScenarioRun};
use lattice_checks::CaseResult;
use lattice_spec::scenario::{Scenario, ScenarioCall, Setup};
use lattice_spec::RuleId;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_snapshots.rs"));
}

/// The folder of the snapshots, relative to the repository root.
pub const SNAPSHOT_DIR: &str = "snapshots";

/// Every committed snapshot file, embedded at build time: (name, whole file).
pub fn embedded() -> &'static [(&'static str, &'static str)] {
    embedded::EMBEDDED
}

/// The committed snapshot file of a scenario, if there is one.
pub fn committed(name: &str) -> Option<&'static str> {
    embedded()
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

/// The body of an insta `.snap` file: what follows the header's closing `---` line.
pub fn body_of(file: &str) -> &str {
    let mut rest = file;
    if let Some(after) = rest
        .strip_prefix("---\n")
        .or_else(|| rest.strip_prefix("---\r\n"))
    {
        rest = after;
        let mut offset = 0;
        for line in rest.split_inclusive('\n') {
            offset += line.len();
            if line.trim_end() == "---" {
                return &rest[offset..];
            }
        }
        return "";
    }
    rest
}

/// The `description` line of an insta `.snap` header, if any.
pub fn description_of(file: &str) -> Option<String> {
    let header = file.strip_prefix("---\n")?;
    let line = header
        .lines()
        .take_while(|l| l.trim_end() != "---")
        .find(|l| l.starts_with("description: "))?;
    let raw = line["description: ".len()..].trim();
    Some(serde_json::from_str::<String>(raw).unwrap_or_else(|_| raw.trim_matches('"').to_owned()))
}

/// Text as insta compares it: line endings normalised, trailing white space trimmed.
pub fn normalize(text: &str) -> String {
    text.replace("\r\n", "\n").trim_end().to_owned()
}

/// The snapshot description: the rule id and what the scenario does.
pub fn description(s: &Scenario) -> String {
    format!("{}: {}", s.rule, s.summary)
}

/// The snapshot info: the scenario as written (setup and requests, references in their `${...}`
/// notation), for reviewers.
pub fn info(s: &Scenario) -> Value {
    let setup: Vec<String> = s
        .setup
        .iter()
        .enumerate()
        .map(|(i, x)| match x {
            Setup::Service(w) => format!("r{i}: a service of the {w}"),
            Setup::Network(w) => format!("r{i}: a service network of the {w}"),
            Setup::Share { resource, with } => {
                format!("r{i}: r{resource} shared with the {with} through RAM")
            }
        })
        .collect();
    let steps: Vec<String> = s
        .steps
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let sign = match x.sign {
                lattice_spec::SignMode::SigV4 => String::new(),
                other => format!(", {}", other.label()),
            };
            format!("s{i} {} ({}{sign}): {}", x.label, x.by, call_info(&x.call))
        })
        .collect();
    json!({ "rule": s.rule, "setup": setup, "steps": steps })
}

/// One call as the info shows it: the request line, or what the step waits for or does.
fn call_info(call: &ScenarioCall) -> String {
    const PATH: &str = "/servicenetworkserviceassociations";
    match call {
        ScenarioCall::Create(body) => format!("POST {PATH} {body}"),
        ScenarioCall::Get(t) => format!("GET {PATH}/{t}"),
        ScenarioCall::Delete(t) => format!("DELETE {PATH}/{t}"),
        ScenarioCall::List(filters) => {
            let query: Vec<String> = filters
                .iter()
                .map(|(k, t)| format!("{}={t}", k.as_str()))
                .collect();
            format!("GET {PATH}?{}", query.join("&"))
        }
        ScenarioCall::ListTags(t) => format!("GET /tags/{t}"),
        ScenarioCall::Settle(t) => format!("(wait until {t} is no longer CREATE_IN_PROGRESS)"),
        ScenarioCall::Gone(t) => format!("(wait until Get of {t} answers 404)"),
        ScenarioCall::Unshare(n) => format!("(end the RAM share r{n})"),
        ScenarioCall::FillQuota(t) => format!("(fill {t} up to capabilities.quota_probe)"),
    }
}

/// A scenario's rendering: the snapshot body and the checks the redaction found failing.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The snapshot body as a document.
    pub doc: Value,
    /// The snapshot body (JSON with a fixed key order).
    pub text: String,
    /// Dynamic values that did not match their pattern or enum.
    pub violations: Vec<Violation>,
}

/// Renders a scenario run that ran (`None` for a skipped or inconclusive one).
pub fn render(run: &ScenarioRun) -> Option<Rendered> {
    let ScenarioOutcome::Ran { steps, stopped } = &run.outcome else {
        return None;
    };
    let mut red = Redactor::new(&run.accounts);
    for (raw, placeholder) in &run.tokens {
        red.name(raw, placeholder);
    }
    let mut out: Vec<Value> = steps
        .iter()
        .map(|s| render_step(&mut red, s.label, &s.exchange))
        .collect();
    if let Some((label, why)) = stopped {
        out.push(json!({ "step": label, "notSent": why }));
    }
    let doc = json!({
        "scenario": run.scenario.name,
        "rule": run.scenario.rule,
        "steps": out,
    });
    Some(Rendered {
        text: to_text(&doc),
        doc,
        violations: red.take_violations(),
    })
}

fn render_step(red: &mut Redactor, label: &str, e: &Exchange) -> Value {
    let req = &e.request;
    let path = red.request_path(&req.path);
    let mut step = Map::new();
    step.insert("step".into(), label.into());
    step.insert(
        "request".into(),
        format!(
            "{} {path} as {} ({})",
            req.method, req.principal, req.signing
        )
        .into(),
    );
    if !req.body.is_empty() {
        let body = match serde_json::from_str::<Value>(&req.body) {
            Ok(v) => red.request_body(&v),
            Err(_) => Value::from(abbreviate(&req.body)),
        };
        step.insert("requestBody".into(), body);
    }
    match &e.response {
        Ok(resp) => {
            step.insert("status".into(), resp.status.into());
            let error = (resp.status >= 300).then(|| resp.error_type()).flatten();
            step.insert(
                "errorType".into(),
                error.map(Value::from).unwrap_or(Value::Null),
            );
            let media = resp.header("content-type").map(|ct| {
                ct.split(';')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_ascii_lowercase()
            });
            step.insert(
                "contentType".into(),
                media.map(Value::from).unwrap_or(Value::Null),
            );
            let body = if resp.body.trim().is_empty() {
                Value::Null
            } else {
                match resp.json() {
                    Some(v) => red.response_body(&v),
                    None => Value::from("[not JSON]"),
                }
            };
            step.insert("body".into(), body);
        }
        Err(t) => {
            step.insert("noResponse".into(), t.to_string().into());
        }
    }
    Value::Object(step)
}

/// Keys of the document and of its steps written first, in this order; any other key (and every
/// key of a body) follows in alphabetical order.
const KEY_ORDER: &[&str] = &[
    "scenario",
    "rule",
    "steps",
    "step",
    "request",
    "requestBody",
    "status",
    "errorType",
    "contentType",
    "body",
    "notSent",
    "noResponse",
];

fn key_rank(k: &str) -> (usize, &str) {
    (
        KEY_ORDER
            .iter()
            .position(|o| *o == k)
            .unwrap_or(KEY_ORDER.len()),
        k,
    )
}

/// JSON text with two-space indentation and a fixed key order (independent of serde_json's
/// map features), so the same document is always the same text.
pub fn to_text(v: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, v, 0);
    out
}

fn write_value(out: &mut String, v: &Value, indent: usize) {
    let pad = |n: usize| "  ".repeat(n);
    match v {
        Value::Object(map) if !map.is_empty() => {
            let mut keys: Vec<&String> = map.keys().collect();
            // The document and its steps (depth 0 and 2) in the fixed order; bodies sorted.
            if indent <= 2 {
                keys.sort_by(|a, b| key_rank(a).cmp(&key_rank(b)));
            } else {
                keys.sort();
            }
            out.push_str("{\n");
            for (i, k) in keys.iter().enumerate() {
                out.push_str(&pad(indent + 1));
                out.push_str(&Value::from(k.as_str()).to_string());
                out.push_str(": ");
                write_value(out, &map[k.as_str()], indent + 1);
                if i + 1 < keys.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            out.push_str(&pad(indent));
            out.push('}');
        }
        Value::Array(items) if !items.is_empty() => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&pad(indent + 1));
                write_value(out, item, indent + 1);
                if i + 1 < items.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            out.push_str(&pad(indent));
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// Compares a rendering with the committed snapshot where the contract fixes it
/// ([`crate::snapshot_match`]): `None` when the endpoint honours it, else the violation with the
/// findings and a readable line diff (or the hint to record a missing snapshot).
pub fn compare(scenario: &Scenario, rendered: &Rendered) -> Option<Violation> {
    let name = scenario.name.as_str();
    let Some(file) = committed(name) else {
        return Some(Violation::SnapshotDiffers {
            snapshot: name.to_owned(),
            findings: vec!["no committed snapshot (hint: record it with `INSTA_UPDATE=always cargo test -p lattice-conformance-tests --test integration snapshots`, review it with `cargo insta review`, commit it, and rebuild)".into()],
            diff: rendered
                .text
                .lines()
                .map(|l| format!("+ {l}"))
                .collect::<Vec<_>>()
                .join("\n"),
        });
    };
    let body = body_of(file);
    let old: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let findings = crate::snapshot_match::differences(scenario, &old, &rendered.doc);
    if findings.is_empty() {
        return None;
    }
    Some(Violation::SnapshotDiffers {
        snapshot: name.to_owned(),
        findings,
        diff: diff::unified(&normalize(body), &normalize(&rendered.text), 3),
    })
}

/// One scenario's case of HTTP-SNAPSHOT: skipped, inconclusive, or judged against its snapshot
/// (a difference, or a dynamic value outside its pattern, fails it).
pub fn judge(run: &ScenarioRun) -> CaseResult {
    let name = run.scenario.name.as_str();
    let note = format!("scenario `{name}` ({})", run.scenario.rule);
    match &run.outcome {
        ScenarioOutcome::Skipped(reason) => {
            CaseResult::skipped(RuleId::HttpSnapshot, format!("scenario `{name}`: {reason}"))
        }
        ScenarioOutcome::Inconclusive(reason, evidence) => CaseResult::inconclusive(
            RuleId::HttpSnapshot,
            format!("scenario `{name}`: {reason}"),
            evidence.clone(),
        )
        .with_note(note),
        ScenarioOutcome::Ran { steps, .. } => {
            let Some(rendered) = render(run) else {
                return CaseResult::inconclusive(RuleId::HttpSnapshot, "not rendered", vec![]);
            };
            let mut violations = rendered.violations.clone();
            violations.extend(compare(run.scenario, &rendered));
            CaseResult::new(
                RuleId::HttpSnapshot,
                violations,
                steps.iter().map(|s| s.exchange.clone()).collect(),
                format!("the responses recorded in snapshots/{name}.snap"),
            )
            .with_note(note)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_follow_the_insta_header() {
        let file = "---\nsource: tests/integration/snapshots.rs\ndescription: \"IDEMP-REPLAY: twice\"\ninfo:\n  rule: IDEMP-REPLAY\n---\n{\n  \"a\": 1\n}\n";
        assert_eq!(body_of(file), "{\n  \"a\": 1\n}\n");
        assert_eq!(description_of(file).as_deref(), Some("IDEMP-REPLAY: twice"));
        assert_eq!(body_of("no header"), "no header");
    }

    #[test]
    fn text_has_a_fixed_key_order() {
        let v = json!({ "body": { "b": 1, "a": [] }, "status": 200, "step": "create" });
        assert_eq!(
            to_text(&v),
            "{\n  \"step\": \"create\",\n  \"status\": 200,\n  \"body\": {\n    \"a\": [],\n    \"b\": 1\n  }\n}"
        );
        let deep = json!({ "steps": [{ "body": { "status": "ACTIVE", "arn": "x" } }] });
        assert!(to_text(&deep).contains("\"arn\": \"x\",\n        \"status\""));
    }

    #[test]
    fn a_missing_snapshot_is_a_failure_with_a_hint() {
        let mut scenario = lattice_spec::scenario::by_name("happy-path")
            .expect("a scenario")
            .clone();
        scenario.name = "no-such-scenario".into();
        let rendered = Rendered {
            doc: json!({}),
            text: "{}".into(),
            violations: vec![],
        };
        let v = compare(&scenario, &rendered).expect("missing");
        let text = v.to_string();
        assert!(text.contains("no committed snapshot"), "{text}");
        assert!(text.contains("INSTA_UPDATE=always"), "{text}");
    }

    #[test]
    fn every_embedded_snapshot_belongs_to_a_scenario() {
        for (name, _) in embedded() {
            assert!(
                lattice_spec::scenario::by_name(name).is_some(),
                "snapshots/{name}.snap has no scenario (hint: delete it)"
            );
        }
    }
}
