//! How the suite reaches an endpoint (data flow: lattice-spec → lattice-gen → lattice-harness →
//! **lattice-transport** → endpoint → lattice-checks → lattice-report): target profiles and
//! credentials, the SigV4-signed raw driver that sends the exact bytes it was given and records
//! every exchange, fixtures (services, networks, RAM shares, polls) and cleanup with its journal.
//! The only crate that opens connections; it judges nothing.

pub mod cleanup;
pub mod credentials;
pub mod driver;
pub mod economy;
pub mod errors;
pub mod files;
pub mod fixtures;
pub mod gate;
pub mod live;
pub mod profile;
pub mod scrub;
pub mod target;
pub mod time;
pub mod validate;

pub use errors::TransportError;
pub use profile::Profile;
