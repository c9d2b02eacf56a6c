//! Reports: the run's result as data (a documented, stable JSON schema), and its renderings for
//! the console, JUnit and Markdown. No secret ever reaches a report: requests are recorded without
//! signatures, and reproductions refer to credentials through environment variables.

use std::fmt::Write as _;

use serde::Serialize;

use lattice_checks::{RecordedRequest, RecordedResponse};
use lattice_spec::{Basis, Family};

use lattice_checks::{CaseResult, Leak};

/// The JSON report's schema version; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// How to reproduce a failure.
#[derive(Debug, Clone, Serialize)]
pub struct Reproduction {
    /// Re-runs exactly this rule with the same seed.
    pub rerun: String,
    /// The decisive request as a `curl --aws-sigv4` command (credentials from the environment).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub curl: Option<String>,
}

/// One step of a failure's evidence.
#[derive(Debug, Clone, Serialize)]
pub struct FailureStep {
    /// The request.
    pub request: RecordedRequest,
    /// The response, if one came.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<RecordedResponse>,
    /// Why there was no response.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transport_error: Option<String>,
}

/// A failing case: the minimal request, the response that contradicts the rule, what was
/// expected, and how to reproduce it.
#[derive(Debug, Clone, Serialize)]
pub struct FailureReport {
    /// What the case sent, and how it was shrunk.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// What contradicts the rule.
    pub violations: Vec<String>,
    /// The acceptable outcomes.
    pub expected: String,
    /// The decisive request (the case's decisive step, by default the last).
    pub request: RecordedRequest,
    /// The decisive response.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<RecordedResponse>,
    /// Every step, in order (setup and decisive request).
    pub steps: Vec<FailureStep>,
    /// How to reproduce it.
    pub reproduction: Reproduction,
}

impl FailureReport {
    /// Builds a failure report from a failing case.
    pub fn from_case(case: &CaseResult, reproduction: Reproduction) -> Self {
        let steps: Vec<FailureStep> = case
            .evidence
            .iter()
            .map(|e| FailureStep {
                request: e.request.clone(),
                response: e.response.as_ref().ok().cloned(),
                transport_error: e.response.as_ref().err().map(ToString::to_string),
            })
            .collect();
        let decisive = case
            .decisive
            .and_then(|i| steps.get(i))
            .or(steps.last())
            .cloned();
        let violations = match &case.verdict {
            lattice_checks::Verdict::Fail(v) => v.iter().map(ToString::to_string).collect(),
            _ => vec![],
        };
        Self {
            note: case.note.clone(),
            violations,
            expected: case.expected.clone(),
            request: decisive
                .as_ref()
                .map(|s| s.request.clone())
                .unwrap_or_else(|| RecordedRequest {
                    operation: String::new(),
                    principal: String::new(),
                    method: String::new(),
                    path: String::new(),
                    body: String::new(),
                    signing: String::new(),
                }),
            response: decisive.and_then(|s| s.response),
            steps,
            reproduction,
        }
    }
}

/// One rule's result.
#[derive(Debug, Clone, Serialize)]
pub struct RuleReport {
    /// Stable id.
    pub id: String,
    /// Family.
    pub family: Family,
    /// Title.
    pub title: String,
    /// The statement.
    pub statement: String,
    /// Documented or inferred.
    pub basis: Basis,
    /// The source's citation.
    pub citation: String,
    /// The source's link.
    pub url: String,
    /// `pass`, `fail`, `skipped` or `inconclusive`.
    pub verdict: String,
    /// Why skipped or inconclusive.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Cases run.
    pub cases: usize,
    /// Cases passed.
    pub passed: usize,
    /// Cases failed.
    pub failed: usize,
    /// Cases inconclusive.
    pub inconclusive: usize,
    /// For ambiguous rules: the acceptable outcomes the endpoint chose.
    pub chosen: Vec<String>,
    /// The profile's reason when this rule is a listed expected failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_failure: Option<String>,
    /// The verdict the listed divergence gives (`fail`, or `inconclusive`), when it is listed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_verdict: Option<String>,
    /// Up to three failing cases.
    pub failures: Vec<FailureReport>,
}

