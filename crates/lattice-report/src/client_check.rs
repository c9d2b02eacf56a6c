//! `check-client`: a client's recording (`serve --record`) and, optionally, what the client
//! surfaced (the driver's report), judged against the SDK rules by `lattice_checks::client`, as
//! a [`RunReport`] like a run's, so that the console, JSON, JUnit, Markdown and HTML renderings
//! and the exit codes are the same. No network: everything judged is in the files.

use lattice_checks::client::{self, ClientReport};
use lattice_spec::recording::Recording;
use lattice_spec::{Catalogue, Family};

use crate::report::{FailureReport, Reproduction, RuleReport, RunReport, Summary};
use lattice_checks::CaseResult;

/// What to judge, and how it was named on the command line (for reproductions).
#[derive(Debug, Clone, Default)]
pub struct ClientCheck {
    /// The recording's path, as given.
    pub recording_path: String,
    /// The client report's path, as given, if any.
    pub client_report_path: Option<String>,
    /// Rule selection patterns (`SDK-TOKEN-*`); empty = every SDK rule.
    pub rules: Vec<String>,
    /// The region requests must be signed for; `None`: the recording's.
    pub region: Option<String>,
}

impl ClientCheck {
    /// Judges the recording (and the client report) and builds the report. `Err` when the rule
    /// patterns select no SDK rule.
    pub fn report(
        &self,
        recording: &Recording,
        client: Option<&ClientReport>,
    ) -> Result<RunReport, crate::errors::ReportError> {
        let region = self
            .region
            .clone()
            .or_else(|| recording.header.as_ref().map(|h| h.region.clone()));
        let selected = |id: lattice_spec::RuleId| {
            self.rules.is_empty() || self.rules.iter().any(|p| id.matches(p))
        };
        let judged: Vec<_> = client::judge(recording, client, region.as_deref())
            .into_iter()
            .filter(|j| selected(j.rule))
            .collect();
        if judged.is_empty() {
            return Err(crate::errors::ReportError::NoRuleSelected {
                patterns: self.rules.join(","),
                what: "SDK",
                family: "SDK",
            });
        }
        let mut summary = Summary::default();
        let mut rules = Vec::new();
        for j in judged {
            let Some(rule) = Catalogue::embedded().get(j.rule.as_str()) else {
                continue;
            };
            let cases: Vec<CaseResult> = j
                .cases
                .into_iter()
                .map(|c| CaseResult {
                    rule: j.rule,
                    verdict: c.verdict,
                    evidence: c.evidence,
                    expected: c.expected,
                    chosen: None,
                    note: c.note,
                    decisive: None,
                })
                .collect();
            let failures: Vec<FailureReport> = cases
                .iter()
                .filter(|c| c.verdict.is_fail())
                .take(3)
                .map(|c| FailureReport::from_case(c, self.reproduction(j.rule.as_str())))
                .collect();
            let report = RuleReport {
                failures,
                ..RuleReport::new(rule, &j.verdict, &cases)
            };
            summary.add(&report);
            rules.push(report);
        }
        let header = recording.header.as_ref();
        Ok(RunReport {
            tool: format!("lattice-conformance {}", env!("CARGO_PKG_VERSION")),
            target: client
                .and_then(|c| c.client.clone())
                .unwrap_or_else(|| "client".to_owned()),
            endpoint: header.map(|h| h.endpoint.clone()).unwrap_or_default(),
            region: region.unwrap_or_default(),
            run_id: "check-client".to_owned(),
            seed: 0,
            cases: 0,
            started: header.map(|h| h.started.clone()).unwrap_or_default(),
            duration_ms: recording.requests.last().map(|r| r.elapsed_ms).unwrap_or(0),
            requests: recording.requests.len(),
            interrupted: false,
            deadline_ms: 0,
            deadline_passed: false,
            breaker: None,
            unreachable: None,
            families: vec![Family::Sdk.as_str().to_owned()],
            summary,
            rules,
            leaks: vec![],
        })
    }

    fn reproduction(&self, rule: &str) -> Reproduction {
        let mut rerun = format!(
            "lattice-conformance check-client {}",
            crate::report::shell_quote(&self.recording_path)
        );
        if let Some(r) = &self.client_report_path {
            rerun.push_str(&format!(
                " --client-report {}",
                crate::report::shell_quote(r)
            ));
        }
        if let Some(r) = &self.region {
            rerun.push_str(&format!(" --region {r}"));
        }
        rerun.push_str(&format!(" --rules {rule} --verbose"));
        Reproduction { rerun, curl: None }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_recording_is_inconclusive_and_selection_is_honoured() {
        let check = ClientCheck {
            recording_path: "rec.jsonl".into(),
            rules: vec!["SDK-TOKEN-*".into()],
            ..Default::default()
        };
        let report = check.report(&Recording::default(), None).unwrap();
        assert_eq!(report.rules.len(), 2);
        assert_eq!(report.summary.inconclusive, 2);
        assert_eq!(report.exit_code(false) as u8, 3);
        let none = ClientCheck {
            rules: vec!["VAL".into()],
            ..Default::default()
        };
        assert!(none.report(&Recording::default(), None).is_err());
    }
}
