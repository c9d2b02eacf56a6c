//! The only crate that talks to the network (data flow: lattice-spec → lattice-gen →
//! **lattice-harness** → endpoint → lattice-checks → report): target profiles, credentials, the
//! SigV4-signed raw driver, fixtures and cleanup, the checks' orchestration, the run loop and the
//! reports.

pub mod checks;
pub mod credentials;
pub mod driver;
pub mod errors;
pub mod fixtures;
pub mod profile;
pub mod report;
pub mod session;
pub mod time;

pub use errors::HarnessError;
pub use profile::Profile;
pub use report::{ExitCode, RunReport};
pub use session::{Plan, Progress, Session};