impl RuleReport {
    /// A rule's entry: its catalogue text, its verdict (with the reason of a skip or an
    /// inconclusive) and the counts of its cases; no chosen outcome, expected failure or failure
    /// recorded yet.
    pub fn new(
        rule: &lattice_spec::Rule,
        verdict: &lattice_checks::Verdict,
        cases: &[CaseResult],
    ) -> Self {
        use lattice_checks::Verdict;
        let count = |name: &str| cases.iter().filter(|c| c.verdict.name() == name).count();
        Self {
            id: rule.id.clone(),
            family: rule.family,
            title: rule.title.clone(),
            statement: rule.statement.clone(),
            basis: rule.basis,
            citation: rule.citation.clone(),
            url: rule.url.clone(),
            verdict: verdict.name().to_owned(),
            reason: match verdict {
                Verdict::Skipped(r) | Verdict::Inconclusive(r) => Some(r.clone()),
                _ => None,
            },
            cases: cases.len(),
            passed: count("pass"),
            failed: count("fail"),
            inconclusive: count("inconclusive"),
            chosen: Vec::new(),
            expected_failure: None,
            expected_verdict: None,
            failures: Vec::new(),
        }
    }

    /// A listed expected failure that failed.
    pub fn is_expected_failure(&self) -> bool {
        self.verdict == "fail"
            && self.expected_failure.is_some()
            && self.expected_verdict.as_deref() != Some("inconclusive")
    }

    /// A rule listed as inconclusive (a divergence leaves it nothing to judge) that is.
    pub fn is_expected_inconclusive(&self) -> bool {
        self.verdict == "inconclusive"
            && self.expected_failure.is_some()
            && self.expected_verdict.as_deref() == Some("inconclusive")
    }

    /// A listed expected failure that no longer fails.
    pub fn is_unexpected_pass(&self) -> bool {
        self.verdict == "pass" && self.expected_failure.is_some()
    }
}

/// Counts per verdict.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    /// Rules in the run.
    pub total: usize,
    /// Passing rules.
    pub pass: usize,
    /// Failing rules not listed as expected failures.
    pub fail: usize,
    /// Failing rules listed as expected failures.
    pub expected_fail: usize,
    /// Inconclusive rules listed as inconclusive (a listed divergence leaves them nothing to
    /// judge).
    pub expected_inconclusive: usize,
    /// Listed expected failures that now pass.
    pub unexpected_pass: usize,
    /// Skipped rules.
    pub skipped: usize,
    /// Inconclusive rules.
    pub inconclusive: usize,
}

impl Summary {
    /// Counts one rule.
    pub fn add(&mut self, r: &RuleReport) {
        self.total += 1;
        match r.verdict.as_str() {
            "pass" => self.pass += 1,
            "fail" if r.is_expected_failure() => self.expected_fail += 1,
            "fail" => self.fail += 1,
            "skipped" => self.skipped += 1,
            _ if r.is_expected_inconclusive() => self.expected_inconclusive += 1,
            _ => self.inconclusive += 1,
        }
        if r.is_unexpected_pass() {
            self.unexpected_pass += 1;
        }
    }
}

