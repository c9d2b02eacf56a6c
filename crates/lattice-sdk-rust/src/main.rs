//! `lattice-sdk-rust`: the SDK scenario driven by the official Rust SDK (`aws-sdk-vpclattice`),
//! for `lattice-conformance check-client`. What the SDK sends is recorded by the reference
//! endpoint (`serve --record`); what it surfaces is written to a client report.
//!
//! ```sh
//! lattice-conformance serve --port 8471 --record rust.jsonl --fault sdk-scenario &
//! cargo run -p lattice-sdk-rust --features rust-sdk -- http://127.0.0.1:8471 --report rust-result.json
//! lattice-conformance check-client rust.jsonl --client-report rust-result.json
//! ```
//!
//! The scenario is the one of `scripts/sdk/boto3_scenario.py` (Create calls in this order; the
//! fault plan `sdk-scenario` counts every Create request, retries included):
//! 1 `no-token` (200), 2 `with-token` (200), 3 `retried-500` (500 once, retried, 200),
//! 4 `duplicate` (409 ConflictException), 5 `retried-429` (429 once, retried, 200),
//! 6 `throttled` (retries off: ThrottlingException), 7 `unknown-error` (400 SomethingNewException).
//!
//! The SDK is behind the `rust-sdk` feature (default off, so `cargo test --workspace` never
//! builds it); without it this binary only says how to enable it.

#[cfg(feature = "rust-sdk")]
mod scenario;

#[cfg(feature = "rust-sdk")]
fn main() -> std::process::ExitCode {
    scenario::main()
}

#[cfg(not(feature = "rust-sdk"))]
fn main() -> std::process::ExitCode {
    eprintln!(
        "lattice-sdk-rust was built without the official Rust SDK.\n\
         Build it with the feature that pulls aws-sdk-vpclattice in (about a hundred crates):\n\
         \n    cargo run -p lattice-sdk-rust --features rust-sdk -- URL --report RESULT.json\n\
         \n(README, \"Verify your SDK\")"
    );
    std::process::ExitCode::from(2)
}
