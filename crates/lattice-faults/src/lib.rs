//! Hostile endpoints for the tests and the fault table (data flow: they stand where an endpoint
//! stands, between the harness and the checks; test support, never a dependency of the tool).
//! Each [`HostileEndpoint`] is a raw TCP server on a loopback port that misbehaves one way
//! ([`Fault`]), from the first request or only after answering the harness's probe as AWS would
//! ([`Onset`]), or mixes several ([`Plan`]). `cargo run --release -p lattice-faults` prints the fault table (exit code, wall
//! time and peak memory of `lattice-conformance run` against each).

pub mod fault;
pub mod server;

pub use fault::Fault;
pub use server::{HostileEndpoint, Onset, Plan};

/// A target profile for a hostile endpoint at `url` that declares RAM, deletes and asynchronous
/// status (so that every check runs), with `limits` (TOML lines of a `[limits]` table) and the
/// owner's, peer's and outsider's secret keys.
pub fn profile(url: &str, limits: &str, secrets: &[&str; 3]) -> String {
    let mut text = format!(
        "name = \"hostile\"\nendpoint = \"{url}\"\n[capabilities]\nram = true\nasync_status = true\ndelete = true\n[limits]\n{limits}\n"
    );
    for (i, role) in ["owner", "peer", "outsider"].iter().enumerate() {
        text.push_str(&format!(
            "[[principals]]\nrole = \"{role}\"\naccess_key_id = \"AKIAHOSTILE{i:09}\"\nsecret_access_key = \"{}\"\n",
            secrets[i]
        ));
    }
    text
}
