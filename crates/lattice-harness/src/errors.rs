//! Errors of the harness: what stops a run before its checks start.

use lattice_transport::TransportError;

/// What can stop a run before or outside the checks.
#[derive(Debug, thiserror::Error)]
pub enum HarnessError {
    /// The target could not be reached or configured.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// A rule selection pattern names no rule of the catalogue.
    #[error("--rules: `{pattern}` names no rule (hint: `lattice-conformance rules` lists ids and families; patterns are ids, families such as OWN, or prefixes such as VAL-SVC-*)")]
    UnknownRule {
        /// The pattern.
        pattern: String,
    },
    /// The rule selection selects nothing.
    #[error("--rules {patterns} selects no rule (hint: `lattice-conformance rules` lists them; SDK rules are judged by `check-client`)")]
    NoRuleSelected {
        /// The patterns given.
        patterns: String,
    },
}
