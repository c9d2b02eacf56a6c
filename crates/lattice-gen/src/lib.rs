//! Proptest generators of lattice-conformance: the second stage of the data flow (`specs/` →
//! lattice-spec → **lattice-gen** → lattice-harness → endpoint → lattice-checks → report).
//!
//! What it draws, for `CreateServiceNetworkServiceAssociation`:
//! - valid bodies over the whole space the model allows ([`valid_create_body`],
//!   [`valid_create_body_with`]) and their parts ([`service_identifier`],
//!   [`service_network_identifier`], [`client_token`], [`valid_tag_map`]);
//! - inputs that break exactly one rule, labelled with its id ([`invalid_create_input`],
//!   [`invalid_create_input_with`], [`invalid_create_input_for`]); the rules are
//!   [`generated_rules`];
//! - inputs the model accepts but the user guide may refuse ([`ambiguous_create_input`], rules
//!   [`ambiguous_rules`]);
//! - deterministic boundary sets to run first ([`boundary_inputs`], [`boundary_valid_bodies`],
//!   [`boundary_ambiguous_inputs`]);
//! - call sequences for stateful runs ([`CallModel`], a proptest-state-machine reference
//!   machine, and [`call_sequence`] for a plain sequence of its transitions).
//!
//! Identifiers. The plain generators draw well-formed identifiers that (with overwhelming
//! likelihood) do not exist, which is what a validation check wants: a 400 must come before any
//! 404. The `_with(service, network)` variants keep the caller's identifiers verbatim wherever
//! the broken rule is not about them, so the harness can pin nonexistent ids for validation
//! checks and real ones for acceptance checks. Deterministic sets use [`PLACEHOLDER_SERVICE_ID`]
//! and [`PLACEHOLDER_NETWORK_ID`] unless given ids.
//!
//! Every label is checked against the oracle `lattice_spec::validate` by this crate's tests.

mod ambiguous;
mod body;
mod boundary;
pub mod calls;
pub mod chars;
pub mod identifiers;
mod invalid;
pub mod tags;
pub mod token;
mod valid;

pub use ambiguous::{
    ambiguous_create_input, ambiguous_create_input_for, ambiguous_create_input_with,
    ambiguous_rules,
};
pub use body::{
    AmbiguousInput, InvalidInput, RawBody, PLACEHOLDER_NETWORK_ID, PLACEHOLDER_SERVICE_ID,
};
pub use boundary::{
    boundary_ambiguous_inputs, boundary_inputs, boundary_inputs_with, boundary_valid_bodies,
    boundary_valid_bodies_with,
};
pub use calls::{call_sequence, Call, CallModel};
pub use identifiers::{service_identifier, service_network_identifier};
pub use invalid::{
    generated_rules, invalid_create_input, invalid_create_input_for, invalid_create_input_for_with,
    invalid_create_input_with,
};
pub use tags::valid_tag_map;
pub use token::client_token;
pub use valid::{valid_create_body, valid_create_body_with, valid_create_body_with_tags};
