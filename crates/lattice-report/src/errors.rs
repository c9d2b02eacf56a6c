//! Errors of the reports: what stops a report from being built or written.

use std::path::PathBuf;

/// What can go wrong building or writing a report.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The rule patterns select no rule the report can judge.
    #[error("--rules {patterns} selects no {what} rule (hint: `lattice-conformance rules --rules {family}` lists them)")]
    NoRuleSelected {
        /// The patterns given.
        patterns: String,
        /// Which rules the report judges (`SDK`).
        what: &'static str,
        /// Their family.
        family: &'static str,
    },
    /// A report file could not be written.
    #[error("cannot write `{path}`: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// Why (shown in the message).
        source: std::io::Error,
    },
}
