//! The canonical scenarios: at least one per rule family, each a short sequence of driver calls
//! on fixtures of its own, written as data in `specs/scenarios.toml` (embedded, read once, checked
//! by [`parse`]). Their redacted responses are the snapshots in the top-level `snapshots/` folder
//! (rendered by `lattice-report`); `cargo test` checks them with insta, one test per scenario,
//! and `lattice-conformance run` with the rule HTTP-SNAPSHOT.
//!
//! What a scenario cannot write out it names with a typed [`Reference`]: a setup resource
//! (`{ setup = 1, member = "arn" }`), the answer to an earlier step (`{ step = "create" }`), a
//! client token unique to the run (`{ token = "a", form = "upper" }`), a run of one character
//! (`{ repeat = "x", times = 65 }`); `tags = { generated = 201 }` makes that many tags.
//!
//! Every step that reports a status runs on a settled association (`settle` first), so that the
//! snapshot does not depend on timing; timing-dependent rules (CONFLICT-DELETING-*,
//! CONFLICT-DELETE-CREATING) have no scenario.

mod body;
mod definition;
mod load;
mod reference;

use std::sync::OnceLock;

pub use body::{CreateBody, CreateMembers, Tags};
pub use definition::{Illustration, ListFilter, Scenario, ScenarioCall, ScenarioStep, Setup};
pub use load::{parse, Place, ScenarioError};
pub use reference::{Field, Member, Reference, Resolve, TokenForm};

/// The scenarios file, as shipped in `specs/`.
pub const SCENARIOS_TOML: &str = include_str!("../../../specs/scenarios.toml");

/// Every canonical scenario, in file order (by family), read from the embedded
/// `specs/scenarios.toml` on first use.
pub fn all() -> &'static [Scenario] {
    static ALL: OnceLock<Vec<Scenario>> = OnceLock::new();
    ALL.get_or_init(|| parse(SCENARIOS_TOML).unwrap_or_else(|e| panic!("{e}")))
}

/// The scenario with this name.
pub fn by_name(name: &str) -> Option<&'static Scenario> {
    all().iter().find(|s| s.name == name)
}

#[cfg(test)]
mod tests;