/// A whole run.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    /// The tool and its version.
    pub tool: String,
    /// The target profile's name.
    pub target: String,
    /// The endpoint URL.
    pub endpoint: String,
    /// The signing region.
    pub region: String,
    /// The run id (tag value on everything created).
    pub run_id: String,
    /// The seed of every generator.
    pub seed: u64,
    /// Generated cases per property.
    pub cases: u32,
    /// Start time (UTC).
    pub started: String,
    /// Wall time.
    pub duration_ms: u64,
    /// Requests sent.
    pub requests: usize,
    /// Whether the run was interrupted.
    pub interrupted: bool,
    /// The run's deadline, in milliseconds (0 for a judged recording).
    pub deadline_ms: u64,
    /// Whether the deadline passed before the checks were done: nothing was sent after it, and
    /// the rules it left undecided are inconclusive.
    pub deadline_passed: bool,
    /// Why the circuit breaker stopped all sending, when it did (`8 exchanges in a row failed,
    /// the last: timed out`).
    pub breaker: Option<String>,
    /// Why no check ran, when the endpoint did not answer the probe usably (unreachable, or an
    /// unusable answer).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unreachable: Option<String>,
    /// The families, in report order.
    pub families: Vec<String>,
    /// Counts.
    pub summary: Summary,
    /// Every selected rule, in catalogue order.
    pub rules: Vec<RuleReport>,
    /// What cleanup could not delete.
    pub leaks: Vec<Leak>,
}

/// Exit codes of `lattice-conformance` (documented in the README and `--help`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// 0: conformant: every rule passed, was skipped for a missing capability, or is a listed
    /// expected failure.
    Conformant = 0,
    /// 1: at least one rule failed (or, with `--strict-expected`, an expected failure passed).
    Failures = 1,
    /// 2: usage or profile error.
    Usage = 2,
    /// 3: no failure, but some rule could not be judged (endpoint unreachable, throttled, broken
    /// responses, its circuit breaker open, or the request budget spent), or the run's deadline
    /// passed, so conformance is not shown.
    Unreachable = 3,
}

impl RunReport {
    /// The exit code this report calls for.
    pub fn exit_code(&self, strict_expected: bool) -> ExitCode {
        let s = &self.summary;
        if s.fail > 0 || (strict_expected && s.unexpected_pass > 0) {
            ExitCode::Failures
        } else if s.inconclusive > 0
            || s.pass + s.expected_fail + s.expected_inconclusive == 0
            || self.deadline_passed
            || self.interrupted
            || !self.leaks.is_empty()
        {
            ExitCode::Unreachable
        } else {
            ExitCode::Conformant
        }
    }

    /// Why the run stopped short, if it did: the endpoint failed the probe, the deadline passed,
    /// or the circuit breaker opened.
    pub fn stopped(&self) -> Option<String> {
        let deadline = self.deadline_passed.then(|| {
            format!(
                "the run's deadline ({} s) passed: the checks sent nothing after it",
                self.deadline_ms as f64 / 1000.0
            )
        });
        let breaker = self
            .breaker
            .as_ref()
            .map(|why| format!("the circuit breaker stopped sending: {why}"));
        let probe = self
            .unreachable
            .as_ref()
            .map(|why| format!("no check ran: {why}"));
        let parts: Vec<String> = [probe, deadline, breaker].into_iter().flatten().collect();
        (!parts.is_empty()).then(|| parts.join("; "))
    }

    /// The JSON report.
    pub fn to_json(&self) -> String {
        let mut v = serde_json::to_value(self).unwrap_or_default();
        v["schema_version"] = SCHEMA_VERSION.into();
        serde_json::to_string_pretty(&v).unwrap_or_default()
    }

