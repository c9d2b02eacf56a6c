//! The only crate that talks to the network (data flow: lattice-spec → lattice-gen →
//! **lattice-harness** → endpoint → lattice-checks → report): target profiles, credentials, the
//! SigV4-signed raw driver, fixtures and cleanup, the checks' orchestration, the run loop and the
//! reports; the canonical scenarios and their snapshots, and the generated contract documentation.

pub mod checks;
pub mod cleanup;
pub mod client_check;
pub mod credentials;
pub mod diff;
pub mod docs;
pub mod driver;
pub mod errors;
pub mod fixtures;
pub mod html;
pub mod plan;
pub mod profile;
pub mod redact;
pub mod report;
pub mod scenarios;
pub mod session;
pub mod snapshots;
pub mod time;

pub use errors::HarnessError;
pub use profile::Profile;
pub use report::{ExitCode, RunReport};
pub use session::{Plan, Progress, Session};
