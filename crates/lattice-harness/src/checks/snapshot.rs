//! HTTP-SNAPSHOT: runs the canonical scenarios ([`crate::scenarios`]) and compares each one's
//! redacted responses with its committed snapshot ([`crate::snapshots`]); a difference fails the
//! rule with a line diff, and a dynamic value outside its pattern fails it too.

use std::sync::Arc;

use lattice_spec::RuleId;

use super::{CaseResult, Ctx};
use crate::scenarios::{self, Outcome};
use crate::snapshots;

/// Rules this check decides.
pub const RULES: &[RuleId] = &[RuleId::HttpSnapshot];

/// Runs every scenario and compares it with its snapshot.
pub async fn run(ctx: Arc<Ctx>) -> Vec<CaseResult> {
    if ctx.profile.live && ctx.selected.len() > 1 {
        return vec![CaseResult::skipped(
            RuleId::HttpSnapshot,
            "the snapshot scenarios cost about 300 requests: on live AWS run them on their own (--rules HTTP-SNAPSHOT)",
        )];
    }
    let runs = scenarios::run_all(&ctx).await;
    runs.iter().map(judge).collect()
}

/// One scenario's case: skipped, inconclusive, or judged against its snapshot.
pub fn judge(run: &scenarios::ScenarioRun) -> CaseResult {
    let name = run.scenario.name;
    let note = format!("scenario `{name}` ({})", run.scenario.rule);
    match &run.outcome {
        Outcome::Skipped(reason) => {
            CaseResult::skipped(RuleId::HttpSnapshot, format!("scenario `{name}`: {reason}"))
        }
        Outcome::Inconclusive(reason, evidence) => CaseResult::inconclusive(
            RuleId::HttpSnapshot,
            format!("scenario `{name}`: {reason}"),
            evidence.clone(),
        )
        .with_note(note),
        Outcome::Ran { steps, .. } => {
            let Some(rendered) = snapshots::render(run) else {
                return CaseResult::inconclusive(RuleId::HttpSnapshot, "not rendered", vec![]);
            };
            let mut violations = rendered.violations;
            violations.extend(snapshots::compare(name, &rendered.text));
            CaseResult::new(
                RuleId::HttpSnapshot,
                violations,
                steps.iter().map(|s| s.exchange.clone()).collect(),
                format!("the responses recorded in snapshots/{name}.snap"),
            )
            .with_note(note)
        }
    }
}