    /// The JUnit XML report: one test case per rule, its source as a property.
    pub fn to_junit(&self) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let failures = self.summary.fail;
        let skipped = self.summary.skipped + self.summary.inconclusive;
        let _ = writeln!(
            out,
            "<testsuites name=\"lattice-conformance\" tests=\"{}\" failures=\"{failures}\" time=\"{:.3}\">",
            self.summary.total,
            self.duration_ms as f64 / 1000.0
        );
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" skipped=\"{skipped}\">",
            xml(&self.target),
            self.summary.total
        );
        let _ = writeln!(out, "    <properties><property name=\"endpoint\" value=\"{}\"/><property name=\"seed\" value=\"{}\"/></properties>", xml(&self.endpoint), self.seed);
        for r in &self.rules {
            let _ = writeln!(
                out,
                "    <testcase classname=\"{}\" name=\"{} {}\">",
                r.family,
                xml(&r.id),
                xml(&r.title)
            );
            let _ = writeln!(
                out,
                "      <properties><property name=\"source\" value=\"{}\"/><property name=\"url\" value=\"{}\"/><property name=\"basis\" value=\"{:?}\"/></properties>",
                xml(&r.citation),
                xml(&r.url),
                r.basis
            );
            match r.verdict.as_str() {
                "fail" if r.is_expected_failure() => {
                    let _ = writeln!(
                        out,
                        "      <skipped message=\"expected failure: {}\"/>",
                        xml(r.expected_failure.as_deref().unwrap_or(""))
                    );
                }
                "fail" => {
                    let first = r.failures.first();
                    let msg = first.map(|f| f.violations.join("; ")).unwrap_or_default();
                    let _ = writeln!(
                        out,
                        "      <failure message=\"{}\">{}</failure>",
                        xml(&msg),
                        xml(&failure_text(r))
                    );
                }
                "skipped" | "inconclusive" => {
                    let _ = writeln!(
                        out,
                        "      <skipped message=\"{}: {}\"/>",
                        r.verdict,
                        xml(r.reason.as_deref().unwrap_or(""))
                    );
                }
                _ => {}
            }
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n</testsuites>\n");
        out
    }

    /// A Markdown summary fit for a CI step summary.
    pub fn to_markdown(&self) -> String {
        let s = &self.summary;
        let mut out = format!(
            "## lattice-conformance: {}\n\n{} rules: **{} pass**, **{} fail**, {} expected failures, {} skipped, {} inconclusive ({} requests, {:.1} s, seed `{}`)\n\n",
            md(&self.target), s.total, s.pass, s.fail, s.expected_fail, s.skipped, s.inconclusive, self.requests, self.duration_ms as f64 / 1000.0, self.seed
        );
        if let Some(stopped) = self.stopped() {
            let _ = writeln!(out, "**Stopped short:** {}.\n", md(&stopped));
        }
        out.push_str("| family | pass | fail | expected fail | skipped | inconclusive |\n|---|---|---|---|---|---|\n");
        for fam in &self.families {
            let rs: Vec<&RuleReport> = self
                .rules
                .iter()
                .filter(|r| r.family.as_str() == fam)
                .collect();
            if rs.is_empty() {
                continue;
            }
            let c = |f: &dyn Fn(&RuleReport) -> bool| rs.iter().filter(|r| f(r)).count();
            let _ = writeln!(
                out,
                "| {fam} | {} | {} | {} | {} | {} |",
                c(&|r| r.verdict == "pass"),
                c(&|r| r.verdict == "fail" && !r.is_expected_failure()),
                c(&|r| r.is_expected_failure()),
                c(&|r| r.verdict == "skipped"),
                c(&|r| r.verdict == "inconclusive")
            );
        }
        let failing: Vec<&RuleReport> = self.rules.iter().filter(|r| r.verdict == "fail").collect();
        if !failing.is_empty() {
            out.push_str("\n### Failures\n\n");
            for r in failing {
                let tag = if r.is_expected_failure() {
                    " (expected)"
                } else {
                    ""
                };
                let msg = r
                    .failures
                    .first()
                    .map(|f| f.violations.join("; "))
                    .unwrap_or_default();
                let _ = writeln!(out, "- **{}**{tag}: {} — {}", r.id, r.title, md(&msg));
            }
        }
        out
    }
}

