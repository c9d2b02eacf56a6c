//! The contract of AWS VPC Lattice `CreateServiceNetworkServiceAssociation`, as data and pure
//! functions: the first stage of the data flow (`specs/` → **lattice-spec** → lattice-gen →
//! lattice-harness → endpoint → lattice-checks → report).
//!
//! - [`wire`]: request, response and error bodies, member names exactly as on the wire.
//! - [`ids`]: `svc-`, `sn-`, `snsa-` ids, their ARNs, and ID-or-ARN identifiers.
//! - [`constraints`]: lengths, patterns and required flags from the official model.
//! - [`validate`]: which rule a raw request body breaks.
//! - [`catalogue`]: the rules (`specs/rules.toml`), each with a stable id and a source.
//! - [`choices`]: the readings the contract leaves open (`specs/choices.toml`), each a switch of
//!   the reference endpoint that the suite must accept.
//! - [`recording`]: the format of `serve --record` (what a client sent), shared by the
//!   reference endpoint that writes it and the client checks that read it.
//! - [`outputs`]: the output members of every operation with their modelled JSON types.
//! - [`model`]: a `World` of accounts and resources that predicts the acceptable outcomes of a call.
//!
//! No I/O and no async here: every other crate builds on these definitions.

pub mod catalogue;
pub mod choices;
pub mod constraints;
pub mod errors;
pub mod ids;
pub mod model;
pub mod operations;
pub mod outputs;
pub mod recording;
pub mod role;
pub mod rule_ids;
pub mod scenario;
pub mod signing;
pub mod validate;
pub mod wire;

pub use catalogue::{Basis, Catalogue, ExpectedOutcome, Family, Rule};
pub use choices::{Choice, ChoiceInfo};
pub use errors::{ErrorType, SpecError};
pub use ids::{Identifier, LatticeArn, ResourceId, ResourceKind};
pub use operations::Operation;
pub use role::Role;
pub use rule_ids::*;
pub use signing::SignMode;
