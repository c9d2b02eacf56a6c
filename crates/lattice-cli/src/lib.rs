//! The `lattice-conformance` command's library (data flow: the last stage, which wires the
//! others together): it starts the embedded reference endpoint for a profile that names it and
//! hands the harness a URL ([`embedded`]), and rehearses a run without touching the target
//! ([`rehearsal`]). The binary (`src/main.rs`) parses the command line and prints.

pub mod embedded;
pub mod rehearsal;

use lattice_harness::{HarnessError, Plan, Session};
use lattice_reference::ReferenceEndpoint;

/// A started run and, when its profile names the embedded reference endpoint, that endpoint
/// (kept alive as long as the run). Derefs to the [`Session`].
#[derive(Debug)]
pub struct Started {
    /// The run.
    pub session: Session,
    /// The embedded reference endpoint, when the profile named it.
    pub embedded: Option<ReferenceEndpoint>,
}

impl std::ops::Deref for Started {
    type Target = Session;

    fn deref(&self) -> &Session {
        &self.session
    }
}

/// Starts a run of `plan`: against the embedded reference endpoint when the profile names it
/// (with the profile's defects and choices, and `plan.defects` and `plan.choices`), else against the profile's endpoint with
/// its credentials resolved from the process environment.
pub async fn start(plan: Plan) -> Result<Started, HarnessError> {
    let env = |k: &str| std::env::var(k).ok();
    let (embedded, target) =
        embedded::target(&plan.profile, &plan.defects, &plan.choices, &env).await?;
    let session = Session::start(plan, target).await?;
    Ok(Started { session, embedded })
}