/// The text of a rule's failures, for the console and JUnit.
pub fn failure_text(r: &RuleReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} — {}", r.id, r.statement);
    let _ = writeln!(out, "  source: {} ({})", r.citation, r.url);
    for (i, f) in r.failures.iter().enumerate() {
        let _ = writeln!(
            out,
            "  case {}{}",
            i + 1,
            f.note
                .as_deref()
                .map(|n| format!(": {n}"))
                .unwrap_or_default()
        );
        for v in &f.violations {
            let _ = writeln!(out, "    ✗ {v}");
        }
        let _ = writeln!(out, "    expected: {}", f.expected);
        for (n, step) in f.steps.iter().enumerate() {
            let req = &step.request;
            let _ = writeln!(
                out,
                "    [{}] {} {} {} as {} ({})",
                n + 1,
                req.operation,
                req.method,
                req.path,
                req.principal,
                req.signing
            );
            if !req.body.is_empty() {
                let _ = writeln!(out, "        body: {}", clip(&req.body, 400));
            }
            match (&step.response, &step.transport_error) {
                (Some(resp), _) => {
                    let _ = writeln!(
                        out,
                        "        → {} {}",
                        resp.outcome(),
                        clip(&resp.body, 400)
                    );
                }
                (None, Some(e)) => {
                    let _ = writeln!(out, "        → no response: {e}");
                }
                _ => {}
            }
        }
        let _ = writeln!(out, "    reproduce: {}", f.reproduction.rerun);
        if let Some(curl) = &f.reproduction.curl {
            let _ = writeln!(out, "    or:        {curl}");
        }
    }
    out
}

fn clip(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    if s.chars().count() > n {
        out.push_str(&format!("… ({} chars)", s.chars().count()));
    }
    out
}

fn xml(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect::<String>()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Text from an endpoint or a profile, made inert in Markdown: HTML is shown as text
/// (`&lt;script&gt;`), Markdown punctuation is escaped, line breaks become spaces (so nothing
/// breaks out of a table cell or a list item).
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in crate::html::escape(s).chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '!' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    // `#` only makes a heading at the start of a line (entities such as `&#39;` keep theirs).
    if out.starts_with('#') {
        out.insert(0, '\\');
    }
    out
}

