//! Console output: a progress line on a terminal (plain lines otherwise), then the per-rule table
//! and each failure with its source, minimal request, response, expectation and reproduction.

use std::io::Write;
use std::sync::Mutex;

use lattice_harness::{Progress, Session};
use lattice_report::report::{failure_text, RunReport};

/// Writes to stderr (progress) and stdout (the table).
pub(crate) struct Console {
    tty: bool,
    color: bool,
    last_len: Mutex<usize>,
}

impl Console {
    pub(crate) fn new(tty: bool, color: bool) -> Self {
        Self {
            tty,
            color: color && tty,
            last_len: Mutex::new(0),
        }
    }

    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }

    pub(crate) fn line(&self, s: &str) {
        self.clear_progress();
        eprintln!("{s}");
    }

    pub(crate) fn header(&self, session: &Session, embedded: bool, seed: u64, cases: u32) {
        eprintln!(
            "lattice-conformance {}: target {} ({}), {} rules, seed {seed}, {cases} cases per property, run id {}",
            env!("CARGO_PKG_VERSION"),
            session.endpoint(),
            if embedded { "embedded reference endpoint" } else { "external" },
            session.selected().len(),
            session.run_id()
        );
        eprintln!(
            "deadline {} (then at most {} of cleanup; --deadline)",
            lattice_transport::time::format_duration(session.deadline()),
            lattice_transport::time::format_duration(session.cleanup_allowance())
        );
    }

    pub(crate) fn progress(&self, p: Progress) {
        match p {
            Progress::Started { .. } => {}
            Progress::DeadlinePassed { deadline } => self.line(&format!(
                "the run's deadline ({}) passed: nothing more is sent; the checks wind down, then cleanup",
                lattice_transport::time::format_duration(deadline)
            )),
            Progress::Finished {
                check,
                done,
                total,
                requests,
            } => {
                if self.tty {
                    let width = 24;
                    let filled = done * width / total.max(1);
                    let bar = format!(
                        "[{}{}] {done}/{total} checks, {requests} requests, last: {check}",
                        "#".repeat(filled),
                        " ".repeat(width - filled)
                    );
                    let mut last = self.last_len.lock().unwrap_or_else(|e| e.into_inner());
                    let pad = last.saturating_sub(bar.len());
                    eprint!("\r{bar}{}", " ".repeat(pad));
                    *last = bar.len();
                    let _ = std::io::stderr().flush();
                } else {
                    eprintln!("check {done}/{total} done: {check} ({requests} requests so far)");
                }
            }
        }
    }

    pub(crate) fn clear_progress(&self) {
        if self.tty {
            let mut last = self.last_len.lock().unwrap_or_else(|e| e.into_inner());
            if *last > 0 {
                eprint!("\r{}\r", " ".repeat(*last));
                *last = 0;
            }
        }
    }

    pub(crate) fn table(&self, report: &RunReport, verbose: bool) {
        let mut out = String::new();
        out.push_str(&format!(
            "{:<28} {:<13} {:>6}  {}\n",
            "RULE", "VERDICT", "CASES", "NOTE"
        ));
        for r in &report.rules {
            let verdict = match r.verdict.as_str() {
                "pass" if r.expected_failure.is_some() => self.paint("33", "pass (!)"),
                "pass" => self.paint("32", "pass"),
                "fail" if r.is_expected_failure() => self.paint("33", "fail (exp.)"),
                "fail" => self.paint("31", "FAIL"),
                "skipped" => self.paint("2", "skipped"),
                _ if r.is_expected_inconclusive() => self.paint("33", "incon. (exp.)"),
                _ => self.paint("35", "inconclusive"),
            };
            let pad = 13usize.saturating_sub(strip_len(&verdict));
            let note = match (r.verdict.as_str(), &r.reason, &r.expected_failure) {
                ("pass", _, Some(_)) => {
                    "listed as an expected failure but passes: remove it from the profile"
                        .to_owned()
                }
                ("fail", _, Some(reason)) if r.is_expected_failure() => {
                    format!("expected: {reason}")
                }
                ("inconclusive", _, Some(reason)) if r.is_expected_inconclusive() => {
                    format!("expected: {reason}")
                }
                (_, Some(reason), _) => reason.clone(),
                _ if !r.chosen.is_empty() => format!("endpoint chose: {}", r.chosen.join(", ")),
                _ => String::new(),
            };
            out.push_str(&format!(
                "{:<28} {verdict}{} {:>6}  {}\n",
                r.id,
                " ".repeat(pad),
                r.cases,
                note
            ));
        }
        let failing: Vec<_> = report
            .rules
            .iter()
            .filter(|r| r.verdict == "fail" && !r.is_expected_failure())
            .collect();
        if !failing.is_empty() {
            out.push_str("\nFailures:\n");
            for r in failing {
                let mut r = r.clone();
                if !verbose {
                    r.failures.truncate(1);
                }
                out.push_str(&failure_text(&r));
                out.push('\n');
            }
        }
        if !report.leaks.is_empty() {
            out.push_str("\nLeaks (not deleted; remove them by hand):\n");
            for l in &report.leaks {
                out.push_str(&format!("  {} {}: {}\n", l.kind, l.id, l.reason));
            }
        }
        if let Some(stopped) = report.stopped() {
            out.push_str(&format!("\nStopped short: {stopped}.\n"));
        }
        let s = &report.summary;
        // A check-client report has no seed (cases = 0): it judges a recording.
        let seed = if report.cases > 0 {
            format!(" (seed {})", report.seed)
        } else {
            String::new()
        };
        let expected_inconclusive = if s.expected_inconclusive > 0 {
            format!(", {} expected inconclusive", s.expected_inconclusive)
        } else {
            String::new()
        };
        out.push_str(&format!(
            "\n{} rules: {} pass, {} fail, {} expected failures, {} skipped, {} inconclusive{expected_inconclusive} — {} requests in {:.1} s{seed}\n",
            s.total, s.pass, s.fail, s.expected_fail, s.skipped, s.inconclusive, report.requests, report.duration_ms as f64 / 1000.0
        ));
        print!("{out}");
    }
}

fn strip_len(s: &str) -> usize {
    let mut n = 0;
    let mut in_esc = false;
    for c in s.chars() {
        match (in_esc, c) {
            (false, '\x1b') => in_esc = true,
            (true, 'm') => in_esc = false,
            (true, _) => {}
            _ => n += 1,
        }
    }
    n
}
