//! End-to-end tests of lattice-conformance: one test binary made of modules (one link step).

mod alternatives;
mod chaos;
mod cleanup;
mod docs;
mod driver;
mod economy;
mod html;
mod mutation;
mod snapshots;
mod stateful;
mod support;
