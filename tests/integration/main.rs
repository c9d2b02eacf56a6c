//! End-to-end tests of lattice-conformance: one test binary made of modules (one link step).

mod driver;
mod mutation;
mod support;
