//! The generators judged by the oracle (`lattice_spec::validate`): one test binary, one module
//! per concern.

mod ambiguous;
mod boundary;
mod calls;
mod chars;
mod extremes;
mod invalid;
mod support;
mod valid;
