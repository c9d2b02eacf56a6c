//! What a run tells its reader (data flow: lattice-spec → lattice-gen → lattice-harness →
//! lattice-transport → endpoint → lattice-checks → **lattice-report**): one rule-by-rule
//! [`RunReport`] assembled from judged cases, and its renderings (JSON with a stable schema,
//! JUnit, Markdown, HTML); the snapshots of the canonical scenarios (redaction that keeps
//! identity, rendering, comparison with the committed files); the contract documentation
//! (`specs/CONTRACT.md`); and client (SDK) verification from a recording. No network, no async.

pub mod client_check;
pub mod diff;
pub mod docs;
pub mod errors;
pub mod html;
pub mod redact;
pub mod report;
pub mod snapshot_match;
pub mod snapshots;

pub use errors::ReportError;
pub use report::{ExitCode, RunReport};