/// Quotes a string for a POSIX shell.
pub fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// A `curl --aws-sigv4` command for a recorded request: credentials come from the environment
/// (`$AWS_ACCESS_KEY_ID`, `$AWS_SECRET_ACCESS_KEY`), never from the report.
pub fn curl_command(
    endpoint: &str,
    region: &str,
    req: &RecordedRequest,
    headers: &[(String, String)],
) -> String {
    let service = if [
        "/createresourceshare",
        "/getresourceshares",
        "/getresourceshareinvitations",
        "/acceptresourceshareinvitation",
        "/deleteresourceshare",
    ]
    .iter()
    .any(|p| req.path.starts_with(p))
    {
        "ram"
    } else {
        "vpc-lattice"
    };
    let mut cmd = format!(
        "curl -sS -X {} {}",
        req.method,
        shell_quote(&format!("{endpoint}{}", req.path))
    );
    // The broken signing modes are reproduced as curl can: a wrong secret, an unknown key,
    // another service or region in the scope; the others are named in a trailing comment.
    let region = match req.signing.as_str() {
        "wrong-region" => lattice_spec::signing::other_region(region),
        _ => region,
    };
    let (service, user) = match req.signing.as_str() {
        "bad-signature" => (service, "$AWS_ACCESS_KEY_ID:not-the-secret-key"),
        "unknown-key" => (
            service,
            "AKIAUNKNOWNLATTICE00:unknown-secret-for-conformance-probe",
        ),
        "wrong-service" => ("ec2", "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY"),
        _ => (service, "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY"),
    };
    if req.signing != "unsigned" {
        let _ = write!(
            cmd,
            " --aws-sigv4 'aws:amz:{region}:{service}' --user \"{user}\""
        );
    }
    for (k, v) in headers {
        let _ = write!(cmd, " -H {}", shell_quote(&format!("{k}: {v}")));
    }
    if !req.body.is_empty() {
        let _ = write!(
            cmd,
            " -H 'content-type: application/json' --data-binary {}",
            shell_quote(&req.body)
        );
    }
    let beyond_curl = match req.signing.as_str() {
        "expired" => "the suite signed 20 minutes before sending; curl signs at the current time",
        "not-yet-valid" => {
            "the suite signed 20 minutes after sending; curl signs at the current time"
        }
        "body-altered" => {
            "the suite signed the body without its last space, with x-amz-content-sha256; curl \
             signs the body as sent"
        }
        "host-unsigned" => "the suite left host out of SignedHeaders; curl signs it",
        _ => "",
    };
    if !beyond_curl.is_empty() {
        let _ = write!(cmd, "  # not reproduced: {beyond_curl}");
    }
    cmd
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(verdict: &str, listed: Option<&str>) -> RuleReport {
        RuleReport {
            id: "IDEMP-ACCOUNT-SCOPE".into(),
            family: lattice_spec::Family::Idemp,
            title: String::new(),
            statement: String::new(),
            basis: lattice_spec::Basis::Inferred,
            citation: String::new(),
            url: String::new(),
            verdict: verdict.into(),
            reason: None,
            cases: 1,
            passed: 0,
            failed: 0,
            inconclusive: 0,
            chosen: vec![],
            expected_failure: listed.map(|_| "a listed divergence".into()),
            expected_verdict: listed.map(str::to_owned),
            failures: vec![],
        }
    }

    fn summary(rules: &[RuleReport]) -> Summary {
        let mut s = Summary::default();
        for r in rules {
            s.add(r);
        }
        s
    }

    #[test]
    fn a_rule_listed_as_inconclusive_counts_only_when_it_is() {
        let pass = rule("pass", None);
        let s = summary(&[pass.clone(), rule("inconclusive", Some("inconclusive"))]);
        assert_eq!((s.expected_inconclusive, s.inconclusive), (1, 0));
        // Listed as a failure, an inconclusive rule is still inconclusive, and the reverse
        // is a failure.
        let s = summary(&[
            rule("inconclusive", Some("fail")),
            rule("fail", Some("inconclusive")),
        ]);
        assert_eq!((s.inconclusive, s.fail, s.expected_fail), (1, 1, 0));
        let s = summary(&[rule("pass", Some("inconclusive"))]);
        assert_eq!(s.unexpected_pass, 1);
    }

    #[test]
    fn curl_commands_quote_bodies_and_never_hold_secrets() {
        let req = RecordedRequest {
            operation: "CreateServiceNetworkServiceAssociation".into(),
            principal: "owner".into(),
            method: "POST".into(),
            path: "/servicenetworkserviceassociations".into(),
            body: r#"{"tags":{"it's":"x"}}"#.into(),
            signing: "sigv4".into(),
        };
        let cmd = curl_command(
            "http://127.0.0.1:1",
            "us-east-1",
            &req,
            &[("x-moto-account-id".into(), "111111111111".into())],
        );
        assert!(
            cmd.contains("--aws-sigv4 'aws:amz:us-east-1:vpc-lattice'"),
            "{cmd}"
        );
        assert!(cmd.contains(r#"'{"tags":{"it'\''s":"x"}}'"#), "{cmd}");
        assert!(cmd.contains("$AWS_SECRET_ACCESS_KEY"));
        let other = RecordedRequest {
            signing: "wrong-region".into(),
            ..req.clone()
        };
        let cmd = curl_command("http://127.0.0.1:1", "us-east-1", &other, &[]);
        assert!(cmd.contains("'aws:amz:us-west-2:vpc-lattice'"), "{cmd}");
        assert!(!cmd.contains('#'), "{cmd}");
        let stale = RecordedRequest {
            signing: "expired".into(),
            ..req
        };
        let cmd = curl_command("http://127.0.0.1:1", "us-east-1", &stale, &[]);
        assert!(cmd.ends_with("curl signs at the current time"), "{cmd}");
    }

    #[test]
    fn markdown_makes_endpoint_text_inert() {
        let hostile = "<script>alert(1)</script> | **x** [a](javascript:x) `c`\n## h";
        let out = md(hostile);
        for raw in ["<script>", "</script>", "\n", "**x**", "[a](", "`c`"] {
            assert!(!out.contains(raw), "{raw} survives in {out}");
        }
        assert!(
            out.contains("&lt;script&gt;") && out.contains("\\|"),
            "{out}"
        );
    }
}
