//! Pure checks: (expected outcomes, recorded exchanges) → a verdict per rule. This crate never
//! calls the network and never knows which target it judges (data flow: lattice-harness records
//! exchanges → **lattice-checks** judges them → reports).
//!
//! - [`exchange`]: what was sent and what came back.
//! - [`case`]: a judged case, and a decisive exchange judged against a rule's outcomes.
//! - [`verdict`]: `Pass`, `Fail(Vec<Violation>)`, `Skipped`, `Inconclusive`, and their aggregation.
//! - [`outcome`]: a decisive exchange against the outcomes a rule accepts.
//! - [`shape`]: wire-format rules observed on every exchange.
//! - [`state`]: stateful judgements (replays, visibility, lists) against the reference model.
//! - [`client`]: client-side (SDK) rules, judged from a recording of what a client sent.
//! - [`wait`]: what a status poll makes of each answer (the end, progress, or a decisive answer).

pub mod case;
pub mod client;
pub mod exchange;
pub mod judge;
pub mod leak;
pub mod outcome;
pub mod scenario;
pub mod shape;
pub mod state;
pub mod verdict;
pub mod wait;

pub use case::{judge, judge_with, setup_failed, unjudgeable, CaseResult};
pub use exchange::{Exchange, ExchangeParts, RecordedRequest, RecordedResponse, TransportFailure};
pub use leak::Leak;
pub use outcome::{chosen_outcome, judge_outcome};
pub use shape::{observe, Observation};
pub use verdict::{aggregate, Verdict, Violation};
