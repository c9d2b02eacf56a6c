//! The run's orchestration (data flow: lattice-spec → lattice-gen → **lattice-harness** →
//! lattice-transport → endpoint → lattice-checks → lattice-report): for each selected rule, the
//! check that plans its cases, sends them through the driver and collects the exchanges, and the
//! pure judgement of `lattice-checks` that decides them; the stateful and concurrency properties;
//! the canonical scenarios; the run loop (`Session`) from start to cleanup.

pub mod checks;
pub mod errors;
pub mod scenarios;
pub mod session;

pub use errors::HarnessError;
pub use lattice_transport::Profile;
pub use session::{Ending, Plan, Progress, Session};
