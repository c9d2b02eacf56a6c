//! What a canonical scenario recorded when it ran: the steps' exchanges, or why it did not run.

use lattice_spec::scenario::Scenario;

use crate::exchange::Exchange;

/// One recorded step.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The step's label.
    pub label: &'static str,
    /// What was sent and what came back.
    pub exchange: Exchange,
}

/// How a scenario ended.
#[derive(Debug, Clone)]
pub enum ScenarioOutcome {
    /// Every step ran (or the scenario stopped at a step it could not build, named here).
    Ran {
        /// The recorded steps, in order.
        steps: Vec<Recorded>,
        /// The step that could not be sent, and why (a previous answer lacked an `id`).
        stopped: Option<(&'static str, String)>,
    },
    /// The target cannot run it (a missing principal or capability).
    Skipped(String),
    /// It could not be judged (setup failed, throttled, unreachable), with the evidence.
    Inconclusive(String, Vec<Exchange>),
}

/// A scenario after it ran.
#[derive(Debug, Clone)]
pub struct ScenarioRun {
    /// The scenario.
    pub scenario: &'static Scenario,
    /// How it ended.
    pub outcome: ScenarioOutcome,
    /// Account id → role, for the redactor.
    pub accounts: Vec<(String, String)>,
    /// Raw client token → placeholder, for the redactor.
    pub tokens: Vec<(String, String)>,
}
