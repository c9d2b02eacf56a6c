//! HTTP-SNAPSHOT: runs the canonical scenarios ([`crate::scenarios`]) and compares each one's
//! redacted responses with its committed snapshot ([`lattice_report::snapshots`]); a difference fails the
//! rule with a line diff, and a dynamic value outside its pattern fails it too.

use std::sync::Arc;

use lattice_spec::RuleId;

use super::{CaseResult, Ctx};
use crate::scenarios;

/// Runs every scenario and compares it with its snapshot.
pub async fn run(ctx: Arc<Ctx>) -> Vec<CaseResult> {
    if ctx.profile.live && ctx.selected.len() > 1 {
        return vec![CaseResult::skipped(
            RuleId::HttpSnapshot,
            "the snapshot scenarios cost about 300 requests: on live AWS run them on their own (--rules HTTP-SNAPSHOT)",
        )];
    }
    let runs = scenarios::run_all(&ctx).await;
    runs.iter().map(lattice_report::snapshots::judge).collect()
}
