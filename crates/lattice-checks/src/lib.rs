//! Pure checks: (expected outcomes, recorded exchanges) → a verdict per rule. This crate never
//! calls the network and never knows which target it judges (data flow: lattice-harness records
//! exchanges → **lattice-checks** judges them → reports).
//!
//! - [`exchange`]: what was sent and what came back.
//! - [`case`]: a judged case, and a decisive exchange judged against a rule's outcomes.
//! - [`verdict`]: `Pass`, `Fail(Vec<Violation>)`, `Skipped`, `Inconclusive`, and their aggregation.
//! - [`outcome`]: a decisive exchange against the outcomes a rule accepts.
//! - [`shape`]: wire-format rules observed on every exchange.
//! - [`output`]: every member of a successful answer against its modelled JSON type.
//! - [`judge`]: every check's verdicts, one module per catalogue check, over the exchanges the
//!   check collected.
//! - [`sequence`]: one step of a stateful sequence against the reference model's prediction.
//! - [`state`]: values read across calls (members, statuses, listed ids, replays, createdBy).
//! - [`scenario`]: what a canonical scenario recorded when it ran.
//! - [`leak`]: what a run left behind.
//! - [`client`]: client-side (SDK) rules, judged from a recording of what a client sent.
//! - [`wait`]: what a status poll makes of each answer (the end, progress, or a decisive answer).

pub mod case;
pub mod client;
pub mod exchange;
pub mod judge;
pub mod leak;
pub mod outcome;
pub mod output;
pub mod scenario;
pub mod sequence;
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
